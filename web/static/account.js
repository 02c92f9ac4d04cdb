// Duban UI: the signed-in user's own account — changing the password (/password). After an
// admin's password reset the server answers every other request 403
// password-change-required; this page is then the only one shown, until a new password is set.
"use strict";
Object.assign(T.zh, {chpw:"修改密码", curPw:"当前密码", newPw:"新密码", newPw2:"再次输入新密码", pwMismatch:"两次输入的新密码不一致",
  pwChanged:"密码已修改；您在其他地方的登录和 API 令牌已失效。", pwForced:"管理员已重置您的密码，请先设置新密码，再继续使用。",
  pwPolicy:"新密码至少 10 位，须同时包含字母和数字，不能与用户名相同。"});
Object.assign(T.en, {chpw:"Change password", curPw:"Current password", newPw:"New password", newPw2:"New password again", pwMismatch:"The two new passwords differ",
  pwChanged:"Password changed; your other sessions and API tokens no longer work.", pwForced:"An administrator reset your password: set a new one to go on.",
  pwPolicy:"At least 10 characters, with letters and digits, and not your username."});

// pagePassword is the change-password form; forced after an admin's reset.
function pagePassword() {
  const forced = !!me?.must_change_password;
  const cur = el("input", {id: "pw-cur", type: "password", autocomplete: "current-password", required: true});
  const pw1 = el("input", {id: "pw-new", type: "password", autocomplete: "new-password", required: true, minlength: 10});
  const pw2 = el("input", {id: "pw-new2", type: "password", autocomplete: "new-password", required: true, minlength: 10});
  const form = el("form", {class: "card narrow", id: "password-form", onsubmit: async e => {
    e.preventDefault();
    if (pw1.value !== pw2.value) return flash(t("pwMismatch"), true);
    try {
      await api("POST", "/auth/password", {current_password: cur.value, new_password: pw1.value});
      await loadMe();
      history.pushState({}, "", "/");
      await route();
      flash(t("pwChanged"));
    } catch (err) { flash(err.message, true); }
  }}, el("h1", {}, t("chpw")), forced ? el("p", {class: "flash bad", id: "pw-forced"}, t("pwForced")) : null,
  el("p", {class: "muted"}, t("pwPolicy")),
  el("label", {for: "pw-cur"}, t("curPw")), cur, el("label", {for: "pw-new"}, t("newPw")), pw1, el("label", {for: "pw-new2"}, t("newPw2")), pw2,
  el("button", {type: "submit"}, t("chpw")));
  render(form);
  cur.focus();
}
