package api

import (
	"crypto/rand"
	"encoding/hex"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
)

const requestIDKey = "request_id"

// requestID takes X-Request-ID from the client (if sane) or makes one, and echoes it back.
func requestID(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		id := c.Request().Header.Get(echo.HeaderXRequestID)
		if id == "" || len(id) > 64 {
			var b [8]byte
			_, _ = rand.Read(b[:])
			id = hex.EncodeToString(b[:])
		}
		c.Set(requestIDKey, id)
		c.Response().Header().Set(echo.HeaderXRequestID, id)
		return next(c)
	}
}

func requestIDOf(c echo.Context) string {
	id, _ := c.Get(requestIDKey).(string)
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
