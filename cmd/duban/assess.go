package main

import (
	"context"
	"log/slog"

	"go.temporal.io/sdk/client"

	"github.com/dubanhq/duban/assess"
	"github.com/dubanhq/duban/calendar"
	"github.com/dubanhq/duban/config"
	"github.com/dubanhq/duban/launch"
	"github.com/dubanhq/duban/store"
)

// assessService is the assessment service the configuration describes.
func assessService(cfg config.Config, st *store.Store, cal *calendar.Calendar) *assess.Service {
	f := cfg.Assessment.Formula
	return &assess.Service{Store: st, Calendar: cal, Formula: &f, Issuer: cfg.Assessment.Issuer, NumberPrefix: cfg.Assessment.NumberPrefix}
}

// ensureSchedules gives every plan its assessment schedule, in the background: a failure is
// logged and retried at the next start, and never keeps the worker from working.
func ensureSchedules(ctx context.Context, cfg config.Config, st *store.Store, tc client.Client, logger *slog.Logger) {
	go func() {
		if err := launch.EnsureAllAssessmentSchedules(ctx, st, tc, cfg.Temporal.TaskQueue, cfg.Assessment.Schedule); err != nil && ctx.Err() == nil {
			logger.Warn("assessment schedules", "err", err)
		}
	}()
}
