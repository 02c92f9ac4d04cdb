package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/dubanhq/duban/calendar"
	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/importer"
	"github.com/dubanhq/duban/launch"
)

func init() {
	routeRegistrars = append(routeRegistrars, func(s *Server) {
		g := s.Echo.Group("/api/v1", s.authn)
		g.POST("/meetings", s.launchMeeting)
	})
}

// meetingRequest is a meeting's minutes (会议纪要) pasted to launch one 督办件 per decision:
// with dry_run, the preview (the decisions as the importer reads them, their units matched
// against the registry); without, the launch. Items, when sent, are the preview's rows as
// the person edited them and replace what the minutes say.
type meetingRequest struct {
	Title   string          `json:"title"`
	Date    string          `json:"date"`
	Minutes string          `json:"minutes"`
	Urgency string          `json:"urgency"`
	DryRun  bool            `json:"dry_run"`
	Items   []importer.Item `json:"items"`
}

// maxMinutes bounds pasted minutes (characters).
const maxMinutes = 200000

func (s *Server) launchMeeting(c echo.Context) error {
	p, err := s.mustAuthorize(c, ActCreateCase)
	if err != nil {
		return err
	}
	var req meetingRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	req.Title, req.Date = strings.TrimSpace(req.Title), strings.TrimSpace(req.Date)
	switch {
	case strings.TrimSpace(req.Minutes) == "" && len(req.Items) == 0:
		return domain.Invalidf("minutes", "请粘贴会议纪要 / paste the minutes")
	case utf8.RuneCountInString(req.Minutes) > maxMinutes:
		return domain.Invalidf("minutes", "会议纪要不超过 %d 字 / at most %d characters", maxMinutes, maxMinutes)
	case req.Date != "" && domain.ParseDay(req.Date, calendar.Shanghai).IsZero():
		return domain.Invalidf("date", "日期格式应为 2006-01-02 / use 2006-01-02")
	case utf8.RuneCountInString(req.Title) > 512:
		return domain.Invalidf("title", "标题不超过 512 个字 / at most 512 characters")
	}
	urgency, err := domain.ParseUrgency(req.Urgency)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	items := req.Items
	var warnings []importer.Warning
	if len(items) == 0 {
		dir, err := s.directory(ctx)
		if err != nil {
			return err
		}
		res, err := importer.ParseDecisions(req.Minutes, dir)
		if err != nil {
			return domain.E(domain.KindInvalid, "minutes", err.Error(), err)
		}
		items, warnings = res.Items, res.Warnings
		if req.Title == "" {
			req.Title = res.Plan.Title
		}
	}
	if len(items) == 0 {
		return domain.Invalidf("minutes", "未识别出议定事项；请按“一、……”逐条编号 / no decisions found: number them 一、二、…")
	}
	if warnings == nil {
		warnings = []importer.Warning{}
	}
	if req.Title == "" {
		return domain.Invalidf("title", "请填写会议名称 / title is required")
	}
	departments, err := s.matchDepartments(ctx, unitNames(items), nil)
	if err != nil {
		return err
	}
	today := s.deps.Now().In(calendar.Shanghai).Format(time.DateOnly)
	rows := make([]importedItem, len(items))
	for i, it := range items {
		rows[i] = importedItem{Item: it, Flags: flagsOf(it, false, today)}
	}
	out := map[string]any{"title": req.Title, "date": req.Date, "items": rows, "warnings": warnings, "departments": departments}
	cases := make([]launch.Case, len(items))
	for i, it := range items {
		cases[i] = launch.Case{SourceType: domain.SourceMeeting, SourceText: it.Content, Title: it.Title,
			Requirement: it.Content, Urgency: urgency, Groups: it.Groups, Field: fmt.Sprintf("items[%d]", i)}
		for _, n := range it.Lead {
			cases[i].Lead = append(cases[i].Lead, launch.DeptRef{Name: n})
		}
		for _, n := range it.Partners {
			cases[i].Partners = append(cases[i].Partners, launch.DeptRef{Name: n})
		}
		if it.Window.End != "" && !it.Window.Ongoing {
			cases[i].Deadline = domain.ParseDay(it.Window.End, calendar.Shanghai)
		}
	}
	if req.DryRun {
		return c.JSON(http.StatusOK, out)
	}
	if s.deps.Temporal == nil {
		return domain.E(domain.KindUnavailable, "", "工作流服务不可用 / Temporal is not configured", nil)
	}
	minutes := req.Minutes
	if minutes == "" {
		b, _ := json.Marshal(items)
		minutes = string(b)
	}
	m := &launch.Meeting{Title: req.Title, Date: req.Date, Minutes: minutes}
	cs, warns, err := s.Launcher().Cases(ctx, cases, m, p.UserID, s.deps.Now())
	if err != nil && len(cs) == 0 {
		return err
	}
	launched := make([]map[string]any, len(cs))
	ids := make([]uint64, len(cs))
	for i, cs := range cs {
		ids[i] = cs.ItemID
		launched[i] = map[string]any{"id": cs.ItemID, "number": cs.Number, "title": items[i].Title}
		s.auditItem(c, p.UserID, p.DisplayName, cs.ItemID, 0, domain.CaseCreated{ItemID: cs.ItemID, Number: cs.Number, SourceType: domain.SourceMeeting, MeetingID: cs.MeetingID})
	}
	if len(cs) > 0 {
		s.audit(c, p.UserID, p.DisplayName, domain.MeetingLaunched{MeetingID: cs[0].MeetingID, Title: req.Title, Items: ids})
		out["meeting_id"] = cs[0].MeetingID
	}
	if err != nil { // stored and numbered: the worker starts pending 督办件 every minute
		s.deps.Logger.Warn("meeting's 督办件 stored, workflows not all started yet", "meeting", cs[0].MeetingID, "err", err)
		warns = append(warns, "工作流服务暂时不可用：各事项已编号保存，恢复后自动交办，请勿重复交办 / the workflow service did not answer: the items are stored and numbered and are assigned automatically once it answers; do not launch the meeting again")
	}
	for _, w := range warns {
		warnings = append(warnings, importer.Warning{Message: w})
	}
	out["items"], out["warnings"] = launched, warnings
	return created(c, out)
}
