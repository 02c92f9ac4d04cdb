// Package launch turns a reviewed responsibility list into running supervision: it resolves
// department names against the registry, stores the plan, its items and assignments in one
// transaction, and starts one item workflow per item. Launching the same document twice
// creates nothing new and starts nothing twice; it only finishes starting items that a crash
// left pending.
package launch

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/dubanhq/duban/calendar"
	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/store"
	"github.com/dubanhq/duban/workflows"
)

// Plan is the plan-level metadata of a launch.
type Plan struct {
	Title       string
	DocNumber   string
	Issuer      string
	Date        string
	PeriodStart string
	PeriodEnd   string
	SourceText  string
}

// Input is a whole launch.
type Input struct {
	Plan   Plan
	Items  []domain.ItemDraft
	Policy domain.Policy
	// CreateDepartments adds every department the registry lacks instead of refusing the
	// launch (a blanket confirmation; the import wizard confirms name by name in Mapping).
	CreateDepartments bool
	// Mapping is the person's answer for unit names the registry did not match: use a
	// department, add the name as its alias, or create a department of that name. A launch
	// creates no department that is not confirmed here or by CreateDepartments.
	Mapping []NameMapping
	// FirstListedLeads makes the first-listed unit the lead of an item whose list names no
	// lead (a rule many plans state: 列第一位者为牵头单位).
	FirstListedLeads bool
	CreatedBy        uint64
	// SupervisorID, when set, becomes the plan's first supervisor (the importing 督办员).
	SupervisorID uint64
}

// NameMapping maps a unit name as written to a department: ID (with Alias, the name is
// also recorded as that department's alias), or Create a department of that name.
type NameMapping struct {
	Name   string `json:"name"`
	ID     uint64 `json:"id,omitempty"`
	Alias  bool   `json:"alias,omitempty"`
	Create bool   `json:"create,omitempty"`
}

// Result reports what the launch did.
type Result struct {
	PlanID   uint64
	Created  bool     // false: the same document was launched before
	ItemIDs  []uint64 // in list order
	Started  int      // workflows started by this call
	Warnings []string
}

// Launcher holds the dependencies of a launch.
type Launcher struct {
	Store     *store.Store
	Temporal  client.Client
	TaskQueue string
	// Parallel bounds concurrent workflow starts (default 16).
	Parallel int
	// AssessSchedule ("year", "half", or "none"/"" for none) gives each new plan its
	// assessment schedule.
	AssessSchedule string
	// Calendar counts a 督办件's default deadline in working days (nil: the built-in one).
	Calendar *calendar.Calendar
	// CaseRules number 督办件 and give their default deadlines.
	CaseRules domain.CaseRules
}

// Launch stores and starts a plan. Unknown department names fail the launch with an
// invalid-value error naming them, unless CreateDepartments is set.
func (l *Launcher) Launch(ctx context.Context, in Input) (*Result, error) {
	res, err := l.save(ctx, in)
	if err != nil {
		return nil, err
	}
	n, ids, err := l.StartPending(ctx, res.PlanID)
	res.Started, res.ItemIDs = n, ids
	if err == nil && l.Temporal != nil {
		if serr := EnsureAssessmentSchedule(ctx, l.Temporal, l.TaskQueue, res.PlanID, l.AssessSchedule); serr != nil {
			// Not fatal: every worker creates missing schedules when it starts.
			res.Warnings = append(res.Warnings, "考核计划未能创建，将由工作进程补建 / the assessment schedule could not be created now; a worker will create it at start")
		}
	}
	return res, err
}

// Prepare does everything Launch does except start workflows: it stores the plan, its items
// and assignments, and returns the input each pending item with a lead would start with,
// in list order. A caller that runs the workflows itself (the SDK's test environment) uses
// it; nothing is marked started.
func (l *Launcher) Prepare(ctx context.Context, in Input) (*Result, []workflows.ItemInput, error) {
	res, err := l.save(ctx, in)
	if err != nil {
		return nil, nil, err
	}
	p, err := l.pending(ctx, res.PlanID)
	res.ItemIDs = p.ids
	return res, p.inputs, err
}

// save resolves the departments and stores the plan, its items and assignments once.
func (l *Launcher) save(ctx context.Context, in Input) (*Result, error) {
	if err := in.Policy.Validate(); err != nil {
		return nil, err
	}
	if err := CheckWidths(in); err != nil {
		return nil, err
	}
	reg, err := newRegistry(ctx, l.Store)
	if err != nil {
		return nil, err
	}
	if err := l.applyMapping(ctx, reg, in.Mapping); err != nil {
		return nil, err
	}
	res := &Result{}
	newItems := make([]domain.Item, 0, len(in.Items))
	var unknown []string
	for i, it := range in.Items {
		if in.FirstListedLeads && len(it.Lead) == 0 && len(it.Partners) > 0 {
			it.Lead, it.Partners = it.Partners[:1], it.Partners[1:]
			res.Warnings = append(res.Warnings, fmt.Sprintf("第%d项（%s）：按“列第一位者为牵头单位”，%s牵头 / item %d: %s leads as the first listed",
				i+1, it.Ref, it.Lead[0], i+1, it.Lead[0]))
		}
		ni, warn, missing := toItem(i, it, reg)
		res.Warnings = append(res.Warnings, warn...)
		unknown = append(unknown, missing...)
		newItems = append(newItems, ni)
	}
	if len(unknown) > 0 {
		unknown = uniq(unknown)
		if !in.CreateDepartments {
			return nil, domain.Invalidf("items", "以下单位不在单位库中：%s；请先添加单位或别名，或选择自动创建 / unknown departments: %s; add them (or aliases) first, or launch with create_departments",
				strings.Join(unknown, "、"), strings.Join(unknown, ", "))
		}
		for _, name := range unknown {
			if _, err := l.Store.CreateDepartment(ctx, name, nil, "imported"); err != nil && domain.KindOf(err) != domain.KindConflict {
				return nil, err
			}
		}
		again := in
		again.CreateDepartments = false
		return l.save(ctx, again)
	}
	policyJSON, _ := json.Marshal(in.Policy)
	sum := sha256.Sum256([]byte(in.Plan.SourceText + "\x00" + string(mustJSON(hashItems(in.Items)))))
	p := &store.Plan{SourceHash: hex.EncodeToString(sum[:]), Title: in.Plan.Title, DocNumber: in.Plan.DocNumber,
		Issuer: in.Plan.Issuer, IssueDate: in.Plan.Date, PeriodStart: in.Plan.PeriodStart, PeriodEnd: in.Plan.PeriodEnd,
		PolicyJSON: string(policyJSON), SourceText: in.Plan.SourceText, CreatedBy: in.CreatedBy}
	plan, created, err := l.Store.CreatePlan(ctx, p, newItems)
	if err != nil {
		return nil, fmt.Errorf("launch: store plan: %w", err)
	}
	res.PlanID, res.Created = plan.ID, created
	if created && in.SupervisorID != 0 {
		if err := l.Store.AddPlanSupervisor(ctx, plan.ID, in.SupervisorID); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// applyMapping carries out the person's mapping of unit names: aliases are recorded and
// confirmed departments created before the items are resolved.
func (l *Launcher) applyMapping(ctx context.Context, reg *registry, ms []NameMapping) error {
	for i, m := range ms {
		field := fmt.Sprintf("departments[%d]", i)
		name := strings.TrimSpace(m.Name)
		if err := domain.CheckDepartmentName(field+".name", name); err != nil {
			return err
		}
		switch {
		case m.Create:
			d, err := l.Store.CreateDepartment(ctx, name, nil, "imported")
			if domain.KindOf(err) == domain.KindConflict {
				id, _ := reg.resolve(name)
				reg.mapped[normalise(name)] = id
				continue
			}
			if err != nil {
				return err
			}
			reg.names[normalise(name)], reg.full[d.ID], reg.mapped[normalise(name)] = d.ID, d.Name, d.ID
		case m.ID != 0:
			if _, ok := reg.full[m.ID]; !ok {
				return domain.Invalidf(field+".id", "单位 %d 不存在 / department %d does not exist", m.ID, m.ID)
			}
			if m.Alias {
				if err := l.Store.AddDepartmentAlias(ctx, m.ID, name); err != nil {
					return err
				}
			}
			reg.mapped[normalise(name)] = m.ID
		default:
			return domain.Invalidf(field, "请为“%s”选择单位、添加为别名或确认新建 / map %q to a department, an alias or a new department", name, name)
		}
	}
	return nil
}

// CheckWidths refuses text longer than its column (the plans and items tables), naming the
// field and the item's source line, before anything is stored.
func CheckWidths(in Input) error {
	type width struct {
		field, v string
		max      int
		line     int
	}
	ws := []width{{"plan.title", in.Plan.Title, 512, 0}, {"plan.doc_number", in.Plan.DocNumber, 128, 0}, {"plan.issuer", in.Plan.Issuer, 256, 0}}
	for i, it := range in.Items {
		ws = append(ws, width{fmt.Sprintf("items[%d].ref", i), it.Ref, 64, it.SourceLines[0]},
			width{fmt.Sprintf("items[%d].title", i), it.Title, 1024, it.SourceLines[0]})
	}
	for _, w := range ws {
		n := utf8.RuneCountInString(w.v)
		if n <= w.max {
			continue
		}
		where, whereEn := "", ""
		if w.line > 0 {
			where, whereEn = fmt.Sprintf("（原文第 %d 行）", w.line), fmt.Sprintf(" (source line %d)", w.line)
		}
		return domain.Invalidf(w.field, "%s%s不超过 %d 个字，现有 %d 个 / %s%s has %d characters, at most %d",
			w.field, where, w.max, n, w.field, whereEn, n, w.max)
	}
	return nil
}

// toItem resolves a draft's names to departments; items without a lead are stored but
// not started.
func toItem(i int, d domain.ItemDraft, reg *registry) (domain.Item, []string, []string) {
	var warns, missing []string
	it := domain.Item{Ref: d.Ref, Title: d.Title, Content: d.Content, Window: d.Window,
		Indicators: d.Indicators, SourceLines: d.SourceLines}
	seen := map[uint64]bool{}
	add := func(id uint64, role domain.AssignmentRole) {
		if !seen[id] {
			seen[id] = true
			it.Assignments = append(it.Assignments, domain.Assignment{DepartmentID: id, Role: role, Status: domain.AssignmentAssigned})
		}
	}
	for _, names := range []struct {
		names []string
		role  domain.AssignmentRole
	}{{d.Lead, domain.Lead}, {d.Partners, domain.Partner}} {
		for _, n := range names.names {
			id, ok := reg.resolve(n)
			if !ok {
				missing = append(missing, n)
				continue
			}
			add(id, names.role)
		}
	}
	for _, g := range d.Groups {
		members, ok := reg.groups[normalise(g)]
		if !ok || len(members) == 0 {
			warns = append(warns, fmt.Sprintf("第%d项（%s）：单位组「%s」未配置成员，未分派 / item %d: group %q has no members configured", i+1, d.Ref, g, i+1, g))
			continue
		}
		for _, id := range members {
			add(id, domain.Partner)
		}
	}
	if it.Lead() == nil && len(missing) == 0 {
		warns = append(warns, fmt.Sprintf("第%d项（%s）没有牵头单位，暂不启动 / item %d has no lead department and was not started", i+1, d.Ref, i+1))
	}
	return it, warns, missing
}

// pendingItems are a plan's item ids in list order and, for every item still pending that
// has a lead, the item and its workflow input.
type pendingItems struct {
	plan   string // the plan's title, for the workflows' memo
	ids    []uint64
	items  []domain.Item
	inputs []workflows.ItemInput
}

func (l *Launcher) pending(ctx context.Context, planID uint64) (pendingItems, error) {
	var p pendingItems
	items, err := l.Store.PlanItems(ctx, planID)
	if err != nil {
		return p, err
	}
	plan, err := l.Store.GetPlan(ctx, planID)
	if err != nil {
		return p, err
	}
	policy, err := domain.ParsePolicy(domain.DefaultPolicy(), []byte(plan.PolicyJSON))
	if err != nil {
		return p, err
	}
	names, err := l.Store.DepartmentNames(ctx)
	if err != nil {
		return p, err
	}
	p.plan = plan.Title
	planEnd := domain.ParseDay(plan.PeriodEnd, calendar.Shanghai)
	for _, it := range items {
		p.ids = append(p.ids, it.ID)
		if it.Status != domain.StatusPending {
			continue
		}
		in, ok := itemInput(it, policy, planEnd, names)
		if !ok {
			continue // no lead: waits for a supervisor to assign one
		}
		p.items, p.inputs = append(p.items, it), append(p.inputs, in)
	}
	return p, nil
}

// StartPending starts the workflow of every item of the plan still pending, at most
// Parallel at a time. A workflow that already exists is left as it is.
func (l *Launcher) StartPending(ctx context.Context, planID uint64) (int, []uint64, error) {
	p, err := l.pending(ctx, planID)
	if err != nil {
		return 0, p.ids, err
	}
	par := l.Parallel
	if par <= 0 {
		par = 16
	}
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		started int
		first   error
		sem     = make(chan struct{}, par)
	)
	for i, it := range p.items {
		in := p.inputs[i]
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			err := l.start(ctx, p.plan, it, in)
			mu.Lock()
			defer mu.Unlock()
			if err != nil && first == nil {
				first = fmt.Errorf("launch: start item %d: %w", it.ID, err)
			} else if err == nil {
				started++
			}
		}()
	}
	wg.Wait()
	return started, p.ids, first
}

func (l *Launcher) start(ctx context.Context, plan string, it domain.Item, in workflows.ItemInput) error {
	var lead uint64
	var depts []string
	for _, p := range in.Parties {
		if p.Role == domain.Lead && lead == 0 {
			lead = p.DepartmentID
		}
		depts = append(depts, workflows.DepartmentKey(p.DepartmentID))
	}
	sort.Strings(depts)
	summary, details, memo := describe(plan, it, in.Parties)
	opts := client.StartWorkflowOptions{
		ID:                       it.WorkflowID,
		TaskQueue:                l.TaskQueue,
		WorkflowIDReusePolicy:    enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
		StaticSummary:            summary,
		StaticDetails:            details,
		Memo:                     memo,
		TypedSearchAttributes: temporal.NewSearchAttributes(
			workflows.SAPlanID.ValueSet(int64(it.PlanID)),
			workflows.SALeadDept.ValueSet(int64(lead)),
			workflows.SADepartments.ValueSet(depts),
			workflows.SAStatus.ValueSet(string(domain.StatusAssigned)),
		),
	}
	if _, err := l.Temporal.ExecuteWorkflow(ctx, opts, workflows.ItemWorkflow, in); err != nil {
		return err
	}
	return l.Store.MarkStarted(ctx, it.ID, time.Now())
}

// describe is what an operator reads of an item's workflow in `temporal workflow list`
// and `describe`: a one-line summary (ref, title, lead), details in Markdown, and the memo
// (carried into every later run).
func describe(plan string, it domain.Item, parties []workflows.Party) (summary, details string, memo map[string]any) {
	var lead, partners []string
	for _, p := range parties {
		if p.Role == domain.Lead {
			lead = append(lead, p.Name)
		} else {
			partners = append(partners, p.Name)
		}
	}
	title := strings.TrimSpace(it.Ref + " " + it.Title)
	summary = title
	if len(lead) > 0 {
		summary += " · 牵头 " + strings.Join(lead, "、")
	}
	details = fmt.Sprintf("**方案** %s\n\n**事项** %s\n\n**牵头单位** %s\n\n**配合单位** %s",
		plan, title, strings.Join(lead, "、"), strings.Join(partners, "、"))
	memo = map[string]any{"plan_id": it.PlanID, "plan": plan, "item_id": it.ID, "ref": it.Ref, "title": it.Title,
		"lead": lead, "partners": partners}
	return summary, details, memo
}

// itemInput is the workflow input of an item under the plan's policy (or the item's own),
// with its parties lead first (named, for operators) and its window under the one window
// rule (domain.Times).
func itemInput(it domain.Item, policy domain.Policy, planEnd time.Time, names map[uint64]string) (workflows.ItemInput, bool) {
	in := workflows.ItemInput{ItemID: it.ID, PlanID: it.PlanID, Title: it.Title, Policy: policy,
		Ongoing: it.Window.Ongoing, Indicators: it.Indicators, LadderDeclared: true}
	if it.PolicyOverride != "" {
		if p, err := domain.ParsePolicy(policy, []byte(it.PolicyOverride)); err == nil {
			in.Policy = p
		}
	}
	as := slices.Clone(it.Assignments)
	sort.SliceStable(as, func(i, j int) bool { return as[i].Role == domain.Lead && as[j].Role != domain.Lead })
	for _, a := range as {
		in.Parties = append(in.Parties, workflows.Party{DepartmentID: a.DepartmentID, Role: a.Role, Name: names[a.DepartmentID]})
	}
	// The workflow starts the clock itself when the window has no first day.
	t := it.Window.Times(time.Time{}, planEnd, calendar.Shanghai)
	in.Start, in.End = t.Start, t.End
	return in, it.Lead() != nil
}

// hashItem is the shape items had in the source hash when a launch first stored it: a
// document launched again must hash the same to be recognised, so the shape stays.
type hashItem struct {
	Ref         string
	Title       string
	Content     string
	Lead        []string
	Partners    []string
	Groups      []string
	Start       string
	End         string
	Ongoing     bool
	Indicators  []domain.Indicator
	SourceFirst int
	SourceLast  int
}

func hashItems(ds []domain.ItemDraft) []hashItem {
	out := make([]hashItem, len(ds))
	for i, d := range ds {
		out[i] = hashItem{Ref: d.Ref, Title: d.Title, Content: d.Content, Lead: d.Lead, Partners: d.Partners,
			Groups: d.Groups, Start: dateString(d.Window.Start), End: dateString(d.Window.End), Ongoing: d.Window.Ongoing,
			Indicators: d.Indicators, SourceFirst: d.SourceLines[0], SourceLast: d.SourceLines[1]}
	}
	return out
}

func dateString(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(calendar.Shanghai).Format(time.DateOnly)
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

func uniq(ss []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
