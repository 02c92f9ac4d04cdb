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

// Store wraps the database handles; repositories are its methods.
type Store struct {
	// db takes every write, and the reads inside a write's transaction.
	db *gorm.DB
	// rdb serves reads that stand alone. On a SQLite file it is a pool of query-only
	// connections beside db's single writer (WAL lets them read while it writes); on MySQL
	// and in memory it is db.
	rdb     *gorm.DB
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

// sqlitePragmas are every SQLite connection's settings: WAL with synchronous=NORMAL (a
// committed transaction survives a process crash), a busy timeout, foreign keys.
const sqlitePragmas = "?_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(ON)"

// Open connects and checks the connection, so a bad DSN fails here with a clear message.
//
// A SQLite file gets one writer connection whose transactions take the write lock when
// they begin (_txlock=immediate), and up to MaxOpenConns (at most 4) query-only readers.
// SQLite allows one writer at a time: with several writer connections, every writer that
// found the lock taken slept in SQLite's busy handler (1, 2, 5 … 100 ms) while the lock
// was free again, and a deferred transaction that had read before it wrote failed outright
// when another had written meanwhile. Waiting for the one connection in Go's pool wakes
// the next writer as soon as the last one commits.
func Open(ctx context.Context, o Options) (*Store, error) {
	switch o.Dialect {
	case "mysql":
		db, err := openGorm(ctx, o, mysql.New(mysql.Config{DSN: o.DSN, DefaultStringSize: 191}), o.MaxOpenConns)
		if err != nil {
			return nil, err
		}
		return &Store{db: db, rdb: db, dialect: o.Dialect}, nil
	case "sqlite":
		if o.DSN == ":memory:" {
			// One shared in-memory database: the connections share its cache and locks.
			dsn := "file::memory:?cache=shared&_pragma=busy_timeout(10000)"
			db, err := openGorm(ctx, o, sqlite.New(sqlite.Config{DriverName: "sqlite", DSN: dsn}), max(1, min(o.MaxOpenConns, 4)))
			if err != nil {
				return nil, err
			}
			return &Store{db: db, rdb: db, dialect: o.Dialect}, nil
		}
		if err := os.MkdirAll(filepath.Dir(o.DSN), 0o750); err != nil {
			return nil, fmt.Errorf("store: create directory for %s: %w", o.DSN, err)
		}
		db, err := openGorm(ctx, o, sqlite.New(sqlite.Config{DriverName: "sqlite", DSN: o.DSN + sqlitePragmas + "&_txlock=immediate"}), 1)
		if err != nil {
			return nil, err
		}
		rdb, err := openGorm(ctx, o, sqlite.New(sqlite.Config{DriverName: "sqlite", DSN: o.DSN + sqlitePragmas + "&_pragma=query_only(1)"}), max(1, min(o.MaxOpenConns, 4)))
		if err != nil {
			closeGorm(db)
			return nil, err
		}
		return &Store{db: db, rdb: rdb, dialect: o.Dialect}, nil
	}
	return nil, fmt.Errorf("store: unknown dialect %q", o.Dialect)
}

func openGorm(ctx context.Context, o Options, dialector gorm.Dialector, conns int) (*gorm.DB, error) {
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
	if conns > 0 {
		sqlDB.SetMaxOpenConns(conns)
		sqlDB.SetMaxIdleConns(conns)
	}
	sqlDB.SetConnMaxLifetime(30 * time.Minute)
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := sqlDB.PingContext(pctx); err != nil {
		_ = sqlDB.Close()
		return nil, fmt.Errorf("store: cannot reach the %s database: %w", o.Dialect, err)
	}
	return db, nil
}

func closeGorm(db *gorm.DB) error {
	sqlDB, err := db.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
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
	err := closeGorm(s.db)
	if s.rdb != s.db {
		err = errors.Join(err, closeGorm(s.rdb))
	}
	return err
}

// isDuplicate reports a unique-key violation on either dialect.
func isDuplicate(err error) bool {
	return errors.Is(err, gorm.ErrDuplicatedKey) || (err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed"))
}

// notFound maps gorm's not-found to nil-safe domain wording.
func notFound(err error) bool { return errors.Is(err, gorm.ErrRecordNotFound) }
