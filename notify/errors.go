package notify

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode"
)

// permanentError marks an error that retrying cannot fix.
type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// Permanent marks err as one that retrying cannot fix: a rejected address, a 4xx other
// than 408/429, a robot error code that means the configuration is wrong. Permanent(nil)
// is nil. Errors not so marked are transient: network failures, 5xx, rate limits.
func Permanent(err error) error {
	if err == nil || IsPermanent(err) {
		return err
	}
	return &permanentError{err: err}
}

// IsPermanent reports whether err, or any error it wraps, was marked by Permanent.
func IsPermanent(err error) bool {
	var p *permanentError
	return errors.As(err, &p)
}

// StatusError is a non-2xx HTTP answer, or a 2xx one that could not be read. Reason is
// Duban's own short word for it, never the peer's body: a delivery's last_error is shown to
// users, and an address pointed at an internal service must not read its pages back.
type StatusError struct {
	Status int
	Reason string
}

// Error shows the status and the reason.
func (e *StatusError) Error() string {
	if e.Reason == "" {
		return fmt.Sprintf("HTTP %d %s", e.Status, http.StatusText(e.Status))
	}
	return fmt.Sprintf("HTTP %d %s: %s", e.Status, http.StatusText(e.Status), e.Reason)
}

// transientStatus reports whether an HTTP status is worth retrying: timeouts, rate limits
// and server errors.
func transientStatus(status int) bool {
	return status == http.StatusRequestTimeout || status == http.StatusTooManyRequests || status >= 500
}

// statusErr classifies a non-2xx status; nil for 2xx.
func statusErr(status int, body []byte) error {
	if status >= 200 && status < 300 {
		return nil
	}
	err := &StatusError{Status: status}
	if transientStatus(status) {
		return err
	}
	return Permanent(err)
}

// CodeError is a platform's application-level error code (a robot's errcode, Aliyun's Code).
type CodeError struct {
	Code    string
	Message string
}

// Error shows the code and the platform's message.
func (e *CodeError) Error() string { return fmt.Sprintf("code %s: %s", e.Code, e.Message) }

// codeErr wraps a platform error code, permanent unless transient says otherwise.
func codeErr(code, msg string, transient bool) error {
	err := &CodeError{Code: code, Message: snippet([]byte(msg))}
	if transient {
		return err
	}
	return Permanent(err)
}

// wrap prefixes err with the channel name, keeping it permanent if it was.
func wrap(channel string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", channel, err)
}

// snippet shortens a platform's error message (a robot's errmsg) for an error message:
// at most 80 characters, control characters dropped.
func snippet(b []byte) string {
	const max = 80
	r := []rune(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return -1
		}
		return r
	}, string(b)))
	if len(r) > max {
		return string(r[:max]) + "…"
	}
	return string(r)
}
