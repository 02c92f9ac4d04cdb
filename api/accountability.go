package api

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/dubanhq/duban/calendar"
	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/store"
)

func init() {
	routeRegistrars = append(routeRegistrars, func(s *Server) {
		s.Echo.GET("/api/v1/accountability", s.listRecords, s.authn)
		s.Echo.POST("/api/v1/accountability/:rid/decision", s.decideRecord, s.authn)
	})
}

// RecordView is an accountability record (追究责任) with its item and department named.
type RecordView struct {
	ID           uint64     `json:"id"`
	PlanID       uint64     `json:"plan_id"`
	ItemID       uint64     `json:"item_id"`
	ItemRef      string     `json:"item_ref"`
	ItemTitle    string     `json:"item_title"`
	DepartmentID uint64     `json:"department_id"`
	Department   string     `json:"department"`
	Reason       string     `json:"reason"`
	OpenedAt     time.Time  `json:"opened_at"`
	Decision     string     `json:"decision"` // "" until decided
	Outcome      string     `json:"outcome"`
	DecidedAt    *time.Time `json:"decided_at"`
	DecidedBy    uint64     `json:"decided_by"`
}

// recordView names a record's item and department.
func (s *Server) recordView(ctx context.Context, r store.Accountability) RecordView {
	v := RecordView{ID: r.ID, PlanID: r.PlanID, ItemID: r.ItemID, DepartmentID: r.DepartmentID, Reason: r.Reason,
		OpenedAt: r.OpenedAt, Decision: r.Decision, Outcome: r.Outcome, DecidedAt: r.DecidedAt, DecidedBy: r.DecidedBy}
	if it, err := s.deps.Store.GetItem(ctx, r.ItemID); err == nil {
		v.ItemRef, v.ItemTitle = it.Ref, it.Title
	}
	if d, err := s.deps.Store.DepartmentByID(ctx, r.DepartmentID); err == nil {
		v.Department = d.Name
	}
	return v
}

// listRecords lists accountability records; liaisons see their own department's only.
func (s *Server) listRecords(c echo.Context) error {
	_, scope, err := s.listScope(c, ActReadRecords)
	if err != nil {
		return err
	}
	f := store.AccountabilityFilter{Undecided: c.QueryParam("undecided") == "true"}
	for _, q := range []struct {
		name string
		dst  *uint64
	}{{"plan_id", &f.PlanID}, {"department_id", &f.DepartmentID}} {
		if v := c.QueryParam(q.name); v != "" {
			n, err := strconv.ParseUint(v, 10, 64)
			if err != nil {
				return domain.Invalidf(q.name, "应为数字 / must be a number")
			}
			*q.dst = n
		}
	}
	if !scope.All() {
		f.DepartmentID = scope.Department
	}
	ctx := c.Request().Context()
	recs, err := s.deps.Store.ListAccountability(ctx, f)
	if err != nil {
		return err
	}
	out := make([]RecordView, 0, len(recs))
	for _, r := range recs {
		out = append(out, s.recordView(ctx, r))
	}
	return c.JSON(http.StatusOK, out)
}

// decideRecord records the leadership group's decision on a record, once.
func (s *Server) decideRecord(c echo.Context) error {
	p, err := s.mustAuthorize(c, ActDecideRecord)
	if err != nil {
		return err
	}
	id, err := pathID(c, "rid")
	if err != nil {
		return err
	}
	var b struct {
		Decision  string `json:"decision"`
		Outcome   string `json:"outcome"`
		DecidedOn string `json:"decided_on"`
	}
	if err := bind(c, &b); err != nil {
		return err
	}
	if !slices.Contains(store.AccountabilityDecisions, b.Decision) {
		return domain.Invalidf("decision", "应为 %s 之一 / must be one of %s", strings.Join(store.AccountabilityDecisions, "、"), strings.Join(store.AccountabilityDecisions, ", "))
	}
	if n := utf8.RuneCountInString(strings.TrimSpace(b.Outcome)); n == 0 || n > 2000 {
		return domain.Invalidf("outcome", "请填写处理结果（不超过 2000 字） / outcome is required, at most 2000 characters")
	}
	now := s.deps.Now()
	at := now
	if b.DecidedOn != "" {
		rec, err := s.deps.Store.GetAccountability(c.Request().Context(), id)
		if err != nil {
			return err
		}
		if at, err = decidedOn(b.DecidedOn, rec.OpenedAt, now); err != nil {
			return err
		}
	}
	rec, err := s.deps.Store.DecideAccountability(c.Request().Context(), id, b.Decision, strings.TrimSpace(b.Outcome), p.UserID, at.UTC())
	if err != nil {
		return err
	}
	s.audit(c, p.UserID, p.DisplayName, domain.RecordDecided{RecordID: rec.ID, ItemID: rec.ItemID, DepartmentID: rec.DepartmentID, Decision: rec.Decision})
	return c.JSON(http.StatusOK, s.recordView(c.Request().Context(), *rec))
}

// decidedOn reads the day a decision was taken: a date (YYYY-MM-DD, China time) neither in
// the future nor before the record was opened. The time kept is noon of that day, or now
// when the day is today.
func decidedOn(v string, opened, now time.Time) (time.Time, error) {
	d, err := time.ParseInLocation(time.DateOnly, v, calendar.Shanghai)
	if err != nil {
		return time.Time{}, domain.Invalidf("decided_on", "日期格式应为 YYYY-MM-DD / decided_on must be YYYY-MM-DD")
	}
	today := now.In(calendar.Shanghai).Format(time.DateOnly)
	switch {
	case v > today:
		return time.Time{}, domain.Invalidf("decided_on", "决定日期不能晚于今天 / decided_on cannot be in the future")
	case v < opened.In(calendar.Shanghai).Format(time.DateOnly):
		return time.Time{}, domain.Invalidf("decided_on", "决定日期不能早于追责记录生成之日（%s） / decided_on cannot be before the record was opened (%s)",
			opened.In(calendar.Shanghai).Format(time.DateOnly), opened.In(calendar.Shanghai).Format(time.DateOnly))
	case v == today:
		return now, nil
	}
	return d.Add(12 * time.Hour), nil
}
