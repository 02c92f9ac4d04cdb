package api

import (
	"crypto/rand"
	"encoding/hex"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/dubanhq/duban/web"
)

const (
	requestIDKey = "request_id"
	serverIDKey  = "server_request_id"
)

// requestID takes X-Request-ID from the client (if sane) or makes one, and echoes it back:
// it correlates logs, problems and audit rows with what the client saw. Every request also
// gets an ID of the server's own, which the client cannot choose: whatever must be unique
// per request (an audit row's dedupe key) is built from that one.
func requestID(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		own := randomID()
		id := c.Request().Header.Get(echo.HeaderXRequestID)
		if !saneRequestID(id) {
			id = own
		}
		c.Set(requestIDKey, id)
		c.Set(serverIDKey, own)
		c.Response().Header().Set(echo.HeaderXRequestID, id)
		return next(c)
	}
}

func randomID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// saneRequestID accepts 1–64 printable ASCII characters, so a client's ID cannot break a
// log line.
func saneRequestID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for i := 0; i < len(id); i++ {
		if id[i] < 0x21 || id[i] > 0x7e {
			return false
		}
	}
	return true
}

// requestIDOf is the request's ID as the client knows it (its own X-Request-ID, if sane).
func requestIDOf(c echo.Context) string {
	id, _ := c.Get(requestIDKey).(string)
	return id
}

// serverIDOf is the request's server-made ID, unique per request whatever the client sends.
func serverIDOf(c echo.Context) string {
	id, _ := c.Get(serverIDKey).(string)
	return id
}

// accessLog writes one structured line per request; never bodies or tokens.
func (s *Server) accessLog(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		if m := s.deps.Metrics; m != nil {
			m.HTTP.WithLabelValues(c.Request().Method, c.Path(), strconv.Itoa(c.Response().Status)).Observe(time.Since(start).Seconds())
		}
		s.deps.Logger.Info("http",
			"request_id", requestIDOf(c),
			"method", c.Request().Method,
			"path", c.Path(),
			"status", c.Response().Status,
			"ms", float64(time.Since(start).Microseconds())/1000,
			"ip", c.RealIP())
		return nil
	}
}

// ipExtractor finds the client's address: the socket's peer, or with trusted proxies the
// nearest address in X-Forwarded-For that is not one of them. echo's extractor trusts
// loopback and private ranges by default; here only the configured ones are.
func ipExtractor(trusted []*net.IPNet) echo.IPExtractor {
	if len(trusted) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, n := range trusted {
		opts = append(opts, echo.TrustIPRange(n))
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}

// defaultMaxBody caps a request body when Deps.MaxBody is not set.
const defaultMaxBody = 32 << 20

// bodyLimit caps every request body, whatever its route reads: a body announced over the
// limit is refused at once (413), one that grows past it fails its read with 413.
func (s *Server) bodyLimit(next echo.HandlerFunc) echo.HandlerFunc {
	limit := s.deps.MaxBody
	if limit <= 0 {
		limit = defaultMaxBody
	}
	return func(c echo.Context) error {
		r := c.Request()
		if r.ContentLength > limit {
			return tooLarge(&http.MaxBytesError{Limit: limit}, "", limit)
		}
		if r.Body != nil && r.Body != http.NoBody {
			r.Body = http.MaxBytesReader(c.Response(), r.Body, limit)
		}
		return next(c)
	}
}

// securityHeaders go on every answer, API and UI alike: the strict CSP (frame-ancestors
// 'none' and X-Frame-Options against clickjacking), no MIME sniffing, and no page addresses
// (which name items and plans) leaking to other sites in Referer.
func securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", web.CSP)
		h.Set(echo.HeaderXContentTypeOptions, "nosniff")
		h.Set(echo.HeaderXFrameOptions, "DENY")
		h.Set(echo.HeaderReferrerPolicy, "same-origin")
		return next(c)
	}
}
