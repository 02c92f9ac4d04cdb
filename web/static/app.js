// Duban UI: a small script over the JSON API. No framework, no build step, no CDN.
"use strict";
const T = {
  zh: {inbox:"消息", logout:"退出", login:"登录", username:"用户名", password:"密码", mywork:"我的工作", board:"督办看板",
    escalations:"升级督办", reviews:"待审核", import:"导入方案", items:"事项", ref:"编号", title:"任务", lead:"牵头单位",
    partners:"配合单位", status:"状态", light:"灯", due:"期限", level:"督办等级", actions:"操作", sign:"签收",
    report:"进展报送", contribution:"协办反馈", completion:"申请办结", extension:"申请延期", submit:"提交", text:"内容",
    approve:"通过", ret:"退回", comment:"意见", timeline:"办理记录", assignments:"承办单位", search:"搜索", all:"全部",
    overdue:"逾期", reason:"理由", newdue:"新期限", instruction:"批示", suspend:"暂停", resume:"恢复", cancel:"撤销",
    ack:"确认", markall:"全部标为已读", attachments:"附件", pastehere:"粘贴方案全文，或上传文件", upload:"上传文件", keep:"保留", launched:"已启动督办的事项数", plans:"方案总览", progress:"分部分进度", indicators:"指标与序时进度", expected:"序时进度", behind:"滞后", plan:"全部方案", department:"全部单位", duebefore:"期限早于", ranking:"单位排名", ontime:"按时率", returns:"退回", escalated:"升级次数", assignmentsN:"承办事项", overdueNow:"当前逾期", xlsx:"导出台账（XLSX）", csv:"导出 CSV", none:"暂无", preview:"预览", launch:"启动督办", warnings:"提示", days:"天",
    left:"剩余", late:"已逾期", workdays:"个工作日", hours:"小时", minutes:"分钟", pending:"待审核的报送", decide:"审批", yes:"批准", no:"不批准", filter:"筛选",
    export:"导出", red:"红灯", yellow:"黄灯", green:"绿灯", wrong:"用户名或密码错误", signed:"已签收", assigned:"待签收",
    active:"推进中", review:"待审核", completed:"已办结", cancelled:"已撤销", suspended:"已暂停", removed:"已移出",
    roleLead:"牵头", rolePartner:"配合", done:"已提交", event_assigned:"交办", event_signed:"签收", event_reminder:"提醒", event_reminder_acknowledged:"收到提醒", ackReminder:"收到提醒",
    event_overdue:"逾期", event_escalated:"升级督办", event_report_submitted:"进展报送", event_contribution_submitted:"协办反馈",
    event_approved:"审核通过", event_returned:"退回", event_extension_requested:"申请延期", event_extension_decided:"延期审批",
    event_reassigned:"调整责任单位", event_instruction:"领导批示", event_completion_requested:"申请办结", event_completed:"办结销号",
    event_suspended:"暂停", event_resumed:"恢复", event_cancelled:"撤销",
    rankingRule:"按时率 =（按时签收 + 按时报送）÷（已签收 + 已报送 + 当前逾期事项）。逾期签收、逾期报送和当前逾期或已升级督办的事项均计为未按时；尚无到期任务的单位显示“—”，排在最后。",
    acked:"已确认", needsLead:"待指定牵头单位",
    calwarn:"{y} 年节假日安排尚未导入日历：该年的期限暂按周一至周五计算（元旦、劳动节、国庆节休息）。导入后，提醒和督办时间自动按正式安排调整，已告知的期限不变。",
    calwarnAdmin:"请在“系统管理 › 工作日历”导入国务院办公厅的 {y} 年放假通知。"},
  en: {inbox:"Inbox", logout:"Sign out", login:"Sign in", username:"Username", password:"Password", mywork:"My work", board:"Overdue board",
    escalations:"Escalations", reviews:"Reviews", import:"Import plan", items:"Items", ref:"Ref", title:"Task", lead:"Lead",
    partners:"Partners", status:"Status", light:"Light", due:"Due", level:"Level", actions:"Actions", sign:"Sign",
    report:"Report progress", contribution:"Contribute", completion:"Request completion", extension:"Request extension", submit:"Submit", text:"Text",
    approve:"Approve", ret:"Return", comment:"Comment", timeline:"Timeline", assignments:"Departments", search:"Search", all:"All",
    overdue:"Overdue", reason:"Reason", newdue:"New deadline", instruction:"Instruction", suspend:"Suspend", resume:"Resume", cancel:"Cancel",
    ack:"Acknowledge", markall:"Mark all read", attachments:"Attachments", pastehere:"Paste the plan, or upload a file", upload:"Upload", keep:"Keep", launched:"Items launched", plans:"Plans", progress:"Progress by section", indicators:"Indicators against pro-rata pace", expected:"expected by now", behind:"behind pace", plan:"All plans", department:"All departments", duebefore:"Due before", ranking:"Ranking", ontime:"On-time rate", returns:"Returns", escalated:"Escalations", assignmentsN:"Assignments", overdueNow:"Overdue now", xlsx:"Export ledger (XLSX)", csv:"Export CSV", none:"Nothing here", preview:"Preview", launch:"Launch", warnings:"Warnings", days:"days",
    left:"left", late:"overdue", workdays:"working days", hours:"hours", minutes:"min", pending:"Submissions waiting for review", decide:"Decide", yes:"Approve", no:"Reject", filter:"Filter",
    export:"Export", red:"Red", yellow:"Yellow", green:"Green", wrong:"Wrong username or password", signed:"Signed", assigned:"To sign",
    active:"Active", review:"In review", completed:"Completed", cancelled:"Cancelled", suspended:"Suspended", removed:"Removed",
    roleLead:"Lead", rolePartner:"Partner", done:"Submitted", ackReminder:"Acknowledge the reminder",
    rankingRule:"On-time rate = (signed on time + reported on time) ÷ (signed + reported + items overdue now). Late signatures, late reports and items overdue or escalated now count as not on time; a department with nothing due yet shows “—” and comes last.",
    acked:"Acknowledged", needsLead:"Lead to be named",
    calwarn:"The {y} holiday notice is not in the calendar yet: deadlines in that year are counted Monday to Friday (New Year, Labour Day and National Day off). Once it is added, reminders and escalations follow it; deadlines already given stand.",
    calwarnAdmin:"Add the State Council's {y} notice under Administration › Calendar."}
};
let lang = localStorage.getItem("lang") || (navigator.language.startsWith("zh") ? "zh" : "zh");
const t = k => (T[lang][k] ?? T.zh[k] ?? k);
// colon follows a label: full-width in Chinese (GB/T 15834), ": " in English.
const colon = () => lang === "zh" ? "：" : ": ";
// paren puts a count or a note after a heading: "待审核（3）", "Reviews (3)".
const paren = x => lang === "zh" ? `（${x}）` : ` (${x})`;
let me = null;

function cookie(name) {
  const m = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
  return m ? decodeURIComponent(m[1]) : "";
}

// Navigation races: a page still loading when the user (or a login redirect) moves on must not
// draw over the page that replaced it. route() counts navigations; a GET answered after the
// count moved on rejects with Stale, which pages pass up and route() drops silently.
let routeSeq = 0;
class Stale extends Error {}
const isStale = e => e instanceof Stale;
// fail shows an action's error, unless the user has already moved to another page.
const fail = e => { if (!isStale(e)) flash(e.message, true); };
// quiet is a GET whose failure a page can live without (a filter's options); staleness still stops the page.
const quiet = (p, fallback) => p.catch(e => { if (isStale(e)) throw e; return fallback; });

// meta, when given, receives the response status and ETag (the circular editor sends If-Match).
async function api(method, path, body, extraHeaders, meta) {
  const gen = routeSeq;
  const h = {"Accept": "application/json", "Accept-Language": lang === "zh" ? "zh-CN" : "en"};
  if (method !== "GET") { h["X-CSRF-Token"] = cookie("duban_csrf"); h["Idempotency-Key"] = crypto.randomUUID ? crypto.randomUUID() : String(Math.random()); }
  if (body !== undefined) h["Content-Type"] = "application/json";
  Object.assign(h, extraHeaders || {});
  const req = {method, headers: h, credentials: "same-origin", body: body === undefined ? undefined : JSON.stringify(body)};
  let r = await fetch("/api/v1" + path, req);
  // 503 with Retry-After: the action was accepted but a worker has not run it yet (one may have
  // just died). The same request with the same Idempotency-Key acts once, so send it again.
  for (let i = 0; i < 3 && method !== "GET" && r.status === 503 && r.headers.get("Retry-After"); i++) {
    await new Promise(ok => setTimeout(ok, 1000 * (Number(r.headers.get("Retry-After")) || 1)));
    r = await fetch("/api/v1" + path, req);
  }
  if (meta) Object.assign(meta, {status: r.status, etag: r.headers.get("ETag")});
  if (r.status === 401 && path !== "/auth/login") { me = null; toLogin(); throw new Error(t("login")); }
  const data = r.headers.get("Content-Type")?.includes("json") ? await r.json() : null;
  // An admin reset the password: nothing but changing it is allowed until then (account.js).
  if (r.status === 403 && /password-change-required$/.test(data?.type || "")) {
    if (me) me.must_change_password = true;
    if (location.pathname !== "/password") go("/password");
  }
  if (!r.ok) throw new Error((data && (data.detail || data.title)) || r.statusText);
  if (method === "GET" && gen !== routeSeq) throw new Stale("navigated away");
  return data;
}

// el builds DOM safely: text is never parsed as HTML.
function el(tag, attrs, ...kids) {
  const n = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k.startsWith("on")) n.addEventListener(k.slice(2), v);
    else if (v !== false && v != null) n.setAttribute(k, v === true ? "" : v);
  }
  for (const k of kids.flat(Infinity)) if (k != null) n.append(k instanceof Node ? k : String(k));
  return n;
}
// fill replaces a node's children like replaceChildren, leaving out null kids and
// flattening lists (replaceChildren would print them as "null" or "a,b").
function fill(n, ...kids) { n.replaceChildren(...kids.flat(Infinity).filter(k => k != null)); return n; }
const main = () => document.getElementById("main");
function render(...nodes) { main().replaceChildren(...nodes.flat().filter(n => n != null)); main().focus({preventScroll: true}); window.scrollTo(0, 0); }
// flash shows a short-lived message at the top of the page; "toast" keeps it in view (sticky
// to the window's top) when the action was taken far down a long page. It replaces the one
// before it, which would otherwise stick to the same place and hide it.
function flash(msg, bad) {
  main().querySelectorAll(":scope > p.flash.toast").forEach(p => p.remove());
  const f = el("p", {class: bad ? "flash toast bad" : "flash toast", role: "status"}, msg); main().prepend(f); setTimeout(() => f.remove(), 6000);
}

// Dates as offices write them: 2026年12月5日 14:30 in Chinese, 5 Dec 2026, 14:30 in English,
// always in China Standard Time. fmtDay leaves the time out; a bare date (2026-06-30) is a day.
function shParts(s) {
  const d = typeof s === "string" && /^\d{4}-\d{2}-\d{2}$/.test(s) ? new Date(s + "T12:00:00+08:00") : new Date(s);
  const p = Object.fromEntries(new Intl.DateTimeFormat("en-GB", {timeZone: "Asia/Shanghai", year: "numeric", month: "numeric", day: "numeric",
    hour: "2-digit", minute: "2-digit", hourCycle: "h23"}).formatToParts(d).map(x => [x.type, x.value]));
  return p;
}
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
function fmtDay(s) {
  if (!s) return "—";
  const p = shParts(s);
  return lang === "zh" ? `${Number(p.year)}年${Number(p.month)}月${Number(p.day)}日` : `${p.day} ${MONTHS[p.month - 1]} ${p.year}`;
}
// isoDay is a day as 2006-01-02 in China Standard Time, for date inputs.
const isoDay = s => new Date(s).toLocaleDateString("sv-SE", {timeZone: "Asia/Shanghai"});
function fmtDate(s) {
  if (!s) return "—";
  const p = shParts(s);
  return `${fmtDay(s)}${lang === "zh" ? " " : ", "}${p.hour}:${p.minute}`;
}
// levelName is a level as the ladder calls it (催办, 督办通知 …), never L1–L4: the plan's
// name for it when given, else the default ladder's.
const levelName = (n, name) => n ? (name || settings.levels.find(l => l.level === n)?.name || `${t("level")} ${n}`) : "—";
// countdown prefers working days (工作日) when the deadline is a day or more away.
function countdown(s, wd) {
  if (!s) return "";
  if (wd != null && wd !== 0) return wd > 0 ? `${t("left")} ${wd} ${t("workdays")}` : `${t("late")} ${-wd} ${t("workdays")}`;
  const ms = new Date(s) - Date.now(), abs = Math.abs(ms);
  const span = abs >= 86400000 ? `${Math.floor(abs / 86400000)} ${t("days")}`
    : abs >= 3600000 ? `${Math.floor(abs / 3600000)} ${t("hours")}` : `${Math.max(1, Math.floor(abs / 60000))} ${t("minutes")}`;
  return ms < 0 ? `${t("late")} ${span}` : `${t("left")} ${span}`;
}
// cmp writes a comparator as people do: ≥, ≤, =.
const cmp = c => ({">=": "≥", "<=": "≤"})[c] || c;
const lightDot = l => el("span", {class: "dot " + l, title: t(l), "aria-label": t(l)});

function go(path) { history.pushState({}, "", path); route(); }
document.addEventListener("click", e => {
  const a = e.target.closest("a[href^='/']");
  if (a && !a.hasAttribute("download") && !a.getAttribute("href").startsWith("/api/") && !e.ctrlKey && !e.metaKey) { e.preventDefault(); go(a.getAttribute("href")); }
});
window.addEventListener("popstate", route);

// settings are this installation's office and default ladder (GET /settings), read once.
let settings = {office: "", circular_prefix: "", levels: []};
async function loadMe() {
  try { me = await api("GET", "/auth/me"); } catch (e) { if (isStale(e)) throw e; me = null; }
  if (me) settings = await quiet(api("GET", "/settings"), settings);
}

function nav() {
  const n = document.getElementById("nav");
  n.replaceChildren();
  document.getElementById("inbox-link").classList.toggle("hidden", !me);
  document.getElementById("logout").classList.toggle("hidden", !me);
  document.getElementById("who").textContent = me ? `${me.display_name || me.username}` : "";
  document.querySelectorAll("[data-t]").forEach(x => x.textContent = t(x.dataset.t));
  document.getElementById("lang").textContent = lang === "zh" ? "English" : "中文";
  document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
  if (!me || me.must_change_password) { document.getElementById("calwarn").classList.add("hidden"); return; }
  const links = [["/", me.role === "liaison" ? "mywork" : "items"]];
  if (["supervisor", "admin", "leader", "viewer"].includes(me.role)) links.push(["/board", "board"]);
  if (me.role === "supervisor") links.push(["/reviews", "reviews"]);
  if (["supervisor", "leader", "admin"].includes(me.role)) links.push(["/plans", "plans"], ["/escalations", "escalations"], ["/ranking", "ranking"]);
  if (["supervisor", "admin"].includes(me.role)) links.push(["/import", "import"]);
  links.push(...casesNav()); // cases.js: a 督办件's form, a meeting's decisions
  links.push(...assessNav()); // assess.js: assessment, circulars, accountability
  links.push(...evalNav()); // evaluations.js: satisfaction rounds
  links.push(["/notify", "notify"]);
  links.push(...adminNav()); // admin.js: departments, groups, users, calendar
  links.push(["/password", "chpw"]); // account.js
  calendarWarning();
  for (const [href, k] of links) n.append(el("a", {href, "aria-current": location.pathname + location.hash === href ? "page" : false}, t(k)));
  refreshBadge();
}

// calendarWarning says when deadlines are being counted without a year's holiday notice
// (GET /calendar lists such years: this one, and from October the next).
let calYears = null;
async function calendarWarning() {
  const w = document.getElementById("calwarn");
  if (calYears === null) {
    try { calYears = (await api("GET", "/calendar")).provisional_years || []; } catch (e) { if (isStale(e)) return; calYears = []; }
  }
  const y = calYears.join("、");
  w.textContent = y ? t("calwarn").replace("{y}", y) + (me && me.role === "admin" ? " " + t("calwarnAdmin").replace("{y}", calYears[0]) : "") : "";
  w.classList.toggle("hidden", !y);
}

async function refreshBadge() {
  try {
    const r = await api("GET", "/inbox?unread=true");
    const b = document.getElementById("badge");
    b.textContent = r.unread; b.classList.toggle("hidden", !r.unread);
  } catch { /* ignore */ }
}

// toLogin sends the user to sign in and remembers where they were going: a link in a notice
// (/#/items/12 or /items/12) opens that page once they have signed in.
function toLogin() {
  const here = location.pathname + location.search + location.hash;
  if (location.pathname !== "/login" && here !== "/") sessionStorage.setItem("next", here);
  go("/login");
}

async function route() {
  routeSeq++;
  // Notices link to /#/items/ID: the item page lives at /items/ID.
  const old = location.pathname === "/" && location.hash.match(/^#\/items\/(\d+)$/);
  if (old) history.replaceState({}, "", "/items/" + old[1]);
  const p = location.pathname;
  try {
    // An outside respondent answers a satisfaction round with a code, unsigned (evaluations.js).
    if (!me && p === "/evaluate" && new URLSearchParams(location.search).get("code")) { nav(); return await pageEvaluate(); }
    if (!me && p !== "/login") { await loadMe(); if (!me) return toLogin(); }
    if (me?.must_change_password && p !== "/login") { if (p !== "/password") history.replaceState({}, "", "/password"); nav(); return pagePassword(); }
    nav();
    if (p === "/login") return await pageLogin();
    if (p === "/password") return pagePassword(); // account.js
    if (/^\/items\/\d+\/print$/.test(p)) return await pagePrintItem(p.split("/")[2]);
    if (/^\/items\/\d+\/assign-print$/.test(p)) return await pagePrintAssign(p.split("/")[2]);
    if (/^\/items\/\d+\/close-print$/.test(p)) return await pagePrintClose(p.split("/")[2]);
    if (p === "/cases/new") return await pageNewCase();
    if (p === "/meetings/new") return await pageMeeting();
    if (/^\/escalations\/\d+\/print$/.test(p)) return await pagePrintNotice(p.split("/")[2]);
    if (p === "/ledger") return await pageLedger();
    if (p.startsWith("/items/")) return await pageItem(p.split("/")[2]);
    if (p === "/inbox") return await pageInbox();
    if (p === "/escalations") return await pageEscalations();
    if (p === "/import") return await pageImport();
    if (p === "/board") return await pageBoard(true);
    if (p === "/reviews") return await pageDecisions();
    if (p === "/ranking") return await pageRanking();
    if (p === "/plans") return await pagePlans();
    if (p === "/notify") return await pageNotify();
    if (p === "/evaluate" || p === "/evaluations" || p.startsWith("/evaluations/")) return await evalRoute(p);
    if (p === "/admin") return await adminRoute(location.hash.slice(1)); // admin.js tabs
    if (p === "/" && location.hash.startsWith("#/")) return await assessRoute(location.hash.slice(1)); // assess.js hash routes
    if (p.startsWith("/plans/")) return await pagePlan(p.split("/")[2]);
    return await pageBoard(false);
  } catch (e) { if (!isStale(e)) render(el("p", {class: "flash bad"}, e.message)); }
}

function pageLogin() {
  const u = el("input", {id: "u", name: "username", autocomplete: "username", required: true});
  const pw = el("input", {id: "p", name: "password", type: "password", autocomplete: "current-password", required: true});
  const form = el("form", {class: "card narrow", onsubmit: async e => {
    e.preventDefault();
    try {
      await api("POST", "/auth/login", {username: u.value, password: pw.value}); await loadMe();
      const next = sessionStorage.getItem("next") || "/";
      sessionStorage.removeItem("next");
      go(next.startsWith("/") && !next.startsWith("//") ? next : "/");
    }
    catch (err) { flash(err.message || t("wrong"), true); }
  }}, el("h1", {}, t("login")), el("label", {for: "u"}, t("username")), u, el("label", {for: "p"}, t("password")), pw, el("button", {type: "submit"}, t("login")));
  render(form);
  u.focus();
}

async function pageBoard(board, status) {
  const params = new URLSearchParams(location.search);
  if (status) params.set("status", status);
  const q = el("input", {name: "q", value: params.get("q") || "", placeholder: t("search"), "aria-label": t("search")});
  const light = el("select", {name: "light", "aria-label": t("light")}, ["", "red", "yellow", "green"].map(v => el("option", {value: v, selected: params.get("light") === v}, v ? t(v) : t("all"))));
  const level = el("select", {name: "level", "aria-label": t("level")}, el("option", {value: ""}, t("level") + colon() + t("all")),
    settings.levels.map(l => el("option", {value: String(l.level), selected: params.get("level") === String(l.level)}, t("atLeast").replace("{name}", l.name))));
  const [plans, depts] = await Promise.all([quiet(api("GET", "/plans"), []), quiet(api("GET", "/departments"), [])]);
  const plan = el("select", {name: "plan", "aria-label": t("plan")}, el("option", {value: ""}, t("plan")), plans.map(p => el("option", {value: p.id, selected: params.get("plan") === String(p.id)}, p.title)));
  const dept = el("select", {name: "department", "aria-label": t("department")}, el("option", {value: ""}, t("department")), depts.map(d => el("option", {value: d.id, selected: params.get("department") === String(d.id)}, d.name)));
  const before = el("input", {type: "date", name: "due_before", value: params.get("due_before") || "", "aria-label": t("duebefore"), title: t("duebefore")});
  const fields = me.role === "liaison" ? [q, light, level, before] : [q, plan, dept, light, level, before];
  const form = el("form", {class: "filters", onsubmit: e => { e.preventDefault(); const s = new URLSearchParams(); for (const f of fields) if (f.value) s.set(f.name, f.value); go(location.pathname + "?" + s); }},
    ...fields, el("button", {type: "submit"}, t("filter")));
  const s = new URLSearchParams(params); s.set("limit", "200");
  const r = await api("GET", "/items?" + s);
  const counts = {red: 0, yellow: 0, green: 0};
  r.items.forEach(i => counts[i.light]++);
  // Supervisors select rows for 催办 on a selection.
  const selecting = me.role === "supervisor";
  const picks = [];
  const rows = r.items.map(i => {
    const lead = i.assignments.filter(a => a.role === "lead").map(a => a.department).join("、");
    const partners = i.assignments.filter(a => a.role === "partner").map(a => a.department).join("、");
    const open = !["completed", "cancelled"].includes(i.status) && !i.needs_lead;
    const pick = selecting ? el("input", {type: "checkbox", value: i.id, disabled: !open, "aria-label": `${t("select")} ${i.title}`}) : null;
    if (pick) picks.push(pick);
    return el("tr", {}, selecting ? el("td", {}, pick) : null, el("td", {}, lightDot(i.light)), el("td", {}, i.ref), el("td", {}, el("a", {href: "/items/" + i.id}, i.title)),
      el("td", {}, lead), el("td", {class: "wrap"}, partners), el("td", {}, i.needs_lead ? t("needsLead") : t(i.status)), el("td", {}, i.escalation_level ? levelName(i.escalation_level, i.level_name) : ""),
      el("td", {}, fmtDate(i.next_due), el("br"), el("small", {class: "muted"}, countdown(i.next_due, i.due_workdays))));
  });
  const exportQ = new URLSearchParams(params); exportQ.delete("limit");
  const exports = el("p", {class: "exports"},
    el("a", {href: "/api/v1/items/export?format=xlsx&" + exportQ, download: true, class: "button"}, t("xlsx")), " ",
    el("a", {href: "/api/v1/items/export?format=csv&" + exportQ, download: true, class: "button secondary"}, t("csv")), " ",
    el("a", {href: "/ledger?" + exportQ, class: "button secondary", id: "print-ledger"}, t("printLedger")));
  // 催办 on the selection: each item once, each department that still owes is told.
  let batch = null;
  if (selecting && rows.length) {
    const msg = el("input", {"aria-label": t("urgeMsg"), placeholder: t("urgeMsg"), size: 30});
    const count = el("span", {class: "muted"}, "");
    const btn = el("button", {type: "button", id: "urge-selected", disabled: true}, t("urgeSelected"));
    const all = el("input", {type: "checkbox", "aria-label": t("selectAll")});
    const sync = () => { const n = picks.filter(x => x.checked).length; btn.disabled = n === 0; count.textContent = n ? t("selectedN").replace("{n}", n) : ""; };
    picks.forEach(x => x.addEventListener("change", sync));
    all.addEventListener("change", () => { picks.forEach(x => { if (!x.disabled) x.checked = all.checked; }); sync(); });
    btn.addEventListener("click", async () => {
      const ids = picks.filter(x => x.checked).map(x => x.value);
      btn.disabled = true;
      const failed = [];
      for (const id of ids) {
        try { await api("POST", `/items/${id}/urge`, {message: msg.value}); } catch (e) { failed.push(`#${id}: ${e.message}`); }
      }
      const gen = routeSeq;
      await pageBoard(board, status).catch(fail);
      if (gen === routeSeq) flash(t("urgedN").replace("{n}", ids.length - failed.length) + (failed.length ? " · " + failed.join(";") : ""), failed.length > 0);
    });
    batch = {all, bar: el("div", {class: "batch", id: "batch"}, count, " ", msg, " ", btn)};
  }
  render(el("h1", {}, status ? t("reviews") : board ? t("board") : (me.role === "liaison" ? t("mywork") : t("items"))),
    el("p", {class: "summary"}, lightDot("red"), ` ${counts.red}  `, lightDot("yellow"), ` ${counts.yellow}  `, lightDot("green"), ` ${counts.green}`),
    form, exports, batch?.bar,
    rows.length ? el("div", {class: "scroll"}, el("table", {id: "board"}, el("thead", {}, el("tr", {}, batch ? el("th", {scope: "col"}, batch.all) : null,
      ["light", "ref", "title", "lead", "partners", "status", "level", "due"].map(k => el("th", {scope: "col"}, t(k))))), el("tbody", {}, rows)))
      : el("p", {class: "muted"}, t("none")));
}

// uploadAll stores each chosen file and returns their metadata for the report.
async function uploadAll(fileList) {
  const out = [];
  for (const f of fileList) {
    const fd = new FormData();
    fd.append("file", f);
    const r = await fetch("/api/v1/attachments", {method: "POST", body: fd, credentials: "same-origin",
      headers: {"X-CSRF-Token": cookie("duban_csrf"), "Accept-Language": lang === "zh" ? "zh-CN" : "en"}});
    const j = await r.json();
    if (!r.ok) throw new Error(j.detail || j.title);
    out.push({name: j.name, size: j.size, sha256: j.sha256, url: j.url});
  }
  return out;
}

// svg builds an SVG element (charts are drawn here, nothing is fetched from outside).
function svg(tag, attrs, ...kids) {
  const n = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [k, v] of Object.entries(attrs || {})) n.setAttribute(k, v);
  for (const k of kids.flat(Infinity)) if (k != null) n.append(k instanceof Node ? k : document.createTextNode(String(k)));
  return n;
}

async function pagePlans() {
  const ps = await api("GET", "/plans");
  render(el("h1", {}, t("plans")), ps.length ? el("ul", {class: "inbox"}, ps.map(p => el("li", {},
    el("a", {href: "/plans/" + p.id}, p.title || "—"), " ", el("small", {class: "muted"}, [p.doc_number, p.issuer, p.date].filter(Boolean).join(" · ")))))
    : el("p", {class: "muted"}, t("none")));
}

async function pagePlan(id) {
  const [p, o] = await Promise.all([api("GET", "/plans/" + id), api("GET", `/plans/${id}/overview`)]);
  const W = 640, row = 30, label = 70;
  const bars = svg("svg", {viewBox: `0 0 ${W + label} ${o.sections.length * row + 10}`, role: "img", "aria-label": t("progress"), class: "chart"},
    o.sections.map((sec, i) => {
      let x = label;
      const parts = [["completed", "#546e7a"], ["green", "#2e7d32"], ["yellow", "#f9a825"], ["red", "#c62828"]].map(([k, color]) => {
        const w = sec.total ? W * sec[k] / sec.total : 0;
        const r = svg("rect", {x, y: i * row + 4, width: w, height: row - 10, fill: color}, svg("title", {}, `${sec.section} ${t(k)} ${sec[k]}`));
        x += w;
        return r;
      });
      return [svg("text", {x: 4, y: i * row + row / 2 + 4, "font-size": 14}, `${sec.section}${paren(sec.total)}`), ...parts];
    }));
  const indRows = o.indicators.map(ind => {
    const pct = ind.target ? Math.min(1, (ind.value ?? 0) / ind.target) : 0, exp = ind.target ? Math.min(1, ind.expected / ind.target) : 0;
    const gauge = svg("svg", {viewBox: "0 0 200 16", width: 200, height: 16, role: "img", "aria-label": `${ind.value ?? "—"} / ${ind.target}`},
      svg("rect", {x: 0, y: 3, width: 200, height: 10, fill: "#e0e0e0"}),
      svg("rect", {x: 0, y: 3, width: 200 * pct, height: 10, fill: ind.behind ? "#f9a825" : "#2e7d32"}),
      svg("line", {x1: 200 * exp, x2: 200 * exp, y1: 0, y2: 16, stroke: "#1f2933", "stroke-width": 2}));
    return el("tr", {}, el("td", {}, el("a", {href: "/items/" + ind.item_id}, ind.ref)), el("td", {}, ind.name),
      el("td", {}, `${ind.value ?? "—"} / ${cmp(ind.comparator)} ${ind.target}${ind.unit}`), el("td", {}, `${t("expected")} ${ind.expected.toFixed(1)}`), el("td", {}, gauge),
      el("td", {}, ind.at_risk ? t("atrisk") : ind.behind ? t("behind") : ""));
  });
  render(el("h1", {}, p.title), el("p", {class: "muted"}, [p.doc_number, p.issuer, p.date].filter(Boolean).join(" · ")),
    el("h2", {}, t("progress")), bars,
    el("p", {class: "legend"}, ...[["completed", "#546e7a"], ["green", "#2e7d32"], ["yellow", "#f9a825"], ["red", "#c62828"]].map(([k, c]) =>
      el("span", {}, svg("svg", {width: 12, height: 12}, svg("rect", {width: 12, height: 12, fill: c})), ` ${t(k)}  `))),
    el("h2", {}, t("indicators")),
    indRows.length ? el("div", {class: "scroll"}, el("table", {}, el("tbody", {}, indRows))) : el("p", {class: "muted"}, t("none")),
    el("p", {}, el("a", {href: "/board?plan=" + id}, "→ " + t("board"))));
}

async function pageRanking() {
  const r = await api("GET", "/departments/ranking");
  const pct = x => x == null ? "—" : (x * 100).toFixed(0) + "%";
  render(el("h1", {}, t("ranking")), el("p", {class: "muted", id: "ranking-rule"}, t("rankingRule")), el("div", {class: "scroll"}, el("table", {},
    el("thead", {}, el("tr", {}, ["#", "assignments", "assignmentsN", "ontime", "overdueNow", "returns", "escalated", "level"].map(k => el("th", {scope: "col"}, k === "#" ? "#" : t(k))))),
    el("tbody", {}, r.map((d, i) => el("tr", {}, el("td", {}, i + 1), el("td", {}, d.department), el("td", {}, d.assignments),
      el("td", {}, pct(d.on_time_rate), " ", d.on_time_rate == null ? null : el("meter", {min: 0, max: 1, value: d.on_time_rate, "aria-label": t("ontime")})),
      el("td", {}, d.overdue_now), el("td", {}, d.returns), el("td", {}, d.escalations), el("td", {}, d.max_level ? levelName(d.max_level) : "")))))));
}

async function pageInbox() {
  const r = await api("GET", "/inbox");
  render(el("h1", {}, t("inbox")), el("button", {onclick: async () => { await api("POST", "/inbox/read", {}); pageInbox(); refreshBadge(); }}, t("markall")),
    r.notifications.length ? el("ul", {class: "inbox"}, r.notifications.map(n => el("li", {class: n.read_at ? "" : "unread"},
      el("a", {href: "/items/" + n.item_id}, n.title), el("p", {}, n.body), el("small", {class: "muted"}, fmtDate(n.created_at))))) : el("p", {class: "muted"}, t("none")));
}

async function pageEscalations() {
  const r = await api("GET", "/escalations" + (me.role === "leader" ? "?leadership=true" : ""));
  render(el("h1", {}, t("escalations")), r.length ? el("table", {}, el("tbody", {}, r.map(x => el("tr", {},
    el("td", {}, levelName(x.level, x.name)), el("td", {}, el("a", {href: "/items/" + x.item_id}, x.item_title)), el("td", {}, x.department), el("td", {}, x.reason), el("td", {class: "nowrap"}, fmtDate(x.at)),
    el("td", {}, el("a", {href: `/escalations/${x.id}/print`, class: "button secondary"}, t("printNotice"))),
    el("td", {}, x.acked_at ? "✓ " + fmtDate(x.acked_at) : ["leader", "supervisor"].includes(me.role) ? el("button", {onclick: () => api("POST", `/escalations/${x.id}/ack`, {}).then(() => pageEscalations()).then(() => flash(t("acked"))).catch(fail)}, t("ack")) : "")))))
    : el("p", {class: "muted"}, t("none")));
}

document.getElementById("lang").addEventListener("click", () => { lang = lang === "zh" ? "en" : "zh"; localStorage.setItem("lang", lang); route(); });
document.getElementById("logout").addEventListener("click", async () => { try { await api("POST", "/auth/logout", {}); } catch {} me = null; go("/login"); });
// Route once every script of the page has run: the page files after app.js (assess.js, admin.js …)
// add navigation entries and routes, and a fast /auth/me must not reach nav() before them.
document.addEventListener("DOMContentLoaded", route);
