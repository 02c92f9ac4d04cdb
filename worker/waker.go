package worker

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/dubanhq/duban/workflows"
)

// wakeEvery is how often a burst of writes signals the dispatcher at most.
const wakeEvery = time.Second

// waker signals the notification dispatcher after deliveries were queued: at once, and
// within a burst once a second, trailing, so that a thousand reminders written together
// cost the dispatcher's history a signal a second rather than one each, and the last
// write of a burst is still followed by a signal.
type waker struct {
	c      client.Client
	logger *slog.Logger

	mu      sync.Mutex
	last    time.Time
	pending bool
}

// Wake asks for a signal; it never blocks the caller.
func (w *waker) Wake() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.pending {
		return
	}
	wait := wakeEvery - time.Since(w.last)
	if wait < 0 {
		wait = 0
	}
	w.pending = true
	time.AfterFunc(wait, w.signal)
}

func (w *waker) signal() {
	w.mu.Lock()
	w.pending, w.last = false, time.Now()
	w.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := w.c.SignalWorkflow(ctx, workflows.DispatcherID, "", workflows.DispatchWake, nil)
	if err != nil && w.logger != nil {
		// The dispatcher's safety-net poll finds the deliveries later.
		w.logger.Warn("could not wake the notification dispatcher", "err", err)
	}
}
