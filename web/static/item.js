// The item page (事项): where it stands, what each department owes, and what people do on it —
// liaisons sign and report, supervisors review with the report's content in front of them
// (text, attachments, indicator values against target and pace, the partners' contributions,
// earlier returns), urge, reassign, decide extensions; leaders instruct.
"use strict";
Object.assign(T.zh, {attachment: "附件",
  indicator: "指标", needsLead: "待指定牵头单位", pickLead: "指定牵头单位", pickLeadHint: "该事项的清单未列牵头单位，指定后即启动督办。",
  submissions: "报送记录", submittedAt: "报送时间", reviewedAt: "审核时间", value: "报送值", target: "目标", pace: "序时进度（应达）",
  onpace: "达到序时进度", offpace: "落后于序时进度", contributions: "本期配合单位反馈", earlier: "此前退回", noText: "（无内容）",
  urge: "催办", urgeHint: "立即提醒所有尚未完成的单位（计为一次提醒，不升级）。", urgeMsg: "催办内容", urged: "已催办",
  reassign: "调整责任单位", leadDept: "牵头单位", partnerDepts: "配合单位（可多选）", print: "打印督办单",
  done_sign: "已签收", done_report: "已报送，等待审核", done_contribution: "已提交协办反馈", done_completion: "已申请办结，等待审核",
  done_approve: "已审核通过", done_return: "已退回，已通知报送单位", done_urge: "已催办，已通知各未完成单位", done_ack: "已确认收到提醒",
  done_extension: "已提交延期申请", done_decide: "已审批延期申请", done_reassign: "已调整责任单位", done_instruction: "已批示",
  done_suspend: "已暂停", done_resume: "已恢复", done_cancel: "已撤销", done_lead: "已指定牵头单位，事项已启动",
  event_urged: "催办", event_indicator_recorded: "指标录入", deadline: "完成时限", ongoing: "持续推进", kind_report: "进展报送",
  kind_contribution: "协办反馈", kind_completion: "申请办结", st_submitted: "待审核", st_approved: "已通过", st_returned: "已退回",
});
Object.assign(T.en, {attachment: "Attachment",
  indicator: "Indicators", needsLead: "Lead to be named", pickLead: "Name the lead", pickLeadHint: "The list named no lead for this item; naming one starts its supervision.",
  submissions: "Submissions", submittedAt: "Submitted", reviewedAt: "Reviewed", value: "Reported", target: "Target", pace: "Expected by now",
  onpace: "on pace", offpace: "behind pace", contributions: "Partners' contributions this cycle", earlier: "Returned before", noText: "(no text)",
  urge: "Urge", urgeHint: "Remind every department that still owes something, now (counts as a reminder, not an escalation).", urgeMsg: "Message", urged: "Urged",
  reassign: "Change departments", leadDept: "Lead", partnerDepts: "Partners (several)", print: "Print the supervision sheet",
  done_sign: "Signed", done_report: "Reported; waiting for review", done_contribution: "Contribution sent", done_completion: "Completion requested; waiting for review",
  done_approve: "Approved", done_return: "Returned; the department is told", done_urge: "Urged; every department that owes is told", done_ack: "Reminder acknowledged",
  done_extension: "Extension requested", done_decide: "Extension decided", done_reassign: "Departments changed", done_instruction: "Instruction recorded",
  done_suspend: "Suspended", done_resume: "Resumed", done_cancel: "Cancelled", done_lead: "Lead named; the item has started",
  event_assigned: "Assigned", event_signed: "Signed", event_reminder: "Reminder", event_reminder_acknowledged: "Reminder acknowledged",
  event_overdue: "Overdue", event_escalated: "Escalated", event_report_submitted: "Report", event_contribution_submitted: "Contribution",
  event_approved: "Approved", event_returned: "Returned", event_extension_requested: "Extension requested", event_extension_decided: "Extension decided",
  event_reassigned: "Departments changed", event_instruction: "Instruction", event_completion_requested: "Completion requested",
  event_completed: "Completed", event_suspended: "Suspended", event_resumed: "Resumed", event_cancelled: "Cancelled", event_urged: "Urged",
  event_indicator_recorded: "Indicator recorded", deadline: "Deadline", ongoing: "Ongoing", kind_report: "Report", kind_contribution: "Contribution",
  kind_completion: "Completion request", st_submitted: "Waiting for review", st_approved: "Approved", st_returned: "Returned",
});

// attachmentLinks lists a submission's files, each opened or downloaded from the API.
const attachmentLinks = as => (as || []).map(a => el("span", {class: "att"}, t("attachment") + "：",
  /^\/api\/v1\/attachments\/\d+$/.test(a.url || "") ? el("a", {href: a.url, target: "_blank", rel: "noopener"}, a.name) : a.name));

// submissionCard shows one submission with everything a reviewer reads.
function submissionCard(sub, it, inds) {
  const rows = Object.entries(sub.indicators || {}).map(([name, v]) => {
    const ind = (inds || []).find(x => x.name === name || x.name.includes(name));
    const exp = ind?.status?.expected;
    const ok = ind && exp != null && (ind.comparator === "<=" ? v <= ind.target : v >= exp);
    return el("tr", {}, el("td", {}, ind ? ind.name : name), el("td", {class: "num"}, v),
      el("td", {class: "num"}, ind ? `${cmp(ind.comparator)} ${ind.target}${ind.unit || ""}` : "—"),
      el("td", {class: "num"}, exp != null ? `${Math.round(exp * 100) / 100}${ind.unit || ""}` : "—"),
      el("td", {}, ind && exp != null ? el("span", {class: "pill " + (ok ? "ok" : "bad")}, t(ok ? "onpace" : "offpace")) : ""));
  });
  return el("div", {class: "submission"},
    el("p", {class: "muted"}, `${t("kind_" + sub.kind)} · ${sub.department} · ${t("submittedAt")} ${fmtDate(sub.submitted_at)}`,
      sub.status !== "submitted" ? ` · ${t("st_" + sub.status)}${sub.reviewed_at ? " " + fmtDate(sub.reviewed_at) : ""}` : ""),
    el("p", {class: "content"}, sub.text || t("noText")),
    sub.attachments?.length ? el("p", {}, attachmentLinks(sub.attachments)) : null,
    rows.length ? el("table", {class: "inds"}, el("thead", {}, el("tr", {}, ["indicator", "value", "target", "pace", ""].map(k => el("th", {scope: "col"}, k ? t(k) : "")))), el("tbody", {}, rows)) : null,
    sub.comment ? el("p", {class: "comment"}, `${t("comment")}${colon()}${sub.comment}`) : null);
}

// reviewCards are the pending submissions with their context and the decision buttons.
function reviewCards(it, inds, act) {
  const subs = it.submissions || [];
  return (it.pending || []).map(p => {
    const sub = subs.find(x => x.id === p.submission_id) || {id: p.submission_id, kind: p.kind, department: "", indicators: {}};
    const partners = subs.filter(x => x.kind === "contribution" && x.cycle === p.cycle);
    const earlier = subs.filter(x => x.status === "returned" && x.department_id === p.department_id && x.id !== p.submission_id);
    const cm = el("textarea", {rows: 2, "aria-label": t("comment"), placeholder: t("comment")});
    return el("div", {class: "card review", "data-submission": p.submission_id},
      el("h3", {}, `${t("pending")} #${p.submission_id} · ${t("kind_" + p.kind)}`),
      submissionCard(sub, it, inds),
      partners.length ? el("details", {open: true}, el("summary", {}, `${t("contributions")}${paren(partners.length)}`), partners.map(x => submissionCard(x, it, inds))) : null,
      earlier.length ? el("details", {}, el("summary", {}, `${t("earlier")}${paren(earlier.length)}`), earlier.map(x => submissionCard(x, it, inds))) : null,
      cm,
      el("button", {onclick: () => act("reviews", {report_id: p.submission_id, decision: "approve", comment: cm.value}, "approve")}, t("approve")),
      el("button", {class: "secondary", onclick: () => act("reviews", {report_id: p.submission_id, decision: "return", comment: cm.value}, "return")}, t("ret")));
  });
}

// liaisonForms are what the signed-in department may do on the item.
function liaisonForms(it, mine, events, act) {
  const forms = [];
  // A reminder for the department's current deadline that it has not answered yet.
  const lastOf = type => events.filter(e => e.type === type && e.department_id === mine.department_id).at(-1);
  const rem = lastOf("reminder"), ack = lastOf("reminder_acknowledged");
  if (rem && (!ack || ack.payload?.deadline !== rem.payload?.deadline) && mine.next_due)
    forms.push(el("button", {class: "secondary", onclick: () => act("acknowledge", {}, "ack")}, t("ackReminder")));
  if (mine.status === "assigned") {
    forms.push(el("button", {onclick: () => act("sign", {}, "sign")}, t("sign")));
    return forms;
  }
  const kinds = mine.role === "lead" ? [["reports", "report"], ["completion", "completion"]] : [["contributions", "contribution"]];
  for (const [path, k] of kinds) {
    const ta = el("textarea", {required: true, "aria-label": t("text"), rows: 3});
    // Lead reports carry the current value of each indicator (指标) for the pace check.
    const inds = path === "contributions" ? [] : (it.indicators || []).map(ind => ({ind, input: el("input", {type: "number", step: "any", "aria-label": ind.name, placeholder: `${ind.target} ${ind.unit}`})}));
    const files = el("input", {type: "file", multiple: true, accept: "image/*,.pdf,.doc,.docx,.xls,.xlsx,.csv,.txt", "aria-label": t("attachments")});
    // On a phone: a photo of the work or of a signed page, straight from the camera.
    const camera = el("input", {type: "file", accept: "image/*", capture: "environment", "aria-label": t("cameraUpload"), class: "camera"});
    forms.push(el("form", {class: "card", onsubmit: async e => {
      e.preventDefault();
      const body = {text: ta.value};
      const values = {};
      for (const {ind, input} of inds) if (input.value !== "") values[ind.name] = Number(input.value);
      if (Object.keys(values).length) body.indicators = values;
      try { body.attachments = [...await uploadAll(files.files), ...await uploadAll(camera.files)]; } catch (err) { return fail(err); }
      act(path, body, k);
    }}, el("h3", {}, t(k)), path === "reports" ? subtaskSummary(it) : null, ta, inds.map(({ind, input}) => el("label", {class: "ind"}, `${ind.name}${paren(`${cmp(ind.comparator)} ${ind.target}${ind.unit}`)} `, input)),
      el("label", {class: "ind"}, t("attachments") + " ", files), el("label", {class: "ind"}, t("cameraUpload") + " ", camera),
      el("button", {type: "submit"}, t("submit"))));
  }
  const nd = el("input", {type: "date", required: true, "aria-label": t("newdue")}), rs = el("input", {required: true, "aria-label": t("reason"), placeholder: t("reason")});
  forms.push(el("form", {class: "card", onsubmit: e => { e.preventDefault(); act("extension-requests", {new_due: new Date(nd.value + "T23:59:59+08:00").toISOString(), reason: rs.value}, "extension"); }},
    el("h3", {}, t("extension")), nd, rs, el("button", {type: "submit"}, t("submit"))));
  return forms;
}

// supervisorForms: reviews, extension decisions, 催办, reassignment, suspension.
function supervisorForms(it, inds, depts, act) {
  const forms = [...reviewCards(it, inds, act)];
  for (const x of (it.extensions || []).filter(x => !x.decided)) {
    forms.push(el("div", {class: "card"}, el("h3", {}, `${t("extension")} #${x.id}${colon()}${fmtDay(x.new_due)} — ${x.reason}`),
      el("button", {onclick: () => act(`extension-requests/${x.id}/decision`, {approve: true}, "decide")}, t("yes")),
      el("button", {class: "secondary", onclick: () => act(`extension-requests/${x.id}/decision`, {approve: false}, "decide")}, t("no"))));
  }
  if (it.needs_lead) {
    const sel = el("select", {"aria-label": t("pickLead")}, depts.map(d => el("option", {value: d.id}, d.name)));
    forms.push(el("div", {class: "card", id: "pick-lead"}, el("h3", {}, t("pickLead")), el("p", {class: "muted"}, t("pickLeadHint")), sel,
      el("button", {onclick: () => act("lead", {department_id: Number(sel.value)}, "lead")}, t("pickLead"))));
    return forms;
  }
  if (!["completed", "cancelled"].includes(it.status)) {
    const msg = el("input", {"aria-label": t("urgeMsg"), placeholder: t("urgeMsg"), size: 40});
    forms.push(el("div", {class: "card", id: "urge"}, el("h3", {}, t("urge")), el("p", {class: "muted"}, t("urgeHint")), msg,
      el("button", {onclick: () => act("urge", {message: msg.value}, "urge")}, t("urge"))));
    const active = it.assignments.filter(a => a.status !== "removed");
    const lead = el("select", {"aria-label": t("leadDept")}, depts.map(d => el("option", {value: d.id, selected: active.some(a => a.role === "lead" && a.department_id === d.id)}, d.name)));
    const partners = el("select", {multiple: true, size: 5, "aria-label": t("partnerDepts")}, depts.map(d => el("option", {value: d.id, selected: active.some(a => a.role === "partner" && a.department_id === d.id)}, d.name)));
    const why = el("input", {"aria-label": t("reason"), placeholder: t("reason")});
    forms.push(el("details", {class: "card"}, el("summary", {}, t("reassign")),
      el("label", {}, t("leadDept"), " ", lead), el("label", {}, t("partnerDepts"), " ", partners), why,
      el("button", {onclick: () => act("reassign", {lead: [Number(lead.value)], partners: [...partners.selectedOptions].map(o => Number(o.value)).filter(v => v !== Number(lead.value)), reason: why.value}, "reassign")}, t("reassign"))));
    const rs = el("input", {"aria-label": t("reason"), placeholder: t("reason")});
    forms.push(el("div", {class: "card"}, rs, ...["suspend", "resume", "cancel"].map(k => el("button", {class: "secondary", onclick: () => act(k, {reason: rs.value}, k)}, t(k)))));
  }
  return forms;
}

// timelineItem renders one audit event in the reader's language, with the rung's name.
function timelineItem(e) {
  const what = e.type === "escalated" ? `${t("event_escalated")} · ${e.payload?.name || levelName(e.level)}` : t("event_" + e.type);
  return el("li", {}, el("time", {}, fmtDate(e.at)), " ", el("strong", {}, what), " ",
    e.department || "", e.actor ? ` · ${e.actor}` : "", e.payload?.comment ? ` — ${e.payload.comment}` : "",
    e.payload?.text ? ` — ${e.payload.text}` : "", e.payload?.message ? ` — ${e.payload.message}` : "", " ", attachmentLinks(e.payload?.attachments));
}

async function pageItem(id) {
  const [it, events] = await Promise.all([api("GET", "/items/" + id), api("GET", "/items/" + id + "/events")]);
  const supervising = me.role === "supervisor";
  const [inds, depts] = await Promise.all([
    it.indicators?.length ? quiet(api("GET", `/items/${id}/indicators`).then(r => r.indicators), []) : [],
    supervising ? quiet(api("GET", "/departments"), []) : []]);
  const mine = it.assignments.find(a => me.department_id && a.department_id === me.department_id && a.status !== "removed");
  // After every action the page says what happened and shows the item as it is now.
  const act = (path, body, what) => api("POST", `/items/${id}/${path}`, body).then(() => {
    const gen = routeSeq;
    setTimeout(() => gen === routeSeq && pageItem(id).then(() => flash(t("done_" + what))).catch(fail), 400);
  }).catch(e => fail(e));
  const forms = [];
  if (mine && me.role === "liaison") forms.push(...liaisonForms(it, mine, events, act));
  if (supervising) forms.push(...supervisorForms(it, inds, depts, act));
  if (me.role === "leader") {
    const ta = el("textarea", {required: true, rows: 2, "aria-label": t("instruction")});
    forms.push(el("form", {class: "card", onsubmit: e => { e.preventDefault(); act("instructions", {text: ta.value}, "instruction"); }}, el("h3", {}, t("instruction")), ta, el("button", {type: "submit"}, t("submit"))));
  }
  const actions = forms.length ? el("section", {class: "actions"}, el("h2", {}, t("actions")), ...forms) : null;
  const liaisonFirst = me.role === "liaison";
  const past = (it.submissions || []).filter(x => !(it.pending || []).some(p => p.submission_id === x.id));
  const status = it.needs_lead ? t("needsLead") : t(it.status);
  const deadline = it.window?.ongoing ? t("ongoing") : fmtDay(it.window?.end);
  render(el("p", {}, el("a", {href: "/"}, "← " + t("items")), " ", el("a", {href: `/items/${id}/print`, class: "button secondary", id: "print-sheet"}, t("print"))),
    el("h1", {}, lightDot(it.light), " ", it.ref ? `${it.ref} ` : "", it.title),
    el("p", {id: "item-facts"}, `${t("status")}${colon()}${status} · ${t("level")}${colon()}${levelName(it.escalation_level, it.level_name)} · ${t("deadline")}${colon()}${deadline} · ${t("due")}${colon()}${fmtDate(it.next_due)} ${countdown(it.next_due, it.due_workdays)}`),
    // A liaison (often on a phone) sees what to do first.
    liaisonFirst ? actions : null,
    it.content ? el("p", {class: "content"}, it.content) : null,
    caseSection(it, () => pageItem(id).then(() => flash(t("done_reply"))).catch(fail)),
    el("h2", {}, t("assignments")),
    el("div", {class: "scroll"}, el("table", {}, el("tbody", {}, it.assignments.map(a => el("tr", {}, el("td", {}, a.department), el("td", {}, a.role === "lead" ? t("roleLead") : t("rolePartner")),
      el("td", {}, t(a.status)), el("td", {}, fmtDate(a.next_due)), el("td", {}, a.overdue ? t("overdue") : ""), el("td", {}, a.escalation_level ? levelName(a.escalation_level, a.level_name) : "")))))),
    it.indicators?.length ? indicatorsSection(id) : null,
    subtaskSection(it, act), // subtasks.js
    liaisonFirst ? null : actions,
    past.length ? el("section", {id: "submissions"}, el("h2", {}, t("submissions")), past.slice().reverse().map(x => el("div", {class: "card"}, submissionCard(x, it, inds)))) : null,
    el("h2", {}, t("timeline")), el("ol", {class: "timeline"}, events.map(timelineItem)));
}
