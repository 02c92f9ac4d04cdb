package api

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/store"
	"github.com/dubanhq/duban/workflows"
)

func init() {
	routeRegistrars = append(routeRegistrars, func(s *Server) {
		g := s.Echo.Group("/api/v1", s.authn)
		g.GET("/items", s.listItems)
		g.GET("/items/:id", s.getItem)
		g.GET("/items/:id/events", s.itemEvents)
	})
}

// AssignmentView is one department's share of an item.
type AssignmentView struct {
	DepartmentID    uint64     `json:"department_id"`
	Department      string     `json:"department"`
	Role            string     `json:"role"`
	Status          string     `json:"status"`
	SignedAt        *time.Time `json:"signed_at,omitempty"`
	NextDue         *time.Time `json:"next_due,omitempty"`
	EscalationLevel int        `json:"escalation_level"`
	Overdue         bool       `json:"overdue"`
}

// ItemView is an item in lists and on its page.
type ItemView struct {
	ID              uint64     `json:"id"`
	PlanID          uint64     `json:"plan_id"`
	Ref             string     `json:"ref"`
	Title           string     `json:"title"`
	Content         string     `json:"content,omitempty"`
	Status          string     `json:"status"`
	Light           string     `json:"light"`
	EscalationLevel int        `json:"escalation_level"`
	NextDue         *time.Time `json:"next_due"`
	// DueWorkdays counts working days to next_due (negative: working days overdue).
	DueWorkdays *int                 `json:"due_workdays,omitempty"`
	Window      map[string]any       `json:"window"`
	Indicators  []domain.Indicator   `json:"indicators"`
	Assignments []AssignmentView     `json:"assignments"`
	Live        *workflows.ItemState `json:"live,omitempty"`
}

func itemView(it store.Item, as []store.Assignment, names map[uint64]string) ItemView {
	v := ItemView{ID: it.ID, PlanID: it.PlanID, Ref: it.Ref, Title: it.Title, Content: it.Content,
		Status: it.Status, Light: it.Light, EscalationLevel: it.EscalationLevel, NextDue: it.NextDue,
		Window:     map[string]any{"start": dateOf(it.WindowStart), "end": dateOf(it.WindowEnd), "ongoing": it.Ongoing},
		Indicators: []domain.Indicator{}, Assignments: []AssignmentView{}}
	if it.IndicatorsJSON != "" {
		_ = json.Unmarshal([]byte(it.IndicatorsJSON), &v.Indicators)
	}
	for _, a := range as {
		v.Assignments = append(v.Assignments, AssignmentView{DepartmentID: a.DepartmentID, Department: names[a.DepartmentID],
			Role: a.Role, Status: a.Status, SignedAt: a.SignedAt, NextDue: a.NextDue,
			EscalationLevel: a.EscalationLevel, Overdue: a.Overdue})
	}
	return v
}

func dateOf(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format(time.DateOnly)
}

// listItems answers the dashboards from the read model, never by scanning Temporal.
// Liaisons see only their department's items.
func (s *Server) listItems(c echo.Context) error {
	_, scope, err := s.listScope(c, ActReadItem)
	if err != nil {
		return err
	}
	f, err := itemFilter(c)
	if err != nil {
		return err
	}
	if !scope.All() {
		f.DepartmentID = scope.Department
	}
	ctx := c.Request().Context()
	items, err := s.deps.Store.ListItems(ctx, f)
	if err != nil {
		return err
	}
	ids := make([]uint64, len(items))
	for i, it := range items {
		ids[i] = it.ID
	}
	as, err := s.deps.Store.ItemAssignments(ctx, ids...)
	if err != nil {
		return err
	}
	names, err := s.deps.Store.DepartmentNames(ctx)
	if err != nil {
		return err
	}
	out := make([]ItemView, len(items))
	now := s.deps.Now()
	for i, it := range items {
		out[i] = itemView(it, as[it.ID], names)
		out[i].DueWorkdays = s.dueWorkdays(now, it.NextDue)
	}
	next := ""
	if len(items) == f.Limit {
		next = strconv.FormatUint(items[len(items)-1].ID, 10)
	}
	return c.JSON(http.StatusOK, map[string]any{"items": out, "next_cursor": next})
}

func principalDept(c echo.Context) uint64 {
	if p := principal(c); p != nil {
		return p.DepartmentID
	}
	return 0
}

func itemFilter(c echo.Context) (store.ItemFilter, error) {
	q := c.QueryParams()
	f := store.ItemFilter{Query: q.Get("q"), Light: q.Get("light"), Role: q.Get("role"), Limit: 50}
	var err error
	uintParam := func(name string, dst *uint64) {
		if v := q.Get(name); v != "" && err == nil {
			if *dst, err = strconv.ParseUint(v, 10, 64); err != nil {
				err = domain.Invalidf(name, "应为数字 / must be a number")
			}
		}
	}
	uintParam("plan", &f.PlanID)
	uintParam("department", &f.DepartmentID)
	uintParam("cursor", &f.AfterID)
	var level, limit uint64
	uintParam("level", &level)
	uintParam("limit", &limit)
	if err != nil {
		return f, err
	}
	f.MinLevel = int(level)
	if limit > 0 {
		f.Limit = int(min(limit, 500))
	}
	if v := q.Get("status"); v != "" {
		f.Status = strings.Split(v, ",")
	}
	if v := q.Get("overdue"); v == "true" || v == "1" {
		f.Overdue = true
	}
	for name, dst := range map[string]**time.Time{"due_before": &f.DueBefore, "due_after": &f.DueAfter} {
		if v := q.Get(name); v != "" {
			t, perr := parseTimeParam(v)
			if perr != nil {
				return f, domain.Invalidf(name, "日期格式应为 2006-01-02 或 RFC 3339 / use 2006-01-02 or RFC 3339")
			}
			*dst = &t
		}
	}
	switch f.Light {
	case "", "red", "yellow", "green":
	default:
		return f, domain.Invalidf("light", "应为 red、yellow 或 green / must be red, yellow or green")
	}
	switch f.Role {
	case "", "lead", "partner":
	default:
		return f, domain.Invalidf("role", "应为 lead 或 partner / must be lead or partner")
	}
	return f, nil
}

func parseTimeParam(v string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	return time.Parse(time.DateOnly, v)
}

// loadItem fetches an item and checks the caller may read it.
func (s *Server) loadItem(c echo.Context, act Action) (*store.Item, []store.Assignment, *Principal, error) {
	id, err := strconv.ParseUint(c.Param("id"), 10, 64)
	if err != nil {
		return nil, nil, nil, domain.Invalidf("id", "事项编号应为数字 / item id must be a number")
	}
	ctx := c.Request().Context()
	it, err := s.deps.Store.GetItem(ctx, id)
	if err != nil {
		return nil, nil, nil, err
	}
	as, err := s.deps.Store.ItemAssignments(ctx, id)
	if err != nil {
		return nil, nil, nil, err
	}
	var depts []uint64
	for _, a := range as[id] {
		if a.Status != "removed" {
			depts = append(depts, a.DepartmentID)
		}
	}
	p, err := s.authorizeOn(c, act, Resource{Departments: depts, Plan: it.PlanID})
	if err != nil {
		return nil, nil, nil, err
	}
	return it, as[id], p, nil
}

func (s *Server) getItem(c echo.Context) error {
	it, as, _, err := s.loadItem(c, ActReadItem)
	if err != nil {
		return err
	}
	names, err := s.deps.Store.DepartmentNames(c.Request().Context())
	if err != nil {
		return err
	}
	v := itemView(*it, as, names)
	v.DueWorkdays = s.dueWorkdays(s.deps.Now(), it.NextDue)
	if s.deps.Temporal != nil && it.Status != string(domain.StatusPending) {
		ctx, cancel := context.WithTimeout(c.Request().Context(), 5*time.Second)
		defer cancel()
		res, err := s.deps.Temporal.QueryWorkflow(ctx, it.WorkflowID, "", workflows.QueryState)
		if err == nil {
			var st workflows.ItemState
			if err = res.Get(&st); err == nil {
				v.Live = &st
			}
		}
		if err != nil {
			// The page still answers from the read model; the live state is a bonus.
			s.deps.Logger.Warn("live state unavailable", "item", it.ID, "request_id", requestIDOf(c), "err", err)
		}
	}
	c.Response().Header().Set("ETag", etag(it))
	return c.JSON(http.StatusOK, v)
}

// EventView is one audit event on an item's timeline.
type EventView struct {
	ID           uint64         `json:"id"`
	Type         string         `json:"type"`
	Level        int            `json:"level,omitempty"`
	DepartmentID uint64         `json:"department_id,omitempty"`
	Department   string         `json:"department,omitempty"`
	Actor        string         `json:"actor,omitempty"`
	At           time.Time      `json:"at"`
	Payload      map[string]any `json:"payload,omitempty"`
}

func (s *Server) itemEvents(c echo.Context) error {
	it, _, _, err := s.loadItem(c, ActReadItem)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	es, err := s.deps.Store.ItemEvents(ctx, it.ID)
	if err != nil {
		return err
	}
	names, err := s.deps.Store.DepartmentNames(ctx)
	if err != nil {
		return err
	}
	out := make([]EventView, len(es))
	for i, e := range es {
		out[i] = EventView{ID: e.ID, Type: e.Type, Level: e.Level, DepartmentID: e.DepartmentID,
			Department: names[e.DepartmentID], Actor: e.Actor, At: e.At}
		_ = json.Unmarshal([]byte(e.Payload), &out[i].Payload)
	}
	return c.JSON(http.StatusOK, out)
}

// dueWorkdays is the working-day countdown to a deadline on the statutory calendar, or nil
// when there is no deadline or the calendar lacks the year.
func (s *Server) dueWorkdays(now time.Time, due *time.Time) *int {
	if due == nil || s.deps.Calendar == nil {
		return nil
	}
	var n int
	var err error
	if due.After(now) {
		n, err = s.deps.Calendar.WorkdaysBetween(now, *due)
	} else {
		n, err = s.deps.Calendar.WorkdaysBetween(*due, now)
		n = -n
	}
	if err != nil {
		return nil
	}
	return &n
}
