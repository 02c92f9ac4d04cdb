// Duban UI: indicator tracking (指标) on the item page — per indicator an inline SVG chart
// of the values over time against the pro-rata line (序时进度), the forecast at the current
// pace and the target, a status badge, and for supervisors a form to record a value by hand.
"use strict";
Object.assign(T.zh, {indTitle:"指标跟踪", indTarget:"目标", indPace:"序时进度", indForecast:"按当前进度预计", indNow:"今天",
  indCurrent:"当前值", indAttain:"完成率", indOnPace:"按序时推进", atrisk:"无法按期完成", indNoData:"暂无数据", indRecord:"录入指标值",
  indValue:"数值", indAt:"数据截至", indNote:"数据来源或说明", indSave:"录入", indManual:"手工录入", indReport:"进展报送",
  indCompletion:"申请办结", event_indicator_recorded:"指标录入"});
Object.assign(T.en, {indTitle:"Indicators", indTarget:"Target", indPace:"Pro-rata pace", indForecast:"Forecast at current pace", indNow:"today",
  indCurrent:"Current", indAttain:"Attainment", indOnPace:"On pace", atrisk:"At risk: cannot be met in time", indNoData:"No data yet", indRecord:"Record a value",
  indValue:"Value", indAt:"As of", indNote:"Source or note", indSave:"Record", indManual:"entered by hand", indReport:"report",
  indCompletion:"completion request", event_indicator_recorded:"Indicator recorded"});

const indColors = {pace: "#66727f", target: "#b71c1c", series: "#1565c0", forecast: "#1565c0", now: "#b8c0c8"};
const fmtNum = x => (Math.round(x * 10) / 10).toLocaleString(lang === "zh" ? "zh-CN" : "en-GB");

// indicatorsSection returns the item page's indicator section at once and fills it when the
// API answers, so the rest of the page does not wait for it.
function indicatorsSection(id) {
  const box = el("section", {id: "indicators", "aria-busy": "true"}, el("h2", {}, t("indTitle")));
  api("GET", `/items/${id}/indicators`).then(r => drawIndicators(box, id, r)).catch(e => box.append(el("p", {class: "flash bad"}, e.message)));
  return box;
}

function drawIndicators(box, id, r) {
  box.replaceChildren(el("h2", {}, t("indTitle")), ...r.indicators.map(ind => indicatorCard(box, id, ind, r.as_of, r.can_record)));
  box.setAttribute("aria-busy", "false");
}

// indicatorState names the badge: at_risk beats behind; no value is no verdict.
function indicatorState(s) {
  if (s.value == null) return ["none", t("indNoData"), "dot"];
  if (s.at_risk) return ["risk", t("atrisk"), "dot red"];
  if (s.behind) return ["behind", t("behind"), "dot yellow"];
  return ["ok", t("indOnPace"), "dot green"];
}

function indicatorCard(box, id, ind, asOf, canRecord) {
  const s = ind.status, [state, label, dot] = indicatorState(s);
  const badge = el("span", {class: "ind-status", "data-state": state}, el("span", {class: dot}), " ", label);
  const facts = [`${t("indTarget")} ${cmp(ind.comparator)} ${fmtNum(ind.target)}${ind.unit}` + (ind.deadline ? paren(fmtDay(ind.deadline)) : "")];
  if (s.value != null) facts.push(`${t("indCurrent")} ${fmtNum(s.value)}${ind.unit}`, `${t("indAttain")} ${Math.round(s.attainment * 100)}%`);
  facts.push(`${t("indPace")} ${fmtNum(s.expected)}${ind.unit}${paren(`${Math.round(s.share * 100)}%`)}`);
  if (s.forecast != null) facts.push(`${t("indForecast")} ${fmtNum(s.forecast)}${ind.unit}`);
  return el("div", {class: "card indicator", "data-name": ind.name},
    el("h3", {}, ind.name, " ", badge), el("p", {class: "muted"}, facts.join(" · ")),
    indicatorChart(ind, asOf), canRecord ? recordForm(box, id, ind) : null);
}

// indicatorChart draws values over time (points joined by a line; hollow points were
// entered by hand), the pro-rata line from 0 at the window's start to the target at the
// deadline, the forecast (dashed) from today's value to the deadline, and the target.
function indicatorChart(ind, asOf) {
  const W = 640, H = 220, L = 64, R = 16, T = 14, B = 30;
  const now = new Date(asOf).getTime(), pts = ind.series.map(p => ({x: new Date(p.at).getTime(), ...p}));
  const start = ind.start ? new Date(ind.start).getTime() : Math.min(now, ...pts.map(p => p.x));
  const end = ind.end ? new Date(ind.end).getTime() : Math.max(now, ...pts.map(p => p.x));
  const x0 = Math.min(start, ...pts.map(p => p.x)), x1 = Math.max(end, x0 + 1, ...pts.map(p => p.x));
  const f = ind.status.forecast, top = Math.max(ind.target, ...pts.map(p => p.value), Number.isFinite(f) ? f : 0, 1) * 1.1;
  const X = v => L + (W - L - R) * (v - x0) / (x1 - x0), Y = v => T + (H - T - B) * (1 - v / top);
  const line = (a, b, c, d, color, extra) => svg("line", {x1: X(a), y1: Y(b), x2: X(c), y2: Y(d), stroke: color, "stroke-width": 2, ...extra});
  const text = (x, y, s, anchor) => svg("text", {x, y, "font-size": 11, fill: "#66727f", "text-anchor": anchor || "start"}, s);
  const kids = [
    svg("line", {x1: L, y1: Y(0), x2: W - R, y2: Y(0), stroke: "#d9dee3"}),
    text(L - 6, Y(0) + 4, "0", "end"), text(L - 6, Y(ind.target) + 4, fmtNum(ind.target), "end"),
    text(L, H - 8, fmtDay(x0)), text(W - R, H - 8, fmtDay(x1), "end"),
    line(x0, ind.target, x1, ind.target, indColors.target, {class: "ind-target"}),
  ];
  if (ind.start && ind.end) kids.push(line(start, 0, end, ind.target, indColors.pace, {class: "ind-pace", "stroke-width": 1.5}));
  if (now >= x0 && now <= x1) kids.push(svg("line", {x1: X(now), y1: T, x2: X(now), y2: Y(0), stroke: indColors.now, "stroke-dasharray": "2 3"}), text(X(now) + 3, T + 10, t("indNow")));
  if (ind.status.value != null && Number.isFinite(f) && ind.end && end > now) {
    kids.push(line(now, ind.status.value, end, f, indColors.forecast, {class: "ind-forecast", "stroke-dasharray": "6 4"}));
  }
  if (pts.length > 1) kids.push(svg("polyline", {class: "ind-series", fill: "none", stroke: indColors.series, "stroke-width": 2, points: pts.map(p => `${X(p.x)},${Y(p.value)}`).join(" ")}));
  for (const p of pts) {
    const src = p.source === "manual" ? t("indManual") : p.source === "completion" ? t("indCompletion") : t("indReport");
    kids.push(svg("circle", {class: "ind-point", "data-source": p.source, cx: X(p.x), cy: Y(p.value), r: 4, stroke: indColors.series, "stroke-width": 2,
      fill: p.source === "manual" ? "#fff" : indColors.series}, svg("title", {}, `${fmtDay(p.at)} ${fmtNum(p.value)}${ind.unit} · ${src}${p.note ? " · " + p.note : ""}`)));
  }
  return svg("svg", {class: "chart ind-chart", viewBox: `0 0 ${W} ${H}`, role: "img",
    "aria-label": `${ind.name}: ${ind.series.length} · ${t("indTarget")} ${fmtNum(ind.target)}${ind.unit}`}, kids);
}

// recordForm lets a supervisor enter a value (指标录入); the answer redraws the section.
function recordForm(box, id, ind) {
  const value = el("input", {name: "value", type: "number", step: "any", required: true, "aria-label": t("indValue"), placeholder: t("indValue")});
  const at = el("input", {name: "at", type: "date", required: true, value: isoDay(Date.now()), "aria-label": t("indAt"), title: t("indAt")});
  const note = el("input", {name: "note", maxlength: 500, "aria-label": t("indNote"), placeholder: t("indNote")});
  return el("form", {class: "ind-record", onsubmit: async e => {
    e.preventDefault();
    try {
      const r = await api("POST", `/items/${id}/indicators/readings`, {name: ind.name, value: Number(value.value), at: at.value, note: note.value});
      drawIndicators(box, id, r);
      flash("✓");
    } catch (err) { fail(err); }
  }}, el("strong", {}, t("indRecord") + " "), value, " ", at, " ", note, " ", el("button", {type: "submit"}, t("indSave")));
}
