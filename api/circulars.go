package api

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"

	"github.com/dubanhq/duban/activities"
	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/store"
	"github.com/dubanhq/duban/workflows"
)

func init() {
	routeRegistrars = append(routeRegistrars, func(s *Server) {
		s.Echo.POST("/api/v1/assessments/:aid/circulars", s.draftCircular, s.authn)
		s.Echo.GET("/api/v1/circulars", s.listCirculars, s.authn)
		s.Echo.GET("/api/v1/circulars/:cid", s.getCircular, s.authn)
		s.Echo.PUT("/api/v1/circulars/:cid", s.editCircular, s.authn)
		s.Echo.POST("/api/v1/circulars/:cid/publish", s.publishCircular, s.authn)
	})
}

// CircularView is a circular as the API serves it.
type CircularView struct {
	ID            uint64                  `json:"id"`
	PlanID        uint64                  `json:"plan_id"`
	AssessmentID  uint64                  `json:"assessment_id"`
	Number        string                  `json:"number"`
	Title         string                  `json:"title"`
	Status        string                  `json:"status"`
	Version       int64                   `json:"version"`
	PublishedAt   *time.Time              `json:"published_at"`
	ContentSHA256 string                  `json:"content_sha256,omitempty"`
	Content       *domain.CircularContent `json:"content,omitempty"`
}

func circularView(c *store.Circular, withContent bool) CircularView {
	v := CircularView{ID: c.ID, PlanID: c.PlanID, AssessmentID: c.AssessmentID, Number: c.Number, Title: c.Title,
		Status: c.Status, Version: c.Version, PublishedAt: c.PublishedAt, ContentSHA256: c.ContentSHA256}
	if withContent {
		var content domain.CircularContent
		_ = json.Unmarshal([]byte(c.ContentJSON), &content)
		v.Content = &content
	}
	return v
}

func circularETag(c *store.Circular) string { return `"c` + strconv.FormatInt(c.Version, 10) + `"` }

// draftCircular writes a draft from an assessment (supervisors of the plan).
func (s *Server) draftCircular(c echo.Context) error {
	a, _, p, err := s.loadAssessment(c)
	if err != nil {
		return err
	}
	if err := s.authorizePlan(c, p, ActEditCircular, a.PlanID); err != nil {
		return err
	}
	circ, err := s.assessor().Draft(c.Request().Context(), a, p.UserID, s.deps.Now())
	if err != nil {
		return err
	}
	s.audit(c, p.UserID, p.DisplayName, domain.CircularDrafted{CircularID: circ.ID, AssessmentID: a.ID})
	c.Response().Header().Set("ETag", circularETag(circ))
	return created(c, circularView(circ, true))
}

func (s *Server) listCirculars(c echo.Context) error {
	p, err := s.mustAuthorize(c, ActReadAssessment)
	if err != nil {
		return err
	}
	var plan uint64
	if v := c.QueryParam("plan_id"); v != "" {
		if plan, err = strconv.ParseUint(v, 10, 64); err != nil {
			return domain.Invalidf("plan_id", "应为数字 / must be a number")
		}
	}
	cs, err := s.deps.Store.ListCirculars(c.Request().Context(), plan, authorize(p, ActReadDrafts) != nil)
	if err != nil {
		return err
	}
	out := make([]CircularView, len(cs))
	for i := range cs {
		out[i] = circularView(&cs[i], false)
	}
	return c.JSON(http.StatusOK, out)
}

// loadCircular reads :cid for a reader: published circulars are for everyone, drafts for
// those who may read drafts.
func (s *Server) loadCircular(c echo.Context) (*store.Circular, *Principal, error) {
	p, err := s.mustAuthorize(c, ActReadAssessment)
	if err != nil {
		return nil, nil, err
	}
	id, err := pathID(c, "cid")
	if err != nil {
		return nil, nil, err
	}
	circ, err := s.deps.Store.GetCircular(c.Request().Context(), id)
	if err != nil {
		return nil, nil, err
	}
	if circ.Status != "published" {
		if err := authorize(p, ActReadDrafts); err != nil {
			return nil, nil, domain.NotFoundf("通报 %d 不存在 / circular %d does not exist", id, id)
		}
	}
	return circ, p, nil
}

func (s *Server) getCircular(c echo.Context) error {
	circ, _, err := s.loadCircular(c)
	if err != nil {
		return err
	}
	c.Response().Header().Set("ETag", circularETag(circ))
	return c.JSON(http.StatusOK, circularView(circ, true))
}

// ifMatchVersion reads the circular version from If-Match ("c7"); required when must.
func ifMatchVersion(c echo.Context, must bool) (int64, error) {
	m := strings.Trim(strings.TrimPrefix(c.Request().Header.Get("If-Match"), "W/"), `"`)
	if m == "" || m == "*" {
		if must {
			return 0, domain.E(domain.KindPrecondition, "If-Match", "请带上 If-Match（通报的 ETag） / send If-Match with the circular's ETag", nil)
		}
		return 0, nil
	}
	v, err := strconv.ParseInt(strings.TrimPrefix(m, "c"), 10, 64)
	if err != nil || v <= 0 {
		return 0, domain.E(domain.KindPrecondition, "If-Match", "If-Match 不是通报的 ETag / If-Match is not a circular ETag", nil)
	}
	return v, nil
}

// editCircular replaces a draft's title and content (If-Match: its ETag).
func (s *Server) editCircular(c echo.Context) error {
	circ, p, err := s.loadCircular(c)
	if err != nil {
		return err
	}
	if err := s.authorizePlan(c, p, ActEditCircular, circ.PlanID); err != nil {
		return err
	}
	version, err := ifMatchVersion(c, true)
	if err != nil {
		return err
	}
	var b struct {
		Title   string                 `json:"title"`
		Content domain.CircularContent `json:"content"`
	}
	if err := bind(c, &b); err != nil {
		return err
	}
	if n := utf8.RuneCountInString(strings.TrimSpace(b.Title)); n == 0 || n > 200 {
		return domain.Invalidf("title", "标题为 1–200 个字 / title must be 1–200 characters")
	}
	if err := b.Content.Validate(); err != nil {
		if de, ok := err.(*domain.Error); ok {
			de.Field = "content." + de.Field
		}
		return err
	}
	body, _ := json.Marshal(b.Content)
	updated, err := s.deps.Store.UpdateCircularDraft(c.Request().Context(), circ.ID, version, strings.TrimSpace(b.Title), string(body))
	if err != nil {
		return err
	}
	s.audit(c, p.UserID, p.DisplayName, domain.CircularEdited{CircularID: updated.ID, Version: updated.Version, Title: updated.Title})
	c.Response().Header().Set("ETag", circularETag(updated))
	return c.JSON(http.StatusOK, circularView(updated, true))
}

// publishCircular numbers, freezes and sends a draft through a workflow, so a retry or a
// second click neither renumbers nor notifies twice.
func (s *Server) publishCircular(c echo.Context) error {
	circ, p, err := s.loadCircular(c)
	if err != nil {
		return err
	}
	if err := s.authorizePlan(c, p, ActEditCircular, circ.PlanID); err != nil {
		return err
	}
	if circ.Status == "published" {
		return domain.Conflictf("通报已于此前印发（%s） / circular already published as %s", circ.Number, circ.Number)
	}
	version, err := ifMatchVersion(c, false)
	if err != nil {
		return err
	}
	if s.deps.Temporal == nil {
		return domain.E(domain.KindUnavailable, "", "工作流服务不可用 / Temporal is not configured", nil)
	}
	ctx := c.Request().Context()
	run, err := s.deps.Temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID: workflows.CircularPublishID(circ.ID), TaskQueue: s.deps.TaskQueue,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
		WorkflowIDReusePolicy:    enumspb.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE_FAILED_ONLY,
	}, workflows.PublishCircularWorkflow, activities.PublishCircularInput{CircularID: circ.ID, Version: version, By: p.UserID})
	if err != nil {
		return temporalError(err)
	}
	var out activities.PublishedCircular
	if err := run.Get(ctx, &out); err != nil {
		return temporalError(err)
	}
	published, err := s.deps.Store.GetCircular(ctx, circ.ID)
	if err != nil {
		return err
	}
	s.audit(c, p.UserID, p.DisplayName, domain.CircularPublished{CircularID: published.ID, Number: published.Number,
		ContentSHA256: published.ContentSHA256, Notified: out.Notified})
	c.Response().Header().Set("ETag", circularETag(published))
	return c.JSON(http.StatusOK, map[string]any{"circular": circularView(published, true), "notified": out.Notified})
}
