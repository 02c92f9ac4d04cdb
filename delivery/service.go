// Package delivery turns notices into messages: the inbox rows of a notice's audience, its
// deliveries on the configured channels (email, chat robots, webhooks, SMS) with quiet
// hours and the leaders' daily digest, and the sending of each delivery with its template.
// Activities (for workflows) and the API (a test message, template edits) both use it.
package delivery

import (
	"context"
	"log/slog"
	"time"

	"github.com/dubanhq/duban/store"
)

// Service does the delivery work. A nil Notifier writes inbox rows only.
type Service struct {
	Store    *store.Store
	Notifier *Notifier
	Logger   *slog.Logger
	// IsWorkday answers the working-day calendar for quiet hours (an SMS held overnight
	// goes out the next working morning).
	IsWorkday func(ctx context.Context, day time.Time) (bool, error)
}
