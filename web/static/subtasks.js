// Duban UI: sub-tasks (任务分解) on the item page — their progress (open, late, done, closed;
// owner, office, deadline), the lead's (or a supervisor's) form to split one off, and a
// "done" button for the owner or the lead. The lead's report form lists them too.
"use strict";
Object.assign(T.zh, {stTitle: "任务分解", stName: "子任务", stOwner: "责任单位", stOffice: "内设处室（可选）", stDeadline: "期限",
  stAdd: "分解任务", stAddHint: "子任务期限须早于事项期限；到期前提醒责任单位，逾期时提醒责任单位和牵头单位（不升级事项）。",
  stDone: "完成", st_open: "办理中", st_late: "已逾期", st_done: "已完成", st_closed: "已关闭", stCompletedAt: "完成时间",
  stSummary: "子任务：{open} 个办理中，{late} 个逾期，{done} 个已完成", done_subtask: "已分解任务，已通知责任单位", done_subtaskDone: "子任务已完成",
  event_subtask_created: "任务分解", event_subtask_completed: "子任务完成"});
Object.assign(T.en, {stTitle: "Sub-tasks", stName: "Sub-task", stOwner: "Department", stOffice: "Office (optional)", stDeadline: "Deadline",
  stAdd: "Add sub-task", stAddHint: "A sub-task is due before the item. Its department is reminded before the deadline; when late, it and the lead are told (the item is not escalated).",
  stDone: "Done", st_open: "Open", st_late: "Late", st_done: "Done", st_closed: "Closed", stCompletedAt: "Completed",
  stSummary: "Sub-tasks: {open} open, {late} late, {done} done", done_subtask: "Sub-task added; its department is told", done_subtaskDone: "Sub-task done",
  event_subtask_created: "Sub-task added", event_subtask_completed: "Sub-task done"});

// subtaskSummary is one line of the sub-tasks' state, for the lead's report form.
function subtaskSummary(it) {
  const subs = it.subtasks || [];
  if (!subs.length) return null;
  const n = s => subs.filter(x => x.status === s).length;
  return el("div", {class: "muted subtask-summary"}, t("stSummary").replace("{open}", n("open")).replace("{late}", n("late")).replace("{done}", n("done")),
    el("ul", {}, subs.map(x => el("li", {}, `${x.title} · ${x.department}${x.office ? "（" + x.office + "）" : ""} · ${t("st_" + x.status)}`))));
}

// subtaskSection lists the item's sub-tasks; the lead's liaison and supervisors add them,
// the owner or the lead marks one done.
function subtaskSection(it, act) {
  const subs = it.subtasks || [];
  const lead = it.assignments.find(a => a.role === "lead" && a.status !== "removed");
  const isLead = me.role === "liaison" && lead && me.department_id === lead.department_id;
  const canSplit = (isLead || me.role === "supervisor") && !["completed", "cancelled"].includes(it.status) && !it.needs_lead;
  if (!subs.length && !canSplit) return null;
  const rows = subs.map(x => {
    const mayFinish = ["open", "late"].includes(x.status) && !["completed", "cancelled"].includes(it.status) &&
      (isLead || me.role === "supervisor" || (me.role === "liaison" && me.department_id === x.department_id));
    return el("tr", {"data-subtask": x.id}, el("td", {}, x.title), el("td", {}, x.department, x.office ? el("small", {class: "muted"}, "（" + x.office + "）") : ""),
      el("td", {}, fmtDate(x.deadline)), el("td", {}, el("span", {class: "pill " + (x.status === "late" ? "bad" : x.status === "done" ? "ok" : "")}, t("st_" + x.status))),
      el("td", {}, x.completed_at ? fmtDate(x.completed_at) : ""),
      el("td", {}, mayFinish ? el("button", {class: "secondary", onclick: () => act(`subtasks/${x.id}/complete`, {}, "subtaskDone")}, t("stDone")) : ""));
  });
  let form = null;
  if (canSplit) {
    const title = el("input", {required: true, "aria-label": t("stName"), placeholder: t("stName"), size: 30});
    const list = el("datalist", {id: "subtask-depts"});
    const dept = el("input", {required: true, list: "subtask-depts", "aria-label": t("stOwner"), placeholder: t("stOwner")});
    const office = el("input", {"aria-label": t("stOffice"), placeholder: t("stOffice")});
    const due = el("input", {type: "date", required: true, "aria-label": t("stDeadline"), max: it.window?.end ? isoDay(it.window.end) : null});
    quiet(api("GET", "/departments"), []).then(ds => list.replaceChildren(...ds.map(d => el("option", {value: d.name})))).catch(() => {});
    if (lead) dept.value = lead.department;
    form = el("form", {class: "card", id: "subtask-form", onsubmit: e => {
      e.preventDefault();
      act("subtasks", {title: title.value, department: dept.value, office: office.value, deadline: due.value}, "subtask");
    }}, el("h3", {}, t("stAdd")), el("p", {class: "muted"}, t("stAddHint")), title, dept, list, office,
      el("label", {}, t("stDeadline"), " ", due), el("button", {type: "submit"}, t("stAdd")));
  }
  return el("section", {id: "subtasks"}, el("h2", {}, t("stTitle")), subtaskSummary(it),
    rows.length ? el("table", {}, el("thead", {}, el("tr", {}, ["stName", "stOwner", "stDeadline", "status", "stCompletedAt", ""].map(k => el("th", {scope: "col"}, k ? t(k) : "")))), el("tbody", {}, rows)) : null,
    form);
}
