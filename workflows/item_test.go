package workflows

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	tlog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/dubanhq/duban/activities"
	"github.com/dubanhq/duban/calendar"
	"github.com/dubanhq/duban/domain"
)

const (
	leadDept    = uint64(11)
	partnerDept = uint64(22)
	otherDept   = uint64(99)
)

// recorder collects what the workflow asked Apply to write.
type recorder struct {
	mu     sync.Mutex
	events []activities.EventRecord
	esc    []activities.EscalationRecord
	notes  []activities.Notice
	last   *domain.Progress
	subs   uint64
	// fail, when set, refuses a write as an unreachable database would (retried by Temporal).
	fail func(activities.Transition) error
}

func (r *recorder) apply(_ context.Context, t activities.Transition) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail != nil {
		if err := r.fail(t); err != nil {
			return err
		}
	}
	r.events = append(r.events, t.Events...)
	r.esc = append(r.esc, t.Escalations...)
	r.notes = append(r.notes, t.Notices...)
	r.last = t.Snapshot
	return nil
}

func (r *recorder) save(_ context.Context, _ activities.SubmissionInput) (uint64, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.subs++
	return r.subs, nil
}

// types returns the event types in order, with the level for escalations.
func (r *recorder) types() []string {
	var out []string
	for _, e := range r.events {
		t := string(e.Type)
		if e.Type == domain.EventEscalated {
			t += "L" + string(rune('0'+e.Level))
		}
		out = append(out, t)
	}
	return out
}

func (r *recorder) count(t string) int {
	n := 0
	for _, x := range r.types() {
		if x == t {
			n++
		}
	}
	return n
}

type harness struct {
	t   *testing.T
	cal *calendar.Calendar
	env *testsuite.TestWorkflowEnvironment
	rec *recorder
	n   int
}

func newHarness(t *testing.T, start time.Time) *harness {
	var s testsuite.WorkflowTestSuite
	s.SetLogger(tlog.NewStructuredLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
	env := s.NewTestWorkflowEnvironment()
	cal, err := calendar.New()
	if err != nil {
		t.Fatal(err)
	}
	a := &activities.Activities{Calendar: cal}
	rec := &recorder{}
	env.RegisterWorkflow(ItemWorkflow)
	env.RegisterActivity(a)
	env.OnActivity(a.Apply, mock.Anything, mock.Anything).Return(rec.apply)
	env.OnActivity(a.SaveSubmission, mock.Anything, mock.Anything).Return(rec.save)
	env.SetStartTime(start)
	return &harness{t: t, cal: cal, env: env, rec: rec}
}

func sh(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, calendar.Shanghai)
}

var liaison = activities.Actor{UserID: 7, Name: "联络员", Role: "liaison"}
var supervisor = activities.Actor{UserID: 3, Name: "督办员", Role: "supervisor"}

// at schedules an Update at an offset from the start and checks its outcome: wantErr ""
// means success, otherwise the ApplicationError type (kind) the validator must return.
func (h *harness) at(d time.Duration, name string, arg any, wantErr string, out ...any) {
	h.n++
	id := name + "-" + string(rune('a'+h.n))
	h.env.RegisterDelayedCallback(func() {
		h.env.UpdateWorkflow(name, id, &testsuite.TestUpdateCallback{
			OnReject: func(err error) {
				var ae *temporal.ApplicationError
				if wantErr == "" {
					h.t.Errorf("%s at %v rejected: %v", name, d, err)
				} else if !errors.As(err, &ae) || ae.Type() != wantErr {
					h.t.Errorf("%s at %v: want rejection %s, got %v", name, d, wantErr, err)
				}
			},
			OnAccept: func() {
				if wantErr != "" {
					h.t.Errorf("%s at %v: accepted, want rejection %s", name, d, wantErr)
				}
			},
			OnComplete: func(res any, err error) {
				if err != nil && wantErr == "" {
					h.t.Errorf("%s at %v failed: %v", name, d, err)
				}
				if len(out) > 0 && res != nil {
					if r, ok := res.(SubmitResult); ok {
						*(out[0].(*SubmitResult)) = r
					}
				}
			},
		}, arg)
	}, d)
}

func (h *harness) query() *ItemState {
	v, err := h.env.QueryWorkflow(QueryState)
	if err != nil {
		h.t.Fatal(err)
	}
	var st ItemState
	if err := v.Get(&st); err != nil {
		h.t.Fatal(err)
	}
	return &st
}

func baseInput(p domain.Policy) ItemInput {
	return ItemInput{
		ItemID: 1, PlanID: 1, Title: "新增PCT国际申请20件以上",
		Parties: []Party{{DepartmentID: leadDept, Role: domain.Lead, Name: "市甲局"}, {DepartmentID: partnerDept, Role: domain.Partner, Name: "市乙局"}},
		Policy:  p,
	}
}

// fastPolicy uses wall-clock durations, as urgent instructions and demos do.
func fastPolicy() domain.Policy {
	p := domain.DefaultPolicy()
	p.SignWithin = domain.Span{Wall: time.Hour}
	p.Cadence = domain.Cadence{Kind: "every", Every: 10 * time.Hour}
	p.RemindBefore = []domain.Span{{Wall: 2 * time.Hour}}
	p.PartnerLead = domain.Span{Wall: time.Hour}
	p.ResubmitWithin = domain.Span{Wall: 3 * time.Hour}
	p.Ladder = []domain.Rung{
		{Level: 1, Name: "催办", After: domain.Span{}, Notify: []string{"liaison", "department_head"}},
		{Level: 2, Name: "督办通知", After: domain.Span{Wall: 2 * time.Hour}, Notify: []string{"supervisor"}},
		{Level: 3, Name: "通报", After: domain.Span{Wall: 4 * time.Hour}, Notify: []string{"leadership"}},
		{Level: 4, Name: "追究责任", After: domain.Span{Wall: 8 * time.Hour}, Notify: []string{"leadership"}},
	}
	return p
}

var leader = activities.Actor{UserID: 5, Name: "副市长", Role: "leader"}

// payloadOf reads an event's typed payload back as a reader of the audit log would.
func payloadOf[E domain.Event](t *testing.T, e activities.EventRecord) E {
	t.Helper()
	p, err := domain.DecodeEvent(e.Type, e.Payload)
	if err != nil {
		t.Fatal(err)
	}
	v, ok := p.(E)
	if !ok {
		t.Fatalf("event %s decodes as %T", e.Type, p)
	}
	return v
}
