package main

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	_ "github.com/go-sql-driver/mysql"

	"github.com/dubanhq/duban/config"
	"github.com/dubanhq/duban/store/storetest"
)

// killTestSticky is the sticky timeout of the `duban worker` processes these tests start
// (env can override it). They SIGKILL workers, and the tasks already queued for a killed
// worker wait this long: at the default (2 min, for storms) each kill would add two
// minutes to the suite; what they check (nothing lost, nothing twice) does not depend on it.
const killTestSticky = "DUBAN_WORKER_STICKY_TIMEOUT=30s"

// proc is a background duban process killed at the end of the test.
func proc(t *testing.T, env []string, args ...string) *exec.Cmd {
	cmd := exec.Command(bin, args...)
	cmd.Env = os.Environ()
	if len(args) > 0 && args[0] == "worker" {
		cmd.Env = append(cmd.Env, killTestSticky)
	}
	cmd.Env = append(cmd.Env, env...)
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("duban %s output:\n%s", args[0], out.String())
		}
	})
	return cmd
}

func waitFor(t *testing.T, what string, d time.Duration, ok func() bool) {
	t.Helper()
	for end := time.Now().Add(d); time.Now().Before(end); time.Sleep(300 * time.Millisecond) {
		if ok() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}

// mysqlDatabase creates a fresh MariaDB/MySQL database for the processes under test.
func mysqlDatabase(t *testing.T) string {
	dsn := os.Getenv("DUBAN_TEST_MYSQL_DSN")
	if dsn == "" {
		dsn = storetest.DefaultMySQL
	}
	driver, err := config.MySQLDSN(dsn)
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("mysql", driver)
	if err == nil {
		err = db.Ping()
	}
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("MySQL server needed under CI: %v", err)
		}
		t.Skipf("no MySQL server: %v", err)
	}
	defer db.Close()
	name := fmt.Sprintf("duban_topo_%d", time.Now().UnixNano()%1e9)
	if _, err := db.Exec("CREATE DATABASE " + name + " CHARACTER SET utf8mb4"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if db, err := sql.Open("mysql", driver); err == nil {
			_, _ = db.Exec("DROP DATABASE IF EXISTS " + name)
			_ = db.Close()
		}
	})
	base := dsn[:strings.LastIndex(dsn, "/")]
	return base + "/" + name
}

// TestSeparateProcessesSurviveAWorkerKill runs the production topology on loopback: the
// Temporal server as its own process, two workers and one API process against it and
// MariaDB. One worker is killed (SIGKILL) mid-flight; the other finishes the item.
func TestSeparateProcessesSurviveAWorkerKill(t *testing.T) {
	env, api := topology(t)
	mport := freePort(t)
	w1 := proc(t, append(env, "DUBAN_WORKER_METRICS_ADDR=127.0.0.1:"+freePort(t)), "worker")
	proc(t, append(env, "DUBAN_WORKER_METRICS_ADDR=127.0.0.1:"+mport), "worker")
	proc(t, env, "serve", "--addr", "127.0.0.1:"+api)
	p := waitReady(t, api)
	if code, out := run(t, nil, "healthcheck", p.base+"/readyz"); code != 0 {
		t.Errorf("healthcheck on a ready server: %d %s", code, out)
	}
	if code, _ := run(t, nil, "healthcheck", "http://127.0.0.1:"+freePort(t)+"/readyz"); code == 0 {
		t.Error("healthcheck on nothing must fail")
	}
	admin := p.login(t, "admin", "admin-pass-1")
	var a, b struct{ ID uint64 }
	p.post(t, admin, "/api/v1/departments", `{"name":"市甲局"}`, &a)
	p.post(t, admin, "/api/v1/departments", `{"name":"市乙局"}`, &b)
	p.post(t, admin, "/api/v1/users", `{"username":"sup","password":"password-1","role":"supervisor"}`, nil)
	p.post(t, admin, "/api/v1/users", fmt.Sprintf(`{"username":"la","password":"password-1","role":"liaison","department_id":%d}`, a.ID), nil)
	p.post(t, admin, "/api/v1/users", fmt.Sprintf(`{"username":"lb","password":"password-1","role":"liaison","department_id":%d}`, b.ID), nil)
	sup, la, lb := p.login(t, "sup", "password-1"), p.login(t, "la", "password-1"), p.login(t, "lb", "password-1")
	plan := "一、重点任务\\n1.新增PCT国际申请20件以上。\\n牵头单位:市甲局\\n配合单位:市乙局\\n"
	var launched struct {
		Items []struct{ ID uint64 } `json:"items"`
	}
	p.post(t, sup, "/api/v1/plans/import", `{"text":"`+plan+`","policy":{"sign_within":"1h","cadence":"every 1h","remind_before":["1m"]}}`, &launched)
	item := fmt.Sprintf("/api/v1/items/%d", launched.Items[0].ID)
	p.post(t, la, item+"/sign", `{}`, nil)
	p.post(t, lb, item+"/sign", `{}`, nil)
	var rep struct{ ID uint64 }
	p.post(t, la, item+"/reports", `{"text":"新增PCT申请8件"}`, &rep)

	// A worker dies mid-flight. The item's workflow may be cached on it: its next task waits
	// out the sticky schedule-to-start timeout (killTestSticky) before the survivor replays it, so an
	// action can answer 503 + Retry-After; the client sends it again with the same key, as
	// the web UI does, and it acts once (the events below count each approval once).
	_ = w1.Process.Signal(syscall.SIGKILL)
	p.act(t, sup, item+"/reviews", fmt.Sprintf(`{"report_id":%d,"decision":"approve"}`, rep.ID), nil)
	var done struct{ ID uint64 }
	p.act(t, la, item+"/completion", `{"text":"已完成"}`, &done)
	p.act(t, sup, item+"/reviews", fmt.Sprintf(`{"report_id":%d,"decision":"approve"}`, done.ID), nil)
	waitFor(t, "the item to complete on the surviving worker", 90*time.Second, func() bool {
		var it struct{ Status string }
		p.get(t, sup, item, &it)
		return it.Status == "completed"
	})
	// The surviving worker's metrics show the completion and the Temporal SDK's own series;
	// the API's show request latency.
	wm, am := scrape(t, "http://127.0.0.1:"+mport+"/metrics"), scrape(t, p.base+"/metrics")
	for _, want := range []string{`duban_workflow_events_total{type="completed"} 1`, "temporal_workflow_task_execution_latency"} {
		if !strings.Contains(wm, want) {
			t.Errorf("worker metrics lack %s", want)
		}
	}
	if !strings.Contains(am, `duban_http_request_duration_seconds_count{method="POST",route="/api/v1/items/:id/reviews",status="200"} 2`) {
		t.Errorf("API metrics lack the reviews' latency:\n%.2000s", am)
	}
	var evs []struct{ Type string }
	p.get(t, sup, item+"/events", &evs)
	count := map[string]int{}
	for _, e := range evs {
		count[e.Type]++
	}
	for typ, n := range map[string]int{"assigned": 2, "signed": 2, "report_submitted": 1, "approved": 2, "completion_requested": 1, "completed": 1} {
		if count[typ] != n {
			t.Errorf("%s recorded %d times, want %d: %v", typ, count[typ], n, count)
		}
	}
}

// act posts an action with an Idempotency-Key and, while the API answers 503 with
// Retry-After (accepted, not yet run), sends the same request again.
func (p *devProc) act(t *testing.T, token, path, body string, out any) {
	t.Helper()
	key := fmt.Sprintf("test-%d", time.Now().UnixNano())
	for try := 1; ; try++ {
		req, _ := http.NewRequest("POST", p.base+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Idempotency-Key", key)
		r, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(r.Body)
		r.Body.Close()
		switch {
		case r.StatusCode == 200 || r.StatusCode == 201:
			if out != nil {
				_ = json.Unmarshal(b, out)
			}
			return
		case r.StatusCode == 503 && r.Header.Get("Retry-After") != "" && try < 4:
			t.Logf("POST %s: 503 Retry-After %s, retrying with the same key", path, r.Header.Get("Retry-After"))
			time.Sleep(time.Second)
		default:
			t.Fatalf("POST %s (try %d): %d %s", path, try, r.StatusCode, b)
		}
	}
}

func scrape(t *testing.T, url string) string {
	r, err := http.Get(url)
	if err != nil {
		t.Fatalf("scrape %s: %v", url, err)
	}
	defer r.Body.Close()
	b, _ := io.ReadAll(r.Body)
	return string(b)
}

// topology starts `duban temporal` on its own port, migrates a fresh MariaDB database, and
// returns the environment for worker and serve processes plus a free API port.
func topology(t *testing.T) (env []string, apiPort string) {
	return topologyOn(t, mysqlDatabase(t))
}

// topologyOn is topology against a given database: `duban temporal` on its own port and
// the schema migrated.
func topologyOn(t *testing.T, dsn string) (env []string, apiPort string) {
	tport := freePort(t)
	proc(t, nil, "temporal", "--port", tport, "--data-dir", t.TempDir())
	waitFor(t, "the Temporal server", 60*time.Second, func() bool {
		c, err := net.Dial("tcp", "127.0.0.1:"+tport)
		if err == nil {
			c.Close()
		}
		return err == nil
	})
	env = []string{"DUBAN_DATABASE_DSN=" + dsn, "DUBAN_TEMPORAL_ADDRESS=127.0.0.1:" + tport, "DUBAN_BOOTSTRAP_ADMIN_PASSWORD=admin-pass-1", "DUBAN_LOG_FORMAT=json"}
	if code, out := run(t, env, "migrate"); code != 0 {
		t.Fatalf("migrate: %s", out)
	}
	return env, freePort(t)
}

// waitReady waits for a `duban serve` on port to answer /readyz with 200.
func waitReady(t *testing.T, port string) *devProc {
	p := &devProc{base: "http://127.0.0.1:" + port}
	waitFor(t, "readyz", 60*time.Second, func() bool {
		r, err := http.Get(p.base + "/readyz")
		if err == nil {
			r.Body.Close()
		}
		return err == nil && r.StatusCode == 200
	})
	return p
}
