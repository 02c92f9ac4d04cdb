// Single supervision items (督办件): the supervisor's form (source, the scanned instruction,
// departments, deadline or urgency), a meeting's minutes pasted and launched one 督办件 per
// decision, and their printed forms: the 交办单 when assigned and the 办结报告 when closed.
"use strict";
Object.assign(T.zh, {
  newCase: "交办督办件", meeting: "会议议定事项", sourceType: "来源类型", src_instruction: "领导批示", src_meeting: "会议议定",
  src_assigned: "上级交办", src_public: "群众反映", src_other: "其他", sourceText: "来源内容（批示原文等）", sourceFiles: "来源附件（扫描件）",
  caseTitle: "标题", requirement: "办理要求", leads: "牵头单位（可多选）", caseDeadline: "办结时限（不填则按紧急程度）",
  urgency: "紧急程度", urg_urgent_special: "特急", urg_urgent: "急", urg_normal: "一般", cadence: "报送周期",
  cad_: "按默认", cad_monthly: "每月", cad_quarterly: "每季度", cad_once: "办结时一次", createCase: "交办",
  caseCreated: "已交办：{n}", caseNumber: "督办件编号", caseSource: "来源", printAssign: "打印交办单", printClose: "打印办结报告",
  closeReport: "办结报告", reply: "回复来源（如领导办公室）", saveReply: "保存回复", done_reply: "已保存回复", meetingTitle: "会议名称",
  meetingDate: "会议日期", minutesPaste: "粘贴会议纪要（逐条编号：一、二、……）", decisions: "议定事项", launchMeeting: "逐条交办",
  meetingLaunched: "已交办 {n} 件督办件", caseOf: "督办件", cameraUpload: "拍照上传", meetingOf: "会议",
  event_case_created: "交办督办件", event_case_replied: "回复来源",
});
Object.assign(T.en, {
  newCase: "New supervision item", meeting: "Meeting decisions", sourceType: "Source", src_instruction: "Leader's instruction", src_meeting: "Meeting decision",
  src_assigned: "Assigned from above", src_public: "Public complaint", src_other: "Other", sourceText: "Source text (the instruction as written)", sourceFiles: "Source files (scans)",
  caseTitle: "Title", requirement: "Requirement", leads: "Lead departments (several allowed)", caseDeadline: "Deadline (empty: by urgency)",
  urgency: "Urgency", urg_urgent_special: "Most urgent", urg_urgent: "Urgent", urg_normal: "Normal", cadence: "Reporting",
  cad_: "Default", cad_monthly: "Monthly", cad_quarterly: "Quarterly", cad_once: "Once, on completion", createCase: "Assign",
  caseCreated: "Assigned: {n}", caseNumber: "Number", caseSource: "Source", printAssign: "Print the assignment sheet", printClose: "Print the completion report",
  closeReport: "Completion report", reply: "Reply to the source (e.g. the leader's office)", saveReply: "Save the reply", done_reply: "Reply saved", meetingTitle: "Meeting",
  meetingDate: "Date", minutesPaste: "Paste the minutes (numbered decisions: 一、二、…)", decisions: "Decisions", launchMeeting: "Assign each decision",
  meetingLaunched: "{n} supervision items assigned", caseOf: "Supervision item", cameraUpload: "Take a photo", meetingOf: "Meeting",
  event_case_created: "Supervision item created", event_case_replied: "Reply to the source",
});

const SOURCES = ["instruction", "meeting", "assigned", "public", "other"];
const URGENCIES = ["normal", "urgent", "urgent_special"];

// casesNav adds the supervisor's entries.
const casesNav = () => me.role === "supervisor" ? [["/cases/new", "newCase"], ["/meetings/new", "meeting"]] : [];

const field = (label, input) => el("label", {class: "field"}, el("span", {}, label), input);
const optionsOf = (values, prefix) => values.map(v => el("option", {value: v}, t(prefix + v)));

async function pageNewCase() {
  const depts = await api("GET", "/departments");
  const source = el("select", {name: "source_type"}, optionsOf(SOURCES, "src_"));
  const text = el("textarea", {name: "source_text", rows: 3});
  const files = el("input", {type: "file", name: "files", multiple: true, accept: "image/*,.pdf"});
  const title = el("input", {name: "title", required: true});
  const req = el("textarea", {name: "requirement", rows: 3});
  const deptSelect = name => el("select", {name, multiple: true, size: 6}, depts.map(d => el("option", {value: d.id}, d.name)));
  const lead = deptSelect("lead"), partners = deptSelect("partners");
  const deadline = el("input", {type: "date", name: "deadline"});
  const urgency = el("select", {name: "urgency"}, optionsOf(URGENCIES, "urg_"));
  const cadence = el("select", {name: "cadence"}, optionsOf(["", "monthly", "quarterly", "once"], "cad_"));
  const picked = s => [...s.selectedOptions].map(o => Number(o.value));
  const form = el("form", {class: "card stack", id: "case-form", onsubmit: async e => {
    e.preventDefault();
    try {
      const up = await uploadAll(files.files);
      const body = {source_type: source.value, source_text: text.value, title: title.value, requirement: req.value,
        lead: picked(lead), partners: picked(partners).filter(id => !picked(lead).includes(id)), urgency: urgency.value,
        attachments: up.map(a => Number(a.url.split("/").pop()))};
      if (deadline.value) body.deadline = deadline.value;
      if (cadence.value) body.cadence = cadence.value;
      const r = await api("POST", "/items", body);
      go("/items/" + r.id);
      setTimeout(() => flash(t("caseCreated").replace("{n}", r.number)), 300);
    } catch (err) { fail(err); }
  }},
    field(t("sourceType"), source), field(t("sourceText"), text), field(t("sourceFiles"), files),
    field(t("caseTitle"), title), field(t("requirement"), req), field(t("leads"), lead), field(t("partnerDepts"), partners),
    field(t("caseDeadline"), deadline), field(t("urgency"), urgency), field(t("cadence"), cadence),
    el("button", {type: "submit"}, t("createCase")));
  render(el("h1", {}, t("newCase")), form);
}

async function pageMeeting() {
  const title = el("input", {name: "title", required: true}), date = el("input", {type: "date", name: "date"});
  const minutes = el("textarea", {name: "minutes", rows: 10, required: true});
  const urgency = el("select", {name: "urgency"}, optionsOf(URGENCIES, "urg_"));
  const out = el("div", {id: "meeting-preview"});
  const body = dry => ({title: title.value, date: date.value, minutes: minutes.value, urgency: urgency.value, dry_run: dry});
  const launch = el("button", {type: "button", id: "launch-meeting", class: "hidden", onclick: async () => {
    try {
      const r = await api("POST", "/meetings", body(false));
      launch.classList.add("hidden");
      out.replaceChildren(el("p", {class: "flash", role: "status"}, t("meetingLaunched").replace("{n}", r.items.length)),
        el("ul", {class: "inbox", id: "launched"}, r.items.map(i => el("li", {}, el("a", {href: "/items/" + i.id}, `${i.number} ${i.title}`)))));
    } catch (err) { fail(err); }
  }}, t("launchMeeting"));
  const preview = async e => {
    e.preventDefault();
    try {
      const r = await api("POST", "/meetings", body(true));
      if (!title.value) title.value = r.title;
      const known = new Map(r.departments.map(d => [d.name, d.match != null]));
      const unit = n => el("span", {class: known.get(n) ? "" : "pill bad"}, n);
      const join = ns => ns.flatMap((n, i) => i ? ["、", unit(n)] : [unit(n)]);
      fill(out, el("h2", {}, `${t("decisions")}${paren(r.items.length)}`),
        r.warnings.length ? el("ul", {class: "muted"}, r.warnings.map(w => el("li", {}, lang === "zh" ? w.message : (w.message_en || w.message)))) : null,
        el("div", {class: "scroll"}, el("table", {class: "wizard", id: "decisions"}, el("thead", {}, el("tr", {},
          ["ref", "title", "lead", "partners", "deadline", "warnings"].map(k => el("th", {scope: "col"}, t(k))))),
          el("tbody", {}, r.items.map(i => el("tr", {class: i.flags.length ? "flagged" : ""}, el("td", {}, i.ref), el("td", {class: "wrap"}, i.title),
            el("td", {}, join(i.lead)), el("td", {class: "wrap"}, join([...i.partners, ...i.groups])),
            el("td", {class: "nowrap"}, i.window.end ? fmtDay(i.window.end) : "—"),
            el("td", {class: "flags"}, i.flags.map(f => el("span", {class: "pill warn"}, t("flag_" + f))))))))));
      launch.classList.remove("hidden");
    } catch (err) { fail(err); }
  };
  render(el("h1", {}, t("meeting")), el("form", {class: "card stack", id: "meeting-form", onsubmit: preview},
    field(t("meetingTitle"), title), field(t("meetingDate"), date), field(t("minutesPaste"), minutes), field(t("urgency"), urgency),
    el("div", {}, el("button", {type: "submit", id: "preview-meeting"}, t("preview")), launch)), out);
}

// caseSection is the 督办件 card of the item page: number, source, scans, printed forms and,
// once closed, the reply to the source.
function caseSection(it, act) {
  const c = it.case;
  if (!c) return null;
  const reply = el("textarea", {rows: 3, "aria-label": t("reply"), id: "reply"}, c.reply || "");
  const canReply = me.role === "supervisor" && it.status === "completed";
  return el("section", {class: "card", id: "case"}, el("h2", {}, `${t("caseOf")} ${c.number}`),
    el("p", {}, `${t("caseSource")}${colon()}${t("src_" + c.source_type)} · ${t("urgency")}${colon()}${t("urg_" + c.urgency) || "—"}`,
      c.meeting ? ` · ${t("meetingOf")}${colon()}${c.meeting.title} ${c.meeting.date ? fmtDay(c.meeting.date) : ""}` : ""),
    c.source_text ? el("p", {class: "content"}, c.source_text) : null,
    c.attachments.length ? el("p", {}, attachmentLinks(c.attachments)) : null,
    el("p", {}, el("a", {href: `/items/${it.id}/assign-print`, class: "button secondary", id: "print-assign"}, t("printAssign")), " ",
      c.report ? el("a", {href: `/items/${it.id}/close-print`, class: "button secondary", id: "print-close"}, t("printClose")) : null),
    c.report ? el("div", {}, el("h3", {}, t("closeReport")), el("p", {class: "content"}, c.report.text)) : null,
    canReply ? el("div", {}, el("h3", {}, t("reply")), reply, el("button", {id: "save-reply", onclick: () =>
      api("PUT", `/items/${it.id}/reply`, {reply: reply.value}).then(() => act()).catch(fail)}, t("saveReply")))
      : c.reply ? el("div", {}, el("h3", {}, t("reply")), el("p", {class: "content"}, c.reply)) : null);
}

const names = (it, role) => it.assignments.filter(a => a.status !== "removed" && a.role === role).map(a => a.department).join("、") || "—";
const SOURCE_ZH = {instruction: "领导批示", meeting: "会议议定", assigned: "上级交办", public: "群众反映", other: "其他"};
const URGENCY_ZH = {urgent_special: "特急", urgent: "急", normal: "一般"};

// pagePrintAssign is the 交办单 of a 督办件, in the style of the printed 督办单.
async function pagePrintAssign(id) {
  const [it, st] = await Promise.all([api("GET", "/items/" + id), officeSettings()]);
  const c = it.case || {};
  printPage("sheet", "/items/" + id,
    el("header", {class: "doc-head red"}, el("p", {class: "office"}, st.office), el("h1", {}, "督办件交办单")), el("hr", {class: "red-line"}),
    el("p", {class: "doc-no"}, `编号：${c.number || it.ref}`, el("span", {}, `紧急程度：${URGENCY_ZH[c.urgency] || "一般"}`)),
    formTable([
      ["来源类型", SOURCE_ZH[c.source_type] || "—"],
      c.meeting ? ["会议", `${c.meeting.title}${c.meeting.date ? `（${zhDay(c.meeting.date)}）` : ""}`] : null,
      ["来源内容", el("div", {class: "pre"}, c.source_text || "—")],
      c.attachments?.length ? ["附件", c.attachments.map(a => a.name).join("；")] : null,
      ["督办事项", it.title],
      ["办理要求", el("div", {class: "pre"}, it.content || "—")],
      ["牵头单位", names(it, "lead")],
      ["配合单位", names(it, "partner")],
      ["办结时限", it.window?.ongoing ? "持续推进" : it.window?.end ? zhDay(it.window.end) : "—"],
      ["交办日期", zhDay(c.created_at)],
      ["签收", el("div", {class: "sign-line"}, "签收单位（盖章）：", el("span", {class: "gap"}), "签收人：", el("span", {class: "gap"}), "签收时间：　　年　月　日")],
    ]),
    el("p", {class: "body"}, "请承办单位按要求抓紧办理，在办结时限内报送办结报告；确有困难不能按期办结的，应提前申请延期并说明理由。"),
    el("p", {class: "sign"}, st.office), el("p", {class: "sign"}, zhDay(c.created_at)));
}

// pagePrintClose is the 办结报告 of a closed 督办件 with the reply to its source.
async function pagePrintClose(id) {
  const [it, st] = await Promise.all([api("GET", "/items/" + id), officeSettings()]);
  const c = it.case || {};
  printPage("sheet", "/items/" + id,
    el("header", {class: "doc-head"}, el("p", {class: "office"}, st.office), el("h1", {}, "督办件办结报告")),
    el("p", {class: "doc-no"}, `编号：${c.number || it.ref}`, el("span", {}, `办结日期：${c.report ? zhDay(c.report.at) : "—"}`)),
    formTable([
      ["督办事项", it.title],
      ["来源", `${SOURCE_ZH[c.source_type] || "—"}${c.source_text ? "：" + c.source_text : ""}`],
      ["牵头单位", names(it, "lead")],
      ["配合单位", names(it, "partner")],
      ["办结时限", it.window?.end ? zhDay(it.window.end) : "—"],
      ["办理结果", el("div", {class: "pre"}, c.report?.text || "尚未办结")],
      ["回复来源", el("div", {class: "pre blank"}, c.reply || "")],
    ]),
    el("p", {class: "sign"}, st.office), el("p", {class: "sign"}, zhDay(c.report?.at || new Date().toISOString())));
}
