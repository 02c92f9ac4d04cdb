package api

import (
	"crypto/rand"
	"encoding/hex"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
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
