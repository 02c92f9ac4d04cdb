package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/store"
	"github.com/dubanhq/duban/store/storetest"
)

// injections are SQL and HTML that every text field must store verbatim and every answer
// must return JSON-escaped (encoding/json writes < > & as \u003c \u003e \u0026).
var injections = []string{
	"'; DROP TABLE users; --", `" OR 1=1 --`, "1'); DELETE FROM departments; --",
	"<script>alert(1)</script>", `<img src=x onerror=alert(1)>`, `"><svg onload=alert(1)>`,
	"a\x00b", "&lt;b&gt; \u202e甲局", "${jndi:ldap://x}",
}

// strs collects every string in a decoded JSON value.
func strs(v any, into map[string]bool) {
	switch x := v.(type) {
	case string:
		into[x] = true
		var inner any // event payloads and policies may nest JSON in a string
		if json.Unmarshal([]byte(x), &inner) == nil {
			strs(inner, into)
		}
	case []any:
		for _, e := range x {
			strs(e, into)
		}
	case map[string]any:
		for _, e := range x {
			strs(e, into)
		}
	}
}

func TestInjectionIsStoredVerbatimAndShownEscaped(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		env := newInputEnv(t, st, "")
		ctx := context.Background()
		users, _ := st.ListUsers(ctx)
		var laID uint64
		for _, u := range users {
			if u.Username == "la" {
				laID = u.ID
			}
		}
		must := func(r reply, status int, what string) {
			t.Helper()
			checkAnswer(t, what, r, status == 503)
			if r.status != status {
				t.Fatalf("%s: %d %s, want %d", what, r.status, r.raw, status)
			}
		}
		var days []map[string]any
		now := time.Now().UTC()
		named := 0 // injections accepted as names: those without control or bidi characters
		for i, s := range injections {
			// Names of departments, groups and people refuse control and bidi characters
			// (they display other than they read); every other text keeps them verbatim.
			nameStatus := 201
			if domain.HasHiddenChars(s) {
				nameStatus = 422
			} else {
				named++
			}
			must(env.sendJSON(t, "POST", "/api/v1/departments", "admin", map[string]any{"name": s, "aliases": []string{s + "别名"}, "kind": s}), nameStatus, "department "+s)
			must(env.sendJSON(t, "POST", "/api/v1/users", "admin", map[string]any{"username": fmt.Sprintf("u%d", i), "password": "password-1", "role": "viewer", "display_name": s}), nameStatus, "user "+s)
			must(env.sendJSON(t, "POST", "/api/v1/department-groups", "admin", map[string]any{"name": "组" + s, "members": []uint64{env.deptA}}), nameStatus, "group "+s)
			must(env.sendJSON(t, "POST", "/api/v1/auth/tokens", "sup", map[string]any{"name": s}), 201, "token "+s)
			must(env.sendJSON(t, "POST", "/api/v1/contact-points", "la", map[string]any{"channel": "wecom", "chat_id": fmt.Sprint("wx", i), "label": s}), 201, "contact point "+s)
			days = append(days, map[string]any{"date": fmt.Sprintf("2025-10-%02d", 10+i), "off": true, "name": s})
			// Import preview: the document's text and the wizard's title come back escaped.
			prev := env.sendJSON(t, "POST", "/api/v1/plans/import", "sup", map[string]any{"text": "一、任务\n1." + s + "。(市甲局牵头)", "dry_run": true, "plan": map[string]any{"title": s}})
			must(prev, 200, "import preview "+s)
			got := map[string]bool{}
			strs(prev.body, got)
			if !got[s] {
				t.Errorf("import preview lost %q: %s", s, prev.raw)
			}
			// Texts for the workflow pass the API's validation untouched (503: no Temporal here).
			for path, body := range map[string]map[string]any{
				"reports": {"text": s}, "extension-requests": {"new_due": "2026-01-30T18:00:00+08:00", "reason": s},
			} {
				must(env.sendJSON(t, "POST", "/api/v1/items/1/"+path, "la", body), 503, path+" "+s)
			}
			must(env.sendJSON(t, "POST", "/api/v1/items/1/instructions", "boss", map[string]any{"text": s}), 503, "instruction "+s)
			for a, body := range map[string]map[string]any{
				"suspend": {"reason": s}, "cancel": {"reason": s}, "reassign": {"reason": s, "lead": []uint64{env.deptA}},
				"reviews": {"report_id": 1, "decision": "return", "comment": s}, "extension-requests/1/decision": {"approve": false, "comment": s},
			} {
				must(env.sendJSON(t, "POST", "/api/v1/items/1/"+a, "sup", body), 503, a+" "+s)
			}
			// What the workflow's activities write for those texts, written here directly.
			if _, _, err := st.CreatePlan(ctx, &store.Plan{SourceHash: fmt.Sprint("inj", i), Title: s, Issuer: s},
				[]domain.Item{withContent(storetest.Item(s, s, []uint64{env.deptA}), s)}); err != nil {
				t.Fatal(err)
			}
			payload, _ := json.Marshal(map[string]any{"text": s, "comment": s, "reason": s})
			if err := st.WriteTransition(ctx, store.TransitionWrite{ItemID: 1,
				Events:        []store.Event{{ItemID: 1, Type: "report_submitted", Actor: s, Payload: string(payload), At: now, DedupeKey: fmt.Sprint("inj-ev", i)}},
				Escalations:   []store.Escalation{{ItemID: 1, DepartmentID: env.deptA, Level: 1, Name: "催办", Reason: s, DueAt: now, At: now, DedupeKey: fmt.Sprint("inj-esc", i)}},
				Notifications: []store.Notification{{UserID: laID, ItemID: 1, Kind: "reminder", Title: s, Body: s, Channel: "inbox", State: "sent", DedupeKey: fmt.Sprint("inj-n", i), CreatedAt: now}},
			}); err != nil {
				t.Fatal(err)
			}
		}
		must(env.sendJSON(t, "PUT", "/api/v1/calendar/overrides", "admin", map[string]any{"days": days}), 200, "calendar overrides")

		names := map[string]bool{"/api/v1/departments": true, "/api/v1/users": true, "/api/v1/department-groups": true}
		for _, g := range []struct{ path, user, prefix string }{
			{"/api/v1/departments", "admin", ""}, {"/api/v1/users", "admin", ""}, {"/api/v1/department-groups", "admin", "组"},
			{"/api/v1/auth/tokens", "sup", ""}, {"/api/v1/calendar", "admin", ""}, {"/api/v1/plans", "sup", ""}, {"/api/v1/items?limit=100", "sup", ""},
			{"/api/v1/items/1/events", "sup", ""}, {"/api/v1/escalations", "boss", ""}, {"/api/v1/inbox", "la", ""}, {"/api/v1/audit", "sup", ""},
			{"/api/v1/contact-points", "la", ""},
		} {
			r := env.send(t, "GET", g.path, g.user, "", nil)
			must(r, 200, g.path)
			if bytes.ContainsAny(r.raw, "<>") {
				t.Errorf("%s returns markup unescaped", g.path)
			}
			var v any
			_ = json.Unmarshal(r.raw, &v)
			seen := map[string]bool{}
			strs(v, seen)
			for _, s := range injections {
				if names[g.path] && domain.HasHiddenChars(s) {
					continue // refused as a name above
				}
				if !seen[g.prefix+s] {
					t.Errorf("%s did not return %q verbatim", g.path, g.prefix+s)
				}
			}
		}
		// The tables are intact: every row is there and the store still answers.
		us, err1 := st.ListUsers(ctx)
		ds, err2 := st.ListDepartments(ctx)
		ps, err3 := st.ListPlans(ctx)
		if err1 != nil || err2 != nil || err3 != nil || len(us) != 6+named || len(ds) != 2+named || len(ps) != 1+len(injections) {
			t.Errorf("after the injections: %d users, %d departments, %d plans (%v %v %v)", len(us), len(ds), len(ps), err1, err2, err3)
		}
	})
}

func withContent(it domain.Item, content string) domain.Item {
	it.Content = content
	return it
}
