package embedded

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"go.temporal.io/server/common/config"
	"go.temporal.io/server/common/log"
)

const (
	// setupLockKey is the PostgreSQL advisory lock (and, as text, the MySQL named lock) that
	// one node holds while it sets up the schema, creates the cluster and registers the
	// namespace: nodes started together on a fresh database then take turns.
	setupLockKey  = 0x6475_6261_6e5f_7473 // "duban_ts"
	setupLockName = "duban_temporal_setup"
	// setupLockWait is how long a node waits for another's set-up before it gives up.
	setupLockWait = 5 * time.Minute
)

// setupLock is a session lock held on one connection of the main database; the database
// releases it when that connection closes, so a node killed while holding it does not block
// the others.
type setupLock struct {
	db   *sql.DB
	conn *sql.Conn
	c    *config.SQL
}

// lockSetup takes the set-up lock, waiting while another node holds it.
func lockSetup(ctx context.Context, c *config.SQL, logger log.Logger) (*setupLock, error) {
	db, err := openSQL(c)
	if err != nil {
		return nil, err
	}
	l := &setupLock{db: db, c: c}
	ctx, cancel := context.WithTimeout(ctx, setupLockWait)
	defer cancel()
	if l.conn, err = db.Conn(ctx); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("cannot reach %s: %w", describe(c), err)
	}
	for waited := false; ; waited = true {
		var got bool
		if c.PluginName == mysqlPlugin {
			err = l.conn.QueryRowContext(ctx, "SELECT COALESCE(GET_LOCK(?, 0), 0) = 1", setupLockName).Scan(&got)
		} else {
			err = l.conn.QueryRowContext(ctx, "SELECT pg_try_advisory_lock($1)", int64(setupLockKey)).Scan(&got)
		}
		if err == nil && got {
			return l, nil
		}
		if err != nil {
			l.close()
			return nil, fmt.Errorf("set-up lock on %s: %w", describe(c), err)
		}
		if !waited {
			logger.Info("another node is setting up the cluster; waiting for it")
		}
		select {
		case <-ctx.Done():
			l.close()
			return nil, fmt.Errorf("another node held the set-up lock on %s for %v; is one stuck?", describe(c), setupLockWait)
		case <-time.After(500 * time.Millisecond):
		}
	}
}

// unlock releases the lock (closing the connection would too; this is quicker).
func (l *setupLock) unlock() {
	q := "SELECT pg_advisory_unlock($1)"
	var arg any = int64(setupLockKey)
	if l.c.PluginName == mysqlPlugin {
		q, arg = "SELECT RELEASE_LOCK(?)", setupLockName
	}
	_, _ = l.conn.ExecContext(context.Background(), q, arg)
	l.close()
}

func (l *setupLock) close() {
	if l.conn != nil {
		_ = l.conn.Close()
	}
	_ = l.db.Close()
}
