// Duban UI: the working-day calendar tab of the administration page (/admin#calendar) — the
// years known (built in or uploaded) and those counted provisionally, a year's holiday
// notice uploaded as a holiday-cn JSON file, local overrides (a day off or a make-up
// workday) and a date check.
"use strict";
Object.assign(T.zh, {adcYears:"年度节假日安排", adcYear:"年份", adcSource:"来源", adcState:"状态", adcBuiltin:"内置", adcUploaded:"已上传",
  adcMissing:"未导入", adcOfficial:"按放假通知计算", adcProvisional:"暂按周一至周五计算（元旦、劳动节、国庆节休息）", adcShow:"查看", adcHide:"收起",
  adcUpload:"导入放假通知", adcUploadHint:"国务院办公厅放假通知的 holiday-cn 格式 JSON 文件（如 2027.json）", adcFile:"文件", adcImport:"导入",
  adcNotJSON:"文件不是有效的 JSON", adcNeedFile:"请选择文件", adcNeedYear:"请填写年份", adcImported:"已导入 {y} 年节假日安排，共 {n} 天",
  adcOverrides:"本地调整", adcOverridesIntro:"本地调整优先于放假通知，如本市增加的假日或调休上班日。",
  adcDate:"日期", adcOff:"放假", adcOn:"上班", adcDayName:"说明", adcKindCol:"类型", adcFromFile:"配置文件", adcLocal:"本地设置",
  adcAdded:"已添加 {d} 的调整", adcRemoved:"已删除 {d} 的调整", adcCheck:"查询日期", adcAfter:"往后推（可选）", adcWorkdays:"个工作日", adcAsk:"查询",
  adcIsWorkday:"{d} 是工作日", adcIsOff:"{d} 不是工作日", adcDeadline:"{n} 个工作日后的期限：{d}", adcTentative:"（该年放假通知尚未导入，结果为暂定）",
  adcIntro:"期限和提醒按工作日计算。每年国务院办公厅发布下一年的放假通知后，请在此导入。"});
Object.assign(T.en, {adcYears:"Holiday notices by year", adcYear:"Year", adcSource:"Source", adcState:"State", adcBuiltin:"built in", adcUploaded:"uploaded",
  adcMissing:"not added", adcOfficial:"counted by the notice", adcProvisional:"counted Monday to Friday for now (New Year, Labour Day, National Day off)", adcShow:"Show", adcHide:"Hide",
  adcUpload:"Add a holiday notice", adcUploadHint:"The State Council's notice as a holiday-cn JSON file (such as 2027.json)", adcFile:"File", adcImport:"Import",
  adcNotJSON:"The file is not valid JSON", adcNeedFile:"Choose a file", adcNeedYear:"Enter the year", adcImported:"{y} holiday notice added: {n} day(s)",
  adcOverrides:"Local overrides", adcOverridesIntro:"Local overrides win over the notice: an extra local holiday, or a make-up workday.",
  adcDate:"Date", adcOff:"Day off", adcOn:"Workday", adcDayName:"Note", adcKindCol:"Kind", adcFromFile:"configuration file", adcLocal:"set here",
  adcAdded:"Override for {d} added", adcRemoved:"Override for {d} removed", adcCheck:"Check a date", adcAfter:"plus (optional)", adcWorkdays:"working days", adcAsk:"Check",
  adcIsWorkday:"{d} is a working day", adcIsOff:"{d} is not a working day", adcDeadline:"Deadline {n} working days later: {d}", adcTentative:" (that year's notice is not added yet: provisional)",
  adcIntro:"Deadlines and reminders count working days. Add next year's holiday notice here once the State Council publishes it."});

async function adminCalendar() {
  const cal = await api("GET", "/calendar");
  const years = [...new Set([...cal.years, ...cal.provisional_years])].sort((a, b) => b - a);
  const yearRows = years.map(y => {
    const known = cal.years.includes(y);
    const row = el("tr", {"data-year": y, class: known ? null : "late"}, el("td", {}, el("strong", {}, y)),
      el("td", {}, known ? t(cal.uploaded_years.includes(y) ? "adcUploaded" : "adcBuiltin") : t("adcMissing")),
      el("td", {}, known ? t("adcOfficial") : el("span", {class: "pill bad"}, t("adcProvisional"))),
      el("td", {}, known ? el("button", {type: "button", class: "secondary", onclick: adminAct(() => yearDays(row, y))}, t("adcShow")) : ""));
    return row;
  });
  return [el("h1", {}, t("adCalendar")), el("p", {class: "muted"}, t("adcIntro")), yearUpload(),
    el("h2", {}, t("adcYears")),
    el("table", {id: "cal-years"}, el("thead", {}, el("tr", {}, ["adcYear", "adcSource", "adcState", "adActions"].map(k => el("th", {scope: "col"}, t(k))))), el("tbody", {}, yearRows)),
    overridesSection(cal), dateCheck()];
}

// yearDays lists a year's holidays and make-up workdays under its row.
async function yearDays(row, y) {
  if (row.nextSibling?.classList.contains("inline")) return row.nextSibling.remove();
  const r = await api("GET", `/calendar/years/${y}`);
  inlineRow(row, 4, el("table", {class: "days"}, el("tbody", {}, r.days.map(d => el("tr", {},
    el("td", {}, adminDay(d.date)), el("td", {}, d.name || ""), el("td", {}, d.off ? t("adcOff") : el("strong", {}, t("adcOn"))))))));
}

// yearUpload sends a holiday-cn file (or {days:[…]}) as the year it names.
function yearUpload() {
  const file = el("input", {id: "cal-file", type: "file", accept: ".json,application/json", "aria-label": t("adcFile")});
  const year = el("input", {id: "cal-year", type: "number", min: 2000, max: 2200, "aria-label": t("adcYear"), placeholder: t("adcYear"), size: 6});
  const read = async () => {
    if (!file.files.length) throw new Error(t("adcNeedFile"));
    try { return JSON.parse(await file.files[0].text()); } catch { throw new Error(t("adcNotJSON")); }
  };
  file.addEventListener("change", async () => { try { const j = await read(); if (j.year) year.value = j.year; } catch { /* said on import */ } });
  return el("form", {class: "card filters", id: "cal-upload", onsubmit: adminAct(async () => {
    const body = await read();
    const y = Number(year.value || body.year);
    if (!y) throw new Error(t("adcNeedYear"));
    const r = await api("PUT", `/calendar/years/${y}`, body);
    calYears = null; // app.js: the warning about provisional years reads the calendar again
    await adminDone(tf("adcImported", {y, n: r.days.length}));
  })}, el("strong", {}, t("adcUpload")), el("span", {class: "muted"}, t("adcUploadHint")), file, year, el("button", {type: "submit", id: "cal-import"}, t("adcImport")));
}

// overridesSection lists the overrides in force; those set here can be removed, and one added.
function overridesSection(cal) {
  const local = cal.local_overrides;
  const isLocal = d => local.some(x => x.date === d.date);
  const save = async (days, msg) => { await api("PUT", "/calendar/overrides", {days}); await adminDone(msg); };
  const rows = cal.overrides.map(d => el("tr", {"data-date": d.date}, el("td", {}, adminDay(d.date)), el("td", {}, d.off ? t("adcOff") : t("adcOn")),
    el("td", {}, d.name || ""), el("td", {}, t(isLocal(d) ? "adcLocal" : "adcFromFile")),
    el("td", {}, isLocal(d) ? confirmButton(t("adDelete"), t("adConfirmDelete"), () => save(local.filter(x => x.date !== d.date), tf("adcRemoved", {d: adminDay(d.date)}))) : "")));
  const date = el("input", {id: "ov-date", type: "date", required: true, "aria-label": t("adcDate")});
  const off = el("select", {id: "ov-off", "aria-label": t("adcKindCol")}, el("option", {value: "true"}, t("adcOff")), el("option", {value: "false"}, t("adcOn")));
  const name = el("input", {id: "ov-name", maxlength: 64, "aria-label": t("adcDayName"), placeholder: t("adcDayName")}); // api/calendar.go maxDayName
  const add = el("form", {class: "filters", onsubmit: adminAct(() =>
    save([...local.filter(x => x.date !== date.value), {date: date.value, off: off.value === "true", name: name.value}], tf("adcAdded", {d: adminDay(date.value)})))},
  date, off, name, el("button", {type: "submit", id: "ov-add"}, t("adAdd")));
  return el("section", {}, el("h2", {}, t("adcOverrides")), el("p", {class: "muted"}, t("adcOverridesIntro")),
    rows.length ? el("table", {id: "overrides"}, el("thead", {}, el("tr", {}, ["adcDate", "adcKindCol", "adcDayName", "adcSource", "adActions"].map(k => el("th", {scope: "col"}, t(k))))), el("tbody", {}, rows))
      : el("p", {class: "muted"}, t("none")), add);
}

// dateCheck asks whether a date is a working day, and the deadline N working days later.
function dateCheck() {
  const date = el("input", {id: "ck-date", type: "date", required: true, "aria-label": t("adcDate")});
  const n = el("input", {id: "ck-n", type: "number", min: 0, max: 366, class: "short"});
  const out = el("p", {id: "ck-out", "aria-live": "polite"});
  return el("section", {}, el("h2", {}, t("adcCheck")), el("form", {class: "filters", onsubmit: adminAct(async () => {
    fill(out); // a refused date must not leave the answer about the previous one beside it
    const r = await api("GET", `/calendar/check?date=${date.value}` + (n.value ? `&workdays=${n.value}` : ""));
    fill(out, tf(r.workday ? "adcIsWorkday" : "adcIsOff", {d: adminDay(r.date)}),
      r.deadline ? [lang === "zh" ? "；" : "; ", tf("adcDeadline", {n: n.value, d: adminDay(r.deadline)})] : "", r.provisional ? t("adcTentative") : "");
  })}, date, el("label", {for: "ck-n"}, t("adcAfter")), n, el("span", {}, t("adcWorkdays")), el("button", {type: "submit", id: "ck-ask"}, t("adcAsk"))), out);
}
