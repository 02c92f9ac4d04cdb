// Duban UI: circulars (通报) — the list, the draft editor (saved with If-Match, published after
// a confirmation through the publish workflow), the read-only published document with its
// number and downloads — and accountability records (追究责任) that the leadership decides.
"use strict";
Object.assign(T.zh, {ciNav:"通报", ciDraft:"草稿", ciPublished:"已印发", ciNumber:"文号", ciTitle:"标题", ciIssuer:"发文机关",
  ciRecipients:"主送", ciIntro:"导语", ciCommended:"通报表扬", ciCriticised:"通报批评", ciEscalated:"逾期升级事项",
  ciRequirements:"有关要求", ciSignature:"落款", ciDate:"成文日期", ciUnit:"单位", ciReasons:"理由（每行一条）",
  ciHandlers:"经办人（以“、”分隔）", ciLate:"逾期事项（每行一条）", ciFacts:"有关情况", ciAddUnit:"添加单位", ciRemove:"移除",
  ciSave:"保存草稿", ciSaved:"已保存", ciPublish:"印发", ciConfirm:"确认印发", ciCancel:"取消",
  ciConfirmText:"印发后通报将编号并发送至各责任单位和领导小组，内容不可再修改。确认印发？",
  ciStale:"该通报已被他人修改，已载入最新版本，请核对后重新编辑。", ciDone:"已印发", ciNotified:"已通知", ciPeople:"人",
  ciDocx:"下载通报 (DOCX)", ciXlsx:"下载排名表 (XLSX)", ciPublishedAt:"印发时间", ciAssessment:"考核结果",
  ciLateItems:"逾期事项", ciHandlerNames:"经办人",
  acNav:"追究责任", acOpen:"待决定", acClosed:"已决定", acItem:"事项", acOpened:"启动日期", acDecision:"处理决定",
  acOutcome:"处理结果", acDecidedOn:"决定日期", acDecide:"作出决定", acUndecided:"待决定", acSaved:"已记录处理决定",
  acDec_interview:"约谈", acDec_criticism:"批评教育", acDec_referral:"移送纪检监察机关", acDec_waived:"免予追责"});
Object.assign(T.en, {ciNav:"Circulars", ciDraft:"draft", ciPublished:"Published", ciNumber:"Number", ciTitle:"Title", ciIssuer:"Issuer",
  ciRecipients:"To", ciIntro:"Introduction", ciCommended:"Commended", ciCriticised:"Criticised", ciEscalated:"Escalated overdue items",
  ciRequirements:"Requirements", ciSignature:"Signature", ciDate:"Date", ciUnit:"Unit", ciReasons:"Reasons (one per line)",
  ciHandlers:"Handlers (separated by 、)", ciLate:"Late items (one per line)", ciFacts:"Facts", ciAddUnit:"Add unit", ciRemove:"Remove",
  ciSave:"Save draft", ciSaved:"Saved", ciPublish:"Publish", ciConfirm:"Publish now", ciCancel:"Cancel",
  ciConfirmText:"Publishing numbers the circular and sends it to every unit and the leadership group; it can no longer be changed. Publish?",
  ciStale:"Someone else changed this circular; the latest version is loaded — check it and edit again.", ciDone:"Published", ciNotified:"notified", ciPeople:"people",
  ciDocx:"Download circular (DOCX)", ciXlsx:"Download ranking (XLSX)", ciPublishedAt:"Published", ciAssessment:"Assessment",
  ciLateItems:"Late items", ciHandlerNames:"Handlers",
  acNav:"Accountability", acOpen:"Awaiting decision", acClosed:"Decided", acItem:"Item", acOpened:"Opened", acDecision:"Decision",
  acOutcome:"Outcome", acDecidedOn:"Decided on", acDecide:"Decide", acUndecided:"undecided", acSaved:"Decision recorded",
  acDec_interview:"Interview", acDec_criticism:"Criticism", acDec_referral:"Referral to discipline inspection", acDec_waived:"Waived"});

async function pageCirculars() {
  const cs = await api("GET", "/circulars");
  render(el("h1", {}, t("ciNav")), cs.length ? el("table", {id: "circulars"}, asHead(["ciNumber", "ciTitle", "status", "ciPublishedAt"]),
    el("tbody", {}, cs.map(c => el("tr", {}, el("td", {}, c.number || "—"), el("td", {}, el("a", {href: "/#/circulars/" + c.id}, c.title)),
      el("td", {}, c.status === "published" ? t("ciPublished") : t("ciDraft")), el("td", {}, c.published_at ? fmtDate(c.published_at) : "")))))
    : el("p", {class: "muted"}, t("none")));
}

async function pageCircular(id) {
  const meta = {};
  const c = await api("GET", "/circulars/" + id, undefined, undefined, meta);
  if (me.role === "supervisor" && c.status === "draft") return circularEditor(c, meta.etag);
  render(circularHeader(c), circularDoc(c));
}

// circularHeader names the circular (with its number once published) and offers downloads.
function circularHeader(c) {
  const published = c.status === "published";
  return [el("p", {}, el("a", {href: "/#/circulars"}, "← " + t("ciNav")), " · ", el("a", {href: "/#/assessments/" + c.assessment_id}, t("ciAssessment"))),
    el("h1", {}, published ? [el("span", {id: "c-number"}, c.number), " "] : null, c.title, " ",
      el("span", {class: published ? "pill ok" : "pill"}, published ? t("ciPublished") : t("ciDraft"))),
    published ? el("p", {class: "muted"}, `${t("ciPublishedAt")} ${fmtDate(c.published_at)}`) : null,
    el("p", {class: "exports"}, el("a", {href: `/api/v1/circulars/${c.id}/export.docx`, download: true, class: "button", id: "c-docx"}, t("ciDocx")), " ",
      el("a", {href: `/api/v1/circulars/${c.id}/export.xlsx`, download: true, class: "button secondary", id: "c-xlsx"}, t("ciXlsx")))];
}

// circularDoc lays the content out read-only, in the order of the exported document.
function circularDoc(c) {
  const ct = c.content || {};
  const units = (list, crit) => el("ol", {}, (list || []).map(u => el("li", {}, el("strong", {}, u.department), (u.reasons || []).length ? "：" + u.reasons.join("；") : "",
    crit && (u.late_items || []).length ? el("div", {}, `${t("ciLateItems")}${colon()}${u.late_items.join("；")}`) : null,
    crit && (u.handlers || []).length ? el("div", {}, `${t("ciHandlerNames")}${colon()}${u.handlers.join("、")}`) : null)));
  const part = (key, node) => [el("h3", {}, t(key)), node];
  return el("article", {class: "card doc", id: "c-doc"}, el("p", {class: "muted"}, ct.issuer), el("p", {}, ct.recipients), el("p", {id: "c-intro-text"}, ct.intro),
    (ct.commended || []).length ? part("ciCommended", units(ct.commended, false)) : null,
    (ct.criticised || []).length ? part("ciCriticised", units(ct.criticised, true)) : null,
    (ct.escalated || []).length ? part("ciEscalated", el("ol", {}, ct.escalated.map(x => el("li", {}, `${x.ref} ${x.title}（${x.department}，${x.level_name}）：${x.facts}`)))) : null,
    ct.requirements ? part("ciRequirements", el("p", {}, ct.requirements)) : null,
    el("p", {class: "sign"}, ct.signature), el("p", {class: "sign"}, ct.date));
}

// ciBound is an input or textarea that writes its value back with set as the user types.
function ciBound(tag, attrs, value, set) {
  const n = tag === "textarea" ? el(tag, attrs, value) : el(tag, {...attrs, value});
  n.addEventListener("input", () => set(n.value));
  return n;
}
const ciLines = s => s.split("\n").map(x => x.trim()).filter(Boolean);

// circularEditor edits a draft in place; saving sends If-Match with the ETag last seen.
function circularEditor(c, etag) {
  const ct = c.content;
  for (const k of ["commended", "criticised", "escalated"]) ct[k] = ct[k] || [];
  const field = (key, label, area) => [el("label", {for: "c-" + key}, t(label)),
    ciBound(area ? "textarea" : "input", {id: "c-" + key, rows: area ? 4 : null}, ct[key] || "", v => { ct[key] = v; })];
  const title = ciBound("input", {id: "c-title"}, c.title, () => {});
  const lists = {commended: el("div"), criticised: el("div"), escalated: el("div")};
  const draw = k => lists[k].replaceChildren(...ct[k].map((u, i) => k === "escalated" ? ciEscalatedCard(u, i, () => { ct[k].splice(i, 1); draw(k); })
    : ciUnitCard(k, u, i, () => { ct[k].splice(i, 1); draw(k); })),
  k === "escalated" ? "" : el("button", {type: "button", class: "secondary", id: "c-add-" + k, onclick: () => {
    ct[k].push({department_id: 0, department: "", score: null, rank: 0, reasons: [], handlers: [], late_items: []}); draw(k);
  }}, t("ciAddUnit")));
  Object.keys(lists).forEach(draw);
  const save = async () => {
    const m = {};
    try { const r = await api("PUT", `/circulars/${c.id}`, {title: title.value, content: ct}, {"If-Match": etag}, m); etag = m.etag; return r; }
    catch (e) {
      if (m.status === 412) { await pageCircular(c.id); flash(t("ciStale"), true); } else fail(e);
      return null;
    }
  };
  const confirmBtn = el("button", {type: "button", id: "c-confirm", onclick: async () => {
    confirmBtn.disabled = true;
    if (!(await save())) { confirmBtn.disabled = false; return; }
    try {
      const r = await api("POST", `/circulars/${c.id}/publish`, undefined, {"If-Match": etag});
      render(circularHeader(r.circular), circularDoc(r.circular));
      flash(`${t("ciDone")} ${r.circular.number}${lang === "zh" ? "，" : ", "}${t("ciNotified")} ${r.notified} ${t("ciPeople")}`);
    } catch (e) { confirmBtn.disabled = false; fail(e); }
  }}, t("ciConfirm"));
  const confirmBox = el("div", {class: "card hidden", id: "c-confirm-box", role: "alertdialog", "aria-label": t("ciPublish")}, el("p", {}, t("ciConfirmText")),
    confirmBtn, el("button", {type: "button", class: "secondary", onclick: () => confirmBox.classList.add("hidden")}, t("ciCancel")));
  render(circularHeader(c), el("form", {class: "card editor", id: "c-editor", onsubmit: async e => { e.preventDefault(); if (await save()) flash(t("ciSaved")); }},
    el("label", {for: "c-title"}, t("ciTitle")), title, field("issuer", "ciIssuer"), field("recipients", "ciRecipients"), field("intro", "ciIntro", true),
    el("h2", {}, t("ciCommended")), lists.commended, el("h2", {}, t("ciCriticised")), lists.criticised,
    el("h2", {}, t("ciEscalated")), lists.escalated, field("requirements", "ciRequirements", true), field("signature", "ciSignature"),
    el("label", {for: "c-date"}, t("ciDate")), ciBound("input", {id: "c-date", type: "date"}, ct.date || "", v => { ct.date = v; }),
    el("p", {}, el("button", {type: "submit", id: "c-save"}, t("ciSave")), " ",
      el("button", {type: "button", class: "secondary", id: "c-publish", onclick: () => { confirmBox.classList.remove("hidden"); confirmBtn.focus(); }}, t("ciPublish")))),
  confirmBox);
}

// ciUnitCard edits one commended or criticised unit; only criticism names handlers and late items.
function ciUnitCard(list, u, i, remove) {
  const id = `c-${list}-${i}`;
  return el("fieldset", {class: "unit", id}, el("legend", {}, `${i + 1}. ${u.department || t("ciUnit")}`),
    el("label", {for: id + "-dept"}, t("ciUnit")), ciBound("input", {id: id + "-dept"}, u.department, v => { u.department = v; }),
    el("label", {for: id + "-reasons"}, t("ciReasons")), ciBound("textarea", {id: id + "-reasons", rows: Math.max(2, (u.reasons || []).length)}, (u.reasons || []).join("\n"), v => { u.reasons = ciLines(v); }),
    list === "criticised" ? [el("label", {for: id + "-handlers"}, t("ciHandlers")),
      ciBound("input", {id: id + "-handlers"}, (u.handlers || []).join("、"), v => { u.handlers = v.split(/[、,，]/).map(x => x.trim()).filter(Boolean); }),
      el("label", {for: id + "-late"}, t("ciLate")), ciBound("textarea", {id: id + "-late", rows: 2}, (u.late_items || []).join("\n"), v => { u.late_items = ciLines(v); })] : null,
    el("button", {type: "button", class: "secondary", onclick: remove}, t("ciRemove")));
}

function ciEscalatedCard(x, i, remove) {
  return el("fieldset", {class: "unit", id: "c-escalated-" + i}, el("legend", {}, `${x.ref} ${x.title} · ${x.department} · ${levelName(x.level, x.level_name)}`),
    el("label", {for: `c-escalated-${i}-facts`}, t("ciFacts")), ciBound("textarea", {id: `c-escalated-${i}-facts`, rows: 2}, x.facts, v => { x.facts = v; }),
    el("button", {type: "button", class: "secondary", onclick: remove}, t("ciRemove")));
}

async function pageAccountability() {
  const recs = await api("GET", "/accountability");
  const today = isoDay(new Date());
  const facts = r => [el("td", {}, el("a", {href: "/items/" + r.item_id}, `${r.item_ref} ${r.item_title}`)), el("td", {}, r.department),
    el("td", {class: "wrap"}, r.reason), el("td", {}, fmtDay(r.opened_at))];
  const decide = r => {
    const dec = el("select", {id: `ac-dec-${r.id}`, "aria-label": t("acDecision")}, ["interview", "criticism", "referral", "waived"].map(d => el("option", {value: d}, t("acDec_" + d))));
    const outcome = el("input", {id: `ac-out-${r.id}`, required: true, maxlength: 2000, "aria-label": t("acOutcome"), placeholder: t("acOutcome")});
    const on = el("input", {id: `ac-on-${r.id}`, type: "date", value: today, max: today, "aria-label": t("acDecidedOn"), title: t("acDecidedOn")});
    return el("form", {class: "filters", onsubmit: async e => {
      e.preventDefault();
      try { await api("POST", `/accountability/${r.id}/decision`, {decision: dec.value, outcome: outcome.value, decided_on: on.value}); await pageAccountability(); flash(t("acSaved")); }
      catch (err) { fail(err); }
    }}, dec, outcome, on, el("button", {type: "submit"}, t("acDecide")));
  };
  const open = recs.filter(r => !r.decision), closed = recs.filter(r => r.decision);
  const table = (id, head, rows) => rows.length ? el("div", {class: "scroll"}, el("table", {id}, asHead(head), el("tbody", {}, rows))) : el("p", {class: "muted"}, t("none"));
  render(el("h1", {}, t("acNav")),
    el("h2", {}, `${t("acOpen")}${paren(open.length)}`),
    table("ac-open", ["acItem", "asUnit", "reason", "acOpened", me.role === "leader" ? "acDecision" : null].filter(Boolean),
      open.map(r => el("tr", {"data-record": r.id}, facts(r), me.role === "leader" ? el("td", {}, decide(r)) : null))),
    el("h2", {}, `${t("acClosed")}${paren(closed.length)}`),
    table("ac-closed", ["acItem", "asUnit", "reason", "acOpened", "acDecision", "acOutcome", "acDecidedOn"],
      closed.map(r => el("tr", {"data-record": r.id}, facts(r), el("td", {}, t("acDec_" + r.decision)), el("td", {class: "wrap"}, r.outcome), el("td", {}, fmtDay(r.decided_at))))));
}
