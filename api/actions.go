package api

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/workflows"
)

func init() {
	routeRegistrars = append(routeRegistrars, func(s *Server) {
		g := s.Echo.Group("/api/v1/items/:id", s.authn)
		g.POST("/sign", s.actDepartment(workflows.UpdateSign, "signed"))
		g.POST("/acknowledge", s.actDepartment(workflows.UpdateAcknowledge, "acknowledged"))
		g.POST("/urge", s.actUrge)
		g.POST("/lead", s.actSetLead)
		g.POST("/reports", s.actSubmit(domain.KindReport))
		g.POST("/contributions", s.actSubmit(domain.KindContribution))
		g.POST("/completion", s.actSubmit(domain.KindCompletion))
		g.POST("/reviews", s.actReview)
		g.POST("/extension-requests", s.actExtensionRequest)
		g.POST("/extension-requests/:eid/decision", s.actExtensionDecision)
		g.POST("/instructions", s.actInstruction)
		g.POST("/reassign", s.actReassign)
		g.POST("/suspend", s.actReason(workflows.UpdateSuspend))
		g.POST("/resume", s.actReason(workflows.UpdateResume))
		g.POST("/cancel", s.actReason(workflows.UpdateCancel))
	})
}

// actDepartment is an action a department takes with no body — 签收 (sign) or 收到提醒
// (acknowledge a reminder): the Update for the caller's own department, answered by status.
func (s *Server) actDepartment(update, status string) echo.HandlerFunc {
	return func(c echo.Context) error {
		it, p, err := s.loadItem(c, ActActAsDepartment)
		if err != nil {
			return err
		}
		var body struct{}
		if err := bindOptional(c, &body); err != nil {
			return err
		}
		in := workflows.DepartmentInput{Acting: workflows.Acting{Actor: actor(c, p)}, DepartmentID: p.DepartmentID}
		if err := s.update(c, it, p, update, in, nil); err != nil {
			return err
		}
		return c.JSON(http.StatusOK, map[string]any{"status": status})
	}
}

// actUrge is a supervisor's 催办 by hand (stable: POST /items/{id}/urge {message} → 202, an
// `urged` event): sent at once to every department that owes something.
func (s *Server) actUrge(c echo.Context) error {
	it, p, err := s.loadItem(c, ActReview)
	if err != nil {
		return err
	}
	var b struct {
		Message string `json:"message"`
	}
	if err := bindOptional(c, &b); err != nil {
		return err
	}
	in := workflows.UrgeInput{Acting: workflows.Acting{Actor: actor(c, p)}, Message: b.Message}
	if err := s.update(c, it, p, workflows.UpdateUrge, in, nil); err != nil {
		return err
	}
	return c.JSON(http.StatusAccepted, map[string]any{"status": "urged"})
}

// actSetLead picks the lead of an item whose list named none (待指定牵头单位) and starts its
// workflow; an item already running changes its parties by reassignment instead.
func (s *Server) actSetLead(c echo.Context) error {
	it, p, err := s.loadItem(c, ActReview)
	if err != nil {
		return err
	}
	var b struct {
		DepartmentID uint64 `json:"department_id"`
	}
	if err := bind(c, &b); err != nil {
		return err
	}
	ctx := c.Request().Context()
	d, err := s.deps.Store.DepartmentByID(ctx, b.DepartmentID)
	if err != nil {
		return domain.Invalidf("department_id", "单位不存在 / no such department")
	}
	if s.deps.Temporal == nil {
		return domain.E(domain.KindUnavailable, "", "工作流服务不可用 / Temporal is not configured", nil)
	}
	if err := s.deps.Store.SetPendingLead(ctx, it.ID, d.ID); err != nil { // refuses an item already started
		return err
	}
	started, _, err := s.Launcher().StartPending(ctx, it.PlanID)
	if err != nil {
		return err
	}
	s.audit(c, p.UserID, p.DisplayName, domain.LeadSet{ItemID: it.ID, DepartmentID: d.ID})
	return c.JSON(http.StatusOK, map[string]any{"lead": d.ID, "started": started})
}

// submitBody is a report, contribution or completion request.
type submitBody struct {
	Text        string              `json:"text"`
	Indicators  map[string]float64  `json:"indicators"`
	Attachments []domain.Attachment `json:"attachments"`
}

func (s *Server) actSubmit(kind domain.SubmissionKind) echo.HandlerFunc {
	return func(c echo.Context) error {
		it, p, err := s.loadItem(c, ActActAsDepartment)
		if err != nil {
			return err
		}
		var b submitBody
		if err := bind(c, &b); err != nil {
			return err
		}
		if err := s.ownAttachments(c, p, b.Attachments); err != nil {
			return err
		}
		in := workflows.SubmitInput{Acting: workflows.Acting{Actor: actor(c, p)}, DepartmentID: p.DepartmentID,
			Kind: kind, Text: b.Text, Indicators: b.Indicators, Attachments: b.Attachments}
		var res workflows.SubmitResult
		if err := s.update(c, it, p, workflows.UpdateSubmit, in, &res); err != nil {
			return err
		}
		return c.JSON(http.StatusCreated, res)
	}
}

func (s *Server) actReview(c echo.Context) error {
	it, p, err := s.loadItem(c, ActReview)
	if err != nil {
		return err
	}
	var b struct {
		ReportID    uint64     `json:"report_id"`
		Decision    string     `json:"decision"`
		Comment     string     `json:"comment"`
		ResubmitDue *time.Time `json:"resubmit_due"`
	}
	if err := bind(c, &b); err != nil {
		return err
	}
	if b.ReportID == 0 {
		return domain.Invalidf("report_id", "请指明审核的报送 / report_id is required")
	}
	in := workflows.ReviewInput{Acting: workflows.Acting{Actor: actor(c, p)}, SubmissionID: b.ReportID, Decision: b.Decision, Comment: b.Comment}
	if b.ResubmitDue != nil {
		in.ResubmitDue = *b.ResubmitDue
	}
	if err := s.update(c, it, p, workflows.UpdateReview, in, nil); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"report_id": b.ReportID, "decision": b.Decision})
}

func (s *Server) actExtensionRequest(c echo.Context) error {
	it, p, err := s.loadItem(c, ActActAsDepartment)
	if err != nil {
		return err
	}
	var b struct {
		NewDue time.Time `json:"new_due"`
		Reason string    `json:"reason"`
	}
	if err := bind(c, &b); err != nil {
		return err
	}
	in := workflows.ExtensionRequestInput{Acting: workflows.Acting{Actor: actor(c, p)}, DepartmentID: p.DepartmentID, NewDue: b.NewDue, Reason: b.Reason}
	var res workflows.IDResult
	if err := s.update(c, it, p, workflows.UpdateExtensionRequest, in, &res); err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, res)
}

func (s *Server) actExtensionDecision(c echo.Context) error {
	it, p, err := s.loadItem(c, ActReview)
	if err != nil {
		return err
	}
	eid, err := pathID(c, "eid")
	if err != nil {
		return err
	}
	var b struct {
		Approve *bool      `json:"approve"`
		NewDue  *time.Time `json:"new_due"`
		Comment string     `json:"comment"`
	}
	if err := bind(c, &b); err != nil {
		return err
	}
	if b.Approve == nil {
		return domain.Invalidf("approve", "请给出审批结论 / approve (true or false) is required")
	}
	in := workflows.ExtensionDecisionInput{Acting: workflows.Acting{Actor: actor(c, p)}, ExtensionID: int(eid), Approve: *b.Approve, Comment: b.Comment}
	if b.NewDue != nil {
		in.NewDue = *b.NewDue
	}
	if err := s.update(c, it, p, workflows.UpdateExtensionDecision, in, nil); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"id": eid, "approved": *b.Approve})
}

func (s *Server) actInstruction(c echo.Context) error {
	it, p, err := s.loadItem(c, ActInstruct)
	if err != nil {
		return err
	}
	var b struct {
		Text string     `json:"text"`
		Due  *time.Time `json:"due"`
	}
	if err := bind(c, &b); err != nil {
		return err
	}
	in := workflows.InstructionInput{Acting: workflows.Acting{Actor: actor(c, p)}, Text: b.Text}
	if b.Due != nil {
		in.Due = *b.Due
	}
	if err := s.update(c, it, p, workflows.UpdateInstruction, in, nil); err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, map[string]any{"status": "recorded"})
}

func (s *Server) actReassign(c echo.Context) error {
	it, p, err := s.loadItem(c, ActReview)
	if err != nil {
		return err
	}
	var b struct {
		Lead     []uint64 `json:"lead"`
		Partners []uint64 `json:"partners"`
		Reason   string   `json:"reason"`
	}
	if err := bind(c, &b); err != nil {
		return err
	}
	names := map[uint64]string{}
	for _, id := range distinct(append(append([]uint64{}, b.Lead...), b.Partners...)) {
		d, err := s.deps.Store.DepartmentByID(c.Request().Context(), id)
		if err != nil {
			return domain.Invalidf("lead", "单位 %d 不存在 / department %d does not exist", id, id)
		}
		names[id] = d.Name
	}
	in := workflows.ReassignInput{Acting: workflows.Acting{Actor: actor(c, p)}, Lead: b.Lead, Partners: b.Partners, Reason: b.Reason, Names: names}
	if err := s.update(c, it, p, workflows.UpdateReassign, in, nil); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"lead": b.Lead, "partners": b.Partners})
}

func (s *Server) actReason(name string) echo.HandlerFunc {
	return func(c echo.Context) error {
		it, p, err := s.loadItem(c, ActReview)
		if err != nil {
			return err
		}
		var b struct {
			Reason string `json:"reason"`
		}
		if err := bindOptional(c, &b); err != nil {
			return err
		}
		in := workflows.ReasonInput{Acting: workflows.Acting{Actor: actor(c, p)}, Reason: b.Reason}
		if err := s.update(c, it, p, name, in, nil); err != nil {
			return err
		}
		return c.JSON(http.StatusOK, map[string]any{"status": name})
	}
}
