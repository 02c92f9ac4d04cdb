package api

import (
	"net/http"

	"github.com/dubanhq/duban/assess"
	"github.com/labstack/echo/v4"
)

func init() {
	routeRegistrars = append(routeRegistrars, func(s *Server) {
		s.Echo.GET("/api/v1/settings", s.settings, s.authn)
	})
}

// settings answers what printed forms need of this installation: the issuing office
// (assessment.issuer) and the prefix of circular numbers.
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
	return c.JSON(http.StatusOK, map[string]any{"office": office, "circular_prefix": prefix})
}
