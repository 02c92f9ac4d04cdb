package main

import (
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// defaultPostgres is the machine's own PostgreSQL (trust auth), used when
// DUBAN_TEST_POSTGRES_URL is not set.
const defaultPostgres = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// postgresDatabase returns the URL of a database for one Temporal cluster, on the server
// of DUBAN_TEST_POSTGRES_URL (the fresh database .ci/run creates; its name prefixes this
// one's). The nodes create it and its _visibility twin themselves; both are dropped when
// the test ends. Without a server the test is skipped, but fails under CI=true.
func postgresDatabase(t *testing.T) string {
	base := os.Getenv("DUBAN_TEST_POSTGRES_URL")
	if base == "" {
		base = defaultPostgres
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("DUBAN_TEST_POSTGRES_URL: %v", err)
	}
	db := pgOpen(t, base)
	if err := db.Ping(); err != nil {
		db.Close()
		if os.Getenv("CI") == "true" {
			t.Fatalf("PostgreSQL needed under CI (DUBAN_TEST_POSTGRES_URL=%s): %v", u.Redacted(), err)
		}
		t.Skipf("no PostgreSQL server at %s: %v", u.Redacted(), err)
	}
	name := fmt.Sprintf("%s_t%d", strings.TrimPrefix(u.Path, "/"), time.Now().UnixNano()%1e9)
	t.Cleanup(func() {
		for _, n := range []string{name, name + "_visibility"} {
			// FORCE ends connections a killed node may have left behind.
			if _, err := db.Exec(`DROP DATABASE IF EXISTS "` + n + `" WITH (FORCE)`); err != nil {
				t.Logf("drop %s: %v", n, err)
			}
		}
		db.Close()
	})
	u.Path = "/" + name
	return u.String()
}

func pgOpen(t *testing.T, rawURL string) *sql.DB {
	db, err := sql.Open("pgx", rawURL)
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// pgCount runs a count query on a Temporal database.
func pgCount(t *testing.T, rawURL, q string) int {
	t.Helper()
	db := pgOpen(t, rawURL)
	defer db.Close()
	var n int
	if err := db.QueryRow(q).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// pgCluster is the machine's PostgreSQL cluster as pg_ctlcluster names it (version, name),
// when DUBAN_TEST_POSTGRES_URL names it: a test that restarts PostgreSQL runs only when
// asked to (as .ci/run does), never on a developer's server by surprise. It is skipped,
// or fails under CI=true, when the cluster cannot be controlled.
func pgCluster(t *testing.T) (version, name string) {
	u, err := url.Parse(os.Getenv("DUBAN_TEST_POSTGRES_URL"))
	if err != nil || u.Host != "127.0.0.1:5432" && u.Host != "localhost:5432" {
		reason := "restarting PostgreSQL needs DUBAN_TEST_POSTGRES_URL on the local cluster (127.0.0.1:5432)"
		if os.Getenv("CI") == "true" {
			t.Fatal(reason)
		}
		t.Skip(reason)
	}
	vs, _ := os.ReadDir("/etc/postgresql")
	if _, err := exec.LookPath("pg_ctlcluster"); err != nil || len(vs) != 1 {
		if os.Getenv("CI") == "true" {
			t.Fatalf("restarting PostgreSQL needs pg_ctlcluster and one cluster under /etc/postgresql (%d): %v", len(vs), err)
		}
		t.Skip("no pg_ctlcluster to restart PostgreSQL with")
	}
	return vs[0].Name(), "main"
}

// restartPostgres stops the server the hard way (immediate mode: clients cut off, no
// checkpoint, crash recovery at start), keeps it down for down, and starts it again. Only
// the cluster tests use PostgreSQL, and they do not run in parallel.
func restartPostgres(t *testing.T, down time.Duration) {
	t.Helper()
	version, name := pgCluster(t)
	ctl := func(args ...string) {
		args = append([]string{"--skip-systemctl-redirect", version, name}, args...)
		if out, err := exec.Command("pg_ctlcluster", args...).CombinedOutput(); err != nil {
			t.Fatalf("pg_ctlcluster %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	ctl("stop", "-m", "immediate")
	// Should the test die here, PostgreSQL must not stay down for the next run.
	t.Cleanup(func() { _ = exec.Command("pg_ctlcluster", "--skip-systemctl-redirect", version, name, "start").Run() })
	time.Sleep(down)
	ctl("start")
}
