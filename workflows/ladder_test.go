package workflows

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/dubanhq/duban/activities"
	"github.com/dubanhq/duban/calendar"
	"github.com/dubanhq/duban/domain"
	"go.temporal.io/sdk/workflow"
)

// climb runs an item whose departments never sign under ladder until every rung has fired,
// and returns what was written.
func climb(t *testing.T, ladder []domain.Rung, declared bool) *recorder {
	t.Helper()
	p := fastPolicy()
	p.Ladder = ladder
	h := newHarness(t, sh(2025, 3, 3, 9, 0))
	h.at(30*time.Hour, UpdateCancel, cancelIn(), "")
	in := baseInput(p)
	in.Parties = in.Parties[:1] // the lead only
	in.LadderDeclared = declared
	h.env.ExecuteWorkflow(ItemWorkflow, in)
	if err := h.env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	return h.rec
}

func rung(level int, name string, after time.Duration, notify string) domain.Rung {
	return domain.Rung{Level: level, Name: name, After: domain.Span{Wall: after}, Notify: []string{notify}}
}

// TestRungsDoWhatTheyDeclare: a three-rung ladder whose last rung opens an accountability
// record, and a five-rung ladder that sends its second rung to the leadership group and
// opens the record only at the fifth. Nothing depends on a level being 3 or 4.
func TestRungsDoWhatTheyDeclare(t *testing.T) {
	three := []domain.Rung{rung(1, "催办", 0, "liaison"), rung(2, "约谈提醒", time.Hour, "supervisor"), rung(3, "问责", 2*time.Hour, "leadership")}
	three[2].Leadership, three[2].Accountability = true, true
	five := []domain.Rung{rung(1, "提醒督促", 0, "liaison"), rung(2, "领导督办", time.Hour, "leadership"), rung(3, "督办通知", 2*time.Hour, "supervisor"),
		rung(4, "通报", 3*time.Hour, "leadership"), rung(5, "追究责任", 4*time.Hour, "leadership")}
	five[1].Leadership = true
	five[3].Leadership, five[3].Circular = true, true
	five[4].Leadership, five[4].Circular, five[4].Accountability = true, true, true
	for _, c := range []struct {
		name   string
		ladder []domain.Rung
	}{{"three rungs", three}, {"five rungs", five}} {
		t.Run(c.name, func(t *testing.T) {
			rec := climb(t, c.ladder, true)
			if len(rec.esc) != len(c.ladder) {
				t.Fatalf("%d escalations for a ladder of %d: %+v", len(rec.esc), len(c.ladder), rec.esc)
			}
			for i, e := range rec.esc {
				r := c.ladder[i]
				if int(e.Level) != r.Level || e.Name != r.Name || e.Leadership != r.Leadership || e.Circular != r.Circular || e.Accountability != r.Accountability {
					t.Errorf("escalation %d = %+v, want what rung %+v declares", i, e, r)
				}
			}
			var notices []string
			for _, n := range rec.notes {
				if n.Kind != domain.NoticeEscalation {
					continue
				}
				r := c.ladder[n.Level-1]
				if n.RungName != r.Name || n.Leadership != r.Leadership || n.Audience[0] != r.Notify[0] {
					t.Errorf("notice %+v, want rung %+v", n, r)
				}
				notices = append(notices, n.RungName)
			}
			if len(notices) != len(c.ladder) {
				t.Errorf("escalation notices %v", notices)
			}
		})
	}
}

// TestLegacyLadderKeepsItsMeaning: a workflow started before rungs declared anything (its
// input has no LadderDeclared) reads its four levels as they were meant then: 通报 to the
// leadership and into the circular, 追究责任 opening a record.
func TestLegacyLadderKeepsItsMeaning(t *testing.T) {
	rec := climb(t, fastPolicy().Ladder, false)
	want := domain.LegacyConsequences(fastPolicy().Ladder)
	if len(rec.esc) != 4 {
		t.Fatalf("escalations %+v", rec.esc)
	}
	for i, e := range rec.esc {
		if e.Leadership != want[i].Leadership || e.Circular != want[i].Circular || e.Accountability != want[i].Accountability {
			t.Errorf("legacy L%d = %+v, want %+v", e.Level, e, want[i])
		}
	}
	if !rec.esc[3].Accountability || rec.esc[1].Leadership {
		t.Errorf("legacy meaning lost: %+v", rec.esc)
	}
}

// TestAcknowledgeReminder: a department answers a reminder once per deadline (收到提醒);
// before any reminder, twice, or from a department not on the item it is refused.
func TestAcknowledgeReminder(t *testing.T) {
	h := newHarness(t, sh(2025, 3, 3, 9, 0))
	ack := func(d uint64) AcknowledgeInput { return AcknowledgeInput{Acting{liaison}, d} }
	// fastPolicy: sign within an hour, the reminder two hours before: at once, skipped as
	// already due. Sign, then the first cycle's reminder comes 2 hours before its due date.
	h.at(5*time.Minute, UpdateAcknowledge, ack(leadDept), "conflict")
	h.at(10*time.Minute, UpdateSign, sign(leadDept), "")
	h.at(9*time.Hour, UpdateAcknowledge, ack(leadDept), "")
	h.at(9*time.Hour+time.Minute, UpdateAcknowledge, ack(leadDept), "conflict")
	h.at(9*time.Hour+2*time.Minute, UpdateAcknowledge, ack(otherDept), "forbidden")
	h.at(9*time.Hour+3*time.Minute, UpdateCancel, cancelIn(), "")
	h.env.ExecuteWorkflow(ItemWorkflow, baseInput(fastPolicy()))
	if err := h.env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	if n := h.rec.count(string(domain.EventReminderAcknowledged)); n != 1 {
		t.Fatalf("acknowledgements recorded %d times, want 1: %v", n, h.rec.types())
	}
	for _, e := range h.rec.events {
		if e.Type == domain.EventReminderAcknowledged {
			if p := payloadOf[domain.ReminderAcknowledged](t, e); p.Key != "c1" || e.DepartmentID != leadDept || e.Actor.UserID != liaison.UserID {
				t.Errorf("acknowledgement %+v of deadline %q", e, p.Key)
			}
		}
	}
}

// TestIdleAtTheTopRungSaysWhyAndContinuesAsNew: a department that never signs climbs the
// whole ladder; the item then waits with no timer, says why (top_rung, with the rung and
// the department in its details), and still continues as new when its history has grown
// and an Update wakes it.
func TestIdleAtTheTopRungSaysWhyAndContinuesAsNew(t *testing.T) {
	h := newHarness(t, sh(2025, 3, 3, 9, 0))
	in := baseInput(fastPolicy())
	in.Parties = in.Parties[:1]
	in.LadderDeclared = true
	h.env.RegisterDelayedCallback(func() {
		st := h.query()
		w := &item{in: in, st: st, v: changes{features: true, hygiene: true}}
		if code := w.idleCode(); code != waitTopRung {
			t.Errorf("after the last rung: waiting %q, want %q", code, waitTopRung)
		}
		if r := w.idleReason(); !strings.Contains(r, "追究责任") || !strings.Contains(r, "市甲局") {
			t.Errorf("idle reason %q names neither the rung nor the department", r)
		}
		h.env.SetContinueAsNewSuggested(true)
	}, 20*time.Hour)
	h.at(21*time.Hour, UpdateInstruction, InstructionInput{Acting{leader}, "请尽快签收", time.Time{}}, "")
	h.env.ExecuteWorkflow(ItemWorkflow, in)
	var can *workflow.ContinueAsNewError
	if err := h.env.GetWorkflowError(); !errors.As(err, &can) {
		t.Fatalf("an idle item whose history grew did not continue as new: %v", err)
	}
}

// TestLateLaunchGetsGrace: an item launched after its window ended (the cycle's due date
// is already past) gives the lead the policy's grace — due five working days from now —
// instead of an overdue mark and the ladder at once.
func TestLateLaunchGetsGrace(t *testing.T) {
	t0 := sh(2025, 3, 3, 9, 0) // a Monday
	h := newHarness(t, t0)
	p := domain.DefaultPolicy()
	in := baseInput(p)
	in.Parties = in.Parties[:1]
	in.LadderDeclared = true
	in.Start, in.End = t0.AddDate(0, -3, 0), t0.AddDate(0, 0, -30)
	h.at(time.Hour, UpdateSign, sign(leadDept), "")
	h.env.RegisterDelayedCallback(func() {
		st := h.query()
		// 5 working days from Monday 3 March: Monday 10 March, end of day.
		if d := st.Assignments[0].Due.In(calendar.Shanghai); d.Month() != time.March || d.Day() != 10 {
			t.Errorf("the lead's due date %v, want 10 March (five working days of grace)", d)
		}
	}, 2*time.Hour)
	h.at(3*time.Hour, UpdateCancel, cancelIn(), "")
	h.env.ExecuteWorkflow(ItemWorkflow, in)
	if err := h.env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	if n := h.rec.count("overdue") + len(h.rec.esc); n != 0 {
		t.Errorf("a late launch went overdue at once: %v", h.rec.types())
	}
}

// TestLadderClimbsOneRungPerInterval: the database is down while a department's deadline
// passes and its four rungs (an hour apart) all fall due; when it is back, the rungs are
// recorded an hour apart from then on, never several in one instant.
func TestLadderClimbsOneRungPerInterval(t *testing.T) {
	t0 := sh(2025, 3, 3, 9, 0)
	h := newHarness(t, t0)
	p := fastPolicy() // sign due at +1h
	for i := range p.Ladder {
		p.Ladder[i].After = domain.Span{Wall: time.Duration(i) * time.Hour}
	}
	in := baseInput(p)
	in.Parties = in.Parties[:1]
	in.LadderDeclared = true
	down := func(now time.Time) bool { return now.After(t0.Add(59*time.Minute)) && now.Before(t0.Add(6*time.Hour)) }
	h.rec.fail = func(tr activities.Transition) error {
		if down(h.env.Now()) {
			return errors.New("dial tcp 127.0.0.1:3306: connect: connection refused")
		}
		return nil
	}
	h.env.SetTestTimeout(time.Minute)
	h.at(12*time.Hour, UpdateCancel, cancelIn(), "")
	h.env.ExecuteWorkflow(ItemWorkflow, in)
	if err := h.env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	if len(h.rec.esc) != 4 {
		t.Fatalf("escalations %+v", h.rec.esc)
	}
	for i := 1; i < len(h.rec.esc); i++ {
		if gap := h.rec.esc[i].At.Sub(h.rec.esc[i-1].At); gap < time.Hour-time.Minute {
			t.Errorf("L%d recorded %v after L%d: several rungs in one instant", i+1, gap, i)
		}
	}
}

// TestUrgeByHand: a supervisor's 催办 reaches, at once, every department that owes
// something (the lead its first report, the partner its signature), records one event and
// leaves the ladder where it was; an over-long message and an item that is closed are
// refused.
func TestUrgeByHand(t *testing.T) {
	h := newHarness(t, sh(2025, 3, 3, 9, 0))
	urge := UrgeInput{Acting{supervisor}, "请于本周内完成签收"}
	h.at(10*time.Minute, UpdateSign, sign(leadDept), "")
	h.at(20*time.Minute, UpdateUrge, urge, "")
	h.at(21*time.Minute, UpdateUrge, UrgeInput{Acting{supervisor}, strings.Repeat("催", maxUrgeMessage+1)}, "invalid")
	h.env.RegisterDelayedCallback(func() {
		if st := h.query(); st.Level != 0 {
			t.Errorf("a 催办 by hand moved the ladder to %d", st.Level)
		}
	}, 25*time.Minute)
	h.at(30*time.Minute, UpdateCancel, cancelIn(), "")
	h.at(31*time.Minute, UpdateUrge, urge, "conflict")
	h.env.ExecuteWorkflow(ItemWorkflow, baseInput(fastPolicy()))
	if err := h.env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	var urged []uint64
	for _, e := range h.rec.events {
		if e.Type == domain.EventUrged {
			urged = payloadOf[domain.Urged](t, e).Departments
		}
	}
	var told []uint64
	for _, n := range h.rec.notes {
		if n.Kind == domain.NoticeUrge {
			told = append(told, n.DepartmentID)
		}
	}
	// Both owe: the lead its first report, the partner its signature.
	if h.rec.count(string(domain.EventUrged)) != 1 || len(urged) != 2 || len(told) != 2 {
		t.Errorf("urged %v, told %v, events %v", urged, told, h.rec.types())
	}
}

// TestDeadlineEventsAreKeyedByWhatTheyAre: a reminder, the overdue mark and each rung are
// written under a key naming the item, department, deadline and what happened, the same in
// any order and whatever was recorded before, so a workflow task that wrote them and runs
// again later (its node killed after the write) cannot file one department's rung as a
// duplicate of another's. Their notices share the event's key.
func TestDeadlineEventsAreKeyedByWhatTheyAre(t *testing.T) {
	ladder := []domain.Rung{rung(1, "催办", 0, "liaison"), rung(2, "督办通知", time.Hour, "supervisor")}
	rec := climb(t, ladder, true)
	seen := map[string]bool{}
	for _, e := range rec.events {
		switch e.Type {
		case domain.EventReminder, domain.EventOverdue, domain.EventEscalated:
		default:
			continue
		}
		want := map[domain.EventType]string{domain.EventReminder: ":remind", domain.EventOverdue: ":overdue", domain.EventEscalated: ":L"}[e.Type]
		if !strings.Contains(e.Key, want) || !strings.Contains(e.Key, ":dept") || seen[e.Key] {
			t.Errorf("%s event keyed %q, want a unique key naming the department, deadline and %q", e.Type, e.Key, want)
		}
		seen[e.Key] = true
	}
	for _, n := range rec.notes {
		if (n.Kind == domain.NoticeEscalation || n.Kind == domain.NoticeReminder) && !seen[n.Key] {
			t.Errorf("%s notice keyed %q, which no deadline event has", n.Kind, n.Key)
		}
	}
	for _, e := range rec.esc {
		if !seen[e.Key] {
			t.Errorf("escalation %s keyed %q, unlike its event", e.Name, e.Key)
		}
	}
	if len(seen) != 3 { // overdue and two rungs (the fast policy sends no reminder before signing)
		t.Errorf("deadline events: %v", seen)
	}
}
