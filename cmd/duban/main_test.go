package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/dubanhq/duban/store"
)

var bin string

// TestMain builds the real binary once; the tests run it as users do.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "duban-bin")
	if err != nil {
		panic(err)
	}
	bin = filepath.Join(dir, "duban")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "build: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// freePort is a free port for a process the test starts. A port is handed out once: the
// kernel may give a closed port to the next bind to port 0 before the first process has
// bound it.
func freePort(t *testing.T) string {
	handedMu.Lock()
	defer handedMu.Unlock()
	for {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		p := l.Addr().(*net.TCPAddr).Port
		_ = l.Close()
		if !handed[p] {
			handed[p] = true
			return fmt.Sprint(p)
		}
	}
}

var (
	handedMu sync.Mutex
	handed   = map[int]bool{}
)

// run runs the binary to completion and returns its exit code and combined output.
func run(t *testing.T, env []string, args ...string) (int, string) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = append(os.Environ(), env...)
	out, _ := cmd.CombinedOutput()
	return cmd.ProcessState.ExitCode(), string(out)
}

func TestStartupErrorsAreOneClearLine(t *testing.T) {
	dir := t.TempDir()
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	badCfg := filepath.Join(dir, "bad.yaml")
	_ = os.WriteFile(badCfg, []byte("temporal:\n  adress: x:1\n"), 0o600)
	cases := []struct {
		name string
		env  []string
		args []string
		want string
	}{
		{"port in use", nil, []string{"dev", "--data-dir", dir, "--addr", busy.Addr().String()}, "port in use"},
		{"bad config key", nil, []string{"dev", "--data-dir", dir, "--config", badCfg}, "adress"},
		{"bad DSN", []string{"DUBAN_DATABASE_DSN=postgres://x/y"}, []string{"dev", "--data-dir", dir, "--addr", "127.0.0.1:" + freePort(t)}, "database.dsn"},
		{"unreachable database", []string{"DUBAN_DATABASE_DSN=mysql://u:p@127.0.0.1:1/duban", "DUBAN_TEMPORAL_ADDRESS=127.0.0.1:1"}, []string{"serve", "--addr", "127.0.0.1:" + freePort(t)}, "cannot reach the mysql database"},
		{"unreachable Temporal", []string{"DUBAN_TEMPORAL_ADDRESS=127.0.0.1:1", "DUBAN_DATABASE_DSN=" + filepath.Join(dir, "x.db")}, []string{"serve", "--addr", "127.0.0.1:" + freePort(t)}, "cannot reach Temporal at 127.0.0.1:1"},
		{"serve without Temporal", nil, []string{"serve"}, "temporal.address"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out := run(t, c.env, c.args...)
			lines := strings.Split(strings.TrimSpace(out), "\n")
			last := lines[len(lines)-1]
			if code == 0 || !strings.Contains(last, c.want) || !strings.HasPrefix(last, "duban ") {
				t.Errorf("exit %d, last line %q; want non-zero and a line naming %q\n%s", code, last, c.want, out)
			}
			if strings.Contains(out, "panic") || strings.Contains(out, "goroutine ") {
				t.Errorf("a stack trace instead of a message:\n%s", out)
			}
		})
	}
}

func TestVersionAndConfig(t *testing.T) {
	if code, out := run(t, nil, "version"); code != 0 || !strings.Contains(out, "duban") {
		t.Errorf("version: %d %s", code, out)
	}
	code, out := run(t, []string{"DUBAN_DATABASE_DSN=mysql://duban:hunter22@db:3306/duban", "DUBAN_BOOTSTRAP_ADMIN_PASSWORD=s3cret-pass"}, "config")
	if code != 0 || strings.Contains(out, "hunter22") || strings.Contains(out, "s3cret-pass") || !strings.Contains(out, "db:3306") {
		t.Errorf("config must print the settings with secrets redacted: %d\n%s", code, out)
	}
}

type devProc struct {
	cmd  *exec.Cmd
	out  *bytes.Buffer
	base string
}

func startDev(t *testing.T, dir, port, tport string, demo bool) *devProc {
	args := []string{"dev", "--data-dir", dir, "--addr", "127.0.0.1:" + port}
	if demo {
		args = append(args, "--demo")
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "DUBAN_TEMPORAL_EMBEDDED_PORT="+tport, "DUBAN_BOOTSTRAP_ADMIN_PASSWORD=admin-pass-1")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &devProc{cmd: cmd, out: &out, base: "http://127.0.0.1:" + port}
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if r, err := http.Get(p.base + "/readyz"); err == nil {
			r.Body.Close()
			if r.StatusCode == 200 {
				return p
			}
		}
		time.Sleep(300 * time.Millisecond)
	}
	_ = cmd.Process.Kill()
	t.Fatalf("readyz never answered 200:\n%s", out.String())
	return nil
}

// stop sends Ctrl-C and expects a clean exit (dev gives up after devStopLimit and exits
// 1, which fails here) that prints its one line and no warning or error (the poll
// failures of a stopping server were a wall of them).
func (p *devProc) stop(t *testing.T) {
	_ = p.cmd.Process.Signal(syscall.SIGINT)
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("dev did not exit cleanly on Ctrl-C: %v\n%s", err, p.out.String())
		}
		out := p.out.String()
		after := strings.TrimSpace(out[max(0, strings.LastIndex(out, "Stopping Duban")):])
		lower := strings.ToLower(after)
		if !strings.HasPrefix(after, "Stopping Duban") || strings.Contains(lower, "warn") || strings.Contains(lower, "error") {
			t.Errorf("Ctrl-C should print its one line, without warnings or errors, got:\n%s", after)
		}
	case <-time.After(30 * time.Second):
		_ = p.cmd.Process.Kill()
		t.Fatalf("dev did not stop within 30s of Ctrl-C")
	}
}

func (p *devProc) get(t *testing.T, token, path string, out any) int {
	req, _ := http.NewRequest("GET", p.base+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	r, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	_ = json.NewDecoder(r.Body).Decode(out)
	return r.StatusCode
}

// post sends a JSON body and decodes the answer; any status other than 200/201 fails.
func (p *devProc) post(t *testing.T, token, path, body string, out any) {
	t.Helper()
	req, _ := http.NewRequest("POST", p.base+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	r, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	if r.StatusCode != 200 && r.StatusCode != 201 {
		var prob map[string]any
		_ = json.NewDecoder(r.Body).Decode(&prob)
		t.Fatalf("POST %s: %d %v", path, r.StatusCode, prob)
	}
	if out != nil {
		_ = json.NewDecoder(r.Body).Decode(out)
	}
}

func (p *devProc) login(t *testing.T, user, pw string) string {
	r, err := http.Post(p.base+"/api/v1/auth/login", "application/json", strings.NewReader(fmt.Sprintf(`{"username":%q,"password":%q}`, user, pw)))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	var v struct{ Token string }
	_ = json.NewDecoder(r.Body).Decode(&v)
	if v.Token == "" {
		t.Fatalf("login %s: status %d", user, r.StatusCode)
	}
	return v.Token
}

// TestDevRestartKeepsDataAndWorkflows runs `duban dev --demo`, stops it with Ctrl-C, starts
// it again on the same data dir, and finds the plan, the users and the running workflows.
func TestDevRestartKeepsDataAndWorkflows(t *testing.T) {
	dir, port, tport := t.TempDir(), freePort(t), freePort(t)
	p := startDev(t, dir, port, tport, true)
	tok := p.login(t, "supervisor", demoPassword)
	var list struct {
		Items []struct {
			ID     uint64
			Status string
		}
	}
	if p.get(t, tok, "/api/v1/items", &list) != 200 || len(list.Items) != 6 {
		t.Fatalf("demo items: %+v", list)
	}
	p.stop(t)

	p2 := startDev(t, dir, port, tport, false)
	defer p2.stop(t)
	tok2 := p2.login(t, "supervisor", demoPassword)
	var again struct {
		Items []struct{ ID uint64 }
	}
	if p2.get(t, tok2, "/api/v1/items", &again) != 200 || len(again.Items) != 6 {
		t.Fatalf("items after restart: %+v", again)
	}
	// The item page asks the workflow for what only it knows (pending reviews): null when
	// the workflow does not answer, a list once it does.
	var item struct {
		ID      uint64
		Status  string
		Pending *[]struct{} `json:"pending"`
	}
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(time.Second) {
		p2.get(t, tok2, fmt.Sprintf("/api/v1/items/%d", again.Items[0].ID), &item)
		if item.Pending != nil {
			break
		}
	}
	if item.Pending == nil || item.ID != again.Items[0].ID {
		t.Errorf("the item's workflow does not answer after restart: %+v", item)
	}
	if p2.login(t, "admin", "admin-pass-1") == "" {
		t.Error("admin lost")
	}
}

func TestImportDryRunJSON(t *testing.T) {
	dir := t.TempDir()
	plan := filepath.Join(dir, "plan.txt")
	_ = os.WriteFile(plan, []byte("测试市人民政府\n2026年1月5日\n一、重点任务\n1.新增PCT国际申请20件以上。\n牵头单位:市甲局\n配合单位:市乙局、市丙局\n"), 0o600)
	news := filepath.Join(dir, "news.txt")
	_ = os.WriteFile(news, []byte("本市知识产权工作取得新进展。\n全年专利授权量大幅增长。\n"), 0o600)
	code, out := run(t, nil, "import", "--dry-run", "--json", plan)
	var res struct {
		Items []struct {
			Ref      string   `json:"ref"`
			Lead     []string `json:"lead"`
			Partners []string `json:"partners"`
		} `json:"items"`
	}
	if err := json.Unmarshal([]byte(out), &res); code != 0 || err != nil || len(res.Items) != 1 || res.Items[0].Lead[0] != "市甲局" || len(res.Items[0].Partners) != 2 {
		t.Fatalf("import --dry-run --json: exit %d err %v\n%s", code, err, out)
	}
	if code, out := run(t, nil, "import", "--dry-run", news); code != 2 || !strings.Contains(out, "no responsibility list") {
		t.Errorf("a document without a list must exit 2 with the reason: %d\n%s", code, out)
	}
}

func TestMigrateDryRunPrintsSQLAndChangesNothing(t *testing.T) {
	db := filepath.Join(t.TempDir(), "fresh.db")
	env := []string{"DUBAN_DATABASE_DSN=" + db}
	code, out := run(t, env, "migrate", "--dry-run")
	if code != 0 || !strings.Contains(out, "CREATE TABLE `items`") || !strings.Contains(out, "-- migration 2 plan supervisors") {
		t.Fatalf("dry run: %d\n%s", code, out)
	}
	if sqldb, err := sql.Open("sqlite", db); err == nil {
		var n int
		_ = sqldb.QueryRow("SELECT count(*) FROM sqlite_master WHERE type = 'table'").Scan(&n)
		sqldb.Close()
		if n != 0 {
			t.Errorf("the dry run created %d tables", n)
		}
	}
	if code, out := run(t, env, "migrate"); code != 0 || !strings.Contains(out, fmt.Sprintf("schema at version %d", store.LatestSchemaVersion())) {
		t.Fatalf("migrate: %d %s", code, out)
	}
	if code, out := run(t, env, "migrate", "--dry-run"); code != 0 || strings.Contains(out, "CREATE TABLE") {
		t.Errorf("nothing is pending after migrate: %s", out)
	}
	// A database at version 5 without one of migration 6's indexes: the dry run prints the
	// missing CREATE INDEX only, and still changes nothing.
	sqldb, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	defer sqldb.Close()
	if _, err := sqldb.Exec("DROP INDEX idx_items_status_id; DELETE FROM schema_versions WHERE version = 6"); err != nil {
		t.Fatal(err)
	}
	code, out = run(t, env, "migrate", "--dry-run")
	if code != 0 || !strings.Contains(out, "CREATE INDEX `idx_items_status_id`") || strings.Contains(out, "idx_assign_dept_role") {
		t.Errorf("dry run of migration 6 on a database without idx_items_status_id: %d\n%s", code, out)
	}
	var n int
	_ = sqldb.QueryRow("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'idx_items_status_id'").Scan(&n)
	if n != 0 {
		t.Error("the dry run created the index")
	}
}
