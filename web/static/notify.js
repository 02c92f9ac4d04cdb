// Duban UI: notification settings (通知设置) — contact points with a test-send button,
// delivery status with the last error, and message templates with a preview.
"use strict";
Object.assign(T.zh, {notify:"通知设置", contacts:"联系方式", channel:"渠道", address:"地址", chatid:"平台用户 ID", secret:"签名密钥",
  label:"名称", owner:"归属", add:"添加", test:"测试发送", remove:"删除", deliveries:"发送记录", attempts:"尝试次数", lasterror:"最近错误",
  dup:"可能重复", templates:"消息模板", kind:"消息类型", save:"保存", reset:"恢复默认", edited:"已修改", mine:"本人", system:"系统",
  state_pending:"待发送", state_held:"待摘要", state_sending:"发送中", state_sent:"已发送", state_failed:"失败", saved:"已保存", sentok:"测试消息已发送"});
Object.assign(T.en, {notify:"Notifications", contacts:"Contact points", channel:"Channel", address:"Address", chatid:"Platform user id", secret:"Signing secret",
  label:"Label", owner:"Owner", add:"Add", test:"Send test", remove:"Remove", deliveries:"Deliveries", attempts:"Attempts", lasterror:"Last error",
  dup:"Possibly duplicated", templates:"Message templates", kind:"Kind", save:"Save", reset:"Restore default", edited:"edited", mine:"Me", system:"System",
  state_pending:"Pending", state_held:"Held for digest", state_sending:"Sending", state_sent:"Sent", state_failed:"Failed", saved:"Saved", sentok:"Test message sent"});

async function pageNotify() {
  const admin = me.role === "admin", sup = me.role === "supervisor";
  const [points, deliveries, depts] = await Promise.all([api("GET", "/contact-points"), api("GET", "/deliveries?limit=100"),
    admin ? api("GET", "/departments") : Promise.resolve([])]);
  const deptName = id => (depts.find(d => d.id === id) || {}).name || `#${id}`;
  const owner = p => p.user_id ? (p.user_id === me.id ? t("mine") : `#${p.user_id}`) : p.department_id ? deptName(p.department_id) : t("system");

  const rows = points.map(p => el("tr", {},
    el("td", {}, p.channel), el("td", {}, owner(p)), el("td", {}, p.address || p.chat_id), el("td", {}, p.label),
    el("td", {}, p.has_secret ? "✓" : ""),
    el("td", {}, el("button", {type: "button", "data-test": p.id, onclick: async () => {
      try { const d = await api("POST", `/contact-points/${p.id}/test`); flash(d.state === "sent" ? t("sentok") : `${t("state_failed")}${colon()}${d.last_error}`, d.state !== "sent"); }
      catch (e) { fail(e); }
    }}, t("test")), " ",
    el("button", {type: "button", class: "link", onclick: async () => { try { await api("DELETE", `/contact-points/${p.id}`); pageNotify(); } catch (e) { fail(e); } }}, t("remove")))));

  const channel = el("select", {id: "cp-channel", name: "channel"}, ["email", "sms", "dingtalk", "wecom", "feishu", "webhook"].map(c => el("option", {value: c}, c)));
  const address = el("input", {id: "cp-address", name: "address", placeholder: "name@example.gov.cn / 138… / https://…"});
  const chat = el("input", {id: "cp-chat", name: "chat_id"});
  const secret = el("input", {id: "cp-secret", name: "secret", type: "password", autocomplete: "off"});
  const label = el("input", {id: "cp-label", name: "label"});
  const dept = el("select", {id: "cp-dept", name: "department_id"}, el("option", {value: ""}, t("mine")), depts.map(d => el("option", {value: d.id}, d.name)));
  const form = el("form", {class: "card", onsubmit: async e => {
    e.preventDefault();
    const body = {channel: channel.value, address: address.value, chat_id: chat.value, label: label.value};
    if (secret.value) body.secret = secret.value;
    if (admin && dept.value) body.department_id = Number(dept.value);
    else if (!admin || !dept.value) body.user_id = me.id;
    try { await api("POST", "/contact-points", body); pageNotify(); } catch (err) { fail(err); }
  }}, el("h3", {}, t("add")),
    el("label", {for: "cp-channel"}, t("channel")), channel, admin ? [el("label", {for: "cp-dept"}, t("owner")), dept] : null,
    el("label", {for: "cp-address"}, t("address")), address, el("label", {for: "cp-chat"}, t("chatid")), chat,
    admin ? [el("label", {for: "cp-secret"}, t("secret")), secret] : null, el("label", {for: "cp-label"}, t("label")), label,
    el("button", {type: "submit"}, t("add")));

  const dl = deliveries.map(d => el("tr", {class: d.state === "failed" ? "late" : null},
    el("td", {}, fmtDate(d.created_at)), el("td", {}, d.channel), el("td", {}, d.kind + (d.level ? ` · ${levelName(d.level, d.level_name)}` : "")),
    el("td", {}, d.item_id ? el("a", {href: `/items/${d.item_id}`}, d.title) : d.title), el("td", {class: "state-" + d.state}, t("state_" + d.state)),
    el("td", {}, String(d.attempts)), el("td", {}, d.last_error), el("td", {}, d.possibly_duplicated ? "⚠ " + t("dup") : "")));

  const sections = [el("h1", {}, t("notify")), el("h2", {}, t("contacts")),
    el("table", {id: "contact-points"}, el("thead", {}, el("tr", {}, [t("channel"), t("owner"), t("address"), t("label"), t("secret"), t("actions")].map(h => el("th", {}, h)))), el("tbody", {}, rows)),
    points.length ? null : el("p", {class: "muted"}, t("none")), form,
    el("h2", {}, t("deliveries")),
    el("table", {id: "deliveries"}, el("thead", {}, el("tr", {}, ["", t("channel"), t("kind"), t("title"), t("status"), t("attempts"), t("lasterror"), ""].map(h => el("th", {}, h)))), el("tbody", {}, dl)),
    deliveries.length ? null : el("p", {class: "muted"}, t("none"))];
  if (admin || sup) sections.push(await templateEditor());
  render(sections);
}

async function templateEditor() {
  const tpls = await api("GET", "/message-templates");
  const pick = el("select", {id: "tpl-pick", "aria-label": t("kind")}, tpls.map((x, i) => el("option", {value: i}, `${x.kind} · ${x.lang}${x.edited ? " · " + t("edited") : ""}`)));
  const text = el("textarea", {id: "tpl-text", rows: 8, "aria-label": t("templates")});
  const out = el("pre", {id: "tpl-preview", class: "card"});
  const cur = () => tpls[Number(pick.value)];
  const load = () => { text.value = cur().text; out.textContent = ""; };
  pick.addEventListener("change", load);
  load();
  const act = async fn => { try { await fn(); } catch (e) { fail(e); } };
  return el("section", {}, el("h2", {}, t("templates")), pick, text,
    el("p", {}, el("button", {type: "button", id: "tpl-preview-btn", onclick: () => act(async () => {
      const r = await api("POST", "/message-templates/preview", {kind: cur().kind, lang: cur().lang, text: text.value});
      out.textContent = r.title + "\n\n" + r.body;
    })}, t("preview")), " ",
    el("button", {type: "button", onclick: () => act(async () => {
      const r = await api("PUT", `/message-templates/${cur().kind}/${cur().lang}`, {text: text.value});
      Object.assign(cur(), r); flash(t("saved"));
    })}, t("save")), " ",
    el("button", {type: "button", class: "link", onclick: () => act(async () => {
      await api("DELETE", `/message-templates/${cur().kind}/${cur().lang}`);
      Object.assign(cur(), {text: cur().default, edited: false}); load();
    })}, t("reset"))), out);
}
