package api

import (
	"net/http"

	"github.com/dubanhq/duban/assess"
	"github.com/dubanhq/duban/domain"
	"github.com/labstack/echo/v4"
)

func init() {
	routeRegistrars = append(routeRegistrars, func(s *Server) {
		s.Echo.GET("/api/v1/settings", s.settings, s.authn)
	})
}

// settings answers what printed forms need of this installation: the issuing office
// (assessment.issuer) and the prefix of circular numbers; and the default ladder's levels.
func (s *Server) settings(c echo.Context) error {
	if _, err := s.mustAuthorize(c, ActReadDirectory); err != nil {
		return err
	}
	office, prefix := assess.DefaultIssuer, assess.DefaultNumberPrefix
	if a := s.deps.Assess; a != nil {
		if a.Issuer != "" {
			office = a.Issuer
		}
		if a.NumberPrefix != "" {
			prefix = a.NumberPrefix
		}
	}
	// The default ladder's rungs name the board's level filter (plans may rename them).
	levels := []map[string]any{}
	for _, r := range domain.DefaultPolicy().Ladder {
		levels = append(levels, map[string]any{"level": r.Level, "name": r.Name})
	}
	return c.JSON(http.StatusOK, map[string]any{"office": office, "circular_prefix": prefix, "levels": levels})
}
