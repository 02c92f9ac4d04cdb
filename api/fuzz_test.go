package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"mime/multipart"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/dubanhq/duban/domain"
)

// Fuzz targets for every JSON request body, one per family of routes. Each takes a route
// index, a content-type index and a body; the invariants are in checkAnswer (no 500, 503
// only where Temporal would be needed, refusals are problem+json naming the problem,
// answers match the OpenAPI document, markup never reaches a JSON body unescaped), plus:
// a refused request leaves the database as it was, and a body of the wrong content type is
// a 415. Seeds are valid bodies carrying lines of the seed documents and nasty strings.
// Run one: go test -run '^$' -fuzz '^FuzzItemActionBodies$' -fuzztime 30s ./api/ (.ci/fuzz
// runs them all briefly).

// fuzzRoute is a route with a valid body; "@T@" marks where text goes.
type fuzzRoute struct {
	method, path, user string
	template           string
	reads              bool // the handler reads the body, so a wrong content type is a 415
	temporal           bool // passing validation needs Temporal: 503 in this fixture
	multipart          bool // multipart/form-data is also accepted
}

// contentTypes are chosen by index; from wrongType on they are not JSON.
var contentTypes = []string{"application/json", "application/json; charset=utf-8", "",
	"text/plain", "application/x-www-form-urlencoded", "application/json; charset=gbk", "multipart/form-data; boundary=x"}

const wrongType = 3

func fuzzBodies(f *testing.F, routes []fuzzRoute) {
	st, path := sqliteStore(f)
	env := newInputEnv(f, st, path)
	for i, r := range routes {
		f.Add(uint8(i), uint8(0), fill(r.template, "市科技局"))
		f.Add(uint8(i), uint8(1), fill(r.template, "新增PCT国际申请20件以上"))
		f.Add(uint8(i), uint8(wrongType+i%(len(contentTypes)-wrongType)), fill(r.template, "x"))
		f.Add(uint8(i), uint8(0), []byte(`{"`))
		f.Add(uint8(i), uint8(0), []byte(`{} {}`))
		f.Add(uint8(i), uint8(0), []byte(`[]`))
	}
	for i, s := range append(seedTexts(f), nasty...) {
		f.Add(uint8(i%len(routes)), uint8(0), fill(routes[i%len(routes)].template, s))
	}
	f.Fuzz(func(t *testing.T, route, ctype uint8, body []byte) {
		r := routes[int(route)%len(routes)]
		ct := contentTypes[int(ctype)%len(contentTypes)]
		before := env.settled(t)
		got := env.send(t, r.method, r.path, r.user, ct, body)
		what := fmt.Sprintf("%s %s as %q: %.200q", r.method, r.path, ct, body)
		checkAnswer(t, what, got, r.temporal)
		if after := env.fingerprint(t); got.status >= 400 && after != before {
			t.Fatalf("%s: refused with %d but the database changed", what, got.status)
		}
		wrong := int(ctype)%len(contentTypes) >= wrongType && !(r.multipart && strings.HasPrefix(ct, "multipart/"))
		if wrong && r.reads && len(body) > 0 && got.status != 415 {
			t.Fatalf("%s: %d, want 415 for the content type", what, got.status)
		}
	})
}

// FuzzAuthBodies: sign-in and API tokens.
func FuzzAuthBodies(f *testing.F) {
	fuzzBodies(f, []fuzzRoute{
		{method: "POST", path: "/api/v1/auth/login", template: `{"username":"@T@","password":"password-1"}`, reads: true},
		{method: "POST", path: "/api/v1/auth/tokens", user: "sup", template: `{"name":"@T@","expires_in":"720h"}`, reads: true},
	})
}

// FuzzAdminBodies: users, departments, department groups and plan supervisors.
func FuzzAdminBodies(f *testing.F) {
	fuzzBodies(f, []fuzzRoute{
		{method: "POST", path: "/api/v1/users", user: "admin", template: `{"username":"@T@","password":"password-1","role":"viewer","display_name":"@T@"}`, reads: true},
		{method: "POST", path: "/api/v1/departments", user: "admin", template: `{"name":"@T@","aliases":["@T@"],"kind":"@T@"}`, reads: true},
		{method: "POST", path: "/api/v1/department-groups", user: "admin", template: `{"name":"@T@","members":[1,2,1]}`, reads: true},
		{method: "POST", path: "/api/v1/plans/1/supervisors", user: "admin", template: `{"user_id":2}`, reads: true},
	})
}

// FuzzPlanBodies: the policy and the JSON form of an import (the document in "text").
func FuzzPlanBodies(f *testing.F) {
	p := domain.DefaultPolicy()
	p.Ladder[0].Name = "@T@"
	policy, _ := json.Marshal(p)
	routes := []fuzzRoute{
		{method: "PUT", path: "/api/v1/plans/1/policy", user: "admin", template: string(policy), reads: true},
		{method: "POST", path: "/api/v1/plans/import", user: "sup", template: `{"text":"@T@","dry_run":true,"plan":{"title":"@T@"}}`, reads: true, temporal: true, multipart: true},
	}
	for _, doc := range seedDocuments(f) {
		f.Add(uint8(1), uint8(0), fill(routes[1].template, string(doc)))
	}
	fuzzBodies(f, routes)
}

// FuzzCalendarBodies: a year's days and the local overrides.
func FuzzCalendarBodies(f *testing.F) {
	fuzzBodies(f, []fuzzRoute{
		{method: "PUT", path: "/api/v1/calendar/years/2030", user: "admin", template: `{"days":[{"date":"2030-01-01","off":true,"name":"@T@"}]}`, reads: true},
		{method: "PUT", path: "/api/v1/calendar/overrides", user: "admin", template: `{"days":[{"date":"2025-10-09","off":true,"name":"@T@"}]}`, reads: true},
	})
}

// FuzzInboxBodies: marking notifications read and acknowledging an escalation.
func FuzzInboxBodies(f *testing.F) {
	fuzzBodies(f, []fuzzRoute{
		{method: "POST", path: "/api/v1/inbox/read", user: "la", template: `{"ids":[1,2]}`, reads: true},
		{method: "POST", path: "/api/v1/escalations/1/ack", user: "boss", template: `{"note":"@T@"}`},
	})
}

// FuzzNotifyBodies: contact points (a liaison's own, a department's webhook) and message
// templates, whose text is itself a template the server parses.
func FuzzNotifyBodies(f *testing.F) {
	fuzzBodies(f, []fuzzRoute{
		{method: "POST", path: "/api/v1/contact-points", user: "la", template: `{"channel":"wecom","chat_id":"@T@","label":"@T@"}`, reads: true},
		{method: "POST", path: "/api/v1/contact-points", user: "admin", template: `{"department_id":1,"channel":"webhook","address":"https://hooks.example/@T@","secret":"@T@","label":"@T@"}`, reads: true},
		{method: "PUT", path: "/api/v1/message-templates/reminder/zh-CN", user: "sup", template: `{"text":"【催办】{{.Item}} @T@"}`, reads: true},
		{method: "POST", path: "/api/v1/message-templates/preview", user: "sup", template: `{"kind":"reminder","lang":"zh-CN","text":"{{.Item}} @T@"}`, reads: true},
	})
}

// FuzzItemActionBodies: every item action, by the role that may take it, on a running item.
func FuzzItemActionBodies(f *testing.F) {
	const it = "/api/v1/items/1/"
	submit := `{"text":"@T@","indicators":{"件数":3},"attachments":[{"name":"@T@","size":1,"url":"/api/v1/attachments/1"}]}`
	var routes []fuzzRoute
	add := func(path, user, template string) {
		routes = append(routes, fuzzRoute{method: "POST", path: it + path, user: user, template: template, reads: true, temporal: true})
	}
	add("sign", "la", `{}`)
	add("reports", "la", submit)
	add("contributions", "lb", submit)
	add("completion", "la", submit)
	add("reviews", "sup", `{"report_id":1,"decision":"return","comment":"@T@","resubmit_due":"2025-12-01T18:00:00+08:00"}`)
	add("extension-requests", "la", `{"new_due":"2026-01-30T18:00:00+08:00","reason":"@T@"}`)
	add("extension-requests/1/decision", "sup", `{"approve":false,"comment":"@T@"}`)
	add("instructions", "boss", `{"text":"@T@","due":"2025-11-30T18:00:00+08:00"}`)
	add("reassign", "sup", `{"lead":[2],"partners":[1,1],"reason":"@T@"}`)
	add("suspend", "sup", `{"reason":"@T@"}`)
	add("resume", "sup", `{"reason":"@T@"}`)
	add("cancel", "sup", `{"reason":"@T@"}`)
	fuzzBodies(f, routes)
}

// FuzzImportUpload sends a document as a multipart upload, as the import wizard does.
func FuzzImportUpload(f *testing.F) {
	st, path := sqliteStore(f)
	env := newInputEnv(f, st, path)
	docs := seedDocuments(f)
	for _, n := range slices.Sorted(maps.Keys(docs)) {
		f.Add(docs[n], n, true)
	}
	f.Add([]byte("序号,任务,牵头单位\n1,甲,市甲局\n"), "ledger.csv", true)
	f.Add([]byte("一、任务\n1.甲。(市甲局牵头)\n"), "../../etc/passwd", false)
	f.Add([]byte("一、任务\n1.甲\xe4\xb8。\n"), "damaged.txt", true)
	f.Add([]byte("PK\x03\x04garbage"), "plan.docx", true)
	f.Fuzz(func(t *testing.T, data []byte, name string, dryRun bool) {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		_ = mw.WriteField("dry_run", fmt.Sprint(dryRun))
		fw, _ := mw.CreateFormFile("file", name)
		_, _ = fw.Write(data)
		_ = mw.Close()
		before := env.settled(t)
		got := env.send(t, "POST", "/api/v1/plans/import", "sup", mw.FormDataContentType(), body.Bytes())
		what := fmt.Sprintf("import %q (%d bytes, dry run %v)", name, len(data), dryRun)
		checkAnswer(t, what, got, !dryRun)
		if after := env.fingerprint(t); got.status >= 400 && after != before {
			t.Fatalf("%s: refused with %d but the database changed", what, got.status)
		}
	})
}

// FuzzAttachmentName: whatever name a client sends, the kept name is one safe path element.
func FuzzAttachmentName(f *testing.F) {
	for _, s := range append(nasty, "统计表.csv", "../../a.pdf", `C:\x\y.docx`, "..", ".", "a/", strings.Repeat("名", 300)+".xlsx") {
		f.Add(s)
	}
	for _, s := range seedTexts(f) {
		f.Add(s + ".docx")
	}
	f.Fuzz(func(t *testing.T, name string) {
		n := attachmentName(name)
		if n == "" || n == "." || n == ".." || strings.ContainsAny(n, `/\`) || !utf8.ValidString(n) ||
			utf8.RuneCountInString(n) > maxAttachmentName || filepath.Base(n) != n ||
			strings.IndexFunc(n, func(r rune) bool { return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) }) >= 0 {
			t.Fatalf("attachmentName(%q) = %q", name, n)
		}
	})
}
