// Package activities does all of Duban's I/O on behalf of workflows: it writes events and
// the read model, stores submissions, creates notifications (with dedupe keys so a retried
// activity never notifies twice) and computes deadlines on the working-day calendar (so
// they are recorded in history and never recomputed on replay).
package activities

import (
	"log/slog"

	"github.com/dubanhq/duban/calendar"
	"github.com/dubanhq/duban/store"
)

// Activities carries the dependencies of every activity. Workflows call its methods through
// a nil *Activities so the compiler checks the names.
type Activities struct {
	Store    *store.Store
	Calendar *calendar.Calendar
	Logger   *slog.Logger
	// Channels deliver notifications beyond the in-app inbox (email, webhooks…). The inbox row
	// is always written; channels are optional.
	Channels []Channel
}

// Channel delivers one notification outside the inbox. Implementations must be idempotent
// for a given dedupe key.
type Channel interface {
	Name() string
	Deliver(n store.Notification, u store.User) error
}
