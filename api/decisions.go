package api

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

func init() {
	routeRegistrars = append(routeRegistrars, func(s *Server) {
		s.Echo.GET("/api/v1/decisions", s.decisions, s.authn)
	})
}

// WaitingSubmission is a report or completion request waiting for review, with its item.
type WaitingSubmission struct {
	SubmissionView
	ItemID uint64 `json:"item_id"`
	Ref    string `json:"ref"`
	Title  string `json:"title"`
}

// WaitingExtension is an extension request (申请延期) waiting for a decision, with its item.
type WaitingExtension struct {
	ItemID       uint64    `json:"item_id"`
	Ref          string    `json:"ref"`
	Title        string    `json:"title"`
	ID           int       `json:"id"` // the request's id on its item (…/extension-requests/{id}/decision)
	DepartmentID uint64    `json:"department_id"`
	Department   string    `json:"department"`
	NewDue       time.Time `json:"new_due"`
	Reason       string    `json:"reason"`
	RequestedAt  time.Time `json:"requested_at"`
}

// decisions lists what waits for the signed-in supervisor's decision on the plans they
// supervise — reports and completion requests to review, extension requests to decide —
// oldest first, for the desk's batch decisions.
func (s *Server) decisions(c echo.Context) error {
	p, _, err := s.listScope(c, ActReview)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	w, err := s.deps.Store.WaitingFor(ctx, p.UserID)
	if err != nil {
		return err
	}
	names, err := s.deps.Store.DepartmentNames(ctx)
	if err != nil {
		return err
	}
	subs := make([]WaitingSubmission, len(w.Submissions))
	for i, sub := range w.Submissions {
		it := w.Items[sub.ItemID]
		subs[i] = WaitingSubmission{SubmissionView: submissionView(sub, names), ItemID: sub.ItemID, Ref: it.Ref, Title: it.Title}
	}
	exts := make([]WaitingExtension, len(w.Extensions))
	for i, x := range w.Extensions {
		it := w.Items[x.ItemID]
		exts[i] = WaitingExtension{ItemID: x.ItemID, Ref: it.Ref, Title: it.Title, ID: x.ExtensionID, DepartmentID: x.DepartmentID,
			Department: names[x.DepartmentID], NewDue: x.NewDue, Reason: x.Reason, RequestedAt: x.At}
	}
	return c.JSON(http.StatusOK, map[string]any{"submissions": subs, "extensions": exts})
}
