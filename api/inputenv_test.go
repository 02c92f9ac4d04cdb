package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dubanhq/duban/api/apitest"
	"github.com/dubanhq/duban/auth"
	"github.com/dubanhq/duban/calendar"
	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/store"
	"github.com/dubanhq/duban/store/storetest"
)

// inputEnv is a server for bad-input tests and fuzz targets: the users of newFixture with a
// session token each, a working-day calendar, and a plan whose first item is running (so an
// item action passes validation and then meets the missing Temporal client: 503). It takes
// testing.TB so a fuzz target can build it once per worker.
type inputEnv struct {
	st    *store.Store
	cal   *calendar.Calendar
	h     http.Handler
	last  string  // the fingerprint after the previous request
	db    *sql.DB // a second handle on the SQLite file, for fingerprint; nil on MySQL
	deptA uint64
	deptB uint64
	tok   map[string]string
}

// newInputEnv builds the environment on st; sqlitePath, when set, is st's file.
func newInputEnv(tb testing.TB, st *store.Store, sqlitePath string) *inputEnv {
	tb.Helper()
	ctx := context.Background()
	deptA, deptB, users := seedPeople(tb, st)
	env := &inputEnv{st: st, deptA: deptA, deptB: deptB, tok: map[string]string{}}
	for _, u := range users {
		plain, h := auth.NewToken()
		exp := time.Now().Add(24 * time.Hour)
		if err := st.CreateToken(ctx, &store.Token{UserID: u.ID, Hash: h, Kind: "session", ExpiresAt: &exp}); err != nil {
			tb.Fatal(err)
		}
		env.tok[u.Username] = plain
	}
	_, _, err := st.CreatePlan(ctx, &store.Plan{SourceHash: "bad-input", Title: "方案", PolicyJSON: "{}"}, []domain.Item{
		storetest.Item("1", "甲的任务", []uint64{deptA}, deptB),
		storetest.Item("2", "乙的任务", []uint64{deptB}),
	})
	if err != nil {
		tb.Fatal(err)
	}
	due := time.Date(2025, 12, 31, 23, 59, 59, 0, calendar.Shanghai)
	if err := st.WriteTransition(ctx, store.TransitionWrite{ItemID: 1, Progress: &domain.Progress{Status: domain.StatusActive, Light: domain.Green, NextDue: due}}); err != nil {
		tb.Fatal(err)
	}
	if env.cal, err = calendar.New(); err != nil {
		tb.Fatal(err)
	}
	s := New(Deps{Store: st, Calendar: env.cal, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	env.h = s
	if sqlitePath != "" {
		if env.db, err = sql.Open("sqlite", sqlitePath); err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(func() { _ = env.db.Close() })
	}
	return env
}

// sqliteStore opens a migrated store on a SQLite file whose path the caller knows.
func sqliteStore(tb testing.TB) (*store.Store, string) {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "duban.db")
	st, err := store.Open(context.Background(), store.Options{Dialect: "sqlite", DSN: path, MaxOpenConns: 4})
	if err != nil {
		tb.Fatal(err)
	}
	if err := st.Migrate(context.Background()); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = st.Close() })
	return st, path
}

// reply is one raw answer.
type reply struct {
	status int
	header http.Header
	raw    []byte
	body   map[string]any
}

// send makes one request, in process, with a raw body and content type ("" sends none) and
// checks the answer against the OpenAPI document.
func (env *inputEnv) send(t *testing.T, method, path, user, ctype string, body []byte, hdr ...string) reply {
	t.Helper()
	req := httptest.NewRequest(method, path, bytes.NewReader(body))
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if user != "" {
		req.Header.Set("Authorization", "Bearer "+env.tok[user])
	}
	req.Header.Set("Accept-Language", "en")
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	env.h.ServeHTTP(rec, req) // a panic answers 500, which checkAnswer fails
	r := rec.Result()
	raw, _ := io.ReadAll(r.Body)
	checkResponse(t, req, r.StatusCode, r.Header, raw)
	if r.StatusCode/100 == 2 {
		apitest.CheckRequest(t, OpenAPI(), req, body)
	}
	out := reply{status: r.StatusCode, header: r.Header, raw: raw}
	_ = json.Unmarshal(raw, &out.body)
	return out
}

// sendJSON marshals v and sends it as application/json.
func (env *inputEnv) sendJSON(t *testing.T, method, path, user string, v any) reply {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return env.send(t, method, path, user, "application/json", b)
}

// checkAnswer holds for every answer: no 500; 503 only where allowed (no Temporal in the
// fixture); a refusal is problem+json whose status matches and whose detail says what is
// wrong; and no '<' or '>' reaches a JSON body unescaped, so stored markup is inert.
func checkAnswer(t *testing.T, what string, r reply, allow503 bool) {
	t.Helper()
	if r.status >= 500 && !(r.status == http.StatusServiceUnavailable && allow503) {
		t.Fatalf("%s: %d %s", what, r.status, r.raw)
	}
	if r.status >= 400 {
		if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
			t.Fatalf("%s: %d with Content-Type %q, want problem+json", what, r.status, ct)
		}
		detail, _ := r.body["detail"].(string)
		if r.body["status"] != float64(r.status) || strings.TrimSpace(detail) == "" || r.body["title"] == "" {
			t.Fatalf("%s: a refusal must name its problem: %d %s", what, r.status, r.raw)
		}
	}
	if bytes.ContainsAny(r.raw, "<>") && strings.Contains(r.header.Get("Content-Type"), "json") {
		t.Fatalf("%s: unescaped markup in a JSON answer: %s", what, r.raw)
	}
}

// mutable are the columns an update (not an insert) can change; with every table's row
// count and highest rowid they make a database fingerprint. tokens.last_used_at is left
// out: authenticating a request records it.
var mutable = []string{
	"SELECT group_concat(id || ':' || ifnull(policy_json, ''), ';') FROM plans",
	"SELECT group_concat(id || ':' || ifnull(read_at, ''), ';') FROM notifications",
	"SELECT group_concat(id || ':' || ifnull(revoked_at, ''), ';') FROM tokens",
	"SELECT group_concat(id || ':' || ifnull(acked_at, ''), ';') FROM escalations",
	"SELECT group_concat(id || ':' || version || status, ';') FROM items",
	"SELECT group_concat(date || source || off || name, ';') FROM calendar_days",
}

// settled returns the fingerprint left by the previous request, so each request costs one.
func (env *inputEnv) settled(t testing.TB) string {
	if env.last == "" {
		env.last = env.fingerprint(t)
	}
	return env.last
}

// fingerprint summarises the SQLite database and the in-memory calendar, and remembers it.
func (env *inputEnv) fingerprint(t testing.TB) string {
	t.Helper()
	h := sha256.New()
	rows, err := env.db.Query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		_ = rows.Scan(&n)
		tables = append(tables, n)
	}
	rows.Close()
	for _, tb := range tables {
		var n, top sql.NullInt64
		if err := env.db.QueryRow(`SELECT count(*), max(rowid) FROM "`+tb+`"`).Scan(&n, &top); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(h, "%s %d %d\n", tb, n.Int64, top.Int64)
	}
	for _, q := range mutable {
		var s sql.NullString
		if err := env.db.QueryRow(q).Scan(&s); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintln(h, s.String)
	}
	fmt.Fprintln(h, env.cal.Years(), env.cal.Overrides())
	env.last = hex.EncodeToString(h.Sum(nil))
	return env.last
}

// nasty are strings every text field must take or refuse cleanly: SQL and HTML injection,
// paths, NUL and control characters, invalid UTF-8 (the seeds write it raw into the JSON),
// bidi overrides, surrogates, very long and empty text.
var nasty = []string{
	"'; DROP TABLE users; --", `" OR 1=1 --`, "1'); DELETE FROM departments; --",
	"<script>alert(1)</script>", `<img src=x onerror=alert(1)>`, `"><svg onload=alert(1)>`, "javascript:alert(1)",
	"../../etc/passwd", `..\..\x`, "/etc/passwd", `C:\Windows\win.ini`, "a\x00b", "\x00",
	"\u202e\u200b\ufeff", "\xff\xfe", "甲\xe4\xb8", "\xed\xa0\x80", "😀🇨🇳", "%s%n%x", "${jndi:ldap://x}",
	strings.Repeat("长", 300), strings.Repeat("a", 70000), "", " ", "\t\r\n",
}

// seedDir is ../shared/seeds relative to the repository root, as in importer/golden_test.go.
const seedDir = "../../shared/seeds"

// seedDocuments returns the seed documents by file name. Under CI=true a missing seed
// fails; elsewhere the fuzz targets run on their other seeds.
func seedDocuments(tb testing.TB) map[string][]byte {
	tb.Helper()
	files, _ := filepath.Glob(filepath.Join(seedDir, "[0-9][0-9][0-9]_*.txt"))
	if len(files) < 5 && os.Getenv("CI") == "true" {
		tb.Fatalf("seed documents missing: want 5 in %s, found %d", seedDir, len(files))
	}
	out := map[string][]byte{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		out[filepath.Base(f)] = b
	}
	return out
}

var reTaskLine = regexp.MustCompile(`^\s*(?:[0-9]+[.、．]|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)`)

// seedTexts takes text fields from the seed documents: each one's title (first line), its
// first numbered task lines and lines naming departments.
func seedTexts(tb testing.TB) []string {
	docs := seedDocuments(tb)
	var out []string
	for _, n := range slices.Sorted(maps.Keys(docs)) {
		title, tasks, depts := false, 0, 0
		for _, l := range strings.Split(string(docs[n]), "\n") {
			l = strings.TrimSpace(l)
			switch {
			case l == "":
			case !title:
				title = true
				out = append(out, l)
			case tasks < 4 && reTaskLine.MatchString(l):
				tasks++
				out = append(out, l)
			case depts < 2 && strings.Contains(l, "单位"):
				depts++
				out = append(out, l)
			}
		}
	}
	return out
}

// fill puts text into a JSON template at every "@T@", escaping quotes, backslashes and
// control characters but leaving any invalid UTF-8 raw, as a careless client would send it.
func fill(template, text string) []byte {
	var b strings.Builder
	for _, c := range []byte(text) {
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 0x20:
			fmt.Fprintf(&b, `\u%04x`, c)
		default:
			b.WriteByte(c)
		}
	}
	return []byte(strings.ReplaceAll(template, "@T@", b.String()))
}
