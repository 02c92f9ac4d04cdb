package store

import (
	"encoding/json"
	"time"

	"github.com/dubanhq/duban/calendar"
	"github.com/dubanhq/duban/domain"
)

// The item's edge between its rows (Item, Assignment) and the domain's one shape of it
// (domain.Item). Every read and write of an item converts here, and only here.

// itemToDomain converts an item row and its assignment rows.
func itemToDomain(r Item, as []Assignment) domain.Item {
	it := domain.Item{
		ID: r.ID, PlanID: r.PlanID, Seq: r.Seq, Ref: r.Ref, Title: r.Title, Content: r.Content,
		Window:         domain.Window{Start: day(r.WindowStart), End: day(r.WindowEnd), Ongoing: r.Ongoing},
		Indicators:     []domain.Indicator{},
		SourceLines:    [2]int{r.SourceFirst, r.SourceLast},
		PolicyOverride: r.PolicyJSON,
		Progress: domain.Progress{Status: domain.ItemStatus(r.Status), Light: domain.Light(r.Light),
			Level: domain.Level(r.EscalationLevel), NextDue: timeOf(r.NextDue), Assignments: []domain.Assignment{}},
		WorkflowID: r.WorkflowID, Version: r.Version, StartedAt: timeOf(r.StartedAt), CreatedAt: r.CreatedAt,
	}
	if r.IndicatorsJSON != "" {
		_ = json.Unmarshal([]byte(r.IndicatorsJSON), &it.Indicators)
	}
	for _, a := range as {
		it.Assignments = append(it.Assignments, domain.Assignment{
			DepartmentID: a.DepartmentID, Role: domain.AssignmentRole(a.Role), Status: domain.AssignmentStatus(a.Status),
			SignedAt: timeOf(a.SignedAt), SignedBy: a.SignedBy, NextDue: timeOf(a.NextDue),
			Level: domain.Level(a.EscalationLevel), Overdue: a.Overdue,
		})
	}
	return it
}

// itemRow converts a new item to its row (what CreatePlan stores before any workflow ran).
func itemRow(it domain.Item) Item {
	r := Item{Ref: it.Ref, Title: it.Title, Content: it.Content, Ongoing: it.Window.Ongoing,
		WindowStart: timePtr(it.Window.Start), WindowEnd: timePtr(it.Window.End),
		SourceFirst: it.SourceLines[0], SourceLast: it.SourceLines[1], PolicyJSON: it.PolicyOverride}
	if len(it.Indicators) > 0 {
		b, _ := json.Marshal(it.Indicators)
		r.IndicatorsJSON = string(b)
	}
	return r
}

// assignmentRow converts one department's share to its row.
func assignmentRow(itemID uint64, a domain.Assignment) Assignment {
	return Assignment{ItemID: itemID, DepartmentID: a.DepartmentID, Role: string(a.Role), Status: string(a.Status),
		SignedAt: timePtr(a.SignedAt), SignedBy: a.SignedBy, NextDue: timePtr(a.NextDue),
		EscalationLevel: int(a.Level), Overdue: a.Overdue}
}

// timePtr is the column form of an optional time: nil for zero, UTC otherwise.
func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}

func timeOf(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}

// day reads a window date column as midnight of that day in China Standard Time (SQLite
// hands back UTC, MySQL the session's zone; the day is the same instant either way).
func day(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.In(calendar.Shanghai)
}
