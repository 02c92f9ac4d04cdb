package api

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/dubanhq/duban/domain"
)

func init() {
	routeRegistrars = append(routeRegistrars, func(s *Server) {
		s.Echo.GET("/api/v1/plans/:id/overview", s.planOverview, s.authn)
	})
}

// SectionProgress counts a plan section's items by light and outcome.
type SectionProgress struct {
	Section   string `json:"section"`
	Total     int    `json:"total"`
	Green     int    `json:"green"`
	Yellow    int    `json:"yellow"`
	Red       int    `json:"red"`
	Completed int    `json:"completed"`
}

// IndicatorProgress is one target against its pro-rata expectation (序时进度), measured as
// on the item's page (domain.Track).
type IndicatorProgress struct {
	ItemID     uint64   `json:"item_id"`
	Ref        string   `json:"ref"`
	Name       string   `json:"name"`
	Target     float64  `json:"target"`
	Unit       string   `json:"unit"`
	Comparator string   `json:"comparator"`
	Value      *float64 `json:"value"`
	Expected   float64  `json:"expected"`
	Behind     bool     `json:"behind"`
	Attainment *float64 `json:"attainment"`
	Forecast   *float64 `json:"forecast"`
	AtRisk     bool     `json:"at_risk"`
}

// planOverview answers the leadership's question "how is this plan going": progress by
// section and every indicator against the pro-rata expectation for today.
func (s *Server) planOverview(c echo.Context) error {
	if _, err := s.mustAuthorize(c, ActReadEscalations); err != nil {
		return err
	}
	id, err := s.planParam(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	plan, _ := s.deps.Store.GetPlan(ctx, id)
	items, err := s.deps.Store.PlanItems(ctx, id)
	if err != nil {
		return err
	}
	views, err := s.indicatorViews(ctx, items, plan, s.deps.Now())
	if err != nil {
		return err
	}
	var sections []SectionProgress
	index := map[string]int{}
	var inds []IndicatorProgress
	for _, it := range items {
		sec := section(it.Ref)
		i, ok := index[sec]
		if !ok {
			i = len(sections)
			index[sec] = i
			sections = append(sections, SectionProgress{Section: sec})
		}
		p := &sections[i]
		p.Total++
		switch {
		case it.Status == domain.StatusCompleted:
			p.Completed++
		case it.Light == domain.Red:
			p.Red++
		case it.Light == domain.Yellow:
			p.Yellow++
		default:
			p.Green++
		}
		for _, v := range views[it.ID] {
			st := v.Status
			inds = append(inds, IndicatorProgress{ItemID: it.ID, Ref: it.Ref, Name: v.Name, Target: v.Target, Unit: v.Unit,
				Comparator: v.Comparator, Value: st.Value, Expected: st.Expected, Behind: st.Behind,
				Attainment: st.Attainment, Forecast: st.Forecast, AtRisk: st.AtRisk})
		}
	}
	if sections == nil {
		sections = []SectionProgress{}
	}
	if inds == nil {
		inds = []IndicatorProgress{}
	}
	return c.JSON(http.StatusOK, map[string]any{"plan_id": id, "sections": sections, "indicators": inds})
}

// section is the top level of a ref: 二(三)4 → 二, 一1 → 一; other refs up to a bracket.
func section(ref string) string {
	notNumeral := func(r rune) bool { return !strings.ContainsRune("一二三四五六七八九十", r) }
	switch i := strings.IndexFunc(ref, notNumeral); {
	case i > 0:
		return ref[:i]
	case i < 0 && ref != "":
		return ref
	}
	if i := strings.IndexAny(ref, "(（-"); i > 0 {
		return ref[:i]
	}
	if ref == "" {
		return "—"
	}
	return ref
}
