// Package api serves Duban's JSON API under /api/v1, the health endpoints and (through the
// web package) the UI. Handlers decode, authorise, call the Temporal client or a store
// repository, and encode; one error mapper renders every failure as problem+json.
package api

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"go.temporal.io/sdk/client"

	"github.com/dubanhq/duban/assess"
	"github.com/dubanhq/duban/calendar"
	"github.com/dubanhq/duban/delivery"
	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/launch"
	"github.com/dubanhq/duban/metrics"
	"github.com/dubanhq/duban/store"
	"github.com/dubanhq/duban/web"
)

// Deps are what the API needs. Temporal may be nil in tests that do not touch workflows.
type Deps struct {
	Store    *store.Store
	Temporal client.Client
	// TemporalConn, when set, tells that the client's connection is down, so an action
	// answers 503 at once instead of after the SDK's retries (app.Conn).
	TemporalConn interface{ Down() bool }
	TaskQueue    string
	Namespace    string
	Logger       *slog.Logger
	TokenTTL     time.Duration
	// APITokenTTL is an API token's lifetime when its creator names none (0: 90 days).
	APITokenTTL time.Duration
	// WorkerCheck reports whether a worker polls the task queue (nil = check via Temporal).
	WorkerCheck func(ctx context.Context) error
	Now         func() time.Time
	// Calendar is the working-day calendar the admin edits through the API.
	Calendar *calendar.Calendar
	// Metrics, when set, records HTTP latency and is served at /metrics.
	Metrics *metrics.Metrics
	// MetricsToken, when set, is the bearer token /metrics asks for (metrics_token).
	MetricsToken string
	// Notify, when set, enables contact points' test-send and template previews.
	Notify *delivery.Notifier
	// Assess runs on-demand assessments and drafts circulars (nil: the default formula).
	Assess *assess.Service
	// AssessSchedule ("year", "half", "none") gives each launched plan its assessment schedule.
	AssessSchedule string
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names the client (none:
	// the client is the socket's peer, whatever the headers say).
	TrustedProxies []*net.IPNet
	// MaxBody caps every request body in bytes (0: 32 MB); routes keep smaller limits.
	MaxBody int64
	// ActionWait bounds how long an action waits for its workflow Update (0: 30 s); past it
	// the API answers 503 with Retry-After and the same request later attaches to the Update.
	ActionWait time.Duration
	// MaxImports is how many imports (previews included) run at once (0: 2); past it the
	// API answers 429 with Retry-After.
	MaxImports int
	// Cases number 督办件 and give their default deadlines (zero: domain.DefaultCaseRules).
	Cases domain.CaseRules
}

// Server holds the echo instance and dependencies.
type Server struct {
	Echo    *echo.Echo
	deps    Deps
	imports chan struct{} // a slot per import running
}

// New builds the echo server with every route registered.
func New(d Deps) *Server {
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.TokenTTL == 0 {
		d.TokenTTL = 12 * time.Hour
	}
	if d.APITokenTTL == 0 {
		d.APITokenTTL = 90 * 24 * time.Hour
	}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	if d.MaxImports <= 0 {
		d.MaxImports = 2
	}
	s := &Server{Echo: e, deps: d, imports: make(chan struct{}, d.MaxImports)}
	e.HTTPErrorHandler = s.errorHandler
	e.IPExtractor = ipExtractor(d.TrustedProxies)
	e.Use(requestID, s.accessLog, securityHeaders, s.bodyLimit, middleware.RecoverWithConfig(middleware.RecoverConfig{
		// A handler's panic is a 500 problem for that request (logged with its stack), not a
		// dropped connection; the detail sent is the generic one.
		LogErrorFunc: func(c echo.Context, err error, stack []byte) error {
			d.Logger.Error("handler panicked", "request_id", requestIDOf(c), "path", c.Path(), "err", err, "stack", string(stack))
			return err
		},
	}))
	e.GET("/healthz", s.healthz)
	if d.Metrics != nil {
		e.GET("/metrics", echo.WrapHandler(metrics.Guard(d.MetricsToken, d.Metrics.Handler())))
	}
	e.GET("/readyz", s.readyz)
	for _, register := range routeRegistrars {
		register(s)
	}
	web.Register(e)
	return s
}

// routeRegistrars lets each resource file add its routes.
var routeRegistrars []func(*Server)

// ServeHTTP makes Server an http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.Echo.ServeHTTP(w, r) }

// Launcher returns a plan launcher bound to the server's store and Temporal client.
func (s *Server) Launcher() *launch.Launcher {
	return &launch.Launcher{Store: s.deps.Store, Temporal: s.deps.Temporal, TaskQueue: s.deps.TaskQueue, AssessSchedule: s.deps.AssessSchedule,
		Calendar: s.deps.Calendar, CaseRules: s.deps.Cases}
}
