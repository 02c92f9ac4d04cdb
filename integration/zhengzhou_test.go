package integration

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"go.temporal.io/sdk/converter"
	tlog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/dubanhq/duban/activities"
	"github.com/dubanhq/duban/assess"
	"github.com/dubanhq/duban/calendar"
	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/importer"
	"github.com/dubanhq/duban/launch"
	"github.com/dubanhq/duban/store"
	"github.com/dubanhq/duban/store/storetest"
	"github.com/dubanhq/duban/workflows"
)

// zhengzhouSeed is Zhengzhou's plan 郑政〔2022〕34号 in ../shared/seeds, relative to this
// package as in importer/golden_test.go.
const zhengzhouSeed = "../../shared/seeds/004_6e6fb87c28d83eb3.txt"

// The departments whose conduct the year is scripted around; every other department is a
// steady partner.
const (
	samr       = "市市场监管局"  // leads 40 items: diligent
	propaganda = "市委宣传部"   // leads 1, partners 20: diligent
	court      = "市中级人民法院" // leads 2, partners 4: signs late, 10 working days late each quarter
	orgDept    = "市委组织部"   // leads 1, partners 2: never signs anything
	statistics = "市统计局"    // partners 2: as diligent as the leads
	forestry   = "市林业局"    // partners 12: signs, never contributes
)

var (
	quiet   = slog.New(slog.NewTextHandler(io.Discard, nil))
	t2023   = time.Date(2023, 1, 3, 9, 0, 0, 0, calendar.Shanghai) // launch: Tuesday after New Year
	yearEnd = time.Date(2024, 1, 2, 9, 0, 0, 0, calendar.Shanghai) // the supervisor cancels every item
)

// TestZhengzhouYear launches the Zhengzhou plan on 2023-01-03, lives through 2023 with every
// item in the SDK's time-skipping test environment on the real activities and store, then
// assesses the year, drafts, publishes and exports the circular.
func TestZhengzhouYear(t *testing.T) {
	data, err := os.ReadFile(zhengzhouSeed)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("seed document missing under CI=true: %v", err)
		}
		t.Skipf("seed document not found: %v", err)
	}
	t.Run("sqlite", func(t *testing.T) { zhengzhouYear(t, storetest.SQLite(t), data) })
	if os.Getenv("DUBAN_TEST_MYSQL_DSN") != "" {
		t.Run("mysql", func(t *testing.T) { zhengzhouYear(t, storetest.MySQL(t), data) })
	}
}

// world is the plan under way: its store, people and the conduct of each department.
type world struct {
	t          *testing.T
	st         *store.Store
	cal        *calendar.Calendar
	acts       *activities.Activities
	planID     uint64
	supervisor activities.Actor
	leader     store.User
	depts      map[string]uint64 // name → id
	liaison    map[uint64]store.User
	conduct    map[uint64]conduct
}

func zhengzhouYear(t *testing.T, st *store.Store, data []byte) {
	began := time.Now()
	ctx := context.Background()
	cal, err := calendar.New()
	if err != nil {
		t.Fatal(err)
	}
	w := &world{t: t, st: st, cal: cal, depts: map[string]uint64{}, liaison: map[uint64]store.User{}, conduct: map[uint64]conduct{}}
	sup := store.User{Username: "dubanyuan", DisplayName: "赵督查", Role: string(domain.RoleSupervisor)}
	w.leader = store.User{Username: "lingdao", DisplayName: "陈副市长", Role: string(domain.RoleLeader)}
	for _, u := range []*store.User{&sup, &w.leader} {
		if err := st.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	w.supervisor = activities.Actor{UserID: sup.ID, Name: sup.DisplayName, Role: sup.Role}

	inputs := w.launch(ctx, data)
	svc := &assess.Service{Store: st, Calendar: cal}
	w.acts = &activities.Activities{Store: st, Calendar: cal, Logger: quiet, Assess: svc}
	launched := time.Now()
	runs := 0
	for _, in := range inputs {
		runs += w.live(in)
	}
	lived := time.Now()
	t.Logf("%d items lived through 2023 in %d workflow runs: %v (setup %v)", len(inputs), runs, lived.Sub(launched).Round(time.Millisecond), launched.Sub(began).Round(time.Millisecond))

	run, res := w.assess(ctx, svc)
	circ := w.draft(ctx, svc, run)
	w.accountability(ctx, svc)
	number := w.publish(ctx, circ)
	w.export(ctx, svc, circ.ID, number, res)
	t.Logf("whole scenario: %v", time.Since(began).Round(time.Millisecond))
}

// launch parses the seed as the import endpoint does, stores it with the launcher (creating
// its departments) and gives every department a liaison.
func (w *world) launch(ctx context.Context, data []byte) []workflows.ItemInput {
	t := w.t
	dir, err := directory(ctx, w.st)
	if err != nil {
		t.Fatal(err)
	}
	res, err := importer.Parse(data, importer.Options{Filename: filepath.Base(zhengzhouSeed), Directory: dir})
	if err != nil {
		t.Fatal(err)
	}
	// The body's 二、重点任务 (28 tasks) and 三、重大工程 (16 projects) each name a 牵头单位, so
	// that list wins over 四、实施步骤 (35 steps, no departments): 44 items, every one with a
	// lead; 40 are led by 市市场监管局, 2 by the intermediate court, 1 each by the party's
	// organisation and propaganda departments.
	if len(res.Items) != 44 {
		t.Fatalf("importer found %d items, want 44 (lists: %d)", len(res.Items), len(res.Lists))
	}
	leads := map[string]int{}
	for _, it := range res.Items {
		if len(it.Lead) != 1 {
			t.Fatalf("item %s has leads %v, want one", it.Ref, it.Lead)
		}
		leads[it.Lead[0]]++
	}
	if want := map[string]int{samr: 40, court: 2, orgDept: 1, propaganda: 1}; fmt.Sprint(leads) != fmt.Sprint(want) {
		t.Fatalf("leads %v, want %v", leads, want)
	}
	li := launch.FromImport(res, string(data), domain.DefaultPolicy())
	li.CreateDepartments, li.CreatedBy = true, w.supervisor.UserID
	li.SupervisorID = w.supervisor.UserID
	lr, inputs, err := (&launch.Launcher{Store: w.st}).Prepare(ctx, li)
	if err != nil {
		t.Fatal(err)
	}
	if !lr.Created || len(lr.ItemIDs) != 44 || len(inputs) != 44 {
		t.Fatalf("prepare: created %v, %d items, %d inputs", lr.Created, len(lr.ItemIDs), len(inputs))
	}
	w.planID = lr.PlanID
	ds, err := w.st.ListDepartments(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i, d := range ds {
		w.depts[d.Name] = d.ID
		u := store.User{Username: fmt.Sprintf("liaison%d", d.ID), DisplayName: chineseName(i), Role: string(domain.RoleLiaison), DepartmentID: &d.ID}
		if err := w.st.CreateUser(ctx, &u); err != nil {
			t.Fatal(err)
		}
		w.liaison[d.ID] = u
		w.conduct[d.ID] = steady
	}
	for name, c := range map[string]conduct{samr: diligent, propaganda: diligent, statistics: diligent, court: late, orgDept: negligent, forestry: silent} {
		id, ok := w.depts[name]
		if !ok {
			t.Fatalf("department %s was not created by the launch", name)
		}
		w.conduct[id] = c
	}
	t.Logf("plan %d: %d items, %d departments created from the document", w.planID, len(inputs), len(ds))
	return inputs
}

// directory is the importer's registry built from the store, as the API builds it.
func directory(ctx context.Context, st *store.Store) (*importer.Directory, error) {
	ds, err := st.ListDepartments(ctx)
	if err != nil {
		return nil, err
	}
	gs, err := st.ListGroups(ctx)
	if err != nil {
		return nil, err
	}
	names := map[uint64]string{}
	deps := make([]importer.Department, len(ds))
	for i, d := range ds {
		names[d.ID], deps[i] = d.Name, importer.Department{Name: d.Name, Aliases: d.AliasList()}
	}
	groups := make([]importer.Group, len(gs))
	for i, g := range gs {
		groups[i].Name = g.Name
		for _, m := range g.Members {
			groups[i].Members = append(groups[i].Members, names[m])
		}
	}
	return importer.NewDirectory(deps, groups), nil
}

// chineseName gives the i-th liaison a distinct name (20 surnames × 17 given names).
func chineseName(i int) string {
	sur := []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高")
	given := []string{"建国", "海燕", "志强", "秀英", "晓东", "丽华", "国庆", "红梅", "卫东", "静", "文斌", "雪梅", "立新", "桂兰", "明", "玉珍", "振华"}
	return string(sur[i%len(sur)]) + given[i%len(given)]
}

// conduct is how a department's liaison behaves all year.
type conduct int

const (
	steady    conduct = iota // signs on day two; contributes on time but the August one 2 working days late
	diligent                 // signs at once; reports and contributes five days before every deadline
	late                     // signs on 9 January; each quarter's report comes 10 working days late
	negligent                // never signs
	silent                   // signs on day two, never contributes
)

// signsBy is when the liaison gets round to signing (false: never).
func (c conduct) signsBy() (time.Time, bool) {
	switch c {
	case diligent:
		return t2023, true
	case late:
		return time.Date(2023, 1, 9, 0, 0, 0, 0, calendar.Shanghai), true
	case steady, silent:
		return t2023.AddDate(0, 0, 1), true
	}
	return time.Time{}, false
}

// actsBy is when the liaison submits what a deadline due at due in the given cycle asks for
// (false: never).
func (c conduct) actsBy(cal *calendar.Calendar, due time.Time, cycle int) (time.Time, bool) {
	afterWorkdays := func(n int) (time.Time, bool) {
		d, err := cal.AddWorkdays(due, n)
		if err != nil {
			return time.Time{}, false
		}
		y, m, day := d.In(calendar.Shanghai).Date()
		return time.Date(y, m, day, 0, 0, 0, 0, calendar.Shanghai), true
	}
	switch {
	case c == negligent || c == silent:
		return time.Time{}, false
	case c == late && cycle%3 == 0: // March, June, September (December falls due in 2024)
		return afterWorkdays(10)
	case c == steady && cycle == 8: // August
		return afterWorkdays(2)
	}
	return due.AddDate(0, 0, -5), true
}

// itemRun drives one item's workflow through the year, across continue-as-new.
type itemRun struct {
	w      *world
	env    *testsuite.TestWorkflowEnvironment
	itemID uint64
	n      int // updates sent, for globally unique update ids (they key submissions)
}

// live runs an item from launch to its cancellation and returns the number of runs.
func (w *world) live(in workflows.ItemInput) int {
	r := &itemRun{w: w, itemID: in.ItemID}
	start := t2023
	for runs := 1; ; runs++ {
		var s testsuite.WorkflowTestSuite
		s.SetLogger(tlog.NewStructuredLogger(quiet))
		env := s.NewTestWorkflowEnvironment()
		env.SetTestTimeout(time.Minute)
		env.RegisterWorkflow(workflows.ItemWorkflow)
		env.RegisterActivity(w.acts)
		env.SetStartTime(start)
		r.env = env
		// The liaisons and the supervisor look at their work at 10:00 every day.
		day := time.Date(start.Year(), start.Month(), start.Day(), 10, 0, 0, 0, calendar.Shanghai)
		for ; day.Before(yearEnd); day = day.AddDate(0, 0, 1) {
			if day.After(start) {
				env.RegisterDelayedCallback(r.tick, day.Sub(start))
			}
		}
		env.RegisterDelayedCallback(func() {
			r.update(workflows.UpdateCancel, workflows.ReasonInput{Acting: workflows.Acting{Actor: w.supervisor}, Reason: "年度考核测试结束"})
		}, yearEnd.Sub(start))
		env.ExecuteWorkflow(workflows.ItemWorkflow, in)
		err := env.GetWorkflowError()
		var can *workflow.ContinueAsNewError
		if errors.As(err, &can) {
			var next workflows.ItemInput
			if err := converter.GetDefaultDataConverter().FromPayloads(can.Input, &next); err != nil {
				w.t.Fatal(err)
			}
			in, start = next, env.Now()
			continue
		}
		if err != nil {
			w.t.Fatalf("item %d: %v", in.ItemID, err)
		}
		var st workflows.ItemState
		if err := env.GetWorkflowResult(&st); err != nil || st.Status != domain.StatusCancelled {
			w.t.Fatalf("item %d ended %s (%v), want cancelled", in.ItemID, st.Status, err)
		}
		return runs
	}
}

// tick is one working morning: each liaison signs or submits what their conduct says is
// due by now, and the supervisor approves reports once their cycle's deadline has passed.
func (r *itemRun) tick() {
	now := r.env.Now()
	if ok, err := r.w.cal.IsWorkday(now); err != nil || !ok {
		return
	}
	v, err := r.env.QueryWorkflow(workflows.QueryState)
	var st workflows.ItemState
	if err == nil {
		err = v.Get(&st)
	}
	if err != nil {
		r.w.t.Errorf("item %d: query at %v: %v", r.itemID, now, err)
		return
	}
	if st.Closed {
		return
	}
	for _, a := range st.Assignments {
		if a.Removed {
			continue
		}
		c, u := r.w.conduct[a.DepartmentID], r.w.liaison[a.DepartmentID]
		acting := workflows.Acting{Actor: activities.Actor{UserID: u.ID, Name: u.DisplayName, Role: u.Role, DepartmentID: a.DepartmentID}}
		if !a.Signed {
			if by, ok := c.signsBy(); ok && !now.Before(by) {
				r.update(workflows.UpdateSign, workflows.SignInput{Acting: acting, DepartmentID: a.DepartmentID})
			}
			continue
		}
		if a.Satisfied || a.Due.IsZero() {
			continue
		}
		by, ok := c.actsBy(r.w.cal, a.Due, st.Cycle)
		if !ok || now.Before(by) {
			continue
		}
		in := workflows.SubmitInput{Acting: acting, DepartmentID: a.DepartmentID, Kind: domain.KindReport,
			Text: fmt.Sprintf("第%d期进展:按计划推进,已召开专题会议并形成阶段成果。", st.Cycle)}
		if a.Role == domain.Partner {
			in.Kind, in.Text = domain.KindContribution, fmt.Sprintf("第%d期协办反馈:已按职责完成配合事项。", st.Cycle)
		}
		r.update(workflows.UpdateSubmit, in)
	}
	for _, p := range st.Pending {
		if p.Kind == domain.KindReport && now.After(st.CycleDue) {
			r.update(workflows.UpdateReview, workflows.ReviewInput{Acting: workflows.Acting{Actor: r.w.supervisor},
				SubmissionID: p.SubmissionID, Decision: "approve", Comment: "同意。"})
		}
	}
}

// update sends one Update; any refusal or failure fails the test.
func (r *itemRun) update(name string, arg any) {
	r.n++
	id := fmt.Sprintf("item%d:%s:%d", r.itemID, name, r.n)
	when := r.env.Now()
	r.env.UpdateWorkflow(name, id, &testsuite.TestUpdateCallback{
		OnReject: func(err error) { r.w.t.Errorf("item %d: %s at %v rejected: %v", r.itemID, name, when, err) },
		OnAccept: func() {},
		OnComplete: func(_ any, err error) {
			if err != nil {
				r.w.t.Errorf("item %d: %s at %v failed: %v", r.itemID, name, when, err)
			}
		},
	}, arg)
}
