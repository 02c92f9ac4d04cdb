// Printed forms: the 督办单 of one item, the 督办通知 of one escalation and the 台账 of a
// filtered list. Each is an A4 page drawn from the API and printed by the browser (the
// header and buttons are left off the paper); the office's name comes from GET /settings.
// The forms are official documents and stay in Chinese whatever the screen language.
"use strict";
Object.assign(T.zh, {printNow: "打印", back: "返回", ledgerTitle: "督办事项台账", printLedger: "打印台账", printNotice: "打印督办通知"});
Object.assign(T.en, {printNow: "Print", back: "Back", ledgerTitle: "Ledger", printLedger: "Print the ledger", printNotice: "Print the notice"});

const STATUS_ZH = {pending: "待指定牵头单位", assigned: "待签收", active: "推进中", review: "待审核", completed: "已办结", cancelled: "已撤销", suspended: "已暂停"};

// zhDay writes a date as 2026年12月5日 whatever the screen language.
function zhDay(s) {
  if (!s) return "";
  const p = shParts(s);
  return `${Number(p.year)}年${Number(p.month)}月${Number(p.day)}日`;
}
const zhDate = s => s ? `${zhDay(s)} ${shParts(s).hour}:${shParts(s).minute}` : "";

const officeSettings = async () => settings.office ? settings : (settings = await api("GET", "/settings"));

// printPage renders a form with a bar of buttons that does not print.
function printPage(kind, back, ...paper) {
  render(el("p", {class: "noprint"}, el("a", {href: back, class: "button secondary"}, "← " + t("back")), " ",
    el("button", {type: "button", id: "print-now", onclick: () => window.print()}, t("printNow"))),
    el("article", {class: "paper " + kind}, ...paper));
}

// formTable is the two-column table of a printed form: label, value.
const formTable = rows => el("table", {class: "form"}, el("tbody", {}, rows.filter(Boolean).map(([k, v, cls]) =>
  el("tr", {class: cls || ""}, el("th", {scope: "row"}, k), el("td", {}, v)))));

async function pagePrintItem(id) {
  const it = await api("GET", "/items/" + id);
  const [plan, st] = await Promise.all([quiet(api("GET", "/plans/" + it.plan_id), null), officeSettings()]);
  const live = it.assignments.filter(a => a.status !== "removed");
  const names = role => live.filter(a => a.role === role).map(a => a.department).join("、") || "—";
  const subs = (it.submissions || []).filter(s => s.kind !== "contribution");
  const last = subs.at(-1);
  const inds = (it.indicators || []).map(i => `${i.name} ${i.comparator === "<=" ? "不超过" : i.comparator === "=" ? "为" : "达到"}${i.target}${i.unit || ""}`).join("；");
  const deadline = it.window?.ongoing ? "持续推进" : it.window?.end ? zhDay(it.window.end) : "—";
  const source = plan ? `《${plan.title}》${plan.doc_number ? `（${plan.doc_number}）` : ""}` : "—";
  printPage("sheet", "/items/" + id,
    el("header", {class: "doc-head"}, el("p", {class: "office"}, st.office), el("h1", {}, "督 办 单")),
    el("p", {class: "doc-no"}, `编号：${plan?.doc_number ? plan.doc_number + " · " : ""}${it.ref || it.id}`, el("span", {}, `填发日期：${zhDay(new Date().toISOString())}`)),
    formTable([
      ["督办事项", `${it.ref ? it.ref + " " : ""}${it.title}`],
      ["任务来源", source],
      it.content && it.content !== it.title ? ["任务内容", el("div", {class: "pre"}, it.content)] : null,
      ["牵头单位", names("lead")],
      ["配合单位", names("partner")],
      ["完成时限", deadline],
      ["下一期限", it.next_due ? zhDate(it.next_due) : "—"],
      inds ? ["量化指标", inds] : null,
      ["办理状态", `${it.needs_lead ? STATUS_ZH.pending : STATUS_ZH[it.status] || it.status}${it.escalation_level ? `，已${it.level_name || "升级督办"}` : ""}`],
      ["最新进展", last ? el("div", {class: "pre"}, `${zhDay(last.submitted_at)} ${last.department}：${last.text || "（无内容）"}`) : "尚未报送"],
      ["督办要求", el("div", {class: "blank"}, "")],
      ["签收", el("div", {class: "sign-line"}, "签收单位（盖章）：", el("span", {class: "gap"}), "签收人：", el("span", {class: "gap"}), "签收时间：　　年　月　日")],
    ]),
    el("p", {class: "sign"}, st.office), el("p", {class: "sign"}, zhDay(new Date().toISOString())));
}

async function pagePrintNotice(eid) {
  const e = await api("GET", "/escalations/" + eid);
  const [it, st] = await Promise.all([quiet(api("GET", "/items/" + e.item_id), null), officeSettings()]);
  const plan = it ? await quiet(api("GET", "/plans/" + it.plan_id), null) : null;
  const role = it?.assignments.find(a => a.department_id === e.department_id)?.role === "partner" ? "配合" : "牵头";
  const due = it?.assignments.find(a => a.department_id === e.department_id)?.next_due || it?.next_due;
  const what = `${plan ? `《${plan.title}》中的` : ""}“${e.item_title}”${it?.ref ? `（${it.ref}）` : ""}`;
  printPage("notice", "/escalations",
    el("header", {class: "doc-head red"}, el("p", {class: "office"}, st.office), el("h1", {}, "督 办 通 知")),
    el("p", {class: "doc-no"}, `${e.name}（第${e.level}级）`, el("span", {}, zhDay(e.at))),
    el("hr", {class: "red-line"}),
    el("p", {class: "to"}, `${e.department}：`),
    el("p", {class: "body"}, `你单位${role}承办的${what}，${(e.reason || "未按期完成").replace(/\s*[（(]期限[^）)]*[）)]\s*$/, "")}（期限 ${zhDate(e.due_at)}）。根据督办工作规定，现予${e.name}。`),
    el("p", {class: "body"}, `请接此通知后抓紧办理${due ? `，于${zhDate(due)}前` : "，"}将办理情况报送${st.office || "督办机构"}。`),
    e.accountability ? el("p", {class: "body"}, "逾期仍未办结的，将按有关规定追究相关单位和人员责任。") : null,
    e.circular ? el("p", {class: "body"}, "本次逾期情况将纳入督查通报。") : null,
    el("p", {class: "sign"}, st.office), el("p", {class: "sign"}, zhDay(e.at)),
    e.leadership ? el("p", {class: "cc"}, "抄送：领导小组") : null);
}

// pageLedger prints the board's filtered list as the 台账 (the same rows as the XLSX export).
async function pageLedger() {
  const q = new URLSearchParams(location.search);
  q.set("format", "json");
  const [r, st] = await Promise.all([api("GET", "/items/export?" + q), officeSettings()]);
  q.delete("format");
  printPage("ledger", "/board?" + q,
    el("header", {class: "doc-head"}, el("h1", {}, `${st.office}${t("ledgerTitle")}`)),
    el("p", {class: "doc-no"}, `共 ${r.rows.length} 项`, el("span", {}, `截至 ${zhDate(new Date().toISOString())}`)),
    el("table", {class: "ledger"}, el("thead", {}, el("tr", {}, r.header.map(h => el("th", {scope: "col"}, h)))),
      el("tbody", {}, r.rows.map(x => el("tr", {}, el("td", {class: "num"}, x.seq), el("td", {}, x.ref), el("td", {}, x.title), el("td", {}, x.lead),
        el("td", {}, x.partners), el("td", {class: "nowrap"}, x.ongoing ? "持续推进" : zhDay(x.deadline)), el("td", {class: "nowrap"}, zhDate(x.next_due)),
        el("td", {class: "progress"}, x.progress), el("td", {}, x.status), el("td", {}, x.level), el("td", {}, x.light))))));
}
