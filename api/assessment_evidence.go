package api

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/dubanhq/duban/domain"
)

// assessmentEvidence lists the rows behind one department's numbers: every metric, or the
// one named by ?metric= (e.g. lead.overdue_days, partner.escalations_l2).
func (s *Server) assessmentEvidence(c echo.Context) error {
	_, res, p, err := s.loadAssessment(c)
	if err != nil {
		return err
	}
	dept, err := strconv.ParseUint(c.QueryParam("department_id"), 10, 64)
	if err != nil {
		return domain.Invalidf("department_id", "请指定单位 / department_id is required")
	}
	if authorize(p, ActReadEvidence, dept) != nil { // a viewer, or a liaison asking for another department
		return domain.Forbiddenf("无权查看其他单位的考核依据 / not allowed to read another department's evidence")
	}
	var line *domain.DepartmentResult
	for i := range res.Departments {
		if res.Departments[i].DepartmentID == dept {
			line = &res.Departments[i]
		}
	}
	if line == nil {
		return domain.NotFoundf("该单位不在本次考核中 / department %d is not in this assessment", dept)
	}
	metric := c.QueryParam("metric")
	var metrics []string
	for m := range line.Evidence {
		if metric == "" || m == metric {
			metrics = append(metrics, m)
		}
	}
	if metric != "" && len(metrics) == 0 {
		if _, known := knownMetrics[metric]; !known {
			return domain.Invalidf("metric", "未知指标 %s / unknown metric %s", metric, metric)
		}
	}
	sort.Strings(metrics)
	out := map[string]any{}
	for _, m := range metrics {
		rows, err := s.deps.Store.Evidence(c.Request().Context(), line.Evidence[m])
		if err != nil {
			return err
		}
		out[m] = rows
	}
	return c.JSON(http.StatusOK, map[string]any{"department_id": dept, "department": line.Department, "evidence": out})
}

// knownMetrics are the evidence names an assessment can carry, per role.
var knownMetrics = func() map[string]struct{} {
	out := map[string]struct{}{}
	for _, role := range []string{"lead.", "partner."} {
		for _, m := range []string{"signs_on_time", "signs_missed", "reports_on_time", "reports_missed", "overdue_days",
			"returns", "extensions", "accountability", "items_due", "items_on_time", "indicators"} {
			out[role+m] = struct{}{}
		}
		for l := 1; l <= domain.MaxRungs; l++ {
			out[fmt.Sprintf("%sescalations_l%d", role, l)] = struct{}{}
		}
	}
	return out
}()
