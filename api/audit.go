package api

import (
	"github.com/labstack/echo/v4"

	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/store"
)

// audit appends an API action to the audit log with actor, time, source IP and request ID,
// its payload the event's typed, versioned JSON. A failure to audit is logged, not hidden
// from operators, but does not undo the action.
func (s *Server) audit(c echo.Context, actorID uint64, actor string, ev domain.Event) {
	typ := string(ev.EventType())
	b, err := domain.EncodeEvent(ev)
	if err != nil {
		s.deps.Logger.Error("audit payload", "request_id", requestIDOf(c), "type", typ, "err", err)
	}
	e := &store.Event{Type: typ, ActorID: actorID, Actor: actor, Payload: string(b), At: s.deps.Now().UTC(),
		RequestID: requestIDOf(c), SourceIP: c.RealIP(), DedupeKey: "api:" + requestIDOf(c) + ":" + typ}
	if err := s.deps.Store.AppendEvent(c.Request().Context(), e); err != nil {
		s.deps.Logger.Error("audit write failed", "request_id", requestIDOf(c), "type", typ, "err", err)
	}
}
