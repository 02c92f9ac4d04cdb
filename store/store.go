package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"gorm.io/driver/mysql"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
	_ "modernc.org/sqlite" // the pure-Go engine the embedded Temporal server also uses
)

// Store wraps the database handle; repositories are its methods.
type Store struct {
	db      *gorm.DB
	dialect string
}

// Options selects the database. DSN is either a driver DSN for MySQL (Dialect "mysql") or a
// SQLite file path (Dialect "sqlite"; ":memory:" for tests).
type Options struct {
	Dialect      string
	DSN          string
	MaxOpenConns int
	LogSQL       bool
}

// Open connects and checks the connection, so a bad DSN fails here with a clear message.
func Open(ctx context.Context, o Options) (*Store, error) {
	var dialector gorm.Dialector
	switch o.Dialect {
	case "mysql":
		dialector = mysql.New(mysql.Config{DSN: o.DSN, DefaultStringSize: 191})
	case "sqlite":
		if o.DSN != ":memory:" {
			if err := os.MkdirAll(filepath.Dir(o.DSN), 0o750); err != nil {
				return nil, fmt.Errorf("store: create directory for %s: %w", o.DSN, err)
			}
		}
		// WAL and a busy timeout let the API and the worker write concurrently.
		dsn := o.DSN + "?_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(ON)"
		if o.DSN == ":memory:" {
			dsn = "file::memory:?cache=shared&_pragma=busy_timeout(10000)"
		}
		dialector = sqlite.New(sqlite.Config{DriverName: "sqlite", DSN: dsn})
	default:
		return nil, fmt.Errorf("store: unknown dialect %q", o.Dialect)
	}
	lg := logger.Discard
	if o.LogSQL {
		lg = logger.Default.LogMode(logger.Info)
	}
	db, err := gorm.Open(dialector, &gorm.Config{Logger: lg, TranslateError: true, NowFunc: func() time.Time { return time.Now().UTC() }})
	if err != nil {
		return nil, fmt.Errorf("store: cannot reach the %s database: %w", o.Dialect, err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, err
	}
	if o.Dialect == "sqlite" {
		// SQLite allows one writer; a small pool avoids "database is locked" storms.
		sqlDB.SetMaxOpenConns(max(1, min(o.MaxOpenConns, 4)))
	} else if o.MaxOpenConns > 0 {
		sqlDB.SetMaxOpenConns(o.MaxOpenConns)
		sqlDB.SetMaxIdleConns(o.MaxOpenConns)
	}
	sqlDB.SetConnMaxLifetime(30 * time.Minute)
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := sqlDB.PingContext(pctx); err != nil {
		_ = sqlDB.Close()
		return nil, fmt.Errorf("store: cannot reach the %s database: %w", o.Dialect, err)
	}
	return &Store{db: db, dialect: o.Dialect}, nil
}

// Dialect returns "mysql" or "sqlite".
func (s *Store) Dialect() string { return s.dialect }

// Ping checks the database is usable (for /readyz).
func (s *Store) Ping(ctx context.Context) error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return sqlDB.PingContext(ctx)
}

// Close releases the connections.
func (s *Store) Close() error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
}

// isDuplicate reports a unique-key violation on either dialect.
func isDuplicate(err error) bool {
	return errors.Is(err, gorm.ErrDuplicatedKey) || (err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed"))
}

// notFound maps gorm's not-found to nil-safe domain wording.
func notFound(err error) bool { return errors.Is(err, gorm.ErrRecordNotFound) }
