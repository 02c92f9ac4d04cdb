package launch

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dubanhq/duban/calendar"
	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/store"
)

// DeptRef names a department by id, or by name or alias as written (resolved as a plan's
// unit names are).
type DeptRef struct {
	ID   uint64
	Name string
}

// Case is one single supervision item (督办件) as a supervisor fills its form, or one
// decision of a meeting.
type Case struct {
	SourceType  domain.SourceType
	SourceText  string
	Attachments []uint64
	Title       string
	Requirement string
	Lead        []DeptRef // co-leads allowed
	Partners    []DeptRef
	Groups      []string // 单位组 phrases (a meeting's 各县(区)人民政府): their members take part
	// Deadline is the last day; zero takes the urgency's default in working days, unless
	// Cadence is given (the item then reports on it until the year ends).
	Deadline time.Time
	Cadence  string
	Urgency  domain.Urgency
	// Field prefixes the fields errors name (items[2] for a meeting's third decision).
	Field string
}

// Meeting is the meeting (会议) whose minutes launch a batch of 督办件.
type Meeting struct {
	Title   string
	Date    string
	Minutes string
}

// Cases stores 督办件, numbered from the office's yearly sequence, each in its year's
// container plan of its source type, and starts their workflows: they then run the same
// workflow, ladder, reports and reviews as plan items. A unit name the registry does not
// know fails the whole batch with an invalid-value error naming it.
func (l *Launcher) Cases(ctx context.Context, cs []Case, m *Meeting, createdBy uint64, now time.Time) ([]store.SupervisionCase, []string, error) {
	rules := l.CaseRules.WithDefaults()
	reg, err := newRegistry(ctx, l.Store)
	if err != nil {
		return nil, nil, err
	}
	today := domain.ParseDay(now.In(calendar.Shanghai).Format(time.DateOnly), calendar.Shanghai)
	year := today.Year()
	batch := store.CaseBatch{Office: rules.Office, Year: year,
		Number: func(seq int) string { return rules.Number(year, seq) },
		Plan:   func(k domain.SourceType) store.Plan { return casePlan(rules.Office, year, k) }}
	if m != nil {
		batch.Meeting = &store.Meeting{Title: m.Title, Date: m.Date, Minutes: m.Minutes, CreatedBy: createdBy}
	}
	var warns []string
	for _, c := range cs {
		it, w, err := l.caseItem(c, reg, rules, today)
		if err != nil {
			return nil, nil, err
		}
		warns = append(warns, w...)
		batch.Cases = append(batch.Cases, store.NewCase{Item: it, Attachments: c.Attachments,
			Case: store.SupervisionCase{SourceType: string(c.SourceType), SourceText: c.SourceText,
				Urgency: string(c.Urgency), CreatedBy: createdBy}})
	}
	out, err := l.Store.CreateCases(ctx, batch)
	if err != nil {
		return nil, nil, fmt.Errorf("launch: store 督办件: %w", err)
	}
	if l.Temporal == nil {
		return out, warns, nil
	}
	for _, c := range out {
		if err := l.StartItem(ctx, c.ItemID); err != nil {
			return out, warns, err
		}
	}
	if len(out) > 0 {
		it, err := l.Store.GetItem(ctx, out[0].ItemID)
		if err == nil {
			_ = EnsureAssessmentSchedule(ctx, l.Temporal, l.TaskQueue, it.PlanID, l.AssessSchedule)
		}
	}
	return out, warns, nil
}

// caseItem checks one 督办件 and resolves its departments and window.
func (l *Launcher) caseItem(c Case, reg *registry, rules domain.CaseRules, today time.Time) (domain.Item, []string, error) {
	f := func(name string) string {
		if c.Field == "" {
			return name
		}
		return c.Field + "." + name
	}
	title := strings.TrimSpace(c.Title)
	switch {
	case title == "":
		return domain.Item{}, nil, domain.Invalidf(f("title"), "请填写标题 / title is required")
	case utf8.RuneCountInString(title) > 1024:
		return domain.Item{}, nil, domain.Invalidf(f("title"), "标题不超过 1024 个字 / title has at most 1024 characters")
	case len(c.Lead) == 0:
		return domain.Item{}, nil, domain.Invalidf(f("lead"), "请指定牵头单位 / name at least one lead department")
	}
	it := domain.Item{Title: title, Content: strings.TrimSpace(c.Requirement), Window: domain.Window{Start: today}}
	if it.Content == "" {
		it.Content = title
	}
	seen := map[uint64]bool{}
	var unknown []string
	for _, g := range []struct {
		field string
		refs  []DeptRef
		role  domain.AssignmentRole
	}{{"lead", c.Lead, domain.Lead}, {"partners", c.Partners, domain.Partner}} {
		for _, r := range g.refs {
			id := r.ID
			if id != 0 {
				if _, ok := reg.full[id]; !ok {
					return domain.Item{}, nil, domain.Invalidf(f(g.field), "单位 %d 不存在 / department %d does not exist", id, id)
				}
			} else {
				var ok bool
				if id, ok = reg.resolve(r.Name); !ok {
					unknown = append(unknown, r.Name)
					continue
				}
			}
			if !seen[id] {
				seen[id] = true
				it.Assignments = append(it.Assignments, domain.Assignment{DepartmentID: id, Role: g.role, Status: domain.AssignmentAssigned})
			}
		}
	}
	if len(unknown) > 0 {
		return domain.Item{}, nil, domain.Invalidf(f("lead"), "以下单位不在单位库中：%s；请先添加单位或别名 / unknown departments: %s; add them (or aliases) first",
			strings.Join(unknown, "、"), strings.Join(unknown, ", "))
	}
	var warns []string
	for _, g := range c.Groups {
		members := reg.groups[normalise(g)]
		if len(members) == 0 {
			warns = append(warns, fmt.Sprintf("单位组「%s」未配置成员，未分派 / group %q has no members configured", g, g))
		}
		for _, id := range members {
			if !seen[id] {
				seen[id] = true
				it.Assignments = append(it.Assignments, domain.Assignment{DepartmentID: id, Role: domain.Partner, Status: domain.AssignmentAssigned})
			}
		}
	}
	if c.Cadence != "" {
		cd, err := domain.ParseCadence(c.Cadence)
		if err != nil {
			return domain.Item{}, nil, domain.Invalidf(f("cadence"), "报送周期无效 / %v", err)
		}
		b, _ := json.Marshal(map[string]any{"cadence": cd})
		it.PolicyOverride = string(b)
	}
	deadline, err := l.CaseDeadline(c.Deadline, c.Cadence, c.Urgency, today)
	if err != nil {
		return domain.Item{}, nil, err
	}
	if deadline.IsZero() {
		it.Window.Ongoing = true
	} else if deadline.Before(today) {
		return domain.Item{}, nil, domain.Invalidf(f("deadline"), "办结时限不能早于今天 / the deadline is in the past")
	}
	it.Window.End = deadline
	return it, warns, nil
}

// CaseDeadline is a 督办件's last day: the one given; none when only a report cadence is
// given; else the urgency's default, in working days from today on the calendar.
func (l *Launcher) CaseDeadline(given time.Time, cadence string, u domain.Urgency, today time.Time) (time.Time, error) {
	if !given.IsZero() {
		return given, nil
	}
	if cadence != "" {
		return time.Time{}, nil
	}
	days := l.CaseRules.WithDefaults().Days[u]
	cal := l.Calendar
	if cal == nil {
		var err error
		if cal, err = calendar.New(); err != nil {
			return time.Time{}, err
		}
	}
	end, err := cal.EndOfWorkday(today, days)
	if err != nil {
		return time.Time{}, domain.E(domain.KindInvalid, "deadline", "工作日历缺少该年份，请填写办结时限 / the calendar lacks the year: give a deadline", err)
	}
	return domain.ParseDay(end.In(calendar.Shanghai).Format(time.DateOnly), calendar.Shanghai), nil
}

// casePlan is the container plan of a year's 督办件 of one source type: found by its source
// hash, so every 督办件 of the year and kind lands in the same plan.
func casePlan(office string, year int, k domain.SourceType) store.Plan {
	sum := sha256.Sum256([]byte(fmt.Sprintf("duban-cases\x00%s\x00%d\x00%s", office, year, k)))
	policy, _ := json.Marshal(domain.DefaultPolicy())
	return store.Plan{SourceHash: hex.EncodeToString(sum[:]), Title: domain.CasePlanTitle(year, k), Issuer: office, Office: office,
		IssueDate: fmt.Sprintf("%d-01-01", year), PeriodStart: fmt.Sprintf("%d-01-01", year), PeriodEnd: fmt.Sprintf("%d-12-31", year),
		PolicyJSON: string(policy)}
}

// StartPendingCases starts the workflows of 督办件 left pending: stored and numbered, but
// their start failed (the workflow service did not answer) or the process stopped in
// between. Starting twice is harmless (the workflow id is the item's). It returns how many
// it handed to Temporal and the first error.
func (l *Launcher) StartPendingCases(ctx context.Context) (int, error) {
	ids, err := l.Store.PendingCases(ctx, 500)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, id := range ids {
		if err := l.StartItem(ctx, id); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// StartItem starts one pending item's workflow (a 督办件 just stored); an item already
// started, or without a lead, is left as it is.
func (l *Launcher) StartItem(ctx context.Context, itemID uint64) error {
	it, err := l.Store.GetItem(ctx, itemID)
	if err != nil || it.Status != domain.StatusPending {
		return err
	}
	plan, err := l.Store.GetPlan(ctx, it.PlanID)
	if err != nil {
		return err
	}
	policy, err := domain.ParsePolicy(domain.DefaultPolicy(), []byte(plan.PolicyJSON))
	if err != nil {
		return err
	}
	names, err := l.Store.DepartmentNames(ctx)
	if err != nil {
		return err
	}
	in, ok := itemInput(*it, policy, domain.ParseDay(plan.PeriodEnd, calendar.Shanghai), names)
	if !ok {
		return nil
	}
	// The workflow names the item in its notices: a 督办件 by its number too.
	in.Title = strings.TrimSpace(it.Ref + " " + it.Title)
	if err := l.start(ctx, plan.Title, *it, in); err != nil {
		return fmt.Errorf("launch: start item %d: %w", it.ID, err)
	}
	return nil
}
