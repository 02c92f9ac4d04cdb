// Duban UI: satisfaction evaluations (满意度测评). Supervisors open a round (departments
// evaluated; evaluator departments, users and anonymous one-use codes, shown once; a few
// scored questions) and read its results; evaluators answer at /evaluate?id=…, and an
// outside respondent answers there unsigned with a code (/evaluate?id=…&code=…).
"use strict";
Object.assign(T.zh, {evNav: "满意度测评", evOpen: "发起测评", evTitle: "测评名称", evPlan: "所属方案（可选）", evNone: "不限方案",
  evFrom: "测评期间自", evTo: "至", evDepts: "被测评单位（可多选）", evByDepts: "评价单位（可多选）", evByUsers: "评价用户（用户名，逗号分隔）",
  evCodes: "匿名测评码数量（供服务对象等外部评价人）", evQuestions: "测评问题（每行一个）", evScale: "评分", evScale5: "1–5 分", evScale10: "0–10 分", evScale100: "0–100 分",
  evCloses: "截止日期", evCodesOnce: "匿名测评码只显示这一次，请立即复制或打印后分发。每个测评码只能提交一次；评价内容不会与测评码关联。",
  evLink: "评价链接", evAnswers: "已收到评价", evClosed: "已截止", evOpenNow: "进行中", evResults: "结果", evAnswer: "去评价",
  evDept: "被评价单位", evComment: "意见和建议（可选）", evSubmit: "提交评价", evThanks: "评价已提交，感谢您的参与！",
  evMean: "平均得分（百分制）", evCount: "评价数", evDist: "得分分布", evQMeans: "各题平均分", evComments: "意见和建议",
  evMine: "待我评价的测评", evAllDone: "您已完成本次测评的全部评价。", evCodeHint: "请凭测评码作答", evPeriod: "测评期间", evClosesAt: "截止时间",
  evReading: "记为指标读数", evReadingHint: "把某单位的平均得分记为一个事项指标的读数（经该事项的工作流记录，计入序时进度和考核）。",
  evItem: "事项编号", evIndicator: "指标名称", evRecorded: "已记为指标读数", evOpened: "测评已发起", evAnon: "匿名评价：提交后不可修改"});
Object.assign(T.en, {evNav: "Satisfaction", evOpen: "Open a round", evTitle: "Title", evPlan: "Plan (optional)", evNone: "No plan",
  evFrom: "Period from", evTo: "to", evDepts: "Departments evaluated (several)", evByDepts: "Evaluating departments (several)", evByUsers: "Evaluating users (usernames, comma-separated)",
  evCodes: "Anonymous codes (for outside respondents)", evQuestions: "Questions (one per line)", evScale: "Scale", evScale5: "1–5", evScale10: "0–10", evScale100: "0–100",
  evCloses: "Closes on", evCodesOnce: "The anonymous codes are shown this once: copy or print them now. Each answers once; answers are not linked to codes.",
  evLink: "Answer link", evAnswers: "Answers", evClosed: "Closed", evOpenNow: "Open", evResults: "Results", evAnswer: "Answer",
  evDept: "Department", evComment: "Comments (optional)", evSubmit: "Submit", evThanks: "Thank you: your answer is recorded.",
  evMean: "Mean (of 100)", evCount: "Answers", evDist: "Distribution", evQMeans: "Mean per question", evComments: "Comments",
  evMine: "Rounds for me to answer", evAllDone: "You have answered about every department of this round.", evCodeHint: "Answer with your code", evPeriod: "Period", evClosesAt: "Closes",
  evReading: "Record as an indicator reading", evReadingHint: "Record a department's mean as a reading of an item's indicator (through the item's workflow, so pace and assessment count it).",
  evItem: "Item id", evIndicator: "Indicator", evRecorded: "Recorded as an indicator reading", evOpened: "Round opened", evAnon: "Anonymous: an answer cannot be changed"});

const evReader = () => me && ["supervisor", "leader", "admin"].includes(me.role);

// evalNav is the navigation entry: readers see every round, others the rounds they answer.
function evalNav() { return me ? [["/evaluations", "evNav"]] : []; }

// evalRoute dispatches /evaluations, /evaluations/{id} (results) and /evaluate (answer).
function evalRoute(p) {
  if (p === "/evaluate") return pageEvaluate();
  const id = p.split("/")[2];
  return id ? pageEvaluationResults(id) : pageEvaluations();
}

async function pageEvaluations() {
  const rounds = await api("GET", "/evaluations");
  const rows = rounds.map(r => el("tr", {}, el("td", {}, r.title), el("td", {}, `${fmtDay(r.period_from)} – ${fmtDay(r.period_to)}`),
    el("td", {}, fmtDate(r.closes_at)), el("td", {}, el("span", {class: "pill " + (r.closed ? "" : "ok")}, t(r.closed ? "evClosed" : "evOpenNow"))),
    el("td", {class: "num"}, r.answers),
    el("td", {}, evReader() ? el("a", {href: `/evaluations/${r.id}`}, t("evResults")) : "", " ",
      r.can_answer && r.answered.length < r.departments.length ? el("a", {href: `/evaluate?id=${r.id}`, class: "button"}, t("evAnswer")) : "")));
  render(el("h1", {}, t("evNav")),
    me.role === "supervisor" ? await openRoundForm() : null,
    el("h2", {}, evReader() ? t("evNav") : t("evMine")),
    rows.length ? el("table", {id: "evaluations"}, el("thead", {}, el("tr", {}, ["evTitle", "evPeriod", "evClosesAt", "status", "evAnswers", ""].map(k => el("th", {scope: "col"}, k ? t(k) : "")))), el("tbody", {}, rows))
      : el("p", {class: "muted"}, t("none")));
}

// openRoundForm is the supervisor's form; the codes it returns are shown once, with links.
async function openRoundForm() {
  const [plans, depts] = await Promise.all([quiet(api("GET", "/plans"), []), quiet(api("GET", "/departments"), [])]);
  const multi = label => el("select", {multiple: true, size: 6, "aria-label": label}, depts.map(d => el("option", {value: d.id}, d.name)));
  const title = el("input", {required: true, size: 40, "aria-label": t("evTitle")});
  const plan = el("select", {"aria-label": t("evPlan")}, el("option", {value: ""}, t("evNone")), plans.map(p => el("option", {value: p.id}, p.title)));
  const from = el("input", {type: "date", "aria-label": t("evFrom")}), to = el("input", {type: "date", "aria-label": t("evTo")});
  const evaluated = multi(t("evDepts")), byDepts = multi(t("evByDepts"));
  const byUsers = el("input", {"aria-label": t("evByUsers"), size: 40});
  const codes = el("input", {type: "number", min: 0, max: 2000, value: 0, "aria-label": t("evCodes")});
  const qs = el("textarea", {rows: 4, required: true, "aria-label": t("evQuestions")}, lang === "zh" ? "办事效率\n服务态度\n政策落实" : "Efficiency\nAttitude\nDelivery");
  const scale = el("select", {"aria-label": t("evScale")}, [["5", "evScale5"], ["10", "evScale10"], ["100", "evScale100"]].map(([v, k]) => el("option", {value: v}, t(k))));
  const closes = el("input", {type: "date", required: true, "aria-label": t("evCloses")});
  const out = el("div", {id: "evaluation-codes"});
  const form = el("form", {class: "card", id: "open-round", onsubmit: async e => {
    e.preventDefault();
    const ids = s => [...s.selectedOptions].map(o => Number(o.value));
    const body = {title: title.value, departments: ids(evaluated), closes_at: closes.value,
      evaluators: {departments: ids(byDepts), users: byUsers.value.split(/[,，\s]+/).filter(Boolean), anonymous_codes: Number(codes.value || 0)},
      questions: qs.value.split("\n").map(s => s.trim()).filter(Boolean).map(text => ({text, max: Number(scale.value)}))};
    if (plan.value) body.plan_id = Number(plan.value);
    if (from.value || to.value) body.period = {from: from.value, to: to.value};
    try {
      const r = await api("POST", "/evaluations", body);
      const link = c => `${location.origin}/evaluate?id=${r.id}&code=${encodeURIComponent(c)}`;
      fill(out, el("p", {class: "flash"}, t("evOpened")), r.codes.length ? el("p", {class: "calwarn"}, t("evCodesOnce")) : null,
        r.codes.length ? el("table", {class: "codes"}, el("tbody", {}, r.codes.map(c => el("tr", {}, el("td", {class: "code"}, c), el("td", {}, link(c)))))) : null);
    } catch (err) { fail(err); }
  }}, el("h2", {}, t("evOpen")),
    el("label", {}, t("evTitle"), " ", title), el("label", {}, t("evPlan"), " ", plan),
    el("label", {}, t("evFrom"), " ", from, " ", t("evTo"), " ", to),
    el("label", {}, t("evDepts"), " ", evaluated), el("label", {}, t("evByDepts"), " ", byDepts),
    el("label", {}, t("evByUsers"), " ", byUsers), el("label", {}, t("evCodes"), " ", codes),
    el("label", {}, t("evQuestions"), " ", qs), el("label", {}, t("evScale"), " ", scale), el("label", {}, t("evCloses"), " ", closes),
    el("button", {type: "submit"}, t("evOpen")));
  return el("div", {}, form, out);
}

async function pageEvaluationResults(id) {
  const r = await api("GET", `/evaluations/${id}/results`);
  const bands = ["<60", "60-69", "70-79", "80-89", "90-100"];
  render(el("p", {}, el("a", {href: "/evaluations"}, "← " + t("evNav"))), el("h1", {}, r.title),
    el("p", {class: "muted"}, `${t("evPeriod")}${colon()}${fmtDay(r.period_from)} – ${fmtDay(r.period_to)} · ${t("evClosesAt")}${colon()}${fmtDate(r.closes_at)} · ${t("evAnswers")}${colon()}${r.answers}`),
    el("table", {id: "evaluation-results"}, el("thead", {}, el("tr", {}, el("th", {scope: "col"}, t("evDept")), el("th", {scope: "col"}, t("evMean")),
      el("th", {scope: "col"}, t("evCount")), bands.map(b => el("th", {scope: "col"}, b)), r.questions.map(q => el("th", {scope: "col"}, `${q.text} (/${q.max})`)))),
    el("tbody", {}, r.results.map(d => el("tr", {}, el("td", {}, d.department), el("td", {class: "num"}, d.mean == null ? "—" : d.mean.toFixed(2)),
      el("td", {class: "num"}, d.count), bands.map(b => el("td", {class: "num"}, d.distribution[b] || 0)),
      (d.question_means || []).map(v => el("td", {class: "num"}, d.count ? v.toFixed(2) : "—")))))),
    me.role === "supervisor" ? readingForm(r) : null,
    el("h2", {}, t("evComments")), r.results.filter(d => d.comments.length).map(d => el("div", {class: "card"}, el("h3", {}, d.department),
      el("ul", {}, d.comments.map(c => el("li", {}, c))))));
}

// readingForm records a department's mean as an indicator reading of an item (指标录入),
// through the existing readings route: the item's workflow records it.
function readingForm(r) {
  const scored = r.results.filter(d => d.mean != null);
  if (!scored.length) return null;
  const dept = el("select", {"aria-label": t("evDept")}, scored.map(d => el("option", {value: d.mean}, `${d.department}${colon()}${d.mean.toFixed(2)}`)));
  const item = el("input", {type: "number", min: 1, required: true, "aria-label": t("evItem"), placeholder: t("evItem")});
  const name = el("input", {required: true, "aria-label": t("evIndicator"), placeholder: t("evIndicator")});
  return el("form", {class: "card", id: "evaluation-reading", onsubmit: async e => {
    e.preventDefault();
    try {
      await api("POST", `/items/${Number(item.value)}/indicators/readings`, {name: name.value, value: Number(dept.value), note: `${t("evNav")}${colon()}${r.title}`});
      flash(t("evRecorded"));
    } catch (err) { fail(err); }
  }}, el("h2", {}, t("evReading")), el("p", {class: "muted"}, t("evReadingHint")), dept, item, name, el("button", {type: "submit"}, t("evReading")));
}

// pageEvaluate is the answer form, for a signed-in evaluator or with a code, unsigned.
async function pageEvaluate() {
  const q = new URLSearchParams(location.search), id = q.get("id"), code = q.get("code") || "";
  const r = await api("GET", `/evaluations/${id}` + (code ? `?code=${encodeURIComponent(code)}` : ""));
  const open = r.departments.filter(d => !r.answered.includes(d.id) && !(me && me.department_id === d.id));
  if (r.closed || !r.can_answer || !open.length) {
    return render(el("h1", {}, r.title), el("p", {class: "muted"}, r.closed ? t("evClosed") : t("evAllDone")));
  }
  const dept = el("select", {required: true, "aria-label": t("evDept")}, open.map(d => el("option", {value: d.id}, d.name)));
  const scores = r.questions.map(qq => qq.max <= 10
    ? el("select", {required: true, "aria-label": qq.text}, Array.from({length: qq.max + 1}, (_, i) => qq.max - i).map(v => el("option", {value: v}, String(v))))
    : el("input", {type: "number", min: 0, max: qq.max, required: true, "aria-label": qq.text}));
  const comment = el("textarea", {rows: 3, "aria-label": t("evComment"), maxlength: 600});
  render(el("h1", {}, r.title), el("p", {class: "muted"}, `${t("evPeriod")}${colon()}${fmtDay(r.period_from)} – ${fmtDay(r.period_to)} · ${t("evClosesAt")}${colon()}${fmtDate(r.closes_at)}`),
    code ? el("p", {class: "muted"}, t("evAnon")) : null,
    el("form", {class: "card", id: "answer", onsubmit: async e => {
      e.preventDefault();
      const body = {department: Number(dept.value), scores: scores.map(s => Number(s.value)), comment: comment.value};
      if (code) body.code = code;
      try {
        await api("POST", `/evaluations/${id}/answers`, body);
        const more = !code && open.length > 1;
        render(el("h1", {}, r.title), el("p", {class: "flash", id: "thanks"}, t("evThanks")),
          more ? el("p", {}, el("a", {href: `/evaluate?id=${id}`, class: "button"}, t("evAnswer"))) : null,
          me ? el("p", {}, el("a", {href: "/evaluations"}, "← " + t("evNav"))) : null);
      } catch (err) { fail(err); }
    }}, el("label", {}, t("evDept"), " ", dept),
      r.questions.map((qq, i) => el("label", {class: "ind"}, `${qq.text}（0–${qq.max}）`, " ", scores[i])),
      el("label", {}, t("evComment"), " ", comment), el("button", {type: "submit"}, t("evSubmit"))));
}
