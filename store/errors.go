package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"net"
	"strings"

	"github.com/go-sql-driver/mysql"
)

// IsUnavailable reports an error that means the database cannot be reached right now
// (as opposed to a bad query or a constraint), so callers can answer 503 and retry.
func IsUnavailable(err error) bool {
	if err == nil {
		return false
	}
	var ne net.Error
	switch {
	case errors.As(err, &ne), errors.Is(err, driver.ErrBadConn), errors.Is(err, sql.ErrConnDone),
		errors.Is(err, mysql.ErrInvalidConn), errors.Is(err, context.DeadlineExceeded):
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "database is closed") || strings.Contains(msg, "database is locked") ||
		strings.Contains(msg, "connection refused")
}

// isDeadlock reports InnoDB choosing this statement's transaction as a deadlock's victim
// (MySQL error 1213): nothing was written, and running it again is the documented remedy.
func isDeadlock(err error) bool {
	var me *mysql.MySQLError
	return errors.As(err, &me) && me.Number == 1213
}
