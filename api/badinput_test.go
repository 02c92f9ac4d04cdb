package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/dubanhq/duban/store"
	"github.com/dubanhq/duban/store/storetest"
)

// stored counts what the API can create, through the store, on either database.
func stored(t *testing.T, st *store.Store) string {
	t.Helper()
	ctx := context.Background()
	us, err1 := st.ListUsers(ctx)
	ds, err2 := st.ListDepartments(ctx)
	gs, err3 := st.ListGroups(ctx)
	ps, err4 := st.ListPlans(ctx)
	es, err5 := st.AuditEvents(ctx, 0, 1000)
	if err := errors.Join(err1, err2, err3, err4, err5); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("users %d departments %d groups %d plans %d events %d", len(us), len(ds), len(gs), len(ps), len(es))
}

// upload builds a multipart body with a file part and form fields.
func upload(field, filename string, data []byte, fields ...string) (string, []byte) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for i := 0; i+1 < len(fields); i += 2 {
		_ = mw.WriteField(fields[i], fields[i+1])
	}
	fw, _ := mw.CreateFormFile(field, filename)
	_, _ = fw.Write(data)
	_ = mw.Close()
	return mw.FormDataContentType(), b.Bytes()
}

func TestOversizedBodiesAre413(t *testing.T) {
	st, path := sqliteStore(t)
	env := newInputEnv(t, st, path)
	big := append(append([]byte(`{"name":"`), bytes.Repeat([]byte("甲"), maxJSONBytes/3+1)...), `"}`...)
	before := stored(t, st)
	for _, c := range []struct{ method, path, user string }{
		{"POST", "/api/v1/auth/login", ""}, {"POST", "/api/v1/departments", "admin"}, {"POST", "/api/v1/users", "admin"},
		{"PUT", "/api/v1/plans/1/policy", "admin"}, {"PUT", "/api/v1/calendar/years/2030", "admin"},
		{"POST", "/api/v1/items/1/reports", "la"}, {"POST", "/api/v1/plans/import", "sup"},
	} {
		r := env.send(t, c.method, c.path, c.user, "application/json", big)
		checkAnswer(t, c.path, r, false)
		if r.status != http.StatusRequestEntityTooLarge || r.body["type"] != "https://duban.dev/problems/too-large" || r.body["detail"] != "the body is larger than 1 MB" {
			t.Errorf("%s %s with a 1 MB+ body: %d %s", c.method, c.path, r.status, r.raw)
		}
	}
	ct, body := upload("file", "big.bin", make([]byte, maxAttachment+2<<20))
	if r := env.send(t, "POST", "/api/v1/attachments", "la", ct, body); r.status != 413 || r.body["field"] != "file" {
		t.Errorf("an upload past the request limit: %d %s", r.status, r.raw)
	}
	ct, body = upload("file", "plan.txt", bytes.Repeat([]byte("一、任务\n"), maxImportBytes/12))
	if r := env.send(t, "POST", "/api/v1/plans/import", "sup", ct, body); r.status != 413 || !strings.Contains(r.body["detail"].(string), "20 MB") {
		t.Errorf("a document past 20 MB: %d %s", r.status, r.raw)
	}
	if after := stored(t, st); after != before {
		t.Errorf("refused bodies stored something: %s, then %s", before, after)
	}
}

func TestWrongContentTypeIs415(t *testing.T) {
	st, path := sqliteStore(t)
	env := newInputEnv(t, st, path)
	before := stored(t, st)
	dept := []byte(`{"name":"市丙局"}`)
	for _, ct := range []string{"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=gbk", "application/jsonx", "application/xml"} {
		for _, c := range []struct{ method, path, user string }{
			{"POST", "/api/v1/departments", "admin"}, {"POST", "/api/v1/auth/login", ""}, {"PUT", "/api/v1/plans/1/policy", "admin"},
			{"PUT", "/api/v1/calendar/overrides", "admin"}, {"POST", "/api/v1/items/1/suspend", "sup"}, {"POST", "/api/v1/inbox/read", "la"},
		} {
			r := env.send(t, c.method, c.path, c.user, ct, dept)
			checkAnswer(t, c.path, r, false)
			if r.status != http.StatusUnsupportedMediaType || r.body["field"] != "Content-Type" || !strings.Contains(r.body["detail"].(string), "application/json") {
				t.Errorf("%s %s as %s: %d %s", c.method, c.path, ct, r.status, r.raw)
			}
		}
	}
	if r := env.send(t, "POST", "/api/v1/plans/import", "sup", "text/plain", []byte("一、任务\n1.甲。")); r.status != 415 {
		t.Errorf("a document pasted as text/plain: %d %s", r.status, r.raw)
	}
	if r := env.send(t, "POST", "/api/v1/attachments", "la", "application/json", []byte(`{"file":"x"}`)); r.status != 415 || !strings.Contains(r.body["detail"].(string), "multipart/form-data") {
		t.Errorf("an attachment sent as JSON: %d %s", r.status, r.raw)
	}
	if after := stored(t, st); after != before {
		t.Errorf("refused bodies stored something: %s, then %s", before, after)
	}
	// JSON with a UTF-8 charset, or (for scripts) no Content-Type at all, is accepted.
	if r := env.send(t, "POST", "/api/v1/departments", "admin", "application/json; charset=UTF-8", dept); r.status != 201 {
		t.Errorf("JSON with charset=UTF-8: %d %s", r.status, r.raw)
	}
	if r := env.send(t, "POST", "/api/v1/departments", "admin", "", []byte(`{"name":"市丁局"}`)); r.status != 201 {
		t.Errorf("JSON without a Content-Type: %d %s", r.status, r.raw)
	}
}

func TestInvalidUTF8NamesTheFieldOrLine(t *testing.T) {
	st, path := sqliteStore(t)
	env := newInputEnv(t, st, path)
	before := stored(t, st)
	for _, c := range []struct {
		path, user, body, field string
	}{
		{"/api/v1/departments", "admin", "{\"name\":\"市\xff局\"}", "name"},
		{"/api/v1/departments", "admin", "{\"name\":\"市丙局\",\"aliases\":[\"丙局\",\"\xe4\xb8\"]}", "aliases[1]"},
		{"/api/v1/users", "admin", "{\"username\":\"x\",\"password\":\"password-1\",\"role\":\"viewer\",\"display_name\":\"\xc0\xaf\"}", "display_name"},
		{"/api/v1/calendar/overrides", "admin", "{\"days\":[{\"date\":\"2025-10-09\",\"off\":true,\"name\":\"假\xed\xa0\x80\"}]}", "days[0].name"},
		{"/api/v1/items/1/reports", "la", "{\"text\":\"完成\xfe\"}", "text"},
		{"/api/v1/items/1/reassign", "sup", "{\"lead\":[1],\"reason\":\"\x80\"}", "reason"},
		{"/api/v1/plans/import", "sup", "{\"text\":\"一、任务\\n1.甲\xff。\",\"dry_run\":true}", "text"},
		{"/api/v1/auth/login", "", "{\"username\":\"sup\xff\",\"password\":\"password-1\"}", "username"},
	} {
		method := "POST"
		if strings.HasPrefix(c.path, "/api/v1/calendar/") {
			method = "PUT"
		}
		r := env.send(t, method, c.path, c.user, "application/json", []byte(c.body))
		checkAnswer(t, c.path, r, false)
		if r.status != 400 || r.body["field"] != c.field || r.body["detail"] != "field "+c.field+" is not valid UTF-8" {
			t.Errorf("%s %q: %d %s, want 400 naming %s", c.path, c.body, r.status, r.raw, c.field)
		}
	}
	// A UTF-8 document with a damaged byte is refused with its line; a GBK one still reads.
	ct, body := upload("file", "plan.txt", []byte("某市方案\n一、任务\n1.甲。(市甲局牵头)\n2.乙\xe5\x8a。\n"), "dry_run", "true")
	if r := env.send(t, "POST", "/api/v1/plans/import", "sup", ct, body); r.status != 400 || r.body["field"] != "file" || r.body["detail"] != "line 4 is not valid UTF-8 or GB18030 text" {
		t.Errorf("damaged UTF-8 upload: %d %s", r.status, r.raw)
	}
	if after := stored(t, st); after != before {
		t.Errorf("refused bodies stored something: %s, then %s", before, after)
	}
	for name, doc := range seedDocuments(t) {
		gbk, err := simplifiedchinese.GB18030.NewEncoder().Bytes(doc)
		if err != nil {
			t.Fatal(err)
		}
		ct, body := upload("file", name, gbk, "dry_run", "true")
		if r := env.send(t, "POST", "/api/v1/plans/import", "sup", ct, body); r.status != 200 && r.status != 422 {
			t.Errorf("%s in GB18030: %d %.300s", name, r.status, r.raw)
		}
	}
}

func TestInvalidUTF8Field(t *testing.T) {
	for raw, want := range map[string]string{
		"\xff":                               "body",
		"{\"a\":1,\"b\":\"\xff\"}":           "b",
		"{\"a\":{\"b\":[1,\"x\",\"\xff\"]}}": "a.b[2]",
		"[{},{\"k\":[{\"n\":\"\xfe\"}]}]":    "[1].k[0].n",
		"{\"\xffkey\":1}":                    "\ufffdkey",
		"{\"a\":[[1],[2]],\"b\":\"\xc0\"}":   "b",
	} {
		if got := invalidUTF8Field([]byte(raw)); got != want {
			t.Errorf("invalidUTF8Field(%q) = %q, want %q", raw, got, want)
		}
	}
}

func TestAttachmentName(t *testing.T) {
	for in, want := range map[string]string{
		"a\x00b.txt": "ab.txt", "\r\n报告.docx": "报告.docx", "x\x1b[31m.txt": "x[31m.txt", "\u202e\u0085x": "x", "invoice\u202etxt.exe": "invoicetxt.exe",
		"dir/\x00": "attachment", "a\xffb": "ab", "C:x": "C:x", `\\server\share\f.xlsx`: "f.xlsx",
	} {
		if got := attachmentName(in); got != want {
			t.Errorf("attachmentName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestAttachmentNamesCannotEscape(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		env := newInputEnv(t, st, "")
		for name, want := range map[string]string{
			"../../etc/passwd": "passwd", `..\..\x`: "x", "/etc/passwd": "passwd", `C:\Windows\win.ini`: "win.ini",
			"..": "attachment", "./": "attachment", "\t报告.docx\t": "报告.docx",
			strings.Repeat("长", 300) + ".pdf": strings.Repeat("长", maxAttachmentName-4) + ".pdf",
		} {
			content := map[string]string{".pdf": "%PDF-1.4 内容", ".docx": "PK\x03\x04 内容"}[path.Ext(want)] // what the name says
			if content == "" {
				content = "内容"
			}
			ct, body := upload("file", name, []byte(content))
			r := env.send(t, "POST", "/api/v1/attachments", "la", ct, body)
			checkAnswer(t, "upload "+name, r, false)
			if r.status != 201 || r.body["name"] != want {
				t.Errorf("upload %q: %d %s, want the name %q", name, r.status, r.raw, want)
				continue
			}
			get := env.send(t, "GET", r.body["url"].(string), "la", "", nil)
			cd := get.header.Get("Content-Disposition")
			if get.status != 200 || strings.ContainsAny(cd, "\"\r\n/\\") || !strings.HasPrefix(cd, "attachment; filename*=UTF-8''") {
				t.Errorf("download of %q: %d Content-Disposition %q", name, get.status, cd)
			}
		}
		// A NUL in the name makes the part no file at all (mime/multipart): refused, not stored.
		ct, body := upload("file", "a\x00b.txt", []byte("内容"))
		if r := env.send(t, "POST", "/api/v1/attachments", "la", ct, body); r.status != 422 || r.body["field"] != "file" {
			t.Errorf("upload with a NUL in the name: %d %s", r.status, r.raw)
		}
		// A report may only link files uploaded here: the UI makes the url a link.
		for _, u := range []string{"javascript:alert(1)", "https://evil.example/x", "/api/v1/attachments/../users", "/api/v1/attachments/1?x"} {
			r := env.sendJSON(t, "POST", "/api/v1/items/1/reports", "la", map[string]any{"text": "进展", "attachments": []map[string]any{{"name": "x", "url": u}}})
			if r.status != 422 || r.body["field"] != "attachments[0].url" {
				t.Errorf("attachment url %q: %d %s", u, r.status, r.raw)
			}
		}
		if r := env.sendJSON(t, "POST", "/api/v1/items/1/reports", "la", map[string]any{"text": "进展", "attachments": []map[string]any{{"name": "x", "url": "/api/v1/attachments/1"}}}); r.status != 503 {
			t.Errorf("a report with an uploaded attachment passes validation (503 without Temporal): %d %s", r.status, r.raw)
		}
	})
}

func TestBodiesRefusedWhole(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		env := newInputEnv(t, st, "")
		before := stored(t, st)
		long := func(n int) string { return strings.Repeat("长", n) }
		for _, c := range []struct {
			method, path, user string
			body               any
			status             int
			field              string
		}{
			{"POST", "/api/v1/users", "admin", map[string]any{"username": "u1", "password": "password-1", "role": "viewer", "display_name": long(129)}, 422, "display_name"},
			{"POST", "/api/v1/departments", "admin", map[string]any{"name": "市丙局", "kind": long(33)}, 422, "kind"},
			{"POST", "/api/v1/departments", "admin", map[string]any{"name": "市丙局", "aliases": []string{"丙", " "}}, 422, "aliases[1]"},
			{"POST", "/api/v1/departments", "admin", map[string]any{"name": "市丙局", "aliases": strings.Split(strings.Repeat("丙,", 51), ",")}, 422, "aliases"},
			{"POST", "/api/v1/department-groups", "admin", map[string]any{"name": long(101), "members": []uint64{1}}, 422, "name"},
			{"PUT", "/api/v1/calendar/overrides", "admin", map[string]any{"days": []map[string]any{{"date": "2025-10-09", "off": true, "name": long(65)}}}, 422, "days[0].name"},
			{"PUT", "/api/v1/calendar/years/2030", "admin", map[string]any{"days": []map[string]any{{"date": "2030-01-01", "off": true, "name": long(65)}}}, 422, "days[0].name"},
			{"PUT", "/api/v1/calendar/years/2030", "admin", map[string]any{}, 422, "days"},
			{"PUT", "/api/v1/calendar/years/2030", "admin", `{"days":[{"date":"2030-01-01","off":true}]} {}`, 400, ""},
			{"PUT", "/api/v1/plans/1/policy", "admin", "", 400, ""},
			{"PUT", "/api/v1/plans/1/policy", "admin", `{"cadence":{"kind":"monthly"}} trailing`, 400, ""},
			{"PUT", "/api/v1/plans/1/policy", "admin", map[string]any{"ladder": []map[string]any{{"level": 1, "name": long(30000)}}}, 422, "policy"},
			{"POST", "/api/v1/inbox/read", "la", map[string]any{"ids": make([]uint64, 40000)}, 422, "ids"},
			{"POST", "/api/v1/plans/import", "sup", map[string]any{"text": "一、任务\n1.甲。", "dry_run": true, "plan": map[string]any{"date": "2025-01-01T00:00"}}, 422, "plan.date"},
			{"POST", "/api/v1/plans/import", "sup", map[string]any{"format": "json", "text": ledgerJSON(long(1025), "1"), "create_departments": true}, 422, "items[0].title"},
			{"POST", "/api/v1/plans/import", "sup", map[string]any{"format": "json", "text": ledgerJSON("甲", strings.Repeat("9", 65)), "create_departments": true}, 422, "items[0].ref"},
			{"POST", "/api/v1/items/1/reviews", "sup", map[string]any{"report_id": 1, "decision": "return", "resubmit_due": "next friday"}, 400, ""},
		} {
			var r reply
			if s, ok := c.body.(string); ok {
				r = env.send(t, c.method, c.path, c.user, "application/json", []byte(s))
			} else {
				r = env.sendJSON(t, c.method, c.path, c.user, c.body)
			}
			checkAnswer(t, c.path, r, false)
			if r.status != c.status || (c.field != "" && r.body["field"] != c.field) {
				t.Errorf("%s %s %.80v: %d %s, want %d naming %q", c.method, c.path, c.body, r.status, r.raw, c.status, c.field)
			}
		}
		if after := stored(t, st); after != before {
			t.Errorf("refused bodies stored something: %s, then %s", before, after)
		}
		// A member listed twice is one membership (it was a 500 from the primary key).
		g := env.sendJSON(t, "POST", "/api/v1/department-groups", "admin", map[string]any{"name": "各局", "members": []uint64{env.deptA, env.deptB, env.deptA}})
		if g.status != 201 || fmt.Sprint(g.body["members"]) != fmt.Sprint([]any{float64(env.deptA), float64(env.deptB)}) {
			t.Errorf("group with a repeated member: %d %s", g.status, g.raw)
		}
	})
}

// ledgerJSON is a one-item JSON ledger, as the import wizard sends back.
func ledgerJSON(title, ref string) string {
	j, _ := json.Marshal(map[string]any{"plan": map[string]any{"title": "测试方案"},
		"items": []map[string]any{{"ref": ref, "title": title, "lead": "市甲局", "deadline": "2030-12-31"}}})
	return string(j)
}

// TestSeedDocumentsImport previews every seed document through the API, as JSON and as an
// upload, to keep the fuzz seeds meaningful.
func TestSeedDocumentsImport(t *testing.T) {
	st, path := sqliteStore(t)
	env := newInputEnv(t, st, path)
	files, _ := filepath.Glob(filepath.Join(seedDir, "[0-9][0-9][0-9]_*.txt"))
	for _, f := range files {
		doc, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		j, _ := json.Marshal(map[string]any{"text": string(doc), "dry_run": true})
		a := env.send(t, "POST", "/api/v1/plans/import", "sup", "application/json", j)
		ct, body := upload("file", filepath.Base(f), doc, "dry_run", "true")
		b := env.send(t, "POST", "/api/v1/plans/import", "sup", ct, body)
		checkAnswer(t, f, a, false)
		checkAnswer(t, f, b, false)
		if a.status != b.status || (a.status != 200 && a.status != 422) {
			t.Errorf("%s: JSON %d, upload %d", filepath.Base(f), a.status, b.status)
		}
	}
}

// TestHandlerPanicIsA500Problem: a bug in one handler answers that request with a 500
// problem (its text kept out of the answer, its stack in the log), and the server goes on.
func TestHandlerPanicIsA500Problem(t *testing.T) {
	st, _ := sqliteStore(t)
	var logged bytes.Buffer
	s := New(Deps{Store: st, Logger: slog.New(slog.NewTextHandler(&logged, nil))})
	s.Echo.GET("/api/v1/panic-probe", func(echo.Context) error { panic("secret-internal-state") })
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest("GET", "/api/v1/panic-probe", nil))
	if rec.Code != 500 || rec.Header().Get("Content-Type") != "application/problem+json" || strings.Contains(rec.Body.String(), "secret") {
		t.Errorf("panic answered %d %q %s", rec.Code, rec.Header().Get("Content-Type"), rec.Body)
	}
	if !strings.Contains(logged.String(), "secret-internal-state") || !strings.Contains(logged.String(), "stack") {
		t.Errorf("the panic is not in the log: %s", logged.String())
	}
	rec = httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest("GET", "/healthz", nil))
	if rec.Code != 200 {
		t.Errorf("after the panic /healthz answered %d", rec.Code)
	}
}
