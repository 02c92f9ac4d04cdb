// Package integration runs Duban end to end on the real in-process Temporal server: the API
// over HTTP, the worker, and the store on SQLite and on MariaDB/MySQL.
package integration

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"
	"google.golang.org/grpc"

	"github.com/dubanhq/duban/activities"
	"github.com/dubanhq/duban/api"
	"github.com/dubanhq/duban/api/apitest"
	"github.com/dubanhq/duban/app"
	"github.com/dubanhq/duban/assess"
	"github.com/dubanhq/duban/auth"
	"github.com/dubanhq/duban/calendar"
	"github.com/dubanhq/duban/config"
	"github.com/dubanhq/duban/delivery"
	"github.com/dubanhq/duban/embedded"
	"github.com/dubanhq/duban/store"
	"github.com/dubanhq/duban/worker"
)

const taskQueue = "duban-it"

// system is one running Duban: embedded Temporal, worker, API.
type system struct {
	t    *testing.T
	srv  *embedded.Server
	tc   client.Client
	st   *store.Store
	cal  *calendar.Calendar
	nt   *delivery.Notifier
	w    sdkworker.Worker
	http *httptest.Server
}

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func start(t *testing.T, st *store.Store) *system {
	t.Helper()
	auth.Cost = 4
	srv, err := embedded.Start(embedded.Options{DBFile: filepath.Join(t.TempDir(), "temporal.db"), Namespace: "duban", SearchAttributes: worker.SearchAttributes, LogLevel: "error"})
	if err != nil {
		t.Fatal(err)
	}
	conn := &app.Conn{}
	tc, err := client.Dial(client.Options{HostPort: srv.HostPort(), Namespace: "duban", Logger: nil,
		ConnectionOptions: client.ConnectionOptions{DialOptions: []grpc.DialOption{conn.DialOption()}}})
	if err != nil {
		t.Fatal(err)
	}
	cal, err := calendar.New()
	if err != nil {
		t.Fatal(err)
	}
	s := &system{t: t, srv: srv, tc: tc, st: st, cal: cal}
	s.nt, err = delivery.NewNotifier(testNotifyConfig(), "")
	if err != nil {
		t.Fatal(err)
	}
	s.startWorker()
	if err := worker.StartDispatcher(context.Background(), tc, taskQueue); err != nil {
		t.Fatal(err)
	}
	a := api.New(api.Deps{Store: st, Temporal: tc, TemporalConn: conn, TaskQueue: taskQueue, Namespace: "duban", Logger: quietLogger(), Calendar: cal, Notify: s.nt})
	s.http = httptest.NewServer(a)
	t.Cleanup(func() {
		s.http.Close()
		s.w.Stop()
		tc.Close()
		_ = srv.Stop() // a second Stop after a test stopped it is harmless
	})
	return s
}

func (s *system) startWorker() {
	s.w = worker.New(s.tc, taskQueue, config.Default().Worker, &activities.Activities{Store: s.st, Calendar: s.cal, Logger: quietLogger(), Notify: s.nt,
		Assess: &assess.Service{Store: s.st, Calendar: s.cal}})
	if err := s.w.Start(); err != nil {
		s.t.Fatal(err)
	}
}

// restartWorker stops the worker and starts a new one, as a deploy or a crash would.
func (s *system) restartWorker() {
	s.w.Stop()
	s.startWorker()
}

// call sends a JSON request (with extra header name/value pairs) and decodes the JSON answer
// into out; it returns the status. Every answer is checked against the OpenAPI document.
func (s *system) call(token, method, path string, body, out any, headers ...string) int {
	s.t.Helper()
	c := apitest.Client{T: s.t, Base: s.http.URL, Doc: api.OpenAPI()}
	r := c.Do(method, path, token, body, headers...)
	if out != nil && len(r.Body) > 0 {
		if err := r.JSON(out); err != nil {
			s.t.Fatalf("%s %s: %d %s", method, path, r.Status, r.Body)
		}
	}
	return r.Status
}

// must is call that fails the test on an unexpected status.
func (s *system) must(want int, token, method, path string, body, out any) {
	s.t.Helper()
	var raw json.RawMessage
	got := s.call(token, method, path, body, &raw)
	if got != want {
		s.t.Fatalf("%s %s: status %d, want %d: %s", method, path, got, want, raw)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			s.t.Fatal(err)
		}
	}
}

func (s *system) login(user, pw string) string {
	var r struct{ Token string }
	s.must(200, "", "POST", "/api/v1/auth/login", map[string]string{"username": user, "password": pw}, &r)
	return r.Token
}

// eventually polls cond until it holds or the deadline passes.
func eventually(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if cond() {
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("timed out after %v waiting for %s", d, what)
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return c
}

func itoa(n uint64) string { return fmt.Sprint(n) }

func jsonUnmarshal(s string, v any) error { return json.Unmarshal([]byte(s), v) }

// noopWorker stands in after a test stopped the real worker itself.
type noopWorker struct{ sdkworker.Worker }

func (noopWorker) Stop() {}

// people creates departments 市甲局 and 市乙局 and users (username → role; liaisons belong
// to 市甲局 unless their name ends in "b"), all with password "password-1".
func (s *system) people(roles map[string]string) (deptA, deptB *store.Department, users map[string]*store.User) {
	s.t.Helper()
	c := ctx(s.t)
	hash, _ := auth.HashPassword("password-1")
	deptA, _ = s.st.CreateDepartment(c, "市甲局", nil, "")
	deptB, _ = s.st.CreateDepartment(c, "市乙局", nil, "")
	users = map[string]*store.User{}
	names := make([]string, 0, len(roles))
	for n := range roles {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		u := &store.User{Username: n, DisplayName: n, Role: roles[n], PasswordHash: hash}
		if u.Role == "liaison" {
			u.DepartmentID = &deptA.ID
			if strings.HasSuffix(n, "b") {
				u.DepartmentID = &deptB.ID
			}
		}
		if err := s.st.CreateUser(c, u); err != nil {
			s.t.Fatal(err)
		}
		users[n] = u
	}
	return deptA, deptB, users
}

// createLiaison adds a liaison of dept (password "password-1") and signs them in.
func (s *system) createLiaison(t *testing.T, username string, dept uint64) string {
	t.Helper()
	hash, _ := auth.HashPassword("password-1")
	if err := s.st.CreateUser(ctx(t), &store.User{Username: username, DisplayName: username, Role: "liaison", DepartmentID: &dept, PasswordHash: hash}); err != nil {
		t.Fatal(err)
	}
	return s.login(username, "password-1")
}

// testNotifyConfig is the default notification setup with the test servers' loopback
// address allowed past the SSRF guard, as an admin would allow an intranet host.
func testNotifyConfig() config.Notify {
	n := config.Default().Notify
	n.AllowedHosts = []string{"127.0.0.1"}
	return n
}
