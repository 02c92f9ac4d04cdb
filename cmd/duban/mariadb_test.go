package main

import (
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// mariadb is a private MariaDB server on a free port and a temporary data directory, which
// a test may kill and start again.
type mariadb struct {
	bin, dir, port string
	cmd            *exec.Cmd
	exited         chan struct{}
}

// privateMariaDB initialises a data directory and starts a server on it; it is killed when
// the test ends, whatever happens. Without the MariaDB binaries the test is skipped, but
// fails under CI=true, where they must be installed.
func privateMariaDB(t *testing.T) *mariadb {
	server, install := lookPath("mariadbd", "/usr/sbin/mariadbd", "mysqld", "/usr/sbin/mysqld"),
		lookPath("mariadb-install-db", "/usr/bin/mariadb-install-db", "mysql_install_db")
	if server == "" || install == "" {
		reason := "a private MariaDB needs mariadbd and mariadb-install-db (Debian package mariadb-server)"
		if os.Getenv("CI") == "true" {
			t.Fatal(reason)
		}
		t.Skip(reason)
	}
	m := &mariadb{bin: server, dir: t.TempDir(), port: freePort(t)}
	args := []string{"--no-defaults", "--datadir=" + filepath.Join(m.dir, "data"), "--auth-root-authentication-method=normal",
		"--skip-test-db", "--innodb-log-file-size=4M", "--innodb-buffer-pool-size=16M"}
	if os.Geteuid() == 0 {
		args = append(args, "--user=root")
	}
	if out, err := exec.Command(install, args...).CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", install, err, out)
	}
	t.Cleanup(func() {
		m.stop()
		if t.Failed() {
			if b, err := os.ReadFile(filepath.Join(m.dir, "error.log")); err == nil {
				t.Logf("private MariaDB log:\n%s", b)
			}
		}
	})
	m.start(t)
	return m
}

// lookPath returns the first of names found, or "".
func lookPath(names ...string) string {
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	return ""
}

// start runs the server on the data directory and port it had before and waits until it
// answers.
func (m *mariadb) start(t *testing.T) {
	t.Helper()
	args := []string{"--no-defaults", "--datadir=" + filepath.Join(m.dir, "data"), "--port=" + m.port,
		"--bind-address=127.0.0.1", "--socket=" + filepath.Join(m.dir, "sock"), "--pid-file=" + filepath.Join(m.dir, "pid"),
		"--log-error=" + filepath.Join(m.dir, "error.log"), "--skip-name-resolve",
		"--innodb-buffer-pool-size=16M", "--innodb-log-file-size=4M", "--max-connections=200"}
	if os.Geteuid() == 0 {
		args = append(args, "--user=root")
	}
	m.cmd = exec.Command(m.bin, args...)
	// Should the test binary die without its cleanups (a -timeout panic), so does the server.
	m.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := m.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", m.bin, err)
	}
	exited := make(chan struct{})
	m.exited = exited
	go func(c *exec.Cmd) { _ = c.Wait(); close(exited) }(m.cmd)
	var err error
	for end := time.Now().Add(30 * time.Second); time.Now().Before(end); time.Sleep(200 * time.Millisecond) {
		select {
		case <-exited:
			log, _ := os.ReadFile(filepath.Join(m.dir, "error.log"))
			t.Fatalf("the private MariaDB exited at start:\n%s", log)
		default:
		}
		var sdb *sql.DB
		if sdb, err = sql.Open("mysql", "root@tcp(127.0.0.1:"+m.port+")/"); err == nil {
			err = sdb.Ping()
			sdb.Close()
		}
		if err == nil {
			return
		}
	}
	t.Fatalf("the private MariaDB on port %s did not answer within 30s: %v", m.port, err)
}

// kill stops the server the hard way, as a crash or a power cut would: its clients' open
// connections break and new ones are refused.
func (m *mariadb) kill(t *testing.T) {
	t.Helper()
	if !m.stop() {
		t.Fatal("the private MariaDB did not die on SIGKILL")
	}
}

// stop kills the server if it runs and reports whether it is gone.
func (m *mariadb) stop() bool {
	if m.cmd == nil {
		return true
	}
	_ = m.cmd.Process.Kill()
	select {
	case <-m.exited:
		m.cmd = nil
		return true
	case <-time.After(10 * time.Second):
		return false
	}
}

// dsn creates a database on the server and returns Duban's DSN for it.
func (m *mariadb) dsn(t *testing.T, name string) string {
	m.exec(t, "CREATE DATABASE "+name+" CHARACTER SET utf8mb4")
	return "mysql://root:@127.0.0.1:" + m.port + "/" + name
}

// exec runs one statement as root.
func (m *mariadb) exec(t *testing.T, q string) {
	t.Helper()
	sdb, err := sql.Open("mysql", "root@tcp(127.0.0.1:"+m.port+")/")
	if err == nil {
		defer sdb.Close()
		_, err = sdb.Exec(q)
	}
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// count runs a count query on the duban database behind the API's back.
func (m *mariadb) count(t *testing.T, q string) int {
	t.Helper()
	sdb, err := sql.Open("mysql", "root@tcp(127.0.0.1:"+m.port+")/duban")
	var n int
	if err == nil {
		defer sdb.Close()
		err = sdb.QueryRow(q).Scan(&n)
	}
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// table runs a query on the duban database and returns its rows as text, for failure messages.
func (m *mariadb) table(t *testing.T, q string) string {
	sdb, err := sql.Open("mysql", "root@tcp(127.0.0.1:"+m.port+")/duban?parseTime=true")
	if err != nil {
		return err.Error()
	}
	defer sdb.Close()
	return rowsText(sdb, q)
}

// rowsText runs a query and returns its rows as text, for failure messages.
func rowsText(db *sql.DB, q string) string {
	rows, err := db.Query(q)
	if err != nil {
		return err.Error()
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var b strings.Builder
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		_ = rows.Scan(ptrs...)
		for i, v := range vals {
			if bs, ok := v.([]byte); ok {
				v = string(bs)
			}
			fmt.Fprintf(&b, "%s=%v ", cols[i], v)
		}
		b.WriteString("\n")
	}
	return b.String()
}
