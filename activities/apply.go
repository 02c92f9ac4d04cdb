package activities

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/store"
)

// Actor is who caused a transition (domain.Actor); the alias keeps the activity and Update
// signatures readable where they name it.
type Actor = domain.Actor

// EventRecord is one audit-log entry. Key is unique: writing it twice is a no-op. Payload
// is the event's versioned JSON (domain.EncodeEvent); Late is its lateness (signed or
// submitted after the deadline) for the column rankings count on, nil when the event
// meets no deadline.
type EventRecord struct {
	Key          string
	Type         domain.EventType
	Level        domain.Level
	DepartmentID uint64
	Actor        Actor
	Payload      json.RawMessage
	Late         *bool `json:",omitempty"`
	At           time.Time
}

// Notice is a notification queued by a workflow step (domain.Notice).
type Notice = domain.Notice

// EscalationRecord is a ladder rung reached, with what the rung declared it does; Key is
// "item:dept:deadline:level".
type EscalationRecord struct {
	Key            string
	DepartmentID   uint64
	Level          domain.Level
	Name           string
	Reason         string
	DueAt          time.Time
	At             time.Time
	Leadership     bool `json:",omitempty"`
	Circular       bool `json:",omitempty"`
	Accountability bool `json:",omitempty"`
}

// ReviewRecord is a supervisor's decision on a submission; Key makes it idempotent.
type ReviewRecord struct {
	Key          string
	SubmissionID uint64
	ReviewerID   uint64
	Decision     string
	Comment      string
	ResubmitDue  time.Time
	At           time.Time
}

// ReadingRecord is an indicator value entered by hand (指标录入), as of At.
type ReadingRecord struct {
	Name      string
	Value     float64
	At        time.Time
	Note      string
	EnteredBy uint64
}

// Transition is everything one workflow step writes, applied in one database transaction.
// Snapshot keeps its name (and domain.Progress the JSON names of the type it replaced) so
// an Apply scheduled before an upgrade decodes after it.
type Transition struct {
	ItemID      uint64
	PlanID      uint64
	Events      []EventRecord
	Notices     []Notice
	Escalations []EscalationRecord
	Reviews     []ReviewRecord
	Submissions map[uint64]string // submission id → new state
	Readings    []ReadingRecord
	Snapshot    *domain.Progress
}

// Summary is the one line a history shows for this write: what it records and where the
// item stands after it.
func (t Transition) Summary(status domain.ItemStatus) string {
	types := make([]string, 0, len(t.Events))
	for _, e := range t.Events {
		types = append(types, string(e.Type))
	}
	s := fmt.Sprintf("写入 %d 事件 %d 通知 · %s", len(t.Events), len(t.Notices), status)
	if len(types) > 0 {
		s += " · " + strings.Join(types, ",")
	}
	return s
}

// Apply writes a transition idempotently: every row carries a unique key, so a retried
// activity (or one replayed after a worker crash) writes nothing twice.
func (a *Activities) Apply(ctx context.Context, t Transition) error {
	w := store.TransitionWrite{ItemID: t.ItemID, Progress: t.Snapshot, Submissions: t.Submissions}
	for _, e := range t.Events {
		w.Events = append(w.Events, store.Event{
			ItemID: t.ItemID, PlanID: t.PlanID, Type: string(e.Type), Level: int(e.Level),
			DepartmentID: e.DepartmentID, ActorID: e.Actor.UserID, Actor: e.Actor.Name,
			Payload: string(e.Payload), Late: e.Late, At: e.At.UTC(), RequestID: e.Actor.RequestID,
			SourceIP: e.Actor.SourceIP, DedupeKey: e.Key,
		})
	}
	for _, x := range t.Escalations {
		w.Escalations = append(w.Escalations, store.Escalation{
			ItemID: t.ItemID, DepartmentID: x.DepartmentID, Level: int(x.Level), Name: x.Name,
			Reason: x.Reason, DueAt: x.DueAt.UTC(), At: x.At.UTC(), DedupeKey: x.Key,
			Leadership: x.Leadership, Circular: x.Circular, Accountability: x.Accountability,
		})
	}
	for _, r := range t.Reviews {
		w.Reviews = append(w.Reviews, store.Review{
			SubmissionID: r.SubmissionID, ItemID: t.ItemID, ReviewerID: r.ReviewerID, Decision: r.Decision,
			Comment: r.Comment, ResubmitDue: timePtr(r.ResubmitDue), DedupeKey: r.Key, CreatedAt: r.At.UTC(),
		})
	}
	for _, r := range t.Readings {
		w.Readings = append(w.Readings, store.IndicatorReading{ItemID: t.ItemID, Name: r.Name, Value: r.Value,
			At: r.At.UTC().Truncate(time.Second), Note: r.Note, EnteredBy: r.EnteredBy})
	}
	for _, n := range t.Notices {
		ns, ds, err := a.delivery().Expand(ctx, t.PlanID, t.ItemID, n)
		if err != nil {
			a.observe("Apply", nil, err)
			return err
		}
		w.Notifications, w.Deliveries = append(w.Notifications, ns...), append(w.Deliveries, ds...)
	}
	err := a.Store.WriteTransition(ctx, w)
	a.observe("Apply", &t, err)
	if err == nil && len(w.Deliveries) > 0 {
		a.wakeDispatcher()
	}
	return err
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}
