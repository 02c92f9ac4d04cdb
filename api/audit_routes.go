package api

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/dubanhq/duban/domain"
)

func init() {
	routeRegistrars = append(routeRegistrars, func(s *Server) {
		s.Echo.GET("/api/v1/audit", s.auditLog, s.authn)
	})
}

// AuditView is one audit-log entry with who, when, from where and under which request.
type AuditView struct {
	ID           uint64         `json:"id"`
	ItemID       uint64         `json:"item_id,omitempty"`
	Type         string         `json:"type"`
	Level        int            `json:"level,omitempty"`
	DepartmentID uint64         `json:"department_id,omitempty"`
	ActorID      uint64         `json:"actor_id,omitempty"`
	Actor        string         `json:"actor,omitempty"`
	At           time.Time      `json:"at"`
	RequestID    string         `json:"request_id,omitempty"`
	SourceIP     string         `json:"source_ip,omitempty"`
	Payload      map[string]any `json:"payload,omitempty"`
}

// auditLog lists the newest audit events, optionally of one item (?item=ID).
func (s *Server) auditLog(c echo.Context) error {
	if _, err := s.mustAuthorize(c, ActReadAudit); err != nil {
		return err
	}
	var item uint64
	if v := c.QueryParam("item"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			return domain.Invalidf("item", "应为数字 / must be a number")
		}
		item = n
	}
	es, err := s.deps.Store.AuditEvents(c.Request().Context(), item, 200)
	if err != nil {
		return err
	}
	out := make([]AuditView, len(es))
	for i, e := range es {
		out[i] = AuditView{ID: e.ID, ItemID: e.ItemID, Type: e.Type, Level: e.Level, DepartmentID: e.DepartmentID,
			ActorID: e.ActorID, Actor: e.Actor, At: e.At, RequestID: e.RequestID, SourceIP: e.SourceIP}
		_ = json.Unmarshal([]byte(e.Payload), &out[i].Payload)
	}
	return c.JSON(http.StatusOK, out)
}
