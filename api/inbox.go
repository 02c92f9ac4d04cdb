package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/store"
)

func init() {
	routeRegistrars = append(routeRegistrars, func(s *Server) {
		g := s.Echo.Group("/api/v1", s.authn)
		g.GET("/inbox", s.inbox)
		g.POST("/inbox/read", s.markRead)
		g.GET("/escalations", s.escalations)
		g.GET("/escalations/:eid", s.getEscalation)
		g.POST("/escalations/:eid/ack", s.ackEscalation)
	})
}

// bindOptional binds a JSON body when there is one; actions like sign need none.
func bindOptional(c echo.Context, v any) error {
	if c.Request().ContentLength == 0 {
		return nil
	}
	return bind(c, v)
}

// NotificationView is one inbox entry.
type NotificationView struct {
	ID        uint64     `json:"id"`
	ItemID    uint64     `json:"item_id"`
	Kind      string     `json:"kind"`
	Level     int        `json:"level,omitempty"`
	Title     string     `json:"title"`
	Body      string     `json:"body"`
	ReadAt    *time.Time `json:"read_at"`
	CreatedAt time.Time  `json:"created_at"`
}

func (s *Server) inbox(c echo.Context) error {
	p, err := s.mustAuthorize(c, ActOwnAccount)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	ns, err := s.deps.Store.Inbox(ctx, p.UserID, c.QueryParam("unread") == "true", 200)
	if err != nil {
		return err
	}
	unread, err := s.deps.Store.UnreadCount(ctx, p.UserID)
	if err != nil {
		return err
	}
	out := make([]NotificationView, len(ns))
	for i, n := range ns {
		out[i] = NotificationView{ID: n.ID, ItemID: n.ItemID, Kind: n.Kind, Level: n.Level, Title: n.Title, Body: n.Body, ReadAt: n.ReadAt, CreatedAt: n.CreatedAt}
	}
	return c.JSON(http.StatusOK, map[string]any{"unread": unread, "notifications": out})
}

// maxMarkRead bounds the ids of one mark-read request.
const maxMarkRead = 1000

func (s *Server) markRead(c echo.Context) error {
	p, err := s.mustAuthorize(c, ActOwnAccount)
	if err != nil {
		return err
	}
	var b struct {
		IDs []uint64 `json:"ids"`
	}
	if err := bindOptional(c, &b); err != nil {
		return err
	}
	if len(b.IDs) > maxMarkRead { // past the database's limit on query parameters
		return domain.Invalidf("ids", "一次最多标记 %d 条 / at most %d ids at a time; send none to mark all", maxMarkRead, maxMarkRead)
	}
	n, err := s.deps.Store.MarkRead(c.Request().Context(), p.UserID, b.IDs, s.deps.Now().UTC())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"marked": n})
}

// EscalationView is one rung reached, for the leadership view.
type EscalationView struct {
	ID           uint64     `json:"id"`
	ItemID       uint64     `json:"item_id"`
	ItemTitle    string     `json:"item_title"`
	DepartmentID uint64     `json:"department_id"`
	Department   string     `json:"department"`
	Level        int        `json:"level"`
	Name         string     `json:"name"`
	Reason       string     `json:"reason"`
	DueAt        time.Time  `json:"due_at"`
	At           time.Time  `json:"at"`
	AckedAt      *time.Time `json:"acked_at"`
	// What the rung declared: to the leadership group, into the circular, an
	// accountability record.
	Leadership     bool `json:"leadership"`
	Circular       bool `json:"circular"`
	Accountability bool `json:"accountability"`
}

func (s *Server) escalations(c echo.Context) error {
	if _, err := s.mustAuthorize(c, ActReadEscalations); err != nil {
		return err
	}
	f := store.EscalationFilter{Unacked: c.QueryParam("unacked") == "true"}
	if v := c.QueryParam("level"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return domain.Invalidf("level", "应为 1 起的数字 / must be a number from 1")
		}
		f.MinLevel = domain.Level(n)
	}
	f.Leadership = c.QueryParam("leadership") == "true"
	if v := c.QueryParam("department"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			return domain.Invalidf("department", "应为数字 / must be a number")
		}
		f.DepartmentID = n
	}
	ctx := c.Request().Context()
	es, err := s.deps.Store.ListEscalations(ctx, f)
	if err != nil {
		return err
	}
	names, err := s.deps.Store.DepartmentNames(ctx)
	if err != nil {
		return err
	}
	titles := map[uint64]string{}
	out := make([]EscalationView, len(es))
	for i, e := range es {
		if _, ok := titles[e.ItemID]; !ok {
			if it, err := s.deps.Store.GetItem(ctx, e.ItemID); err == nil {
				titles[e.ItemID] = it.Title
			}
		}
		out[i] = escalationView(e, titles[e.ItemID], names)
	}
	return c.JSON(http.StatusOK, out)
}

func escalationView(e store.Escalation, title string, names map[uint64]string) EscalationView {
	return EscalationView{ID: e.ID, ItemID: e.ItemID, ItemTitle: title, DepartmentID: e.DepartmentID,
		Department: names[e.DepartmentID], Level: e.Level, Name: e.Name, Reason: e.Reason, DueAt: e.DueAt, At: e.At, AckedAt: e.AckedAt,
		Leadership: e.Leadership, Circular: e.Circular, Accountability: e.Accountability}
}

// getEscalation answers one escalation, for its printed 督办通知.
func (s *Server) getEscalation(c echo.Context) error {
	if _, err := s.mustAuthorize(c, ActReadEscalations); err != nil {
		return err
	}
	id, err := pathID(c, "eid")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	e, err := s.deps.Store.GetEscalation(ctx, id)
	if err != nil {
		return err
	}
	names, err := s.deps.Store.DepartmentNames(ctx)
	if err != nil {
		return err
	}
	title := ""
	if it, err := s.deps.Store.GetItem(ctx, e.ItemID); err == nil {
		title = it.Title
	}
	return c.JSON(http.StatusOK, escalationView(*e, title, names))
}

func (s *Server) ackEscalation(c echo.Context) error {
	p, err := s.mustAuthorize(c, ActAckEscalation)
	if err != nil {
		return err
	}
	id, err := pathID(c, "eid")
	if err != nil {
		return err
	}
	ok, err := s.deps.Store.AckEscalation(c.Request().Context(), id, p.UserID, s.deps.Now().UTC())
	if err != nil {
		return err
	}
	if !ok {
		return domain.Conflictf("已确认或不存在 / already acknowledged or no such escalation")
	}
	ev := &store.Event{Type: "escalation_acknowledged", ActorID: p.UserID, Actor: p.DisplayName, At: s.deps.Now().UTC(),
		RequestID: requestIDOf(c), SourceIP: c.RealIP(), DedupeKey: "api:" + serverIDOf(c) + ":ack:" + c.Param("eid")}
	if err := s.deps.Store.AppendEvent(c.Request().Context(), ev); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"id": id, "acknowledged": true})
}
