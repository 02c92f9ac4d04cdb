package api

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/dubanhq/duban/calendar"
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

// AssignmentView is one department's share of an item (schema Assignment).
type AssignmentView struct {
	DepartmentID    uint64     `json:"department_id"`
	Department      string     `json:"department"`
	Role            string     `json:"role"`   // lead | partner
	Status          string     `json:"status"` // assigned | signed | removed
	SignedAt        *time.Time `json:"signed_at,omitempty"`
	NextDue         *time.Time `json:"next_due,omitempty"`
	EscalationLevel int        `json:"escalation_level"`
	LevelName       string     `json:"level_name,omitempty"` // the rung's name: 催办, 督办通知 …
	Overdue         bool       `json:"overdue"`
}

// WindowView is an item's window: its first and last day (2006-01-02, empty when not
// stated) and whether it is ongoing (持续推进).
type WindowView struct {
	Start   string `json:"start"`
	End     string `json:"end"`
	Ongoing bool   `json:"ongoing"`
}

// PendingView is a submission waiting for review (schema Pending).
type PendingView struct {
	SubmissionID uint64 `json:"submission_id"`
	Kind         string `json:"kind"` // report | contribution | completion
	DepartmentID uint64 `json:"department_id"`
	Cycle        int    `json:"cycle"`
}

// ExtensionView is an extension request (申请延期) and its decision (schema Extension).
type ExtensionView struct {
	ID           int       `json:"id"`
	DepartmentID uint64    `json:"department_id"`
	NewDue       time.Time `json:"new_due"`
	Reason       string    `json:"reason"`
	Decided      bool      `json:"decided"`
	Approved     bool      `json:"approved"`
}

// ItemView is an item in lists and on its page (schema Item). On its page it also lists
// the submissions waiting for review and the extension requests, from the workflow: an
// empty list when there are none, null when the workflow could not be asked.
type ItemView struct {
	ID              uint64     `json:"id"`
	PlanID          uint64     `json:"plan_id"`
	Ref             string     `json:"ref"`
	Title           string     `json:"title"`
	Content         string     `json:"content,omitempty"`
	Status          string     `json:"status"`
	Light           string     `json:"light"`
	EscalationLevel int        `json:"escalation_level"`
	LevelName       string     `json:"level_name,omitempty"` // the rung's name on the plan's ladder
	NextDue         *time.Time `json:"next_due"`
	// DueWorkdays counts working days to next_due (negative: working days overdue).
	DueWorkdays *int               `json:"due_workdays,omitempty"`
	Window      WindowView         `json:"window"`
	Indicators  []domain.Indicator `json:"indicators"`
	Assignments []AssignmentView   `json:"assignments"`
	// Pending and Extensions are null in lists, and when the workflow did not answer.
	Pending    []PendingView   `json:"pending"`
	Extensions []ExtensionView `json:"extensions"`
	// Submissions are every report, contribution and completion request, pending and past,
	// with what was written, attached and reported and the reviewer's comment (item page
	// only; the field names are stable).
	Submissions []SubmissionView `json:"submissions,omitempty"`
	// Subtasks are the item's sub-tasks (任务分解): on the item page always (an empty list
	// when there are none), in lists never.
	Subtasks *[]SubtaskView `json:"subtasks,omitempty"`
	// NeedsLead marks an item whose list named no lead (待指定牵头单位): it waits for a
	// supervisor to pick one before its workflow starts.
	NeedsLead bool `json:"needs_lead"`
	// Case is the 督办件 record of a single supervision item (item page only; absent for
	// plan items).
	Case *CaseView `json:"case,omitempty"`
}

// SubmissionView is one submission on the item page (schema Submission…View).
type SubmissionView struct {
	ID           uint64              `json:"id"`
	Kind         string              `json:"kind"` // report | contribution | completion
	DepartmentID uint64              `json:"department_id"`
	Department   string              `json:"department"`
	Cycle        int                 `json:"cycle"`
	Text         string              `json:"text"`
	Attachments  []domain.Attachment `json:"attachments"`
	Indicators   map[string]float64  `json:"indicators"`
	Status       string              `json:"status"` // submitted | approved | returned
	Comment      string              `json:"comment"`
	SubmittedAt  time.Time           `json:"submitted_at"`
	ReviewedAt   *time.Time          `json:"reviewed_at,omitempty"`
	ResubmitDue  *time.Time          `json:"resubmit_due,omitempty"`
}

func submissionView(sub store.SubmissionRecord, names map[uint64]string) SubmissionView {
	return SubmissionView{ID: sub.ID, Kind: string(sub.Kind), DepartmentID: sub.DepartmentID,
		Department: names[sub.DepartmentID], Cycle: sub.Cycle, Text: sub.Text, Attachments: sub.Attachments,
		Indicators: sub.Indicators, Status: string(sub.State), Comment: sub.Comment, SubmittedAt: sub.SubmittedAt,
		ReviewedAt: optTime(sub.ReviewedAt), ResubmitDue: optTime(sub.ResubmitDue)}
}

// itemView converts the domain's item to its view.
func itemView(it domain.Item, names map[uint64]string, ls ladders) ItemView {
	v := ItemView{ID: it.ID, PlanID: it.PlanID, Ref: it.Ref, Title: it.Title, Content: it.Content, NeedsLead: it.Lead() == nil,
		Status: string(it.Status), Light: string(it.Light), EscalationLevel: int(it.Level), LevelName: ls.name(it.PlanID, it.Level),
		NextDue:    optTime(it.NextDue),
		Window:     WindowView{Start: dateOf(it.Window.Start), End: dateOf(it.Window.End), Ongoing: it.Window.Ongoing},
		Indicators: it.Indicators, Assignments: []AssignmentView{}}
	if v.Indicators == nil {
		v.Indicators = []domain.Indicator{}
	}
	for _, a := range it.Assignments {
		v.Assignments = append(v.Assignments, AssignmentView{DepartmentID: a.DepartmentID, Department: names[a.DepartmentID],
			Role: string(a.Role), Status: string(a.Status), SignedAt: optTime(a.SignedAt), NextDue: optTime(a.NextDue),
			EscalationLevel: int(a.Level), LevelName: ls.name(it.PlanID, a.Level), Overdue: a.Overdue})
	}
	return v
}

// addLive adds what only the workflow knows (pending reviews, extension requests) to an
// item's view, converted from the workflow's state.
func addLive(v *ItemView, st workflows.ItemState) {
	v.Pending, v.Extensions = []PendingView{}, []ExtensionView{}
	for _, p := range st.Pending {
		v.Pending = append(v.Pending, PendingView{SubmissionID: p.SubmissionID, Kind: string(p.Kind), DepartmentID: p.DepartmentID, Cycle: p.Cycle})
	}
	for _, x := range st.Extensions {
		v.Extensions = append(v.Extensions, ExtensionView{ID: x.ID, DepartmentID: x.DepartmentID, NewDue: x.NewDue,
			Reason: x.Reason, Decided: x.Decided, Approved: x.Approved})
	}
}

func dateOf(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(calendar.Shanghai).Format(time.DateOnly)
}

func optTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
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
	names, err := s.deps.Store.DepartmentNames(ctx)
	if err != nil {
		return err
	}
	ls, err := s.laddersOf(ctx, items...)
	if err != nil {
		return err
	}
	out := make([]ItemView, len(items))
	now := s.deps.Now()
	for i, it := range items {
		out[i] = itemView(it, names, ls)
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
	f := store.ItemFilter{Query: q.Get("q"), Light: domain.Light(q.Get("light")), Role: domain.AssignmentRole(q.Get("role")), Limit: 50}
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
	f.MinLevel = domain.Level(level)
	if limit > 0 {
		f.Limit = int(min(limit, 500))
	}
	if v := q.Get("status"); v != "" {
		for _, st := range strings.Split(v, ",") {
			f.Status = append(f.Status, domain.ItemStatus(st))
		}
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
	case "", domain.Red, domain.Yellow, domain.Green:
	default:
		return f, domain.Invalidf("light", "应为 red、yellow 或 green / must be red, yellow or green")
	}
	switch f.Role {
	case "", domain.Lead, domain.Partner:
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

// loadItem fetches an item and checks the caller may do act on it.
func (s *Server) loadItem(c echo.Context, act Action) (*domain.Item, *Principal, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, nil, err
	}
	it, err := s.deps.Store.GetItem(c.Request().Context(), id)
	if err != nil {
		return nil, nil, err
	}
	p, err := s.authorizeOn(c, act, Resource{Departments: it.Departments(), Plan: it.PlanID})
	if err != nil {
		return nil, nil, err
	}
	return it, p, nil
}

func (s *Server) getItem(c echo.Context) error {
	it, _, err := s.loadItem(c, ActReadItem)
	if err != nil {
		return err
	}
	names, err := s.deps.Store.DepartmentNames(c.Request().Context())
	if err != nil {
		return err
	}
	ls, err := s.laddersOf(c.Request().Context(), *it)
	if err != nil {
		return err
	}
	v := itemView(*it, names, ls)
	v.DueWorkdays = s.dueWorkdays(s.deps.Now(), it.NextDue)
	subs, err := s.deps.Store.ItemSubmissions(c.Request().Context(), it.ID)
	if err != nil {
		return err
	}
	v.Submissions = make([]SubmissionView, len(subs))
	for i, sub := range subs {
		v.Submissions[i] = submissionView(sub, names)
	}
	sts, err := s.deps.Store.Subtasks(c.Request().Context(), it.ID)
	if err != nil {
		return err
	}
	views := subtaskViews(sts, names)
	v.Subtasks = &views
	if v.Case, err = s.caseView(c.Request().Context(), it.ID); err != nil {
		return err
	}
	if s.deps.Temporal != nil && it.Status != domain.StatusPending {
		ctx, cancel := context.WithTimeout(c.Request().Context(), 5*time.Second)
		defer cancel()
		res, err := s.deps.Temporal.QueryWorkflow(ctx, it.WorkflowID, "", workflows.QueryState)
		if err == nil {
			var st workflows.ItemState
			if err = res.Get(&st); err == nil {
				addLive(&v, st)
			}
		}
		if err != nil {
			// The page still answers from the read model; what only the workflow knows
			// (pending reviews, extension requests) is left out.
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
	it, _, err := s.loadItem(c, ActReadItem)
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
func (s *Server) dueWorkdays(now, due time.Time) *int {
	if due.IsZero() || s.deps.Calendar == nil {
		return nil
	}
	var n int
	var err error
	if due.After(now) {
		n, err = s.deps.Calendar.WorkdaysBetween(now, due)
	} else {
		n, err = s.deps.Calendar.WorkdaysBetween(due, now)
		n = -n
	}
	if err != nil {
		return nil
	}
	return &n
}
