package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/dubanhq/duban/assess"
	"github.com/dubanhq/duban/calendar"
	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/store"
)

func init() {
	routeRegistrars = append(routeRegistrars, func(s *Server) {
		s.Echo.POST("/api/v1/plans/:id/assessments", s.runAssessment, s.authn)
		s.Echo.GET("/api/v1/assessments", s.listAssessments, s.authn)
		s.Echo.GET("/api/v1/assessments/:aid", s.getAssessment, s.authn)
		s.Echo.GET("/api/v1/assessments/:aid/evidence", s.assessmentEvidence, s.authn)
		s.Echo.GET("/api/v1/assessments/:aid/export.xlsx", s.exportAssessment, s.authn)
	})
}

// assessor is the configured assessment service, or one with the default formula.
func (s *Server) assessor() *assess.Service {
	if s.deps.Assess != nil {
		return s.deps.Assess
	}
	return &assess.Service{Store: s.deps.Store, Calendar: s.deps.Calendar}
}

// AssessmentView is an assessment as the API serves it.
type AssessmentView struct {
	ID        uint64    `json:"id"`
	PlanID    uint64    `json:"plan_id"`
	Period    string    `json:"period"`
	Label     string    `json:"label"`
	Start     time.Time `json:"start"`
	End       time.Time `json:"end"`
	Trigger   string    `json:"trigger"`
	CreatedAt time.Time `json:"created_at"`
	*assess.Result
}

func assessmentView(a *store.Assessment, r *assess.Result) AssessmentView {
	return AssessmentView{ID: a.ID, PlanID: a.PlanID, Period: a.Period, Label: a.Label, Start: a.Start.In(calendar.Shanghai),
		End: a.End.In(calendar.Shanghai), Trigger: a.Trigger, CreatedAt: a.CreatedAt, Result: r}
}

type assessmentRequest struct {
	Period string `json:"period"` // year, half, custom
	Year   int    `json:"year"`
	Half   int    `json:"half"`
	Start  string `json:"start"`
	End    string `json:"end"`
}

func (b assessmentRequest) period() (assess.Period, error) {
	if b.Period != "custom" && (b.Year < 2000 || b.Year > 2200) {
		return assess.Period{}, domain.Invalidf("year", "应为 2000–2200 的年份 / must be a year 2000–2200")
	}
	switch b.Period {
	case "year":
		return assess.Year(b.Year), nil
	case "half":
		if b.Half != 1 && b.Half != 2 {
			return assess.Period{}, domain.Invalidf("half", "上半年为 1，下半年为 2 / 1 for the first half, 2 for the second")
		}
		return assess.Half(b.Year, b.Half), nil
	case "custom":
		from, err := time.ParseInLocation(time.DateOnly, b.Start, calendar.Shanghai)
		if err != nil {
			return assess.Period{}, domain.Invalidf("start", "日期格式应为 YYYY-MM-DD / start must be YYYY-MM-DD")
		}
		to, err := time.ParseInLocation(time.DateOnly, b.End, calendar.Shanghai)
		if err != nil {
			return assess.Period{}, domain.Invalidf("end", "日期格式应为 YYYY-MM-DD / end must be YYYY-MM-DD")
		}
		return assess.Custom(from, to)
	}
	return assess.Period{}, domain.Invalidf("period", "应为 year、half 或 custom / must be year, half or custom")
}

// runAssessment assesses a plan on demand (supervisors of the plan).
func (s *Server) runAssessment(c echo.Context) error {
	p := principal(c)
	id, err := s.planParam(c)
	if err != nil {
		return err
	}
	if err := s.authorizePlan(c, p, ActRunAssessment, id); err != nil {
		return err
	}
	var b assessmentRequest
	if err := bind(c, &b); err != nil {
		return err
	}
	period, err := b.period()
	if err != nil {
		return err
	}
	a, res, _, err := s.assessor().Run(c.Request().Context(), assess.RunInput{PlanID: id, Period: period, Trigger: "manual", By: p.UserID})
	if err != nil {
		return err
	}
	s.audit(c, p.UserID, p.DisplayName, domain.AssessmentRun{AssessmentID: a.ID, PlanID: id, Label: a.Label})
	return created(c, assessmentView(a, res))
}

func (s *Server) listAssessments(c echo.Context) error {
	if _, err := s.mustAuthorize(c, ActReadAssessment); err != nil {
		return err
	}
	var plan uint64
	if v := c.QueryParam("plan_id"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			return domain.Invalidf("plan_id", "应为数字 / must be a number")
		}
		plan = n
	}
	as, err := s.deps.Store.ListAssessments(c.Request().Context(), plan)
	if err != nil {
		return err
	}
	out := make([]AssessmentView, len(as))
	for i := range as {
		out[i] = assessmentView(&as[i], nil)
	}
	return c.JSON(http.StatusOK, out)
}

// loadAssessment reads the :aid assessment for a reader, without the evidence the reader may
// not read (a liaison sees the ranking but the evidence of their own department only).
func (s *Server) loadAssessment(c echo.Context) (*store.Assessment, *assess.Result, *Principal, error) {
	p, err := s.mustAuthorize(c, ActReadAssessment)
	if err != nil {
		return nil, nil, nil, err
	}
	id, err := pathID(c, "aid")
	if err != nil {
		return nil, nil, nil, err
	}
	a, err := s.deps.Store.GetAssessment(c.Request().Context(), id)
	if err != nil {
		return nil, nil, nil, err
	}
	res, err := assess.Decode(a)
	if err != nil {
		return nil, nil, nil, err
	}
	for i := range res.Departments {
		if authorize(p, ActReadEvidence, res.Departments[i].DepartmentID) != nil {
			res.Departments[i].Evidence = nil
		}
	}
	return a, res, p, nil
}

func (s *Server) getAssessment(c echo.Context) error {
	a, res, _, err := s.loadAssessment(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, assessmentView(a, res))
}
