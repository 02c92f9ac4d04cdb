// Package storetest opens fresh stores for tests: a SQLite file always, and a MySQL/MariaDB
// database when DUBAN_TEST_MYSQL_DSN names a server (mysql://user:pass@host:3306/anydb). Each
// call creates its own database, so packages can run their tests in parallel. Under CI=true a
// missing or unreachable MySQL server fails the test instead of skipping it.
package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"

	"github.com/dubanhq/duban/config"
	"github.com/dubanhq/duban/store"
)

var seq atomic.Int64

// SQLite opens a migrated store on a SQLite file in a temporary directory.
func SQLite(t testing.TB) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), store.Options{Dialect: "sqlite", DSN: filepath.Join(t.TempDir(), "duban.db"), MaxOpenConns: 4})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// DefaultMySQL is the server tried when DUBAN_TEST_MYSQL_DSN is unset: a local MariaDB or
// MySQL with user root and no password, as on Duban's development machines.
const DefaultMySQL = "mysql://root:@127.0.0.1:3306/test"

// MySQL opens a migrated store on a new database on the DUBAN_TEST_MYSQL_DSN server (default
// DefaultMySQL), dropped when the test ends. When no server answers it skips, except under
// CI=true, where it fails.
func MySQL(t testing.TB) *store.Store {
	t.Helper()
	dsn := os.Getenv("DUBAN_TEST_MYSQL_DSN")
	if dsn == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("DUBAN_TEST_MYSQL_DSN is not set under CI=true: the MySQL store tests must run (.ci/run sets it)")
		}
		dsn = DefaultMySQL
	}
	driverDSN, err := config.MySQLDSN(dsn)
	if err != nil {
		t.Fatalf("DUBAN_TEST_MYSQL_DSN: %v", err)
	}
	name := fmt.Sprintf("duban_t%d_%d_%d", os.Getpid(), time.Now().UnixNano()%1e6, seq.Add(1))
	admin, err := sql.Open("mysql", driverDSN)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if err := admin.Ping(); err != nil && os.Getenv("CI") != "true" {
		t.Skipf("no MySQL server at %s (%v); set DUBAN_TEST_MYSQL_DSN to run the MySQL store tests", config.RedactDSN(dsn), err)
	}
	if _, err := admin.Exec("CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"); err != nil {
		t.Fatalf("cannot create a test database on the MySQL server (%s): %v", config.RedactDSN(dsn), err)
	}
	mc, _ := mysql.ParseDSN(driverDSN)
	mc.DBName = name
	s, err := store.Open(context.Background(), store.Options{Dialect: "mysql", DSN: mc.FormatDSN(), MaxOpenConns: 8})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = s.Close()
		if a, err := sql.Open("mysql", driverDSN); err == nil {
			_, _ = a.Exec("DROP DATABASE IF EXISTS " + name)
			_ = a.Close()
		}
	})
	if err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

// Each runs fn against every available store as a subtest named for its dialect.
func Each(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	t.Helper()
	for _, name := range []string{"sqlite", "mysql"} {
		t.Run(name, func(t *testing.T) {
			var s *store.Store
			if strings.HasPrefix(name, "mysql") {
				s = MySQL(t)
			} else {
				s = SQLite(t)
			}
			fn(t, s)
		})
	}
}
