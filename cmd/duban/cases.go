package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/dubanhq/duban/launch"
)

// resumeCases starts, at start-up and then every interval, the 督办件 left pending: stored
// and numbered while the workflow service did not answer, or by a process that stopped
// before starting them. A failure is logged and tried again at the next tick.
func resumeCases(ctx context.Context, l *launch.Launcher, every time.Duration, logger *slog.Logger) {
	go func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			n, err := l.StartPendingCases(ctx)
			if err != nil && ctx.Err() == nil {
				logger.Warn("starting pending 督办件", "err", err)
			} else if n > 0 {
				logger.Info("started pending 督办件", "count", n)
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
}
