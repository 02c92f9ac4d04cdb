package api

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/dubanhq/duban/auth"
	"github.com/dubanhq/duban/calendar"
	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/store"
	"github.com/dubanhq/duban/store/storetest"
)

// TestRepeatedRequestIDAuditsEveryAction sends two actions under one X-Request-ID: both are
// audited, each recording the client's ID, since the dedupe key is the server's own.
func TestRepeatedRequestIDAuditsEveryAction(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	admin := f.login("admin")
	for _, name := range []string{"市丁局", "市戊局"} {
		if r := f.do("POST", "/api/v1/departments", admin, map[string]any{"name": name}, "X-Request-ID", "same-id"); r.status != 201 {
			t.Fatalf("create %s: %d %s", name, r.status, r.raw)
		}
	}
	r := f.do("GET", "/api/v1/audit", admin, nil)
	n := 0
	for _, e := range r.list {
		if m := e.(map[string]any); m["type"] == "department_created" && m["request_id"] == "same-id" {
			n++
		}
	}
	if n != 2 {
		t.Errorf("department_created rows with request id same-id: %d, want 2: %s", n, r.raw)
	}
}

// newFixtureWith is newFixture with extra dependencies set.
func newFixtureWith(t *testing.T, set func(*Deps)) *fixture {
	st := storetest.SQLite(t)
	deptA, deptB, _ := seedPeople(t, st)
	cal, err := calendar.New()
	if err != nil {
		t.Fatal(err)
	}
	d := Deps{Store: st, Calendar: cal, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	set(&d)
	f := &fixture{t: t, st: st, srv: httptest.NewServer(New(d)), deptA: deptA, deptB: deptB}
	t.Cleanup(f.srv.Close)
	return f
}

// TestForgedForwardedForIsIgnored: from a peer that is not a trusted proxy, X-Forwarded-For
// changes neither the address the login limit counts nor the one the audit log records;
// from a trusted proxy it names the client.
func TestForgedForwardedForIsIgnored(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	for i := 0; i < 5; i++ {
		f.do("POST", "/api/v1/auth/login", "", map[string]string{"username": "sup", "password": "guess-guess"},
			"X-Forwarded-For", fmt.Sprintf("203.0.113.%d", i), "X-Real-IP", fmt.Sprintf("198.51.100.%d", i))
	}
	if r := f.do("POST", "/api/v1/auth/login", "", map[string]string{"username": "sup", "password": "password-1"},
		"X-Forwarded-For", "203.0.113.99", "X-Real-IP", "198.51.100.99"); r.status != 429 {
		t.Errorf("sixth attempt under a new forged address: %d, want 429", r.status)
	}
	admin := f.login("admin")
	f.do("POST", "/api/v1/departments", admin, map[string]any{"name": "市丁局"}, "X-Forwarded-For", "203.0.113.7")
	if ip := auditIP(t, f, admin, "department_created"); ip != "127.0.0.1" {
		t.Errorf("audited address with a forged header: %q, want the peer 127.0.0.1", ip)
	}

	_, loop, _ := net.ParseCIDR("127.0.0.0/8")
	g := newFixtureWith(t, func(d *Deps) { d.TrustedProxies = []*net.IPNet{loop} })
	for i := 0; i < 5; i++ {
		g.do("POST", "/api/v1/auth/login", "", map[string]string{"username": "sup", "password": "guess-guess"}, "X-Forwarded-For", "203.0.113.1")
	}
	if r := g.do("POST", "/api/v1/auth/login", "", map[string]string{"username": "sup", "password": "password-1"}, "X-Forwarded-For", "203.0.113.2"); r.status != 200 {
		t.Errorf("another client behind the trusted proxy: %d, want 200", r.status)
	}
	admin = g.login("admin")
	g.do("POST", "/api/v1/departments", admin, map[string]any{"name": "市丁局"}, "X-Forwarded-For", "198.51.100.1, 203.0.113.7")
	if ip := auditIP(t, g, admin, "department_created"); ip != "203.0.113.7" {
		t.Errorf("audited address behind a trusted proxy: %q, want 203.0.113.7", ip)
	}
}

func auditIP(t *testing.T, f *fixture, tok, typ string) string {
	t.Helper()
	for _, e := range f.do("GET", "/api/v1/audit", tok, nil).list {
		if m := e.(map[string]any); m["type"] == typ {
			ip, _ := m["source_ip"].(string)
			return ip
		}
	}
	t.Fatalf("no %s in the audit log", typ)
	return ""
}

// TestBodyLimitOnEveryRoute: a body over the global cap is 413 on any route, announced or
// not (chunked).
func TestBodyLimitOnEveryRoute(t *testing.T) {
	f := newFixtureWith(t, func(d *Deps) { d.MaxBody = 1000 })
	admin := f.login("admin")
	big := `{"name":"` + strings.Repeat("丙", 600) + `"}`
	if r := f.do("POST", "/api/v1/departments", admin, big); r.status != 413 {
		t.Errorf("announced body over the cap: %d, want 413", r.status)
	}
	req, _ := http.NewRequest("POST", f.srv.URL+"/api/v1/departments", io.MultiReader(strings.NewReader(big)))
	req.Header.Set("Authorization", "Bearer "+admin)
	req.Header.Set("Content-Type", "application/json")
	req.ContentLength = -1 // chunked
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 413 {
		t.Errorf("chunked body over the cap: %d, want 413", res.StatusCode)
	}
}

// TestSecurityHeaders: the UI and the API answer with the strict CSP, no framing, no
// sniffing and a same-origin referrer policy; the UI's HTML has no inline script or event
// handler attribute (which the CSP would block).
func TestSecurityHeaders(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	for _, path := range []string{"/", "/items/1", "/ui/app.js", "/ui/style.css", "/api/v1/auth/me", "/healthz", "/api/v1/nothing"} {
		res, err := http.Get(f.srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		h := res.Header
		csp := h.Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'self'", "script-src 'self'", "frame-ancestors 'none'", "object-src 'none'", "base-uri 'self'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s: CSP %q lacks %s", path, csp, want)
			}
		}
		if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
			t.Errorf("%s: CSP allows inline code: %q", path, csp)
		}
		if h.Get("X-Frame-Options") != "DENY" || h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") != "same-origin" {
			t.Errorf("%s: headers %v", path, h)
		}
	}
	html, err := os.ReadFile("../web/static/index.html")
	if err != nil {
		t.Fatal(err)
	}
	if m := regexp.MustCompile(`(?i)<script[^>]*>[^<]+</script>|<script(\s[^>]*)?>\s*$|\son[a-z]+\s*=|<style|\sstyle\s*=|javascript:`).Find(html); m != nil {
		t.Errorf("index.html has inline code or style the CSP blocks: %q", m)
	}
}

// TestTemplateDoSRefused: an edit or preview whose template would loop without end or
// write without bound is a 422 on text naming the problem, answered at once.
func TestTemplateDoSRefused(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	sup := f.login("sup")
	loop := "标题\n{{range 10000}}{{range 1000}}{{range 1000}}x{{end}}{{end}}{{end}}"
	huge := "标题\n{{range .Items}}{{range $.Items}}{{printf \"%0900000d\" 1}}{{end}}{{end}}"
	for _, c := range []struct{ text, zh, en string }{
		{loop, "{{range}} 只能遍历数据中的列表", "may only go over a list"},
		{huge, "输出超过 64 KB", "longer than 64 KB"},
	} {
		start := time.Now()
		r := f.do("PUT", "/api/v1/message-templates/reminder/zh-CN", sup, map[string]string{"text": c.text})
		if r.status != 422 || r.body["field"] != "text" || !strings.Contains(jsonStr(r.body["detail"]), c.zh) {
			t.Errorf("PUT %.30q: %d %s", c.text, r.status, r.raw)
		}
		r = f.do("POST", "/api/v1/message-templates/preview", sup, map[string]string{"kind": "reminder", "lang": "zh-CN", "text": c.text}, "Accept-Language", "en")
		if r.status != 422 || r.body["field"] != "text" || !strings.Contains(jsonStr(r.body["detail"]), c.en) {
			t.Errorf("preview %.30q: %d %s", c.text, r.status, r.raw)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%.30q refused after %v", c.text, d)
		}
	}
}

func jsonStr(v any) string { s, _ := v.(string); return s }

// TestPlanTakeoverRefused: a supervisor cannot appoint themselves to a plan that lists no
// supervisors; an admin can, and then that supervisor adds and removes others, each change
// audited.
func TestPlanTakeoverRefused(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	ctx := context.Background()
	plan, _, err := f.st.CreatePlan(ctx, &store.Plan{SourceHash: "takeover", Title: "方案", PolicyJSON: "{}"},
		[]domain.Item{storetest.Item("", "任务", []uint64{f.deptA})})
	if err != nil {
		t.Fatal(err)
	}
	hash, _ := auth.HashPassword("password-1")
	sup2 := store.User{Username: "sup2", DisplayName: "sup2", Role: "supervisor", PasswordHash: hash}
	if err := f.st.CreateUser(ctx, &sup2); err != nil {
		t.Fatal(err)
	}
	me := f.do("GET", "/api/v1/auth/me", f.login("sup"), nil).body["id"]
	sup, admin := f.login("sup"), f.login("admin")
	path := fmt.Sprintf("/api/v1/plans/%d/supervisors", plan.ID)
	if r := f.do("POST", path, sup, map[string]any{"user_id": me}); r.status != 403 {
		t.Fatalf("a supervisor taking over a plan with no supervisors: %d %s", r.status, r.raw)
	}
	if r := f.do("POST", path, admin, map[string]any{"user_id": me}); r.status != 201 || r.body["username"] != "sup" {
		t.Fatalf("admin appointing sup: %d %s", r.status, r.raw)
	}
	if r := f.do("POST", path, sup, map[string]any{"user_id": sup2.ID}); r.status != 201 {
		t.Fatalf("a listed supervisor adding another: %d %s", r.status, r.raw)
	}
	sup2tok := f.login("sup2")
	if r := f.do("DELETE", fmt.Sprintf("%s/%v", path, jsonNum(me)), sup2tok, nil); r.status != 204 {
		t.Fatalf("a listed supervisor removing another: %d %s", r.status, r.raw)
	}
	if r := f.do("DELETE", fmt.Sprintf("%s/%d", path, sup2.ID), sup, nil); r.status != 403 {
		t.Errorf("a supervisor no longer listed removing one: %d %s", r.status, r.raw)
	}
	if r := f.do("GET", path, sup, nil); r.status != 200 || len(r.list) != 1 {
		t.Errorf("supervisors after the removal: %d %s", r.status, r.raw)
	}
	types := map[string]int{}
	for _, e := range f.do("GET", "/api/v1/audit", admin, nil).list {
		types[e.(map[string]any)["type"].(string)]++
	}
	if types["plan_supervisor_added"] != 2 || types["plan_supervisor_removed"] != 1 {
		t.Errorf("audited: %v", types)
	}
}

// TestLedgerFormulaInjection: a title or department name that starts like a formula reaches
// the CSV with a leading ' and the XLSX as a string cell; 序号 stays a number.
func TestLedgerFormulaInjection(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	ctx := context.Background()
	evil := []string{`=HYPERLINK("http://evil.example","x")`, "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1", "\r=1"}
	var items []domain.Item
	for i, title := range evil {
		items = append(items, storetest.Item(fmt.Sprintf("一(%d)", i+1), title, []uint64{f.deptA}))
	}
	if _, _, err := f.st.CreatePlan(ctx, &store.Plan{SourceHash: "inject", Title: "方案"}, items); err != nil {
		t.Fatal(err)
	}
	sup := f.login("sup")
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(f.doRaw("GET", "/api/v1/items/export?format=csv", sup), []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, rec := range recs[1:] {
		seen[rec[2]] = true
		if _, err := strconv.Atoi(rec[0]); err != nil {
			t.Errorf("序号 %q is not a number", rec[0])
		}
	}
	for _, title := range evil {
		if !seen["'"+strings.TrimSpace(title)] && !seen["'"+title] {
			t.Errorf("CSV title %q not neutralised: %v", title, recs)
		}
	}
	x, err := excelize.OpenReader(bytes.NewReader(f.doRaw("GET", "/api/v1/items/export?format=xlsx", sup)))
	if err != nil {
		t.Fatal(err)
	}
	for row := 2; row <= len(evil)+1; row++ {
		cell := fmt.Sprintf("C%d", row)
		if fm, _ := x.GetCellFormula("台账", cell); fm != "" {
			t.Errorf("%s is a formula: %q", cell, fm)
		}
		if typ, _ := x.GetCellType("台账", cell); typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString {
			t.Errorf("%s is stored as %v, not a string", cell, typ)
		}
	}
	if typ, _ := x.GetCellType("台账", "A2"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("序号 is stored as %v, not a number", typ)
	}
}

func TestCSVText(t *testing.T) {
	for in, want := range map[string]string{"=1+1": "'=1+1", "+86": "'+86", "-5": "'-5", "@x": "'@x", "\tx": "'\tx", "\rx": "'\rx",
		"市甲局": "市甲局", "": "", "1-2": "1-2", "a=b": "a=b"} {
		if got := csvText(in); got != want {
			t.Errorf("csvText(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestReportAttachmentsAreOwnFiles: a report may list only files its own department (or the
// caller) uploaded, with the server's name, size and digest whatever the client claims;
// pages, scripts and files whose content belies their name are refused at upload, and a
// download is never rendered.
func TestReportAttachmentsAreOwnFiles(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	ctx := context.Background()
	if _, _, err := f.st.CreatePlan(ctx, &store.Plan{SourceHash: "att", Title: "方案"},
		[]domain.Item{storetest.Item("", "任务", []uint64{f.deptA}, f.deptB)}); err != nil {
		t.Fatal(err)
	}
	la, lb := f.login("la"), f.login("lb")
	up := f.upload(la, "统计表.pdf", []byte("%PDF-1.4 甲局的文件"))
	if up.status != 201 {
		t.Fatalf("upload: %d %s", up.status, up.raw)
	}
	url := up.body["url"].(string)
	report := func(tok string) resp {
		return f.do("POST", "/api/v1/items/1/reports", tok, map[string]any{"text": "进展",
			"attachments": []map[string]any{{"name": "伪造.pdf", "size": 1, "url": url}}})
	}
	if r := report(lb); r.status != 422 || r.body["field"] != "attachments[0].url" {
		t.Errorf("B's report citing A's file: %d %s", r.status, r.raw)
	}
	if r := report(la); r.status != 409 { // passes validation; the item is not launched here
		t.Errorf("A's report citing its own file: %d %s", r.status, r.raw)
	}
	// The metadata sent on is the store's.
	p := &Principal{UserID: 0, DepartmentID: f.deptA}
	list := []domain.Attachment{{Name: "伪造.exe", Size: 1 << 40, SHA256: "00", URL: url}}
	c := f.srv.Config.Handler.(*Server).Echo.NewContext(httptest.NewRequest("POST", "/", nil), httptest.NewRecorder())
	if err := f.srv.Config.Handler.(*Server).ownAttachments(c, p, list); err != nil {
		t.Fatal(err)
	}
	if list[0].Name != "统计表.pdf" || list[0].Size != int64(len("%PDF-1.4 甲局的文件")) || list[0].SHA256 != up.body["sha256"] {
		t.Errorf("attachment metadata from the client: %+v", list[0])
	}
	for name, data := range map[string]string{"页面.html": "<p>x</p>", "报告.pdf": "<html><script>alert(1)</script></html>",
		"图.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>", "工具.exe": "MZ\x90\x00", "照片.png": "not a png"} {
		if r := f.upload(la, name, []byte(data)); r.status != 422 || r.body["field"] != "file" {
			t.Errorf("upload %s: %d %s", name, r.status, r.raw)
		}
	}
	get := f.do("GET", url, la, nil)
	if get.header.Get("Content-Type") != "application/octet-stream" || !strings.HasPrefix(get.header.Get("Content-Disposition"), "attachment;") ||
		get.header.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(get.header.Get("Content-Security-Policy"), "sandbox") {
		t.Errorf("download headers: %v", get.header)
	}
}
