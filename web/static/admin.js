// Duban UI: administration (系统管理, admin role). The page /admin has four tabs —
// departments (#departments: rename, aliases, merge a duplicate into another), department
// groups (#groups), users (#users) and the working-day calendar (#calendar, admin_calendar.js).
// Every action says what happened and reloads its tab; merging and deleting ask for
// confirmation in the page itself.
"use strict";
Object.assign(T.zh, {adNav:"系统管理", adOnly:"仅管理员可用", adDepts:"单位", adGroups:"单位组", adUsers:"用户", adCalendar:"工作日历",
  adName:"名称", adAliases:"别名", adKind:"类别", adItems:"承办事项", adPeople:"用户", adInGroups:"所在单位组", adActions:"操作",
  adEdit:"编辑", adMerge:"合并到…", adSave:"保存", adCancel:"取消", adDelete:"删除", adConfirmDelete:"确认删除", adAdd:"添加",
  adNewDept:"新增单位", adAliasesHint:"别名（多个以顿号或逗号分隔）", adAddAlias:"添加别名", adRemoveAlias:"删除别名",
  adFilter:"按名称或别名筛选", adFilterUsers:"按用户名、姓名、单位或角色筛选", adKind_bureau:"部门", adKind_county:"县（区）", adKind_office:"办公室", adKindImported:"导入时创建", adCreated:"已新增单位「{n}」", adSaved:"已保存「{n}」",
  adDeptsIntro:"单位的名称和别名在全部单位中唯一；导入方案时按名称和别名识别单位（不区分全角半角，忽略空格）。重复的单位请合并到使用正式名称的单位。",
  adMergeInto:"将「{n}」并入：", adSimilar:"名称相近", adOthers:"其他单位", adNext:"下一步", adBack:"返回", adConfirmMerge:"确认合并",
  adChoose:"请选择单位", adMergeWhat:"「{from}」的 {items} 个事项、{users} 个用户、{groups} 个单位组成员关系将转到「{into}」；正在办理的事项由督办流程改派，同一事项两者都有时保留一个，牵头优先于配合。「{from}」及其别名将成为「{into}」的别名，「{from}」从单位列表中删除。此操作不可撤销。",
  adMerged:"已将「{from}」并入「{into}」：{items} 个事项（其中 {reassigned} 个正在办理的事项已改派），{users} 个用户。",
  adNewGroup:"新增单位组", adMembers:"成员单位", adGroupSaved:"已保存单位组「{n}」", adGroupCreated:"已新增单位组「{n}」",
  adGroupDeleted:"已删除单位组「{n}」", adGroupsIntro:"单位组（如“各县（区）人民政府”）在导入方案时展开为其成员单位。删除单位组不影响其成员单位。",
  adUsername:"用户名", adDisplay:"姓名", adPassword:"初始密码", adRole:"角色", adDept:"单位", adHead:"单位负责人", adState:"状态",
  adActive:"正常", adDisabled:"已停用", adNewUser:"新增用户", adUserCreated:"已新增用户「{n}」", adNone:"—", adNoDept:"单位：无", adCount:"共 {n} 个",
  adRole_admin:"管理员", adRole_supervisor:"督办员", adRole_leader:"领导小组", adRole_liaison:"联络员", adRole_viewer:"查看者",
  adUsersIntro:"联络员须属于一个单位。单位负责人从催办起收到本单位的督办消息。",
  adDisable:"停用", adEnable:"启用", adResetPw:"重置密码", adConfirmReset:"确认重置", adUserDisabled:"已停用「{n}」，其登录立即失效",
  adUserEnabled:"已启用「{n}」", adResetDone:"「{n}」的临时密码：{p}　请当面或通过安全渠道告知；仅显示这一次。用户登录后须先修改密码，其原有登录和 API 令牌已失效。",
  adPolicy:"密码至少 10 位，须同时包含字母和数字，不能与用户名相同。",
  adEditUser:"修改「{n}」", adNeedDept:"联络员须属于一个单位，请选择单位。", adOwnRole:"不能修改自己的角色。", adNoChange:"未作修改",
  adUserSaved:"已保存「{n}」：{role}，{dept}。自其下一次操作起生效。"});
Object.assign(T.en, {adNav:"Administration", adOnly:"For administrators only", adDepts:"Departments", adGroups:"Groups", adUsers:"Users", adCalendar:"Calendar",
  adName:"Name", adAliases:"Aliases", adKind:"Kind", adItems:"Items", adPeople:"Users", adInGroups:"Groups", adActions:"Actions",
  adEdit:"Edit", adMerge:"Merge into…", adSave:"Save", adCancel:"Cancel", adDelete:"Delete", adConfirmDelete:"Delete now", adAdd:"Add",
  adNewDept:"New department", adAliasesHint:"Aliases (separated by 、 or commas)", adAddAlias:"Add alias", adRemoveAlias:"Remove alias",
  adFilter:"Filter by name or alias", adFilterUsers:"Filter by username, name, department or role", adKind_bureau:"bureau", adKind_county:"county or district", adKind_office:"office", adKindImported:"created by an import", adCreated:"Department “{n}” created", adSaved:"“{n}” saved",
  adDeptsIntro:"Names and aliases are unique across departments; an import recognises departments by name and alias (full-width characters and spaces aside). Merge a duplicate into the department with the official name.",
  adMergeInto:"Merge “{n}” into:", adSimilar:"Similar names", adOthers:"Other departments", adNext:"Next", adBack:"Back", adConfirmMerge:"Merge now",
  adChoose:"Choose a department", adMergeWhat:"“{from}” has {items} item(s), {users} user(s) and {groups} group membership(s): all move to “{into}”. Items under way are reassigned by their workflows; where an item has both, one share stays, lead over partner. “{from}” and its aliases become aliases of “{into}”, and “{from}” leaves the list. This cannot be undone.",
  adMerged:"“{from}” merged into “{into}”: {items} item(s), of which {reassigned} under way reassigned; {users} user(s).",
  adNewGroup:"New group", adMembers:"Members", adGroupSaved:"Group “{n}” saved", adGroupCreated:"Group “{n}” created",
  adGroupDeleted:"Group “{n}” deleted", adGroupsIntro:"A group (such as 各县(区)人民政府) expands to its members when a plan is imported. Deleting a group leaves its departments as they are.",
  adUsername:"Username", adDisplay:"Name", adPassword:"Initial password", adRole:"Role", adDept:"Department", adHead:"Department head", adState:"State",
  adActive:"Active", adDisabled:"Disabled", adNewUser:"New user", adUserCreated:"User “{n}” created", adNone:"—", adNoDept:"Department: none", adCount:"{n} in all",
  adRole_admin:"Administrator", adRole_supervisor:"Supervisor", adRole_leader:"Leadership group", adRole_liaison:"Liaison", adRole_viewer:"Viewer",
  adUsersIntro:"A liaison belongs to one department. Department heads receive their department's notices from the first urge on.",
  adDisable:"Disable", adEnable:"Enable", adResetPw:"Reset password", adConfirmReset:"Reset now", adUserDisabled:"“{n}” disabled; their sessions end at once",
  adUserEnabled:"“{n}” enabled", adResetDone:"Temporary password for “{n}”: {p}  Hand it over in person or by a secure channel; it is shown this once. The user must change it at sign-in; their sessions and API tokens were revoked.",
  adPolicy:"Passwords: at least 10 characters, with letters and digits, not the username.",
  adEditUser:"Change “{n}”", adNeedDept:"A liaison belongs to a department: choose one.", adOwnRole:"You cannot change your own role.", adNoChange:"Nothing changed",
  adUserSaved:"“{n}” saved: {role}, {dept}. It takes effect from their next request."});

// tf fills a translated text's {placeholders}.
const tf = (k, vals) => t(k).replace(/\{(\w+)\}/g, (m, n) => n in vals ? String(vals[n]) : m);
// adminFold matches names as the server does (full-width and spaces folded).
const adminFold = s => String(s).normalize("NFKC").replace(/\s+/g, "").toLowerCase();
// adminDay shows a date as 2026年12月5日 (zh) or 5 Dec 2026 (en), in China Standard Time.
const adminDay = s => new Date(s).toLocaleDateString(lang === "zh" ? "zh-CN" : "en-GB", {timeZone: "Asia/Shanghai", year: "numeric", month: "short", day: "numeric"});

const adminTabs = [["departments", "adDepts"], ["groups", "adGroups"], ["users", "adUsers"], ["calendar", "adCalendar"]];

// adminNav is the navigation entry of the administration pages.
function adminNav() { return me.role === "admin" ? [["/admin", "adNav"]] : []; }

// adminRoute draws the tab named by the hash (#groups …); departments by default.
async function adminRoute(hash) {
  if (me.role !== "admin") return render(el("h1", {}, t("adNav")), el("p", {class: "flash bad"}, t("adOnly")));
  const tab = adminTabs.some(([k]) => k === hash) ? hash : "departments";
  const pages = {departments: adminDepartments, groups: adminGroups, users: adminUsers, calendar: adminCalendar};
  const body = await pages[tab]();
  document.querySelector('#nav a[href="/admin"]')?.setAttribute("aria-current", "page");
  render(el("nav", {class: "tabs", "aria-label": t("adNav")}, adminTabs.map(([k, label]) =>
    el("a", {href: "/admin#" + k, id: "tab-" + k, "aria-current": k === tab ? "page" : false}, t(label)))), body);
}

// adminDone reloads the tab, says what happened and marks the row it happened to (a selector).
async function adminDone(msg, row) {
  await route();
  flash(msg);
  if (row) document.querySelector(row)?.classList.add("changed");
}

// adminHead is a tab's heading with its count and, on the right, its filter.
const adminHead = (key, count, filter) => el("div", {class: "head"}, el("h1", {}, t(key), " ", el("small", {class: "muted"}, tf("adCount", {n: count}))), filter);

// adminAct runs an action, showing its error in the page.
const adminAct = fn => async e => { e?.preventDefault?.(); try { await fn(e); } catch (err) { fail(err); } };

// confirmButton is a destructive action in two steps in the page: the button, then a
// confirmation beside a cancel.
function confirmButton(label, confirmLabel, run) {
  const wrap = el("span", {class: "confirm"});
  const first = el("button", {type: "button", class: "secondary", onclick: () => wrap.replaceChildren(
    el("button", {type: "button", class: "danger", onclick: adminAct(run)}, confirmLabel),
    el("button", {type: "button", class: "link", onclick: () => wrap.replaceChildren(first)}, t("adCancel")))}, label);
  wrap.append(first);
  return wrap;
}

// filterBox hides the rows whose text does not contain what is typed.
function filterBox(id, rows, text, hint = "adFilter") {
  const box = el("input", {id, type: "search", placeholder: t(hint), "aria-label": t(hint)});
  box.addEventListener("input", () => {
    const q = adminFold(box.value);
    rows.forEach((r, i) => r.classList.toggle("hidden", q !== "" && !adminFold(text(i)).includes(q)));
  });
  return box;
}

// inlineRow opens a form under a table row (closing any other), spanning the table.
function inlineRow(row, cols, ...content) {
  row.closest("tbody").querySelectorAll("tr.inline").forEach(r => r.remove());
  const r = el("tr", {class: "inline"}, el("td", {colspan: cols}, ...content));
  row.after(r);
  r.querySelector("input:enabled, select:enabled, button")?.focus();
  return r;
}

// kindLabel shows a department's kind; one an import created is flagged, as a likely duplicate.
const kindLabel = k => k === "imported" ? el("span", {class: "pill"}, t("adKindImported")) : ("adKind_" + k) in T.zh ? t("adKind_" + k) : k || "";

const splitNames = s => s.split(/[、,，;；\n]/).map(x => x.trim()).filter(Boolean);

async function adminDepartments() {
  const [ds, usage] = await Promise.all([api("GET", "/departments"), api("GET", "/departments/usage")]);
  const use = Object.fromEntries(usage.map(u => [u.department_id, u]));
  const cols = 7;
  const rows = ds.map(d => {
    const u = use[d.id] || {items: 0, users: 0, groups: 0};
    const row = el("tr", {"data-dept": d.id},
      el("td", {}, el("strong", {}, d.name)),
      el("td", {class: "wrap"}, d.aliases.length ? d.aliases.map(a => el("span", {class: "chip"}, a)) : t("adNone")),
      el("td", {}, kindLabel(d.kind)),
      el("td", {class: "num"}, u.items), el("td", {class: "num"}, u.users), el("td", {class: "num"}, u.groups),
      el("td", {class: "nowrap"},
        el("button", {type: "button", class: "secondary", onclick: () => departmentEditor(row, cols, d)}, t("adEdit")),
        el("button", {type: "button", class: "secondary", "data-merge": d.id, onclick: () => mergeForm(row, cols, d, ds, use)}, t("adMerge"))));
    return row;
  });
  const name = el("input", {id: "nd-name", required: true, "aria-label": t("adName"), placeholder: t("adName")});
  const aliases = el("input", {id: "nd-aliases", "aria-label": t("adAliasesHint"), placeholder: t("adAliasesHint"), class: "wide"});
  const kind = el("input", {id: "nd-kind", "aria-label": t("adKind"), placeholder: t("adKind"), size: 10});
  const create = el("form", {class: "card filters", onsubmit: adminAct(async () => {
    const d = await api("POST", "/departments", {name: name.value, aliases: splitNames(aliases.value), kind: kind.value});
    await adminDone(tf("adCreated", {n: d.name}), `tr[data-dept="${d.id}"]`);
  })}, el("strong", {}, t("adNewDept")), name, aliases, kind, el("button", {type: "submit"}, t("adAdd")));
  const heads = ["adName", "adAliases", "adKind", "adItems", "adPeople", "adInGroups", "adActions"];
  return [adminHead("adDepts", ds.length, filterBox("dept-filter", rows, i => ds[i].name + " " + ds[i].aliases.join(" "))),
    el("p", {class: "muted"}, t("adDeptsIntro")), create,
    el("div", {class: "scroll"}, el("table", {id: "departments"}, el("thead", {}, el("tr", {}, heads.map(k => el("th", {scope: "col"}, t(k))))), el("tbody", {}, rows)))];
}

// departmentEditor renames a department and adds or removes its aliases.
function departmentEditor(row, cols, d) {
  const name = el("input", {id: "ed-name", value: d.name, required: true, "aria-label": t("adName")});
  const kept = [...d.aliases];
  const chips = el("span", {class: "chips"});
  const draw = () => chips.replaceChildren(...kept.map((a, i) => el("span", {class: "chip"}, a, " ",
    el("button", {type: "button", class: "link x", "aria-label": `${t("adRemoveAlias")} ${a}`, onclick: () => { kept.splice(i, 1); draw(); }}, "×"))));
  draw();
  const add = el("input", {id: "ed-alias", "aria-label": t("adAddAlias"), placeholder: t("adAddAlias")});
  const addAlias = () => { for (const a of splitNames(add.value)) if (!kept.some(k => adminFold(k) === adminFold(a))) kept.push(a); add.value = ""; draw(); add.focus(); };
  add.addEventListener("keydown", e => { if (e.key === "Enter") { e.preventDefault(); addAlias(); } });
  inlineRow(row, cols, el("form", {class: "editor", onsubmit: adminAct(async () => {
    if (add.value.trim()) addAlias();
    const saved = await api("PATCH", `/departments/${d.id}`, {name: name.value, aliases: kept});
    await adminDone(tf("adSaved", {n: saved.name}), `tr[data-dept="${d.id}"]`);
  })},
  el("label", {for: "ed-name"}, t("adName")), name,
  el("span", {class: "label"}, t("adAliases")), chips,
  el("span", {class: "filters"}, add, el("button", {type: "button", class: "secondary", onclick: addAlias}, t("adAddAlias"))),
  el("span", {}, el("button", {type: "submit", id: "ed-save"}, t("adSave")), el("button", {type: "button", class: "link", onclick: () => row.nextSibling.remove()}, t("adCancel")))));
}

// similarity is the share of the shorter name's characters found in the longer one, so an
// abbreviation (市工信局) scores high against the full name (市工业和信息化局).
function similarity(a, b) {
  const [s, l] = [adminFold(a), adminFold(b)].sort((x, y) => x.length - y.length);
  const pool = [...l];
  let common = 0;
  for (const c of s) { const i = pool.indexOf(c); if (i >= 0) { common++; pool.splice(i, 1); } }
  return s.length ? common / s.length : 0;
}

// mergeForm merges department d, a duplicate, into another: choose (names alike first), then
// confirm with what will move, then the answer of the merge.
function mergeForm(row, cols, d, ds, use) {
  const others = ds.filter(x => x.id !== d.id).map(x => ({x, score: similarity(d.name, x.name)})).sort((a, b) => b.score - a.score);
  const near = others.filter(o => o.score >= 0.5).slice(0, 3);
  const option = o => el("option", {value: o.x.id}, o.x.name);
  const into = el("select", {id: "merge-into", required: true, "aria-label": tf("adMergeInto", {n: d.name})},
    el("option", {value: ""}, t("adChoose")),
    near.length ? el("optgroup", {label: t("adSimilar")}, near.map(option)) : null,
    el("optgroup", {label: t("adOthers")}, others.filter(o => !near.includes(o)).sort((a, b) => a.x.name.localeCompare(b.x.name, "zh-CN")).map(option)));
  const box = el("div", {class: "merge", id: "merge-box"});
  const choose = () => box.replaceChildren(el("form", {class: "filters", onsubmit: e => { e.preventDefault(); review(); }},
    el("label", {for: "merge-into"}, tf("adMergeInto", {n: d.name})), into,
    el("button", {type: "submit", id: "merge-next"}, t("adNext")), el("button", {type: "button", class: "link", onclick: () => row.nextSibling.remove()}, t("adCancel"))));
  const review = () => {
    const target = ds.find(x => String(x.id) === into.value);
    if (!target) return flash(t("adChoose"), true);
    const u = use[d.id] || {items: 0, users: 0, groups: 0};
    box.replaceChildren(el("p", {id: "merge-what", class: "warn"}, tf("adMergeWhat", {from: d.name, into: target.name, items: u.items, users: u.users, groups: u.groups})),
      el("p", {}, el("button", {type: "button", class: "danger", id: "merge-confirm", onclick: adminAct(async () => {
        const r = await api("POST", `/departments/${d.id}/merge`, {into: target.id});
        await adminDone(tf("adMerged", {from: r.department.name, into: r.into.name, items: r.items, reassigned: r.reassigned, users: r.users}), `tr[data-dept="${r.into.id}"]`);
      })}, t("adConfirmMerge")), el("button", {type: "button", class: "link", onclick: choose}, t("adBack"))));
    box.querySelector("#merge-confirm").focus();
  };
  choose();
  inlineRow(row, cols, box);
}

async function adminGroups() {
  const [gs, ds] = await Promise.all([api("GET", "/department-groups"), api("GET", "/departments")]);
  const names = Object.fromEntries(ds.map(d => [d.id, d.name]));
  const cols = 3;
  const rows = gs.map(g => {
    const row = el("tr", {"data-group": g.id}, el("td", {}, el("strong", {}, g.name)),
      el("td", {class: "wrap"}, g.members.length ? g.members.map(id => el("span", {class: "chip"}, names[id] || `#${id}`)) : t("adNone")),
      el("td", {class: "nowrap"}, el("button", {type: "button", class: "secondary", onclick: () => groupEditor(row, cols, g, ds)}, t("adEdit")),
        confirmButton(t("adDelete"), t("adConfirmDelete"), async () => { await api("DELETE", `/department-groups/${g.id}`); await adminDone(tf("adGroupDeleted", {n: g.name})); })));
    return row;
  });
  const name = el("input", {id: "ng-name", required: true, "aria-label": t("adName"), placeholder: t("adName")});
  const members = deptChecklist("ng", ds, []);
  const create = el("form", {class: "card editor", onsubmit: adminAct(async () => {
    const g = await api("POST", "/department-groups", {name: name.value, members: members.value()});
    await adminDone(tf("adGroupCreated", {n: g.name}), `tr[data-group="${g.id}"]`);
  })}, el("strong", {}, t("adNewGroup")), name, el("span", {class: "label"}, t("adMembers")), members.node, el("span", {}, el("button", {type: "submit"}, t("adAdd"))));
  return [adminHead("adGroups", gs.length, filterBox("group-filter", rows, i => gs[i].name + " " + gs[i].members.map(id => names[id] || "").join(" "))),
    el("p", {class: "muted"}, t("adGroupsIntro")),
    el("table", {id: "groups"}, el("thead", {}, el("tr", {}, ["adName", "adMembers", "adActions"].map(k => el("th", {scope: "col"}, t(k))))), el("tbody", {}, rows)),
    gs.length ? null : el("p", {class: "muted"}, t("none")), create];
}

// deptChecklist is a filterable list of departments to tick.
function deptChecklist(prefix, ds, checked) {
  const boxes = ds.map(d => el("input", {type: "checkbox", value: d.id, checked: checked.includes(d.id), id: `${prefix}-m${d.id}`}));
  const labels = ds.map((d, i) => el("label", {for: boxes[i].id}, boxes[i], " ", d.name));
  return {node: el("div", {class: "checklist-wrap"}, filterBox(prefix + "-filter", labels, i => ds[i].name + " " + ds[i].aliases.join(" ")),
    el("div", {class: "checklist"}, labels)), value: () => boxes.filter(b => b.checked).map(b => Number(b.value))};
}

// groupEditor renames a group and sets its members.
function groupEditor(row, cols, g, ds) {
  const name = el("input", {id: "eg-name", value: g.name, required: true, "aria-label": t("adName")});
  const members = deptChecklist("eg", ds, g.members);
  inlineRow(row, cols, el("form", {class: "editor", onsubmit: adminAct(async () => {
    let saved = g;
    if (name.value.trim() !== g.name) saved = await api("PATCH", `/department-groups/${g.id}`, {name: name.value});
    const want = members.value();
    if (want.length !== g.members.length || want.some(id => !g.members.includes(id))) saved = await api("PUT", `/department-groups/${g.id}/members`, {members: want});
    await adminDone(tf("adGroupSaved", {n: saved.name}), `tr[data-group="${g.id}"]`);
  })}, el("label", {for: "eg-name"}, t("adName")), name, el("span", {class: "label"}, t("adMembers")), members.node,
  el("span", {}, el("button", {type: "submit", id: "eg-save"}, t("adSave")), el("button", {type: "button", class: "link", onclick: () => row.nextSibling.remove()}, t("adCancel")))));
}

const userRoles = ["liaison", "supervisor", "leader", "viewer", "admin"];
const adminDeptName = (names, id) => id ? names[id] || `#${id}` : t("adNone");

// adminDeptSelect picks a department (or none), names in pinyin order.
const adminDeptSelect = (id, ds, selected) => el("select", {id, "aria-label": t("adDept")}, el("option", {value: ""}, t("adNoDept")),
  [...ds].sort((a, b) => a.name.localeCompare(b.name, "zh-CN")).map(d => el("option", {value: d.id, selected: d.id === selected}, d.name)));

// userColumns are the users table's columns: a heading and a cell. The last holds the
// actions on an account: change its role and department, disable or enable it and reset its
// password (neither on one's own).
const userColumns = (names, ds) => [
  ["adUsername", u => u.username],
  ["adDisplay", u => u.display_name],
  ["adRole", u => t("adRole_" + u.role)],
  ["adDept", u => adminDeptName(names, u.department_id)],
  ["adHead", u => u.is_head ? "✓" : ""],
  ["adState", u => u.disabled ? el("span", {class: "pill bad"}, t("adDisabled")) : t("adActive")],
  ["adActions", u => el("span", {class: "actions"},
    el("button", {type: "button", class: "secondary", id: `u-edit-${u.id}`, onclick: e => userEditor(e.currentTarget.closest("tr"), u, names, ds)}, t("adEdit")),
    u.id === me.id ? null : [el("button", {type: "button", class: "secondary", id: `u-toggle-${u.id}`, onclick: adminAct(async () => {
      const after = await api("PATCH", `/users/${u.id}`, {disabled: !u.disabled});
      await adminDone(tf(after.disabled ? "adUserDisabled" : "adUserEnabled", {n: u.display_name || u.username}), `tr[data-user="${u.id}"]`);
    })}, t(u.disabled ? "adEnable" : "adDisable")),
    el("button", {type: "button", class: "secondary", id: `u-reset-${u.id}`, onclick: adminAct(async e => {
      const b = e.currentTarget;
      if (!b.dataset.armed) { b.dataset.armed = "1"; b.textContent = t("adConfirmReset"); return; } // ask once, in the page
      const r = await api("POST", `/users/${u.id}/password-reset`, {});
      await route();
      // Kept on the page (no timeout): the admin has to copy it.
      main().prepend(el("p", {class: "flash", role: "status", id: "temp-password"}, tf("adResetDone", {n: u.display_name || u.username, p: r.temporary_password})));
      document.querySelector(`tr[data-user="${u.id}"]`)?.classList.add("changed");
    })}, t("adResetPw"))])],
];

// userEditor changes an account's role, department and head flag under its row, sending
// only what changed. A liaison needs a department (the API's rule, checked here first so
// the form says which field); one's own role stays, as the API refuses to change it.
function userEditor(row, u, names, ds) {
  const own = u.id === me.id;
  const role = el("select", {id: "eu-role", "aria-label": t("adRole"), disabled: own, title: own ? t("adOwnRole") : false},
    userRoles.map(r => el("option", {value: r, selected: r === u.role}, t("adRole_" + r))));
  const dept = adminDeptSelect("eu-dept", ds, u.department_id);
  const head = el("input", {id: "eu-head", type: "checkbox", checked: u.is_head});
  const need = () => dept.toggleAttribute("aria-required", role.value === "liaison");
  role.addEventListener("change", need);
  need();
  inlineRow(row, row.children.length, el("form", {class: "filters", id: "user-editor", onsubmit: adminAct(async () => {
    const body = {};
    const deptID = dept.value ? Number(dept.value) : null;
    if (!own && role.value !== u.role) body.role = role.value;
    if (deptID !== (u.department_id || null)) body.department_id = deptID;
    if (head.checked !== Boolean(u.is_head)) body.is_head = head.checked;
    if (role.value === "liaison" && deptID === null) { dept.focus(); return flash(t("adNeedDept"), true); }
    if (!Object.keys(body).length) { row.nextSibling.remove(); return flash(t("adNoChange")); }
    const after = await api("PATCH", `/users/${u.id}`, body);
    await adminDone(tf("adUserSaved", {n: after.display_name || after.username, role: t("adRole_" + after.role), dept: after.department_id ? adminDeptName(names, after.department_id) : t("adNoDept")}), `tr[data-user="${u.id}"]`);
  })},
  el("strong", {}, tf("adEditUser", {n: u.display_name || u.username})),
  el("label", {for: "eu-role"}, t("adRole")), role, own ? el("small", {class: "muted"}, t("adOwnRole")) : null,
  el("label", {for: "eu-dept"}, t("adDept")), dept,
  el("label", {for: "eu-head"}, head, " ", t("adHead")),
  el("button", {type: "submit", id: "eu-save"}, t("adSave")), el("button", {type: "button", class: "link", onclick: () => row.nextSibling.remove()}, t("adCancel"))));
}

async function adminUsers() {
  const [us, ds] = await Promise.all([api("GET", "/users"), api("GET", "/departments")]);
  const names = Object.fromEntries(ds.map(d => [d.id, d.name]));
  const cols = userColumns(names, ds);
  const rows = us.map(u => el("tr", {"data-user": u.id}, cols.map(([, cell]) => el("td", {}, cell(u)))));
  const username = el("input", {id: "nu-username", required: true, autocomplete: "off", "aria-label": t("adUsername"), placeholder: t("adUsername")});
  const display = el("input", {id: "nu-display", "aria-label": t("adDisplay"), placeholder: t("adDisplay")});
  const password = el("input", {id: "nu-password", type: "password", required: true, autocomplete: "new-password", "aria-label": t("adPassword"), placeholder: t("adPassword")});
  const role = el("select", {id: "nu-role", "aria-label": t("adRole")}, userRoles.map(r => el("option", {value: r}, t("adRole_" + r))));
  const dept = adminDeptSelect("nu-dept", ds, null);
  const head = el("input", {id: "nu-head", type: "checkbox"});
  const create = el("form", {class: "card filters", onsubmit: adminAct(async () => {
    const u = await api("POST", "/users", {username: username.value, display_name: display.value, password: password.value,
      role: role.value, department_id: dept.value ? Number(dept.value) : null, is_head: head.checked});
    await adminDone(tf("adUserCreated", {n: u.display_name || u.username}), `tr[data-user="${u.id}"]`);
  })}, el("strong", {}, t("adNewUser")), username, display, password, role, dept, el("label", {for: "nu-head"}, head, " ", t("adHead")),
  el("button", {type: "submit"}, t("adAdd")));
  return [adminHead("adUsers", us.length, filterBox("user-filter", rows, i => [us[i].username, us[i].display_name, names[us[i].department_id] || "", t("adRole_" + us[i].role)].join(" "), "adFilterUsers")),
    el("p", {class: "muted"}, t("adUsersIntro"), " ", t("adPolicy")), create,
    el("div", {class: "scroll"}, el("table", {id: "users"}, el("thead", {}, el("tr", {}, cols.map(([k]) => el("th", {scope: "col"}, t(k))))), el("tbody", {}, rows)))];
}
