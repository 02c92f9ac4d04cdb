package embedded

import (
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.temporal.io/server/common/log"
)

// TestCheckpointerCopiesTheLog writes through a connection that never checkpoints itself
// (as Temporal's would between its own, rarer, checkpoints): the checkpointer copies the
// log into the database file while the writer goes on, and on stop leaves an empty log.
func TestCheckpointerCopiesTheLog(t *testing.T) {
	file := filepath.Join(t.TempDir(), "temporal.db")
	w, err := sql.Open("sqlite", "file:"+file+"?_pragma=journal_mode(wal)&_pragma=synchronous(normal)&_pragma=wal_autocheckpoint(0)")
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	w.SetMaxOpenConns(1)
	if _, err := w.Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)"); err != nil {
		t.Fatal(err)
	}
	row := strings.Repeat("督办", 500)
	for i := 0; i < 300; i++ {
		if _, err := w.Exec("INSERT INTO t (v) VALUES (?)", row); err != nil {
			t.Fatal(err)
		}
	}
	before := size(t, file)

	cp, err := startCheckpointer([]string{file}, log.NewNoopLogger())
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for size(t, file) < before+300*3000 {
		if time.Now().After(deadline) {
			t.Fatalf("database file still %d bytes (was %d): the log was not copied into it", size(t, file), before)
		}
		// The writer keeps writing meanwhile: a passive checkpoint does not hold it up.
		if _, err := w.Exec("INSERT INTO t (v) VALUES (?)", row); err != nil {
			t.Fatalf("write during checkpoints: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	cp.stop()
	if n := size(t, file+"-wal"); n != 0 {
		t.Fatalf("log is %d bytes after stop, want it truncated", n)
	}
	r, err := sql.Open("sqlite", "file:"+file)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var n int
	if err := r.QueryRow("SELECT COUNT(*) FROM t").Scan(&n); err != nil || n < 300 {
		t.Fatalf("rows = %d, %v; want at least 300", n, err)
	}
}

func size(t *testing.T, f string) int64 {
	t.Helper()
	fi, err := os.Stat(f)
	if os.IsNotExist(err) {
		return 0
	}
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}
