// Duban UI: assessment (考核排名) — run a plan's assessment for a period, list past runs, the
// ranking table whose every number opens the rows behind it (drill-down), the XLSX export and
// the draft of a circular (通报). Its pages live under hash routes (/#/assessments…), which
// assessRoute also dispatches for circulars.js.
"use strict";
Object.assign(T.zh, {asNav:"考核排名", asRuns:"历次考核", asRun:"开展考核", asPeriod:"考核期间", asYear:"年度", asHalf:"半年",
  asCustom:"自定义", asH1:"上半年", asH2:"下半年", asStart:"起始日期", asEnd:"截止日期", asLabel:"期间", asTrigger:"方式",
  asManual:"手动", asSchedule:"定时", asAt:"考核时间", asRank:"排名", asUnit:"单位", asScore:"得分", asSign:"按时签收率",
  asReport:"按时报送率", asCompletion:"按期办结率", asIndicator:"指标完成率", asSatisfaction:"满意度", asOverdue:"逾期工作日", asRecords:"追责",
  asVerdict:"结果", asCommended:"表扬", asCriticised:"批评", asUnranked:"不参与排名", asExport:"导出考核结果 (XLSX)",
  asDraft:"起草通报", asOwn:"本单位排名：第 {r} 名，共 {n} 个单位参加排名", asPlan:"方案", asRole:"承办角色", asDrill:"考核依据", asWhen:"时间", asWhat:"情况",
  asDetail:"说明", asChoosePlan:"请选择方案", asCirculars:"据此起草的通报", asEvidence:"查看依据",
  m_signs_on_time:"按时签收", m_signs_missed:"签收逾期", m_reports_on_time:"按时报送", m_reports_missed:"报送逾期",
  m_items_due:"期内到期事项", m_items_on_time:"按期办结", m_indicators:"计入指标的事项", m_overdue_days:"逾期（按工作日计）",
  m_returns:"被退回", m_escalations:"升级至{name}", m_accountability:"追究责任"});
Object.assign(T.en, {asNav:"Assessment", asRuns:"Past assessments", asRun:"Run assessment", asPeriod:"Period", asYear:"Year", asHalf:"Half year",
  asCustom:"Custom", asH1:"First half", asH2:"Second half", asStart:"From", asEnd:"To", asLabel:"Period", asTrigger:"Trigger",
  asManual:"manual", asSchedule:"scheduled", asAt:"Run at", asRank:"Rank", asUnit:"Unit", asScore:"Score", asSign:"Signed on time",
  asReport:"Reported on time", asCompletion:"Completed on time", asIndicator:"Indicator attainment", asSatisfaction:"Satisfaction", asOverdue:"Overdue working days", asRecords:"Accountability",
  asVerdict:"Result", asCommended:"Commended", asCriticised:"Criticised", asUnranked:"not ranked", asExport:"Export results (XLSX)",
  asDraft:"Draft circular", asOwn:"Your unit: rank {r} of {n}", asPlan:"Plan", asRole:"Role", asDrill:"Evidence", asWhen:"When", asWhat:"What",
  asDetail:"Detail", asChoosePlan:"Choose a plan", asCirculars:"Circulars drafted from it", asEvidence:"show evidence",
  m_signs_on_time:"Signed on time", m_signs_missed:"Sign deadline missed", m_reports_on_time:"Reported on time", m_reports_missed:"Report deadline missed",
  m_items_due:"Items due in the period", m_items_on_time:"Completed on time", m_indicators:"Items with indicators", m_overdue_days:"Overdue (working days)",
  m_returns:"Returned", m_escalations:"Escalated to {name}", m_accountability:"Accountability"});

// assessNav lists the navigation entries of assessment, circulars and accountability by role.
function assessNav() {
  const links = [];
  if (["supervisor", "leader", "admin", "liaison", "viewer"].includes(me.role)) links.push(["/#/assessments", "asNav"], ["/#/circulars", "ciNav"]);
  if (me.role === "leader") links.push(["/#/accountability", "acNav"]);
  return links;
}

// assessRoute dispatches a hash route ("/assessments/3", "/circulars?…").
function assessRoute(h) {
  const [path, qs] = h.split("?"), parts = path.split("/");
  if (parts[1] === "assessments") return parts[2] ? pageAssessment(parts[2]) : pageAssessments(new URLSearchParams(qs || ""));
  if (parts[1] === "circulars") return parts[2] ? pageCircular(parts[2]) : pageCirculars();
  if (parts[1] === "accountability") return pageAccountability();
  return pageBoard(false);
}

// bilingual picks one half of a "中文 / English" message from the server.
const bilingual = s => { const [zh, en] = String(s).split(" / "); return lang === "en" && en ? en : zh; };
const asPct = x => x == null ? "—" : `${Math.round(x * 1000) / 10}%`;
// asLevels are the rung names of the assessment on the page (its plan's ladder: three rungs
// or ten as well as the default four); asLevelName falls back to the settings' ladder.
let asLevels = [];
const asLevelName = n => asLevels[n - 1] || levelName(n);
// asHead writes a table's head; a rung's column ("L2") is headed by the rung's name.
const asLabel = k => /^L\d+$/.test(k) ? asLevelName(Number(k.slice(1))) : t(k);
const asHead = keys => el("thead", {}, el("tr", {}, keys.map(k => el("th", {scope: "col"}, asLabel(k)))));
// asMetric names an evidence metric; a rung's ("escalations_l2") by the rung's name.
const asMetric = m => { const l = /^escalations_l(\d+)$/.exec(m); return l ? t("m_escalations").replace("{name}", asLevelName(Number(l[1]))) : t("m_" + m); };

async function pageAssessments(q) {
  const plans = await api("GET", "/plans");
  const planID = q.get("plan") || (plans.length === 1 ? String(plans[0].id) : "");
  const plan = el("select", {id: "as-plan", "aria-label": t("plan"), onchange: () => go("/#/assessments?plan=" + plan.value)},
    el("option", {value: ""}, t("asChoosePlan")), plans.map(p => el("option", {value: p.id, selected: String(p.id) === planID}, p.title)));
  const runs = await api("GET", "/assessments" + (planID ? "?plan_id=" + planID : ""));
  const title = id => (plans.find(p => p.id === id) || {}).title || `#${id}`;
  const list = runs.length ? el("table", {id: "runs"}, asHead(["asPlan", "asLabel", "asTrigger", "asAt"]), el("tbody", {}, runs.map(r => el("tr", {},
    el("td", {}, title(r.plan_id)), el("td", {}, el("a", {href: "/#/assessments/" + r.id}, r.label)),
    el("td", {}, t(r.trigger === "schedule" ? "asSchedule" : "asManual")), el("td", {}, fmtDate(r.created_at))))))
    : el("p", {class: "muted"}, t("none"));
  render(el("h1", {}, t("asNav")), el("p", {class: "filters"}, plan), me.role === "supervisor" ? assessRunForm(plan) : null, el("h2", {}, t("asRuns")), list);
}

// assessRunForm asks for the period of a new assessment of the chosen plan (supervisors).
function assessRunForm(plan) {
  const year = el("input", {id: "as-year", type: "number", min: 2000, max: 2200, value: isoDay(new Date()).slice(0, 4), "aria-label": t("asYear")});
  const half = el("select", {id: "as-half", "aria-label": t("asHalf"), class: "hidden"}, el("option", {value: 1}, t("asH1")), el("option", {value: 2}, t("asH2")));
  const start = el("input", {id: "as-start", type: "date", "aria-label": t("asStart"), title: t("asStart"), class: "hidden"});
  const end = el("input", {id: "as-end", type: "date", "aria-label": t("asEnd"), title: t("asEnd"), class: "hidden"});
  const period = el("select", {id: "as-period", "aria-label": t("asPeriod"), onchange: () => {
    half.classList.toggle("hidden", period.value !== "half");
    for (const x of [start, end]) x.classList.toggle("hidden", period.value !== "custom");
    year.classList.toggle("hidden", period.value === "custom");
  }}, ["year", "half", "custom"].map(p => el("option", {value: p}, t({year: "asYear", half: "asHalf", custom: "asCustom"}[p]))));
  return el("form", {class: "card filters", onsubmit: async e => {
    e.preventDefault();
    if (!plan.value) return flash(t("asChoosePlan"), true);
    const body = {period: period.value, year: Number(year.value), half: Number(half.value), start: start.value, end: end.value};
    try { const a = await api("POST", `/plans/${plan.value}/assessments`, body); go("/#/assessments/" + a.id); }
    catch (err) { fail(err); }
  }}, period, year, half, start, end, el("button", {type: "submit", id: "as-run"}, t("asRun")));
}

// assessColumns: header key, the value shown, and the evidence metrics behind it; a column
// per rung of the run's ladder.
const asBoth = (d, k) => d.lead[k] + d.partner[k];
const asAt = (xs, i) => (xs || [])[i] || 0;
const assessColumns = a => [
  ["asSign", d => asPct(d.sign_rate), ["signs_on_time", "signs_missed"]],
  ["asReport", d => asPct(d.report_rate), ["reports_on_time", "reports_missed"]],
  ["asCompletion", d => asPct(d.completion_rate), ["items_due", "items_on_time"]],
  ["asIndicator", d => asPct(d.indicator_rate), ["indicators"]],
  ["asSatisfaction", d => asPct(d.satisfaction_rate), []], // 满意度测评 (evaluations.js)
  ["asOverdue", d => asBoth(d, "overdue_days"), ["overdue_days"]],
  ["returns", d => asBoth(d, "returns"), ["returns"]],
  ...Array.from({length: Math.max((a.levels || []).length, ...a.departments.map(d => Math.max((d.lead.escalations || []).length, (d.partner.escalations || []).length)))},
    (_, i) => ["L" + (i + 1), d => asAt(d.lead.escalations, i) + asAt(d.partner.escalations, i), ["escalations_l" + (i + 1)]]),
  ["asRecords", d => asBoth(d, "accountability"), ["accountability"]],
];

async function pageAssessment(aid) {
  const a = await api("GET", "/assessments/" + aid);
  asLevels = a.levels || [];
  const columns = assessColumns(a);
  const [plan, circs] = await Promise.all([quiet(api("GET", "/plans/" + a.plan_id), {}), quiet(api("GET", "/circulars?plan_id=" + a.plan_id), [])]);
  const ranked = a.departments.filter(d => d.rank > 0).length;
  const rows = me.role === "liaison" ? a.departments.filter(d => d.department_id === me.department_id) : a.departments;
  const drill = el("section", {id: "drill", "aria-live": "polite"});
  const cache = new Map();
  const cell = (d, value, metrics, key) => {
    const has = d.evidence && metrics.some(m => (d.evidence["lead." + m] || []).length || (d.evidence["partner." + m] || []).length);
    return el("td", {class: "num"}, has ? el("button", {type: "button", class: "num", "data-metric": metrics.join(" "), "aria-label": `${d.department} ${asLabel(key)} ${value}: ${t("asEvidence")}`,
      onclick: () => assessEvidence(drill, cache, aid, d, metrics, key)}, String(value)) : String(value));
  };
  const verdict = d => [d.commended ? el("span", {class: "pill ok"}, t("asCommended")) : null, d.criticised ? el("span", {class: "pill bad"}, t("asCriticised")) : null,
    (d.commended || d.criticised) && d.reasons.length ? el("small", {class: "muted reasons"}, d.reasons.map(bilingual).join(lang === "zh" ? "；" : "; ")) : null];
  const table = el("div", {class: "scroll"}, el("table", {id: "ranking"},
    asHead(["asRank", "asUnit", "asScore", ...columns.map(c => c[0]), "asVerdict"]),
    el("tbody", {}, rows.map(d => el("tr", {"data-department": d.department_id, class: d.criticised ? "late" : null},
      el("td", {}, d.rank || "—"), el("td", {}, d.department), el("td", {}, d.score == null ? t("asUnranked") : d.score.toFixed(2)),
      columns.map(([key, f, metrics]) => cell(d, f(d), metrics, key)), el("td", {}, verdict(d)))))));
  const mine = circs.filter(c => c.assessment_id === a.id);
  render(el("p", {}, el("a", {href: `/#/assessments?plan=${a.plan_id}`}, "← " + t("asRuns"))),
    el("h1", {}, `${t("asNav")} · ${a.label}`),
    el("p", {class: "muted"}, [plan.title, `${fmtDay(a.start)} – ${fmtDay(new Date(a.end) - 1)}`, `${t("asAt")} ${fmtDate(a.created_at)}`].filter(Boolean).join(" · ")),
    el("p", {class: "exports"}, el("a", {href: `/api/v1/assessments/${a.id}/export.xlsx`, download: true, class: "button secondary", id: "as-xlsx"}, t("asExport")), " ",
      me.role === "supervisor" ? el("button", {type: "button", id: "draft-circular", onclick: async () => {
        try { const c = await api("POST", `/assessments/${a.id}/circulars`); go("/#/circulars/" + c.id); } catch (e) { fail(e); }
      }}, t("asDraft")) : null),
    mine.length ? el("p", {}, t("asCirculars") + colon().trim(), mine.map(c => [" ", el("a", {href: "/#/circulars/" + c.id}, c.number || `${c.title}${paren(t("ciDraft"))}`)])) : null,
    me.role === "liaison" ? el("p", {id: "as-own"}, t("asOwn").replace("{r}", rows[0]?.rank || "—").replace("{n}", ranked)) : null,
    rows.length ? table : el("p", {class: "muted"}, t("none")), drill);
}

// assessEvidence fills the drill-down with the rows behind one number of one department.
async function assessEvidence(box, cache, aid, d, metrics, key) {
  let ev = cache.get(d.department_id);
  try {
    if (!ev) { ev = (await api("GET", `/assessments/${aid}/evidence?department_id=${d.department_id}`)).evidence; cache.set(d.department_id, ev); }
  } catch (e) { return fail(e); }
  const sections = metrics.map(m => {
    const rows = ["lead", "partner"].flatMap(role => (ev[`${role}.${m}`] || []).map(r => ({...r, role})));
    return rows.length ? [el("h3", {}, `${asMetric(m)}${paren(rows.length)}`), el("table", {class: "evidence", "data-metric": m}, asHead(["ref", "title", "asRole", "asWhen", "asWhat", "asDetail"]),
      el("tbody", {}, rows.map(r => el("tr", {}, el("td", {}, el("a", {href: "/items/" + r.item_id}, r.item_ref || `#${r.item_id}`)), el("td", {}, r.item_title),
        el("td", {}, t(r.role === "lead" ? "roleLead" : "rolePartner")), el("td", {}, fmtDate(r.at)), el("td", {}, evidenceWhat(r)), el("td", {class: "wrap"}, evidenceDetail(r))))))] : null;
  });
  box.replaceChildren(el("h2", {}, `${t("asDrill")}${colon()}${d.department} · ${asLabel(key)}`), ...sections.flat().filter(Boolean));
  box.scrollIntoView({block: "nearest"});
}

const asKnown = k => k in T[lang] || k in T.zh;
function evidenceWhat(r) {
  if (r.kind === "event") return asKnown("event_" + r.what) ? t("event_" + r.what) + (r.level ? ` · ${levelName(r.level)}` : "") : r.what;
  if (r.kind === "escalation") return levelName(r.level, r.what);
  if (r.kind === "accountability") return r.what ? t("acDec_" + r.what) : t("acUndecided");
  return t(r.what);
}

// evidenceDetail shows an escalation's or record's reason, or an event's deadline or comment.
function evidenceDetail(r) {
  if (r.kind !== "event") return r.detail || "";
  let p = {};
  try { p = JSON.parse(r.detail || "{}"); } catch { return ""; }
  return [p.due ? `${t("due")} ${fmtDate(p.due)}` : "", p.comment || "", p.reason || ""].filter(Boolean).join(" · ");
}
