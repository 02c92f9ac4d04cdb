package activities

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/dubanhq/duban/store"
)

// Actor is who caused a transition: a person through the API, or the system (timers).
type Actor struct {
	UserID       uint64 `json:"user_id,omitempty"`
	Name         string `json:"name,omitempty"`
	Role         string `json:"role,omitempty"`
	DepartmentID uint64 `json:"department_id,omitempty"`
	RequestID    string `json:"request_id,omitempty"`
	SourceIP     string `json:"source_ip,omitempty"`
}

// EventRecord is one audit-log entry. Key is unique: writing it twice is a no-op.
type EventRecord struct {
	Key          string
	Type         string
	Level        int
	DepartmentID uint64
	Actor        Actor
	Payload      map[string]any
	At           time.Time
}

// Notice is a notification to an audience of a department or role; Apply expands it to
// users and writes one inbox row per user, keyed Key+user.
type Notice struct {
	Key          string
	Kind         string // reminder, overdue, escalation, assigned, returned, instruction…
	Level        int
	DepartmentID uint64
	Audience     []string // liaison, department_head, supervisor, leadership
	Title        string
	Body         string
}

// EscalationRecord is a ladder rung reached; Key is "item:dept:deadline:level".
type EscalationRecord struct {
	Key          string
	DepartmentID uint64
	Level        int
	Name         string
	Reason       string
	DueAt        time.Time
	At           time.Time
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

// Snapshot is the read model of an item after a transition.
type Snapshot struct {
	Status          string
	Light           string
	EscalationLevel int
	NextDue         time.Time
	Assignments     []AssignmentSnapshot
}

// AssignmentSnapshot is one department's read-model row.
type AssignmentSnapshot struct {
	DepartmentID    uint64
	Role            string
	Status          string
	SignedAt        time.Time
	SignedBy        uint64
	NextDue         time.Time
	EscalationLevel int
	Overdue         bool
}

// Transition is everything one workflow step writes, applied in one database transaction.
type Transition struct {
	ItemID      uint64
	PlanID      uint64
	Events      []EventRecord
	Notices     []Notice
	Escalations []EscalationRecord
	Reviews     []ReviewRecord
	Submissions map[uint64]string // submission id → new state
	Readings    []ReadingRecord
	Snapshot    *Snapshot
}

// Apply writes a transition idempotently: every row carries a unique key, so a retried
// activity (or one replayed after a worker crash) writes nothing twice.
func (a *Activities) Apply(ctx context.Context, t Transition) error {
	w := store.TransitionWrite{ItemID: t.ItemID}
	for _, e := range t.Events {
		payload, err := json.Marshal(e.Payload)
		if err != nil {
			return fmt.Errorf("apply: payload of %s: %w", e.Type, err)
		}
		w.Events = append(w.Events, store.Event{
			ItemID: t.ItemID, PlanID: t.PlanID, Type: e.Type, Level: e.Level,
			DepartmentID: e.DepartmentID, ActorID: e.Actor.UserID, Actor: e.Actor.Name,
			Payload: string(payload), At: e.At.UTC(), RequestID: e.Actor.RequestID,
			SourceIP: e.Actor.SourceIP, DedupeKey: e.Key,
		})
	}
	for _, x := range t.Escalations {
		w.Escalations = append(w.Escalations, store.Escalation{
			ItemID: t.ItemID, DepartmentID: x.DepartmentID, Level: x.Level, Name: x.Name,
			Reason: x.Reason, DueAt: x.DueAt.UTC(), At: x.At.UTC(), DedupeKey: x.Key,
		})
	}
	for _, r := range t.Reviews {
		w.Reviews = append(w.Reviews, store.Review{
			SubmissionID: r.SubmissionID, ItemID: t.ItemID, ReviewerID: r.ReviewerID, Decision: r.Decision,
			Comment: r.Comment, ResubmitDue: timePtr(r.ResubmitDue), DedupeKey: r.Key, CreatedAt: r.At.UTC(),
		})
	}
	w.Submissions = t.Submissions
	for _, r := range t.Readings {
		w.Readings = append(w.Readings, store.IndicatorReading{ItemID: t.ItemID, Name: r.Name, Value: r.Value,
			At: r.At.UTC().Truncate(time.Second), Note: r.Note, EnteredBy: r.EnteredBy})
	}
	for _, n := range t.Notices {
		ns, ds, err := a.noticeRows(ctx, t.PlanID, t.ItemID, n)
		if err != nil {
			a.observe("Apply", nil, err)
			return err
		}
		w.Notifications, w.Deliveries = append(w.Notifications, ns...), append(w.Deliveries, ds...)
	}
	if s := t.Snapshot; s != nil {
		w.Item = &store.ItemState{Status: s.Status, Light: s.Light, EscalationLevel: s.EscalationLevel, NextDue: timePtr(s.NextDue)}
		for _, as := range s.Assignments {
			w.Assignments = append(w.Assignments, store.Assignment{
				ItemID: t.ItemID, DepartmentID: as.DepartmentID, Role: as.Role, Status: as.Status,
				SignedAt: timePtr(as.SignedAt), SignedBy: as.SignedBy, NextDue: timePtr(as.NextDue),
				EscalationLevel: as.EscalationLevel, Overdue: as.Overdue,
			})
		}
	}
	err := a.Store.WriteTransition(ctx, w)
	a.observe("Apply", &t, err)
	return err
}

// noticeRows expands a notice to its inbox rows and its deliveries on other channels, each
// with a key that makes a retried write harmless.
func (a *Activities) noticeRows(ctx context.Context, planID, itemID uint64, n Notice) ([]store.Notification, []store.Delivery, error) {
	users, err := a.audience(ctx, planID, itemID, n)
	if err != nil {
		return nil, nil, err
	}
	var ns []store.Notification
	for _, u := range users {
		ns = append(ns, store.Notification{
			UserID: u.ID, ItemID: itemID, Kind: n.Kind, Level: n.Level, Title: n.Title,
			Body: n.Body, Channel: "inbox", State: "sent",
			DedupeKey: fmt.Sprintf("%s:u%d:inbox", n.Key, u.ID),
		})
	}
	ds, err := a.planDeliveries(ctx, itemID, n, users)
	if err != nil {
		return nil, nil, fmt.Errorf("apply: deliveries of %s: %w", n.Key, err)
	}
	return ns, ds, nil
}

// audience expands a notice to users: liaisons and heads of its department, the plan's
// supervisors (every supervisor when the plan lists none), and the leadership group.
func (a *Activities) audience(ctx context.Context, planID, itemID uint64, n Notice) ([]store.User, error) {
	seen := map[uint64]bool{}
	var out []store.User
	add := func(us []store.User, err error) error {
		if err != nil {
			return err
		}
		for _, u := range us {
			if !seen[u.ID] {
				seen[u.ID] = true
				out = append(out, u)
			}
		}
		return nil
	}
	for _, who := range n.Audience {
		var err error
		switch who {
		case "liaison":
			err = add(a.Store.UsersForDepartment(ctx, n.DepartmentID, false))
		case "department_head":
			err = add(a.Store.UsersForDepartment(ctx, n.DepartmentID, true))
		case "supervisor":
			sups, serr := a.Store.PlanSupervisors(ctx, planID)
			if serr == nil && len(sups) == 0 {
				sups, serr = a.Store.UsersByRole(ctx, "supervisor")
			}
			err = add(sups, serr)
		case "leadership":
			err = add(a.Store.UsersByRole(ctx, "leader"))
		}
		if err != nil {
			return nil, fmt.Errorf("apply: audience %s of item %d: %w", who, itemID, err)
		}
	}
	return out, nil
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}
