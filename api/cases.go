package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/dubanhq/duban/calendar"
	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/launch"
)

func init() {
	routeRegistrars = append(routeRegistrars, func(s *Server) {
		g := s.Echo.Group("/api/v1", s.authn)
		g.POST("/items", s.createCase)
		g.PUT("/items/:id/reply", s.replyCase)
	})
}

// caseRequest is the form of a single supervision item (督办件). Lead and partners are
// department ids or names (names resolve through the registry and aliases); source_type
// and urgency take their codes or their Chinese labels.
type caseRequest struct {
	SourceType  string            `json:"source_type"`
	SourceText  string            `json:"source_text"`
	Attachments []uint64          `json:"attachments"`
	Title       string            `json:"title"`
	Requirement string            `json:"requirement"`
	Lead        []json.RawMessage `json:"lead"`
	Partners    []json.RawMessage `json:"partners"`
	Deadline    string            `json:"deadline"`
	Cadence     string            `json:"cadence"`
	Urgency     string            `json:"urgency"`
}

// deptRefs reads an array of department ids (numbers, or strings of digits) and names.
func deptRefs(field string, raw []json.RawMessage) ([]launch.DeptRef, error) {
	out := make([]launch.DeptRef, 0, len(raw))
	for i, r := range raw {
		r = bytes.TrimSpace(r)
		var id uint64
		if err := json.Unmarshal(r, &id); err == nil && id != 0 {
			out = append(out, launch.DeptRef{ID: id})
			continue
		}
		var name string
		if err := json.Unmarshal(r, &name); err != nil || strings.TrimSpace(name) == "" {
			return nil, domain.Invalidf(fmt.Sprintf("%s[%d]", field, i), "应为单位编号或名称 / want a department id or name")
		}
		name = strings.TrimSpace(name)
		if n, err := strconv.ParseUint(name, 10, 64); err == nil && n != 0 {
			out = append(out, launch.DeptRef{ID: n})
			continue
		}
		out = append(out, launch.DeptRef{Name: name})
	}
	return out, nil
}

// toCase checks a 督办件's form and converts it for the launcher; field prefixes the names
// its errors give.
func (s *Server) toCase(ctx context.Context, req caseRequest, field string) (launch.Case, error) {
	f := func(n string) string {
		if field == "" {
			return n
		}
		return field + "." + n
	}
	c := launch.Case{SourceText: strings.TrimSpace(req.SourceText), Attachments: req.Attachments, Title: req.Title,
		Requirement: req.Requirement, Cadence: strings.TrimSpace(req.Cadence), Field: field}
	var err error
	if c.SourceType, err = domain.ParseSourceType(req.SourceType); err != nil {
		return c, err
	}
	if c.Urgency, err = domain.ParseUrgency(req.Urgency); err != nil {
		return c, err
	}
	if c.Lead, err = deptRefs(f("lead"), req.Lead); err != nil {
		return c, err
	}
	if c.Partners, err = deptRefs(f("partners"), req.Partners); err != nil {
		return c, err
	}
	if d := strings.TrimSpace(req.Deadline); d != "" {
		t, perr := time.ParseInLocation(time.DateOnly, d, calendar.Shanghai)
		if perr != nil {
			return c, domain.Invalidf(f("deadline"), "日期格式应为 2006-01-02 / use 2006-01-02")
		}
		c.Deadline = t
	}
	for i, aid := range req.Attachments {
		if _, err := s.deps.Store.GetAttachment(ctx, aid); err != nil {
			if domain.KindOf(err) == domain.KindNotFound {
				return c, domain.Invalidf(fmt.Sprintf("%s[%d]", f("attachments"), i), "附件 %d 不存在 / attachment %d does not exist", aid, aid)
			}
			return c, err
		}
	}
	return c, nil
}

// createCase creates a 督办件 from its form: it is numbered, stored in its year's container
// plan and started like any plan item.
func (s *Server) createCase(c echo.Context) error {
	p, err := s.mustAuthorize(c, ActCreateCase)
	if err != nil {
		return err
	}
	var req caseRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	ctx := c.Request().Context()
	in, err := s.toCase(ctx, req, "")
	if err != nil {
		return err
	}
	if s.deps.Temporal == nil {
		return domain.E(domain.KindUnavailable, "", "工作流服务不可用 / Temporal is not configured", nil)
	}
	cs, warns, err := s.Launcher().Cases(ctx, []launch.Case{in}, nil, p.UserID, s.deps.Now())
	if len(cs) == 1 {
		s.auditItem(c, p.UserID, p.DisplayName, cs[0].ItemID, 0, domain.CaseCreated{ItemID: cs[0].ItemID, Number: cs[0].Number, SourceType: in.SourceType})
	}
	if err != nil && len(cs) == 1 {
		// Stored and numbered, but its workflow did not start: the worker starts pending
		// 督办件 every minute, so the supervisor must not create it again.
		s.deps.Logger.Warn("督办件 stored, its workflow not started yet", "item", cs[0].ItemID, "err", err)
		warns = append(warns, fmt.Sprintf("工作流服务暂时不可用：%s 已编号保存，恢复后自动交办，请勿重复交办 / the workflow service did not answer: %s is stored and numbered and is assigned automatically once it answers; do not create it again", cs[0].Number, cs[0].Number))
		err = nil
	}
	if err != nil {
		return err
	}
	if warns == nil {
		warns = []string{}
	}
	return created(c, map[string]any{"id": cs[0].ItemID, "number": cs[0].Number, "warnings": warns})
}

// CaseView is what a 督办件 has beyond its item (schema Case): its number, source, urgency,
// the scanned original, its meeting, the approved completion report (办结报告) once closed
// and the reply sent to the source.
type CaseView struct {
	Number      string          `json:"number"`
	SourceType  string          `json:"source_type"`
	SourceLabel string          `json:"source_label"`
	SourceText  string          `json:"source_text"`
	Urgency     string          `json:"urgency"`
	Attachments []CaseFileView  `json:"attachments"`
	Meeting     *MeetingView    `json:"meeting,omitempty"`
	Report      *CaseReportView `json:"report,omitempty"`
	Reply       string          `json:"reply"`
	RepliedAt   *time.Time      `json:"replied_at,omitempty"`
	CreatedAt   time.Time       `json:"created_at"`
}

// CaseFileView is one file of a 督办件's source.
type CaseFileView struct {
	ID   uint64 `json:"id"`
	Name string `json:"name"`
	Size int64  `json:"size"`
	URL  string `json:"url"`
}

// MeetingView is the meeting that decided a 督办件.
type MeetingView struct {
	ID    uint64 `json:"id"`
	Title string `json:"title"`
	Date  string `json:"date"`
}

// CaseReportView is the approved completion request: the 办结报告.
type CaseReportView struct {
	SubmissionID uint64    `json:"submission_id"`
	Text         string    `json:"text"`
	At           time.Time `json:"at"`
}

// caseView is an item's 督办件 record, nil for a plan item.
func (s *Server) caseView(ctx context.Context, itemID uint64) (*CaseView, error) {
	st := s.deps.Store
	cs, err := st.GetCase(ctx, itemID)
	if domain.KindOf(err) == domain.KindNotFound {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	v := &CaseView{Number: cs.Number, SourceType: cs.SourceType, SourceLabel: domain.SourceType(cs.SourceType).Label(),
		SourceText: cs.SourceText, Urgency: cs.Urgency, Attachments: []CaseFileView{}, Reply: cs.Reply,
		RepliedAt: cs.RepliedAt, CreatedAt: cs.CreatedAt}
	files, err := st.CaseAttachments(ctx, itemID)
	if err != nil {
		return nil, err
	}
	for _, a := range files {
		v.Attachments = append(v.Attachments, CaseFileView{ID: a.ID, Name: a.Name, Size: a.Size, URL: fmt.Sprintf("/api/v1/attachments/%d", a.ID)})
	}
	if cs.MeetingID != 0 {
		if m, err := st.GetMeeting(ctx, cs.MeetingID); err == nil {
			v.Meeting = &MeetingView{ID: m.ID, Title: m.Title, Date: m.Date}
		}
	}
	if sub, err := st.ApprovedCompletion(ctx, itemID); err == nil {
		v.Report = &CaseReportView{SubmissionID: sub.ID, Text: sub.Text, At: sub.UpdatedAt}
	} else if domain.KindOf(err) != domain.KindNotFound {
		return nil, err
	}
	return v, nil
}

// replyCase records the reply to a 督办件's source (e.g. to the leader's office), printed
// with its 办结报告.
func (s *Server) replyCase(c echo.Context) error {
	it, p, err := s.loadItem(c, ActReview)
	if err != nil {
		return err
	}
	var req struct {
		Reply string `json:"reply"`
	}
	if err := bind(c, &req); err != nil {
		return err
	}
	reply := strings.TrimSpace(req.Reply)
	if reply == "" {
		return domain.Invalidf("reply", "请填写回复内容 / reply is required")
	}
	if len([]rune(reply)) > 20000 {
		return domain.Invalidf("reply", "回复不超过 20000 字 / at most 20000 characters")
	}
	ev := s.auditEntry(c, p.UserID, p.DisplayName)
	b, _ := domain.EncodeEvent(domain.CaseReplied{ItemID: it.ID})
	ev.ItemID, ev.PlanID, ev.Type, ev.Payload = it.ID, it.PlanID, string(domain.EventCaseReplied), string(b)
	ev.DedupeKey = "api:" + serverIDOf(c) + ":" + ev.Type
	if err := s.deps.Store.SetCaseReply(c.Request().Context(), it.ID, reply, s.deps.Now(), &ev); err != nil {
		if domain.KindOf(err) == domain.KindNotFound {
			return domain.Conflictf("该事项不是督办件 / the item is not a supervision item")
		}
		return err
	}
	v, err := s.caseView(c.Request().Context(), it.ID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}
