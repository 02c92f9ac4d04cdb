package api

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/dubanhq/duban/calendar"
	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/workflows"
)

func init() {
	routeRegistrars = append(routeRegistrars, func(s *Server) {
		g := s.Echo.Group("/api/v1/items/:id", s.authn)
		g.POST("/subtasks", s.createSubtask)
		g.POST("/subtasks/:sid/complete", s.completeSubtask)
	})
}

// SubtaskView is one sub-task (任务分解) on the item page (stable field names).
type SubtaskView struct {
	ID           uint64     `json:"id"`
	Title        string     `json:"title"`
	DepartmentID uint64     `json:"department_id"`
	Department   string     `json:"department"` // its name
	Office       string     `json:"office,omitempty"`
	Deadline     time.Time  `json:"deadline"`
	Status       string     `json:"status"` // open | late | done | closed
	CompletedAt  *time.Time `json:"completed_at"`
}

func subtaskViews(ts []domain.Subtask, names map[uint64]string) []SubtaskView {
	out := make([]SubtaskView, len(ts))
	for i, t := range ts {
		out[i] = SubtaskView{ID: t.ID, Title: t.Title, DepartmentID: t.DepartmentID, Department: names[t.DepartmentID],
			Office: t.Office, Deadline: t.Deadline, Status: string(t.Status), CompletedAt: t.CompletedAt}
	}
	return out
}

// leadsOf are the item's lead departments: the scope a liaison splits it in.
func leadsOf(it *domain.Item) []uint64 {
	var out []uint64
	for _, a := range it.Assignments {
		if a.Role == domain.Lead && a.Status != domain.AssignmentRemoved {
			out = append(out, a.DepartmentID)
		}
	}
	return out
}

// subtaskBody is POST /items/{id}/subtasks.
type subtaskBody struct {
	Title      string          `json:"title"`
	Department json.RawMessage `json:"department"` // id or name
	Office     string          `json:"office"`     // an internal office, as text
	Deadline   string          `json:"deadline"`   // RFC 3339, or a date (that day, 18:00 Beijing time)
}

// parseDeadline reads an instant or a date; a date means the end of that working day.
func parseDeadline(v string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	d, err := time.ParseInLocation(time.DateOnly, strings.TrimSpace(v), calendar.Shanghai)
	if err != nil {
		return time.Time{}, domain.Invalidf("deadline", "期限格式应为 2026-12-31 或 RFC 3339 / deadline must be a date (2026-12-31) or RFC 3339")
	}
	return d.Add(18 * time.Hour), nil
}

// createSubtask splits a sub-task off an item (任务分解): the lead department's liaison or a
// supervisor of the plan; the item's workflow checks the deadline against the item's and
// starts the sub-task's own workflow. → 201 {id}.
func (s *Server) createSubtask(c echo.Context) error {
	it, p, err := s.itemFor(c, ActSplitItem, nil)
	if err != nil {
		return err
	}
	var b subtaskBody
	if err := bind(c, &b); err != nil {
		return err
	}
	ctx := c.Request().Context()
	dept, err := s.departmentRef(ctx, "department", b.Department)
	if err != nil {
		return err
	}
	due, err := parseDeadline(b.Deadline)
	if err != nil {
		return err
	}
	if err := domain.CheckSubtaskDeadline(due, time.Time{}, s.deps.Now()); err != nil {
		return err
	}
	in := workflows.AddSubtaskInput{Acting: workflows.Acting{Actor: actor(c, p)}, Title: strings.TrimSpace(b.Title),
		DepartmentID: dept, Office: strings.TrimSpace(b.Office), Deadline: due}
	var res workflows.SubmitResult
	if err := s.update(c, it, p, workflows.UpdateAddSubtask, in, &res); err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, map[string]any{"id": res.ID})
}

// completeSubtask marks a sub-task done: its owner department's liaison, the lead's or a
// supervisor of the plan.
func (s *Server) completeSubtask(c echo.Context) error {
	if _, err := pathID(c, "id"); err != nil { // the item first, as on every item route
		return err
	}
	sid, err := pathID(c, "sid")
	if err != nil {
		return err
	}
	var owner []uint64
	it, p, err := s.itemFor(c, ActSplitItem, func(it *domain.Item) error {
		t, err := s.deps.Store.GetSubtask(c.Request().Context(), it.ID, sid)
		if err == nil {
			owner = append(owner, t.DepartmentID)
		}
		return err
	}, &owner)
	if err != nil {
		return err
	}
	var b struct{}
	if err := bindOptional(c, &b); err != nil {
		return err
	}
	in := workflows.CompleteSubtaskInput{Acting: workflows.Acting{Actor: actor(c, p)}, SubtaskID: sid}
	if err := s.update(c, it, p, workflows.UpdateCompleteSubtask, in, nil); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"status": "done"})
}

// itemFor loads the item of the path and authorises act on its lead departments (and the
// departments extra holds once load, if given, has run: a sub-task's owner).
func (s *Server) itemFor(c echo.Context, act Action, load func(*domain.Item) error, extra ...*[]uint64) (*domain.Item, *Principal, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, nil, err
	}
	it, err := s.deps.Store.GetItem(c.Request().Context(), id)
	if err != nil {
		return nil, nil, err
	}
	if principal(c) == nil {
		return nil, nil, errSignIn
	}
	var loadErr error
	if load != nil {
		loadErr = load(it)
	}
	depts := leadsOf(it)
	for _, e := range extra {
		depts = append(depts, (*e)...)
	}
	p, err := s.authorizeOn(c, act, Resource{Departments: depts, Plan: it.PlanID})
	if err != nil {
		return nil, nil, err
	}
	if loadErr != nil {
		return nil, nil, loadErr
	}
	return it, p, nil
}
