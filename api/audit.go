package api

import (
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/store"
)

// audit appends an API action to the audit log with actor, time, source IP and request ID,
// its payload the event's typed, versioned JSON. The row's dedupe key is the server's own
// request ID: the client's X-Request-ID is recorded but, being the client's, could repeat
// and erase a later action's row. A failure to audit is logged, not hidden
// from operators, but does not undo the action.
func (s *Server) audit(c echo.Context, actorID uint64, actor string, ev domain.Event) {
	s.auditItem(c, actorID, actor, 0, 0, ev)
}

// auditItem is audit of an action on an item (a 督办件 created): the entry is on the item's
// timeline, one per item of a request.
func (s *Server) auditItem(c echo.Context, actorID uint64, actor string, itemID, planID uint64, ev domain.Event) {
	typ := string(ev.EventType())
	b, err := domain.EncodeEvent(ev)
	if err != nil {
		s.deps.Logger.Error("audit payload", "request_id", requestIDOf(c), "type", typ, "err", err)
	}
	e := s.auditEntry(c, actorID, actor)
	e.Type, e.Payload, e.DedupeKey = typ, string(b), "api:"+serverIDOf(c)+":"+typ
	if itemID != 0 {
		e.ItemID, e.PlanID = itemID, planID
		e.DedupeKey += ":" + strconv.FormatUint(itemID, 10)
	}
	if err := s.deps.Store.AppendEvent(c.Request().Context(), &e); err != nil {
		s.deps.Logger.Error("audit write failed", "request_id", requestIDOf(c), "type", typ, "err", err)
	}
}

// auditEntry is the audit-log row of an API action, who and where from, for a store method
// that writes it in the action's own transaction with its type and payload.
func (s *Server) auditEntry(c echo.Context, actorID uint64, actor string) store.Event {
	return store.Event{ActorID: actorID, Actor: actor, At: s.deps.Now().UTC(), RequestID: requestIDOf(c), SourceIP: c.RealIP()}
}
