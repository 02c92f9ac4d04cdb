// Package metrics is Duban's Prometheus instrumentation: HTTP latency, workflow events
// (reminders, escalations by level, completions), activity failures, and the Temporal SDK's
// own metrics through its tally adapter, all on one registry served at /metrics.
package metrics

import (
	"crypto/subtle"
	"io"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/uber-go/tally/v4"
	tallyprom "github.com/uber-go/tally/v4/prometheus"
	"go.temporal.io/sdk/client"
	sdktally "go.temporal.io/sdk/contrib/tally"
)

// Metrics holds the registry and Duban's own collectors.
type Metrics struct {
	Registry       *prometheus.Registry
	HTTP           *prometheus.HistogramVec
	Events         *prometheus.CounterVec
	Escalations    *prometheus.CounterVec
	ActivityErrors *prometheus.CounterVec
	closer         io.Closer
	sdk            client.MetricsHandler
}

// New builds the registry with Go and process collectors.
func New() *Metrics {
	reg := prometheus.NewRegistry()
	m := &Metrics{
		Registry: reg,
		HTTP: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "duban_http_request_duration_seconds", Help: "HTTP request latency by route and status.",
			Buckets: []float64{.002, .005, .01, .02, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"method", "route", "status"}),
		Events: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "duban_workflow_events_total", Help: "Item workflow events written, by type (reminder, overdue, completed, cancelled…).",
		}, []string{"type"}),
		Escalations: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "duban_escalations_total", Help: "Escalation ladder rungs reached, by level.",
		}, []string{"level"}),
		ActivityErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "duban_activity_failures_total", Help: "Activity attempts that failed (they are retried), by activity.",
		}, []string{"activity"}),
	}
	reg.MustRegister(m.HTTP, m.Events, m.Escalations, m.ActivityErrors,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	reporter := tallyprom.NewReporter(tallyprom.Options{Registerer: reg})
	scope, closer := tally.NewRootScope(tally.ScopeOptions{
		CachedReporter: reporter, Separator: tallyprom.DefaultSeparator,
		SanitizeOptions: &sdktally.PrometheusSanitizeOptions,
	}, time.Second)
	m.closer = closer
	m.sdk = sdktally.NewMetricsHandler(sdktally.NewPrometheusNamingScope(scope))
	return m
}

// SDKHandler is the Temporal client's metrics handler (temporal_* series).
func (m *Metrics) SDKHandler() client.MetricsHandler { return m.sdk }

// Handler serves the registry.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{Registry: m.Registry})
}

// Close flushes the SDK scope.
func (m *Metrics) Close() error { return m.closer.Close() }

// Guard serves h only to requests with `Authorization: Bearer <token>` (compared in constant
// time), answering 401 to others; an empty token serves everyone, for deployments that keep
// /metrics off the public network by other means (a separate listener, the proxy).
func Guard(token string, h http.Handler) http.Handler {
	if token == "" {
		return h
	}
	want := []byte("Bearer " + token)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if subtle.ConstantTimeCompare([]byte(r.Header.Get("Authorization")), want) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
			http.Error(w, "metrics: bearer token required", http.StatusUnauthorized)
			return
		}
		h.ServeHTTP(w, r)
	})
}
