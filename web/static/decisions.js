// The supervisor's 待审批 page: every report, completion request and extension request that
// waits for them (GET /decisions), each with what the department wrote, decided one by one
// or as a selection with one comment.
"use strict";
Object.assign(T.zh, {
  toReview: "待审核的报送", toExtend: "待审批的延期申请", requestedAt: "申请时间", select: "选择", selectAll: "全选",
  selectedN: "已选 {n} 项", approveSelected: "通过所选", returnSelected: "退回所选", grantSelected: "批准所选", refuseSelected: "不批准所选",
  decidedN: "已处理 {n} 项", urgeSelected: "催办所选", urgedN: "已催办 {n} 项", atLeast: "{name}及以上",
  openItem: "打开事项", kindH: "类别", unit: "单位",
});
Object.assign(T.en, {
  toReview: "Submissions to review", toExtend: "Extension requests", requestedAt: "Requested", select: "Select", selectAll: "Select all",
  selectedN: "{n} selected", approveSelected: "Approve selected", returnSelected: "Return selected", grantSelected: "Grant selected", refuseSelected: "Refuse selected",
  decidedN: "{n} decided", urgeSelected: "Urge selected", urgedN: "{n} urged", atLeast: "{name} or above",
  openItem: "Open the item", kindH: "Kind", unit: "Department",
});

// decisionTable is one list of waiting decisions with a checkbox per row and the buttons
// that decide the selection; decide(row, yes, comment) sends one decision.
function decisionTable(id, heads, rows, cells, buttons, decide) {
  if (!rows.length) return el("p", {class: "muted"}, t("none"));
  const picks = rows.map(r => el("input", {type: "checkbox", "aria-label": `${t("select")} ${r.ref} ${r.title}`}));
  const all = el("input", {type: "checkbox", "aria-label": t("selectAll")});
  const comment = el("input", {"aria-label": t("comment"), placeholder: t("comment"), size: 30});
  const count = el("span", {class: "muted"});
  const btns = buttons.map(([label, yes, cls]) => el("button", {type: "button", class: cls || "", disabled: true, onclick: async () => {
    const chosen = rows.filter((_, i) => picks[i].checked);
    btns.forEach(b => { b.disabled = true; });
    const failed = [];
    for (const r of chosen) {
      try { await decide(r, yes, comment.value); } catch (e) { failed.push(`${r.ref || "#" + r.item_id}: ${e.message}`); }
    }
    const gen = routeSeq;
    // The workflows record the decisions a moment later; then the page shows what is left.
    setTimeout(() => gen === routeSeq && pageDecisions().then(() =>
      flash(t("decidedN").replace("{n}", chosen.length - failed.length) + (failed.length ? " · " + failed.join(";") : ""), failed.length > 0)).catch(fail), 600);
  }}, t(label)));
  const sync = () => { const n = picks.filter(p => p.checked).length; btns.forEach(b => { b.disabled = n === 0; }); count.textContent = n ? t("selectedN").replace("{n}", n) : ""; };
  picks.forEach(p => p.addEventListener("change", sync));
  all.addEventListener("change", () => { picks.forEach(p => { p.checked = all.checked; }); sync(); });
  return el("div", {id},
    el("div", {class: "scroll"}, el("table", {}, el("thead", {}, el("tr", {}, el("th", {scope: "col"}, all), heads.map(k => el("th", {scope: "col"}, t(k))))),
      el("tbody", {}, rows.map((r, i) => el("tr", {}, el("td", {}, picks[i]), cells(r)))))),
    el("div", {class: "batch"}, count, " ", comment, " ", btns));
}

async function pageDecisions() {
  const w = await api("GET", "/decisions");
  const itemLink = r => el("a", {href: "/items/" + r.item_id}, `${r.ref ? r.ref + " " : ""}${r.title}`);
  render(el("h1", {}, t("reviews")),
    el("h2", {}, `${t("toReview")}${paren(w.submissions.length)}`),
    decisionTable("waiting-submissions", ["title", "kindH", "unit", "text", "submittedAt"], w.submissions,
      r => [el("td", {}, itemLink(r)), el("td", {}, t("kind_" + r.kind)), el("td", {}, r.department),
        el("td", {class: "wrap"}, el("div", {class: "excerpt"}, r.text || t("noText")), attachmentLinks(r.attachments),
          Object.keys(r.indicators || {}).length ? el("small", {class: "muted"}, Object.entries(r.indicators).map(([k, v]) => `${k} ${v}`).join(";")) : null),
        el("td", {class: "nowrap"}, fmtDate(r.submitted_at))],
      [["approveSelected", true], ["returnSelected", false, "secondary"]],
      (r, yes, comment) => api("POST", `/items/${r.item_id}/reviews`, {report_id: r.id, decision: yes ? "approve" : "return", comment})),
    el("h2", {}, `${t("toExtend")}${paren(w.extensions.length)}`),
    decisionTable("waiting-extensions", ["title", "unit", "newdue", "reason", "requestedAt"], w.extensions,
      r => [el("td", {}, itemLink(r)), el("td", {}, r.department), el("td", {class: "nowrap"}, fmtDay(r.new_due)), el("td", {class: "wrap"}, r.reason),
        el("td", {class: "nowrap"}, fmtDate(r.requested_at))],
      [["grantSelected", true], ["refuseSelected", false, "secondary"]],
      (r, yes, comment) => api("POST", `/items/${r.item_id}/extension-requests/${r.id}/decision`, {approve: yes, comment})));
}
