// The import wizard (导入方案): paste or upload a plan, check what was read — each unit name
// against the department registry, each row with its flags and warnings — edit rows and
// indicators, then launch. Nothing is created until every unit name is settled: matched,
// mapped to a department (optionally kept as its alias), or confirmed as a new department.
"use strict";
Object.assign(T.zh, {
  step1: "第一步：方案原文", step2: "第二步：核对单位与事项", step3: "已启动", firstListed: "未列牵头单位时，以列在首位的责任单位为牵头单位",
  units: "单位对照", unitAsWritten: "文中写法", unitIs: "对应单位", asAlias: "记为别名", unitState: "状态",
  how_name: "名称一致", how_alias: "别名一致", how_abbreviation: "按简称匹配，请确认", how_mapped: "已对照", how_create: "将新建",
  unmatched: "未匹配，请选择", choose: "请选择…", suggested: "相近单位", allDepts: "全部单位", createNew: "新建单位：",
  unsettled: "还有 {n} 个单位未对照，对照后才能启动。", planInfo: "方案信息", docTitle: "方案名称", docNumber: "文号", issuer: "发文机关", docDate: "成文日期",
  flag_no_lead: "未列牵头单位", flag_past_deadline: "时限已过（给予宽限期）", flag_no_deadline: "无明确时限（报送至方案结束）",
  rowWarnings: "识别提示", addIndicator: "添加指标", indName: "指标名称", wzTarget: "目标值", indUnit: "单位", remove: "删除",
  recheck: "重新核对", firstLead: "首位：", launching: "正在启动…", openPlan: "查看方案", itemsN: "项事项", kept: "保留", content: "任务内容",
  line: "第 {n} 行", whole: "全文", nothingRead: "未识别出任务清单。", comparator: "比较方式",
});
Object.assign(T.en, {
  step1: "Step 1: the plan", step2: "Step 2: check units and items", step3: "Launched", firstListed: "Where a row names no lead, the first-listed unit leads",
  units: "Unit names", unitAsWritten: "As written", unitIs: "Department", asAlias: "Keep as alias", unitState: "State",
  how_name: "Same name", how_alias: "Known alias", how_abbreviation: "Matched as a short form: confirm", how_mapped: "Mapped", how_create: "Will be created",
  unmatched: "Not matched: choose", choose: "Choose…", suggested: "Similar", allDepts: "All departments", createNew: "Create department: ",
  unsettled: "{n} unit name(s) still need a department before launch.", planInfo: "Plan", docTitle: "Title", docNumber: "Document number", issuer: "Issuer", docDate: "Date",
  flag_no_lead: "No lead listed", flag_past_deadline: "Deadline passed (grace applies)", flag_no_deadline: "No deadline (reports until the plan ends)",
  rowWarnings: "Reading notes", addIndicator: "Add indicator", indName: "Indicator", wzTarget: "Target", indUnit: "Unit", remove: "Remove",
  recheck: "Check again", firstLead: "first listed: ", launching: "Launching…", openPlan: "Open the plan", itemsN: "items", kept: "Keep", content: "Task",
  line: "line {n}", whole: "document", nothingRead: "No task list was recognised.", comparator: "Comparator",
});

const splitUnits = s => s.split(/[、,，;；\s]+/).map(x => x.trim()).filter(Boolean);

// indicatorEditor edits one row's numeric targets (指标) in place.
function indicatorEditor(list) {
  const box = el("div", {class: "inds-edit"});
  const draw = () => box.replaceChildren(...list.map((ind, i) => el("div", {class: "ind-row"},
    el("input", {value: ind.name, "aria-label": t("indName"), placeholder: t("indName"), size: 12, oninput: e => { ind.name = e.target.value; }}),
    el("select", {"aria-label": t("comparator"), onchange: e => { ind.comparator = e.target.value; }},
      [">=", "<=", "="].map(c => el("option", {value: c, selected: ind.comparator === c}, {">=": "≥", "<=": "≤", "=": "="}[c]))),
    el("input", {type: "number", step: "any", value: ind.target ?? "", "aria-label": t("wzTarget"), class: "num", size: 6, oninput: e => { ind.target = e.target.value === "" ? null : Number(e.target.value); }}),
    el("input", {value: ind.unit || "", "aria-label": t("indUnit"), placeholder: t("indUnit"), size: 3, oninput: e => { ind.unit = e.target.value; }}),
    el("button", {type: "button", class: "link", "aria-label": t("remove"), onclick: () => { list.splice(i, 1); draw(); }}, "×"))),
    el("button", {type: "button", class: "link", onclick: () => { list.push({name: "", target: null, unit: "", comparator: ">="}); draw(); }}, "+ " + t("addIndicator")));
  draw();
  return box;
}

// unitRow is one unit name and the person's answer for it.
function unitRow(d, depts, answer) {
  const byId = Object.fromEntries(depts.map(x => [x.id, x.name]));
  const sel = el("select", {"aria-label": `${t("unitIs")}${colon()}${d.name}`, "data-unit": d.name},
    el("option", {value: ""}, t("choose")),
    d.match != null && d.how !== "create" ? el("option", {value: String(d.match), selected: answer.value === String(d.match)}, byId[d.match] || `#${d.match}`) : null,
    d.suggestions.some(s => s.id !== d.match) ? el("optgroup", {label: t("suggested")}, d.suggestions.filter(s => s.id !== d.match).map(s => el("option", {value: String(s.id), selected: answer.value === String(s.id)}, s.name))) : null,
    el("optgroup", {label: t("allDepts")}, depts.map(x => el("option", {value: String(x.id), selected: answer.value === String(x.id) && x.id !== d.match && !d.suggestions.some(s => s.id === x.id)}, x.name))),
    el("option", {value: "create", selected: answer.value === "create"}, t("createNew") + d.name));
  const alias = el("input", {type: "checkbox", checked: answer.alias, "aria-label": t("asAlias")});
  const state = el("span", {class: "pill"});
  const show = () => {
    const how = answer.value === "" ? "" : answer.value === "create" ? "create" : answer.value === String(d.match) && d.how !== "mapped" ? d.how : "mapped";
    state.textContent = how ? t("how_" + how) : t("unmatched");
    state.className = "pill " + (how === "" ? "bad" : how === "abbreviation" || how === "create" ? "warn" : "ok");
    alias.disabled = answer.value === "" || answer.value === "create" || how === "name" || how === "alias";
  };
  // Mapping a name nobody knew to a department keeps it as that department's alias unless
  // the clerk says otherwise, so the next plan that writes it the same way matches by itself.
  sel.addEventListener("change", () => {
    answer.value = sel.value; answer.touched = true;
    if (!answer.aliasTouched) answer.alias = sel.value !== "" && sel.value !== "create" && !(sel.value === String(d.match) && (d.how === "name" || d.how === "alias"));
    alias.checked = answer.alias; show(); answer.onchange();
  });
  alias.addEventListener("change", () => { answer.alias = alias.checked; answer.aliasTouched = true; });
  show();
  return el("tr", {class: answer.value === "" ? "unsettled" : ""}, el("td", {}, d.name), el("td", {}, sel), el("td", {}, el("label", {}, alias, " ", t("asAlias"))), el("td", {}, state));
}

function pageImport() {
  const ta = el("textarea", {rows: 12, "aria-label": t("text"), placeholder: t("pastehere")});
  const file = el("input", {type: "file", accept: ".txt,.docx,.csv,.xlsx,.yaml,.yml,.json", "aria-label": t("upload")});
  const firstListed = el("input", {type: "checkbox", id: "first-listed"});
  const out = el("div", {id: "wizard"});
  const answers = {}; // unit name → {value: department id | "create" | "", alias, touched}
  let rows = null, plan = null, depts = [];

  // send posts the document with the person's answers; the file goes as multipart.
  const send = async (dry, withRows) => {
    const fields = {dry_run: dry, first_listed_leads: firstListed.checked, departments: mapping()};
    if (withRows && rows) { fields.items = rows.filter(r => r.keep.checked).map(r => r.item()); fields.plan = plan(); }
    if (!file.files.length) return api("POST", "/plans/import", {text: ta.value, ...fields});
    const fd = new FormData();
    fd.append("file", file.files[0]);
    for (const [k, v] of Object.entries(fields)) fd.append(k, typeof v === "object" ? JSON.stringify(v) : String(v));
    const resp = await fetch("/api/v1/plans/import", {method: "POST", body: fd, credentials: "same-origin",
      headers: {"X-CSRF-Token": cookie("duban_csrf"), "Accept-Language": lang === "zh" ? "zh-CN" : "en", "Idempotency-Key": crypto.randomUUID ? crypto.randomUUID() : String(Math.random())}});
    const r = await resp.json();
    if (!resp.ok) throw new Error((r.field ? r.field + ": " : "") + (r.detail || r.title));
    return r;
  };
  const mapping = () => Object.entries(answers).filter(([, a]) => a.value !== "" && (a.touched || a.alias)).map(([name, a]) =>
    a.value === "create" ? {name, create: true} : {name, id: Number(a.value), alias: a.alias});
  const unsettled = () => Object.values(answers).filter(a => a.value === "").length;

  const preview = async withRows => {
    let r;
    try { r = await send(true, withRows); } catch (e) { return fail(e); }
    depts = await quiet(api("GET", "/departments"), depts);
    for (const d of r.departments || []) {
      const a = answers[d.name] || (answers[d.name] = {value: "", alias: false, touched: false});
      if (!a.touched) { a.value = d.match != null ? String(d.match) : d.how === "create" ? "create" : ""; a.alias = d.how === "abbreviation"; }
    }
    for (const name of Object.keys(answers)) if (!(r.departments || []).some(d => d.name === name)) delete answers[name];
    showPreview(r);
  };

  const showPreview = r => {
    const warnsOf = ref => (r.warnings || []).filter(w => w.item && w.item === ref);
    // A warning's message is "中文 / English": each language reads its own half.
    const says = w => lang === "en" && w.message_en ? w.message_en : w.message_en ? w.message.replace(" / " + w.message_en, "") : w.message;
    const meta = ["title", "doc_number", "issuer", "date"].map(k => [k, el("input", {value: r.plan?.[k] || "", "aria-label": t({title: "docTitle", doc_number: "docNumber", issuer: "issuer", date: "docDate"}[k])})]);
    plan = () => Object.fromEntries(meta.map(([k, i]) => [k, i.value]));
    rows = (r.items || []).map(i => {
      const inds = (i.indicators || []).map(x => ({...x}));
      const x = {
        i, inds,
        keep: el("input", {type: "checkbox", checked: true, "aria-label": t("keep")}),
        title: el("textarea", {rows: 2, "aria-label": t("title"), class: "cell"}, i.title),
        lead: el("input", {value: (i.lead || []).join("、"), "aria-label": t("lead"), size: 10,
          placeholder: !(i.lead || []).length && firstListed.checked && (i.partners || []).length ? `${t("firstLead")}${i.partners[0]}` : ""}),
        partners: el("textarea", {rows: 2, "aria-label": t("partners"), class: "cell"}, (i.partners || []).join("、")),
        end: el("input", {type: "date", value: i.window?.end || "", "aria-label": t("deadline")}),
        ongoing: el("input", {type: "checkbox", checked: !!i.window?.ongoing, "aria-label": t("ongoing")}),
      };
      x.item = () => ({...i, title: x.title.value.trim(), lead: splitUnits(x.lead.value), partners: splitUnits(x.partners.value),
        window: {...(i.window || {}), end: x.end.value, ongoing: x.ongoing.checked}, indicators: x.inds.filter(d => d.name.trim())});
      return x;
    });
    const left = unsettled();
    const launchBtn = el("button", {id: "launch", disabled: left > 0}, t("launch"));
    const note = el("p", {class: "flash bad", id: "unsettled", hidden: left === 0}, t("unsettled").replace("{n}", left));
    for (const a of Object.values(answers)) a.onchange = () => { const n = unsettled(); launchBtn.disabled = n > 0; note.hidden = n === 0; note.textContent = t("unsettled").replace("{n}", n); };
    launchBtn.addEventListener("click", async () => {
      launchBtn.disabled = true; launchBtn.textContent = t("launching");
      // Edited unit names may need answers of their own: check again before creating anything.
      let check;
      try { check = await send(true, true); } catch (e) { launchBtn.disabled = false; launchBtn.textContent = t("launch"); return fail(e); }
      if ((check.departments || []).some(d => d.match == null && d.how !== "create" && !answers[d.name]?.value)) { launchBtn.textContent = t("launch"); return preview(true); }
      let done;
      try { done = await send(false, true); } catch (e) { launchBtn.disabled = false; launchBtn.textContent = t("launch"); return fail(e); }
      showLaunched(done);
    });
    const warnRow = x => warnsOf(x.i.ref);
    out.replaceChildren(...[
      el("h2", {}, t("step2")),
      el("fieldset", {class: "unit meta"}, el("legend", {}, t("planInfo")), meta.map(([k, i]) => el("label", {}, t({title: "docTitle", doc_number: "docNumber", issuer: "issuer", date: "docDate"}[k]), " ", i))),
      el("h3", {}, `${t("units")}${paren((r.departments || []).length)}`),
      (r.departments || []).length ? el("div", {class: "scroll"}, el("table", {id: "units"},
        el("thead", {}, el("tr", {}, ["unitAsWritten", "unitIs", "asAlias", "unitState"].map(k => el("th", {scope: "col"}, t(k))))),
        el("tbody", {}, (r.departments || []).map(d => unitRow(d, depts, answers[d.name]))))) : null,
      r.warnings?.length ? el("details", {open: r.warnings.length <= 8}, el("summary", {}, `${t("warnings")}${paren(r.warnings.length)}`),
        el("ul", {}, r.warnings.map(w => el("li", {}, el("span", {class: "muted"}, w.line ? t("line").replace("{n}", w.line) : t("whole")), w.item ? ` [${w.item}]` : "", " ",
          says(w))))) : null,
      el("h3", {}, `${t("items")}${paren(rows.length)}`),
      rows.length ? el("div", {class: "scroll"}, el("table", {id: "rows", class: "wizard"},
        el("thead", {}, el("tr", {}, ["kept", "ref", "title", "lead", "partners", "deadline", "indicator", "rowWarnings"].map(k => el("th", {scope: "col"}, t(k))))),
        el("tbody", {}, rows.map(x => el("tr", {class: warnRow(x).length || x.i.flags?.length ? "flagged" : "", "data-ref": x.i.ref},
          el("td", {}, x.keep), el("td", {}, x.i.ref),
          el("td", {}, x.title, x.i.content && x.i.content !== x.i.title ? el("details", {}, el("summary", {class: "muted"}, t("content")), el("p", {class: "small"}, x.i.content)) : null),
          el("td", {}, x.lead), el("td", {}, x.partners),
          el("td", {class: "nowrap"}, x.end, el("br"), el("label", {class: "small"}, x.ongoing, " ", t("ongoing"))),
          el("td", {}, indicatorEditor(x.inds)),
          el("td", {class: "flags"}, (x.i.flags || []).map(f => el("span", {class: "pill warn"}, t("flag_" + f))),
            warnRow(x).map(w => el("span", {class: "pill", title: says(w)}, "⚠ " + says(w)))))))))
        : el("p", {class: "flash bad"}, t("nothingRead")),
      note,
      el("p", {}, el("button", {type: "button", class: "secondary", id: "recheck", onclick: () => preview(true)}, t("recheck")), " ", launchBtn)].filter(n => n != null));
    out.scrollIntoView({block: "start"});
  };

  const showLaunched = r => {
    rows = null;
    out.replaceChildren(...[el("h2", {}, t("step3")),
      el("p", {class: "flash"}, `${t("launched")}${colon()}${r.started ?? 0}`, r.plan_id ? [" · ", el("a", {href: "/plans/" + r.plan_id}, t("openPlan"))] : null),
      r.warnings?.length ? el("ul", {}, r.warnings.map(w => el("li", {}, w.message))) : null,
      el("ol", {}, (r.items || []).map(i => el("li", {}, i.id ? el("a", {href: "/items/" + i.id}, `${i.ref} ${i.title}`) : `${i.ref} ${i.title}`)))].filter(n => n != null));
  };

  render(el("h1", {}, t("import")), el("h2", {}, t("step1")), el("p", {}, el("label", {}, t("upload") + " ", file)), ta,
    el("p", {}, el("label", {for: "first-listed"}, firstListed, " ", t("firstListed"))),
    el("p", {}, el("button", {id: "preview", onclick: () => { for (const k of Object.keys(answers)) delete answers[k]; preview(false); }}, t("preview"))), out);
}
