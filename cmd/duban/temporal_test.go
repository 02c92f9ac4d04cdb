package main

import (
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestTemporalNodeErrorsNameTheFlag: each mistake in `duban temporal`'s flags stops it
// before it starts anything, with one line that names the flag and never the password.
func TestTemporalNodeErrorsNameTheFlag(t *testing.T) {
	db := "postgres://u:s3cret@127.0.0.1:1/temporal?sslmode=disable" // nothing listens on port 1
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	taken := busy.Addr().(*net.TCPAddr).Port
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"not a database URL", []string{"--db", "sqlite:///tmp/t.db"}, "--db: "},
		{"no user", []string{"--db", "postgres://127.0.0.1:5432/temporal"}, "--db: "},
		{"unreachable", []string{"--db", db, "--port", strconv.Itoa(freePortBlock(t))}, "--db: cannot reach postgres://u@127.0.0.1:1/temporal"},
		{"frontend port taken", []string{"--db", db, "--port", strconv.Itoa(taken)}, "--port (frontend gRPC): 127.0.0.1:" + strconv.Itoa(taken) + " is in use"},
		{"membership port taken", []string{"--db", db, "--port", strconv.Itoa(taken + 300)}, "--membership-port (frontend membership"},
		{"ports used twice", []string{"--db", db, "--port", "27233", "--worker-port", "27234"}, "is used twice"},
		{"shards", []string{"--db", db, "--history-shards", "0"}, "--history-shards 0: want 1 or more"},
		{"any address without a broadcast address", []string{"--db", db, "--ip", "0.0.0.0"}, "--broadcast-address is required"},
		{"data dir with a database", []string{"--db", db, "--data-dir", t.TempDir()}, "--data-dir: not used with --db"},
		{"cluster flag without a database", []string{"--history-shards", "4"}, "--history-shards needs --db"},
		{"dynamic config without a database", []string{"--dynamic-config", "dc.yaml"}, "--dynamic-config needs --db"},
		{"dynamic config missing", []string{"--db", db, "--dynamic-config", filepath.Join(t.TempDir(), "dc.yaml")}, "--dynamic-config: open "},
		{"pprof off loopback", []string{"--pprof", "0.0.0.0:6061"}, "only a loopback address"},
		{"MariaDB", []string{"--db", mysqlDatabase(t), "--port", strconv.Itoa(freePortBlock(t))}, "is a MariaDB server"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out := run(t, nil, append([]string{"temporal"}, c.args...)...)
			lines := strings.Split(strings.TrimSpace(out), "\n")
			last := lines[len(lines)-1]
			if code == 0 || !strings.HasPrefix(last, "duban temporal: ") || !strings.Contains(last, c.want) {
				t.Errorf("exit %d, last line %q; want non-zero and a line saying %q\n%s", code, last, c.want, out)
			}
			if strings.Contains(out, "s3cret") {
				t.Errorf("the password is in the output:\n%s", out)
			}
		})
	}
}
