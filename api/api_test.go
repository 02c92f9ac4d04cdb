package api

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/dubanhq/duban/api/apitest"
	"github.com/dubanhq/duban/auth"
	"github.com/dubanhq/duban/calendar"
	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/store"
	"github.com/dubanhq/duban/store/storetest"
)

type fixture struct {
	t     *testing.T
	st    *store.Store
	srv   *httptest.Server
	deptA uint64
	deptB uint64
}

// seedPeople creates the two departments and one user of each role (password "password-1")
// that the API tests act as.
func seedPeople(tb testing.TB, st *store.Store) (deptA, deptB uint64, users []store.User) {
	tb.Helper()
	auth.Cost = 4
	loginLimiter = auth.NewLoginLimiter()
	ctx := context.Background()
	a, err := st.CreateDepartment(ctx, "市甲局", []string{"甲局"}, "")
	if err != nil {
		tb.Fatal(err)
	}
	b, _ := st.CreateDepartment(ctx, "市乙局", nil, "")
	hash, _ := auth.HashPassword("password-1")
	users = []store.User{
		{Username: "admin", Role: "admin"}, {Username: "sup", Role: "supervisor"}, {Username: "boss", Role: "leader"},
		{Username: "la", Role: "liaison", DepartmentID: &a.ID}, {Username: "lb", Role: "liaison", DepartmentID: &b.ID},
		{Username: "view", Role: "viewer"},
	}
	for i := range users {
		users[i].PasswordHash, users[i].DisplayName = hash, users[i].Username
		if err := st.CreateUser(ctx, &users[i]); err != nil {
			tb.Fatal(err)
		}
	}
	return a.ID, b.ID, users
}

func newFixture(t *testing.T, st *store.Store) *fixture {
	deptA, deptB, _ := seedPeople(t, st)
	cal, err := calendar.New()
	if err != nil {
		t.Fatal(err)
	}
	s := New(Deps{Store: st, Calendar: cal, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	f := &fixture{t: t, st: st, srv: httptest.NewServer(s), deptA: deptA, deptB: deptB}
	t.Cleanup(f.srv.Close)
	return f
}

type resp struct {
	status  int
	body    map[string]any
	list    []any
	header  http.Header
	cookies []*http.Cookie
	raw     []byte
}

func (f *fixture) do(method, path, token string, body any, hdr ...string) resp {
	f.t.Helper()
	c := apitest.Client{T: f.t, Base: f.srv.URL, Doc: OpenAPI()}
	r := c.Do(method, path, token, body, hdr...)
	out := resp{status: r.Status, header: r.Header, cookies: r.Cookies, raw: r.Body}
	_ = json.Unmarshal(r.Body, &out.body)
	_ = json.Unmarshal(r.Body, &out.list)
	return out
}

func (f *fixture) login(user string) string {
	r := f.do("POST", "/api/v1/auth/login", "", map[string]string{"username": user, "password": "password-1"})
	if r.status != 200 {
		f.t.Fatalf("login %s: %d %v", user, r.status, r.body)
	}
	return r.body["token"].(string)
}

func TestLoginAndTokens(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		if r := f.do("POST", "/api/v1/auth/login", "", map[string]string{"username": "sup", "password": "nope-nope"}); r.status != 401 {
			t.Errorf("wrong password: %d", r.status)
		}
		unknown := f.do("POST", "/api/v1/auth/login", "", map[string]string{"username": "ghost", "password": "nope-nope"})
		wrong := f.do("POST", "/api/v1/auth/login", "", map[string]string{"username": "sup", "password": "nope-nope"})
		if unknown.status != 401 || unknown.body["detail"] != wrong.body["detail"] {
			t.Errorf("an unknown user must look like a wrong password: %v vs %v", unknown.body, wrong.body)
		}
		tok := f.login("sup")
		if r := f.do("GET", "/api/v1/auth/me", tok, nil); r.status != 200 || r.body["role"] != "supervisor" {
			t.Errorf("me: %d %v", r.status, r.body)
		}
		// An API token for an integration works, and stops working when revoked.
		api := f.do("POST", "/api/v1/auth/tokens", tok, map[string]string{"name": "ledger sync", "expires_in": "720h"})
		if api.status != 201 {
			t.Fatalf("token: %d %v", api.status, api.body)
		}
		secret := api.body["token"].(string)
		if r := f.do("GET", "/api/v1/items", secret, nil); r.status != 200 {
			t.Errorf("API token rejected: %d", r.status)
		}
		if r := f.do("DELETE", "/api/v1/auth/tokens/"+jsonNum(api.body["id"]), tok, nil); r.status != 204 {
			t.Errorf("revoke: %d", r.status)
		}
		if r := f.do("GET", "/api/v1/items", secret, nil); r.status != 401 {
			t.Errorf("revoked token accepted: %d", r.status)
		}
		if r := f.do("POST", "/api/v1/auth/logout", tok, nil); r.status != 204 {
			t.Errorf("logout: %d", r.status)
		}
		if r := f.do("GET", "/api/v1/auth/me", tok, nil); r.status != 401 {
			t.Errorf("token works after logout: %d", r.status)
		}
	})
}

func TestLoginRateLimit(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	for i := 0; i < 5; i++ {
		f.do("POST", "/api/v1/auth/login", "", map[string]string{"username": "sup", "password": "guess-guess"})
	}
	r := f.do("POST", "/api/v1/auth/login", "", map[string]string{"username": "sup", "password": "password-1"})
	if r.status != 429 || r.header.Get("Content-Type") != "application/problem+json" {
		t.Errorf("sixth attempt: %d %v", r.status, r.header)
	}
}

func TestCookieSessionNeedsCSRF(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	r := f.do("POST", "/api/v1/auth/login", "", map[string]string{"username": "admin", "password": "password-1"})
	var session, csrf string
	for _, c := range r.cookies {
		switch c.Name {
		case sessionCookie:
			session = c.Value
			if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode {
				t.Errorf("session cookie must be HttpOnly and SameSite=Lax: %+v", c)
			}
		case csrfCookie:
			csrf = c.Value
		}
	}
	cookie := "duban_session=" + session + "; duban_csrf=" + csrf
	body := map[string]any{"name": "市丙局"}
	if r := f.do("GET", "/api/v1/departments", "", nil, "Cookie", cookie); r.status != 200 {
		t.Errorf("cookie GET: %d", r.status)
	}
	if r := f.do("POST", "/api/v1/departments", "", body, "Cookie", cookie); r.status != 403 {
		t.Errorf("cookie POST without CSRF header: %d, want 403", r.status)
	}
	if r := f.do("POST", "/api/v1/departments", "", body, "Cookie", cookie, "X-CSRF-Token", csrf); r.status != 201 {
		t.Errorf("cookie POST with CSRF header: %d %v", r.status, r.body)
	}
}

func TestErrorClassesAndLanguages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		admin, la := f.login("admin"), f.login("la")
		cases := []struct {
			name   string
			token  string
			body   any
			status int
			field  string
		}{
			{"malformed JSON", admin, `{"username":`, 400, ""},
			{"unknown field", admin, map[string]any{"username": "x", "pasword": "y"}, 400, "pasword"},
			{"unauthenticated", "", map[string]any{}, 401, ""},
			{"liaison creating a user", la, map[string]any{"username": "x", "password": "password-1", "role": "viewer"}, 403, ""},
			{"bad role", admin, map[string]any{"username": "x", "password": "password-1", "role": "mayor"}, 422, "role"},
			{"liaison without department", admin, map[string]any{"username": "x", "password": "password-1", "role": "liaison"}, 422, "department_id"},
			{"short password", admin, map[string]any{"username": "x", "password": "short", "role": "viewer"}, 422, "password"},
			{"duplicate username", admin, map[string]any{"username": "sup", "password": "password-1", "role": "viewer"}, 409, "username"},
		}
		for _, c := range cases {
			r := f.do("POST", "/api/v1/users", c.token, c.body)
			if r.status != c.status || r.header.Get("Content-Type") != "application/problem+json" {
				t.Errorf("%s: %d %s, want %d problem+json", c.name, r.status, r.header.Get("Content-Type"), c.status)
			}
			if c.field != "" && r.body["field"] != c.field {
				t.Errorf("%s: field %v, want %s", c.name, r.body["field"], c.field)
			}
		}
		zh := f.do("POST", "/api/v1/users", admin, map[string]any{"username": "x", "password": "password-1", "role": "mayor"}, "Accept-Language", "zh-CN")
		en := f.do("POST", "/api/v1/users", admin, map[string]any{"username": "x", "password": "password-1", "role": "mayor"}, "Accept-Language", "en-US,en")
		if !strings.Contains(zh.body["detail"].(string), "角色") || !strings.HasPrefix(en.body["detail"].(string), "role must be") {
			t.Errorf("detail by language: zh %q en %q", zh.body["detail"], en.body["detail"])
		}
		ok := f.do("POST", "/api/v1/users", admin, map[string]any{"username": "new", "password": "password-1", "role": "liaison", "department_id": f.deptA, "display_name": "新联络员"})
		if ok.status != 201 || ok.body["password_hash"] != nil || ok.body["role"] != "liaison" {
			t.Errorf("create user: %d %v", ok.status, ok.body)
		}
		dep := f.do("POST", "/api/v1/departments", admin, map[string]any{"name": "市丙局", "aliases": []string{"丙局"}})
		if dep.status != 201 || dep.body["name"] != "市丙局" {
			t.Errorf("create department: %d %v", dep.status, dep.body)
		}
		if r := f.do("POST", "/api/v1/departments", admin, map[string]any{"name": "市丙局"}); r.status != 409 {
			t.Errorf("duplicate department: %d", r.status)
		}
		g := f.do("POST", "/api/v1/department-groups", admin, map[string]any{"name": "各局", "members": []uint64{f.deptA, 999}})
		if g.status != 422 || g.body["field"] != "members" {
			t.Errorf("group with unknown member: %d %v", g.status, g.body)
		}
		if r := f.do("GET", "/api/v1/departments", la, nil); r.status != 200 || len(r.list) != 3 {
			t.Errorf("list departments: %d %v", r.status, r.list)
		}
	})
}

func TestAuthorisationMatrix(t *testing.T) {
	all := []Action{ActManageUsers, ActManageDepartments, ActManageCalendar, ActImportPlan, ActReadPlan, ActReadItem,
		ActActAsDepartment, ActReview, ActInstruct, ActReadEscalations, ActAckEscalation, ActReadAudit}
	allowed := map[domain.Role][]Action{
		domain.RoleAdmin:      {ActManageUsers, ActManageDepartments, ActManageCalendar, ActImportPlan, ActReadPlan, ActReadItem, ActReadEscalations, ActReadAudit},
		domain.RoleSupervisor: {ActImportPlan, ActReadPlan, ActReadItem, ActReview, ActReadEscalations, ActAckEscalation, ActReadAudit},
		domain.RoleLeader:     {ActReadPlan, ActReadItem, ActInstruct, ActReadEscalations, ActAckEscalation, ActReadAudit},
		domain.RoleLiaison:    {ActReadPlan, ActReadItem, ActActAsDepartment},
		domain.RoleViewer:     {ActReadPlan, ActReadItem},
	}
	for role, acts := range allowed {
		p := &Principal{UserID: 1, Role: role, DepartmentID: 7}
		for _, act := range all {
			want := false
			for _, a := range acts {
				want = want || a == act
			}
			own := authorize(p, act, 7, 8) == nil
			other := authorize(p, act, 8, 9) == nil
			if own != want {
				t.Errorf("%s %s on own department: allowed=%v, want %v", role, act, own, want)
			}
			if wantOther := want && (role != domain.RoleLiaison || !departmentScoped[act]); other != wantOther {
				t.Errorf("%s %s on another department: allowed=%v, want %v", role, act, other, wantOther)
			}
		}
	}
	if authorize(nil, ActReadItem) == nil {
		t.Error("anonymous allowed")
	}
}

func TestLiaisonSeesOnlyOwnItems(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ctx := context.Background()
		_, _, err := st.CreatePlan(ctx, &store.Plan{SourceHash: "h", Title: "方案"}, []domain.Item{
			storetest.Item("", "甲的任务", []uint64{f.deptA}),
			storetest.Item("", "乙的任务", []uint64{f.deptB}, f.deptA),
			storetest.Item("", "只有乙", []uint64{f.deptB}),
		})
		if err != nil {
			t.Fatal(err)
		}
		la, sup := f.login("la"), f.login("sup")
		r := f.do("GET", "/api/v1/items", la, nil)
		items := r.body["items"].([]any)
		if r.status != 200 || len(items) != 2 {
			t.Fatalf("liaison A sees %d items, want 2 (lead of one, partner of another)", len(items))
		}
		if r := f.do("GET", "/api/v1/items?role=lead", la, nil); len(r.body["items"].([]any)) != 1 {
			t.Errorf("role=lead filter: %v", r.body)
		}
		if r := f.do("GET", "/api/v1/items/3", la, nil); r.status != 403 {
			t.Errorf("liaison reading another department's item: %d", r.status)
		}
		if r := f.do("GET", "/api/v1/items/3/events", la, nil); r.status != 403 {
			t.Errorf("liaison reading another department's events: %d", r.status)
		}
		if r := f.do("GET", "/api/v1/items?q=只有", sup, nil); len(r.body["items"].([]any)) != 1 {
			t.Errorf("text search: %v", r.body)
		}
		if r := f.do("GET", "/api/v1/items?light=purple", sup, nil); r.status != 422 || r.body["field"] != "light" {
			t.Errorf("bad filter: %d %v", r.status, r.body)
		}
		if r := f.do("GET", "/api/v1/items?limit=2", sup, nil); r.body["next_cursor"] == "" {
			t.Errorf("pagination: %v", r.body)
		} else if r2 := f.do("GET", "/api/v1/items?limit=2&cursor="+r.body["next_cursor"].(string), sup, nil); len(r2.body["items"].([]any)) != 1 {
			t.Errorf("second page: %v", r2.body)
		}
		if r := f.do("POST", "/api/v1/items/1/sign", la, nil); r.status != 409 {
			t.Errorf("acting on an item not yet launched: %d %v", r.status, r.body)
		}
		if r := f.do("GET", "/api/v1/items/999", sup, nil); r.status != 404 {
			t.Errorf("missing item: %d", r.status)
		}
	})
}

func jsonNum(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestAuditLogRecordsActorIPAndRequest(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	admin := f.login("admin")
	f.do("POST", "/api/v1/departments", admin, map[string]any{"name": "市丁局"}, "X-Request-ID", "req-42")
	if r := f.do("GET", "/api/v1/audit", f.login("la"), nil); r.status != 403 {
		t.Errorf("liaison reading the audit log: %d", r.status)
	}
	r := f.do("GET", "/api/v1/audit", f.login("sup"), nil)
	found := false
	for _, e := range r.list {
		m := e.(map[string]any)
		if m["type"] == "department_created" {
			found = m["request_id"] == "req-42" && m["source_ip"] == "127.0.0.1" && m["actor"] == "admin"
		}
	}
	if r.status != 200 || !found {
		t.Errorf("audit entry for the department with actor, IP and request id: %d %v", r.status, r.list)
	}
}

func stringsReader(s string) io.Reader { return strings.NewReader(s) }

func jsonDecode(r io.Reader, v any) error { return json.NewDecoder(r).Decode(v) }

func TestDatabaseDownIs503(t *testing.T) {
	st := storetest.SQLite(t)
	f := newFixture(t, st)
	tok := f.login("sup")
	_ = st.Close()
	r := f.do("GET", "/api/v1/items", tok, nil)
	if r.status != 503 || r.header.Get("Content-Type") != "application/problem+json" {
		t.Errorf("database down: %d %v", r.status, r.body)
	}
	if strings.Contains(fmtAny(r.body), "sql") {
		t.Errorf("SQL text leaked: %v", r.body)
	}
	if h := f.do("GET", "/readyz", "", nil); h.status != 503 || h.body["ready"] != false {
		t.Errorf("readyz with the database down: %d %v", h.status, h.body)
	}
}

func fmtAny(v any) string { b, _ := json.Marshal(v); return string(b) }

func TestListRoutesAndDocument(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	admin := f.login("admin")
	if r := f.do("GET", "/api/openapi.json", "", nil); r.status != 200 || r.body["openapi"] != "3.0.3" {
		t.Errorf("openapi.json: %d", r.status)
	}
	f.do("POST", "/api/v1/auth/tokens", admin, map[string]string{"name": "sync"})
	if r := f.do("GET", "/api/v1/auth/tokens", admin, nil); r.status != 200 || len(r.list) != 1 || r.list[0].(map[string]any)["token"] != nil {
		t.Errorf("token list must not show secrets: %d %v", r.status, r.list)
	}
	if r := f.do("GET", "/api/v1/users", admin, nil); r.status != 200 || len(r.list) != 6 {
		t.Errorf("users: %d %d", r.status, len(r.list))
	}
	if r := f.do("GET", "/api/v1/users", f.login("sup"), nil); r.status != 403 {
		t.Errorf("supervisor listing users: %d", r.status)
	}
	f.do("POST", "/api/v1/department-groups", admin, map[string]any{"name": "各局", "members": []uint64{f.deptA, f.deptB}})
	if r := f.do("GET", "/api/v1/department-groups", admin, nil); r.status != 200 || len(r.list) != 1 {
		t.Errorf("groups: %d %v", r.status, r.list)
	}
}

func TestLedgerExport(t *testing.T) {
	st := storetest.SQLite(t)
	f := newFixture(t, st)
	ctx := context.Background()
	pct := storetest.Item("一(一)1", "新增PCT国际申请20件以上", []uint64{f.deptA}, f.deptB)
	pct.Window.End = time.Date(2026, 6, 30, 0, 0, 0, 0, calendar.Shanghai)
	ongoing := storetest.Item("一(一)2", "乙局牵头的任务", []uint64{f.deptB})
	ongoing.Window.Ongoing = true
	_, _, err := st.CreatePlan(ctx, &store.Plan{SourceHash: "l", Title: "方案"}, []domain.Item{pct, ongoing})
	if err != nil {
		t.Fatal(err)
	}
	sup := f.login("sup")
	xr := f.do("GET", "/api/v1/items/export?format=xlsx", sup, nil)
	if xr.status != 200 {
		t.Fatalf("export: %v", xr.status)
	}
	x, err := excelize.OpenReader(bytes.NewReader(xr.raw))
	if err != nil {
		t.Fatalf("the XLSX does not open: %v", err)
	}
	rows, _ := x.GetRows("台账")
	if len(rows) != 3 || rows[0][0] != "序号" || rows[0][3] != "牵头单位" || rows[1][2] != "新增PCT国际申请20件以上" || rows[1][3] != "市甲局" || rows[1][4] != "市乙局" || rows[1][8] != "未启动" {
		t.Errorf("ledger rows: %v", rows)
	}
	// 完成时限 is the task's own deadline, a date cell shown as 2026年6月30日 (or 持续推进); 序号
	// is a number; the sheet prints A4 landscape with its header on every page.
	if rows[0][5] != "完成时限" || rows[1][5] != "2026年6月30日" || rows[2][5] != "持续推进" {
		t.Errorf("完成时限: %q / %q", rows[1][5], rows[2][5])
	}
	if typ, _ := x.GetCellType("台账", "A2"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("序号 is stored as %v, not a number", typ)
	}
	if v, _ := x.GetCellValue("台账", "A3", excelize.Options{RawCellValue: true}); v != "2" {
		t.Errorf("序号 of the second row: %q", v)
	}
	if lay, err := x.GetPageLayout("台账"); err != nil || lay.Orientation == nil || *lay.Orientation != "landscape" || lay.Size == nil || *lay.Size != 9 {
		t.Errorf("page layout: %+v %v", lay, err)
	}
	if names := x.GetDefinedName(); len(names) == 0 || names[0].Name != "_xlnm.Print_Titles" || !strings.Contains(names[0].RefersTo, "$1:$1") {
		t.Errorf("print titles: %+v", names)
	}
	csvResp := f.do("GET", "/api/v1/items/export?format=csv", f.login("la"), nil)
	if csvResp.status != 200 || !strings.HasPrefix(csvResp.header.Get("Content-Type"), "text/csv") {
		t.Fatalf("csv: %d %v", csvResp.status, csvResp.header)
	}
	raw := f.do("GET", "/api/v1/items/export?format=csv", f.login("lb"), nil).raw
	if !bytes.HasPrefix(raw, []byte("\ufeff序号,编号,任务")) || strings.Count(string(raw), "\n") != 3 {
		t.Errorf("liaison B's CSV must have the header and both items B is on:\n%s", raw)
	}
	// The printed 台账 in the UI reads the same rows as JSON, scoped the same way.
	if j := f.do("GET", "/api/v1/items/export?format=json", f.login("la"), nil); j.status != 200 {
		t.Errorf("json ledger: %d", j.status)
	} else if rs := j.body["rows"].([]any); len(rs) != 1 || rs[0].(map[string]any)["lead"] != "市甲局" || rs[0].(map[string]any)["deadline"] != "2026-06-30" ||
		len(j.body["header"].([]any)) != 11 {
		t.Errorf("liaison A's json ledger: %v", j.body)
	}
	if r := f.do("GET", "/api/v1/items/export?format=pdf", sup, nil); r.status != 422 {
		t.Errorf("unknown format: %d", r.status)
	}
}

func TestCountdownInWorkingDays(t *testing.T) {
	st := storetest.SQLite(t)
	f := newFixture(t, st)
	ctx := context.Background()
	_, _, err := st.CreatePlan(ctx, &store.Plan{SourceHash: "w", Title: "方案"}, []domain.Item{storetest.Item("", "任务", []uint64{f.deptA})})
	if err != nil {
		t.Fatal(err)
	}
	due := time.Date(2025, 2, 7, 23, 59, 59, 0, calendar.Shanghai)
	if err := st.WriteTransition(ctx, store.TransitionWrite{ItemID: 1, Progress: &domain.Progress{Status: domain.StatusActive, Light: domain.Green, NextDue: due}}); err != nil {
		t.Fatal(err)
	}
	cal, _ := calendar.New()
	s := New(Deps{Store: st, Calendar: cal, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now: func() time.Time { return time.Date(2025, 1, 27, 10, 0, 0, 0, calendar.Shanghai) }})
	f.srv.Config.Handler = s
	r := f.do("GET", "/api/v1/items/1", f.login("la"), nil)
	// 28 Jan – 4 Feb is the Spring Festival holiday: 5, 6 and 7 Feb remain.
	if r.status != 200 || r.body["due_workdays"] != float64(3) {
		t.Errorf("due_workdays across Spring Festival: %v", r.body["due_workdays"])
	}
}

func TestOverviewSection(t *testing.T) {
	for ref, want := range map[string]string{"二(三)4": "二", "一1": "一", "十二(一)": "十二", "1-1": "1", "": "—", "7": "7"} {
		if got := section(ref); got != want {
			t.Errorf("section(%q) = %q, want %q", ref, got, want)
		}
	}
}

func (f *fixture) upload(token, name string, data []byte) resp {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", name)
	_, _ = fw.Write(data)
	_ = mw.Close()
	return f.do("POST", "/api/v1/attachments", token, body.Bytes(), "Content-Type", mw.FormDataContentType())
}

func TestAttachments(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	la := f.login("la")
	data := []byte("专利申请统计表\n3 件\n")
	up := f.upload(la, "统计表.csv", data)
	if up.status != 201 || up.body["sha256"] == "" {
		t.Fatalf("upload: %d %v", up.status, up.body)
	}
	url := up.body["url"].(string)
	get := func(tok string) (int, []byte) {
		r := f.do("GET", url, tok, nil)
		return r.status, r.raw
	}
	if code, b := get(la); code != 200 || !bytes.Equal(b, data) {
		t.Errorf("own department download: %d %q", code, b)
	}
	if code, _ := get(f.login("sup")); code != 200 {
		t.Errorf("supervisor download: %d", code)
	}
	if code, _ := get(f.login("lb")); code != 403 {
		t.Errorf("another department's liaison: %d, want 403", code)
	}
	if r := f.upload(la, "../../etc/passwd", []byte("x")); r.status != 201 || r.body["name"] != "passwd" {
		t.Errorf("a path in the file name must be reduced to its last element: %v", r.body)
	}
	if r := f.upload(la, "big.bin", make([]byte, maxAttachment+1)); r.status != 422 {
		t.Errorf("a file over 10 MB: %d", r.status)
	}
	// A supervisor uploads a 督办件's scanned original, which belongs to no department: a
	// liaison reads it only through a 督办件 of theirs that lists it.
	r := f.upload(f.login("sup"), "批示.png", scanPNG)
	if r.status != 201 {
		t.Fatalf("a supervisor's scan: %d %v", r.status, r.body)
	}
	if code, _ := get(f.login("la")); code != 200 {
		t.Errorf("own file after the supervisor's upload: %d", code)
	}
	if r := f.do("GET", r.body["url"].(string), f.login("lb"), nil); r.status != 403 {
		t.Errorf("a liaison reading a scan of no item of theirs: %d, want 403", r.status)
	}
}

// TestSettingsForPrintedForms: the printed 督办单 and 督办通知 are signed by the office, and
// the board's level filter names the rungs as the ladder does.
func TestSettingsForPrintedForms(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	r := f.do("GET", "/api/v1/settings", f.login("la"), nil)
	levels, _ := r.body["levels"].([]any)
	if r.status != 200 || r.body["office"] == "" || len(levels) != 4 || levels[0].(map[string]any)["name"] != "催办" || levels[3].(map[string]any)["name"] != "追究责任" {
		t.Errorf("settings: %d %v", r.status, r.body)
	}
	if r := f.do("GET", "/api/v1/settings", "", nil); r.status != 401 {
		t.Errorf("settings without sign-in: %d", r.status)
	}
}

// scanPNG is the start of a PNG file: enough for the upload's content sniffing to agree with a
// scanned original's .png name.
var scanPNG = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
