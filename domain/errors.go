// Package domain holds Duban's core types: plans, items, assignments, policy, events and the
// typed errors every layer shares. It imports nothing of Duban's own.
package domain

import (
	"errors"
	"fmt"
)

// Kind classifies an error so that one mapper (in api) can turn it into an HTTP status and a
// safe message, while the full error is logged.
type Kind string

// Error kinds. The string values are stable: they appear in problem+json `type` URIs.
const (
	KindInvalid   Kind = "invalid"   // 422: a value is wrong
	KindMalformed Kind = "malformed" // 400: the request cannot be read
	KindNotFound  Kind = "not-found" // 404
	KindConflict  Kind = "conflict"  // 409: wrong state for this action
	KindForbidden Kind = "forbidden" // 403: authenticated but not allowed
	// KindPasswordChange is a 403 for a user whose password an admin reset: until they
	// choose a new one, only changing it (and me, logout) is allowed.
	KindPasswordChange  Kind = "password-change-required"
	KindUnauthenticated Kind = "unauthenticated" // 401
	KindPrecondition    Kind = "precondition"    // 412: If-Match did not match
	KindRateLimited     Kind = "rate-limited"    // 429
	KindUnavailable     Kind = "unavailable"     // 503: database or Temporal down
	KindInternal        Kind = "internal"        // 500
)

// Error is a typed error with a kind, the field it concerns (if any), a message safe to show
// to a user, and the underlying cause (never shown).
type Error struct {
	Kind    Kind
	Field   string
	Message string
	Err     error
}

func (e *Error) Error() string {
	msg := string(e.Kind)
	if e.Field != "" {
		msg += " " + e.Field
	}
	if e.Message != "" {
		msg += ": " + e.Message
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// E builds a typed error. Message is shown to users; cause is only logged.
func E(kind Kind, field, message string, cause error) *Error {
	return &Error{Kind: kind, Field: field, Message: message, Err: cause}
}

// Invalidf is shorthand for a KindInvalid error on field.
func Invalidf(field, format string, args ...any) *Error {
	return &Error{Kind: KindInvalid, Field: field, Message: fmt.Sprintf(format, args...)}
}

// Conflictf is shorthand for a KindConflict (wrong state) error.
func Conflictf(format string, args ...any) *Error {
	return &Error{Kind: KindConflict, Message: fmt.Sprintf(format, args...)}
}

// Forbiddenf is shorthand for a KindForbidden error.
func Forbiddenf(format string, args ...any) *Error {
	return &Error{Kind: KindForbidden, Message: fmt.Sprintf(format, args...)}
}

// NotFoundf is shorthand for a KindNotFound error.
func NotFoundf(format string, args ...any) *Error {
	return &Error{Kind: KindNotFound, Message: fmt.Sprintf(format, args...)}
}

// KindOf returns the kind of the first *Error in err's chain, or KindInternal.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindInternal
}

// ErrNotFound is returned by repositories when a row does not exist.
var ErrNotFound = &Error{Kind: KindNotFound, Message: "not found"}
