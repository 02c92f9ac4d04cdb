package api

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/dubanhq/duban/auth"
	"github.com/dubanhq/duban/calendar"
	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/metrics"
	"github.com/dubanhq/duban/store"
	"github.com/dubanhq/duban/store/storetest"
)

// authzWorld holds one of everything a route acts on: departments A and B; plan 1 (items of
// A and B, supervised by sup), plan 2 (an item of B, supervised by sup2) and plan 3 (an item
// of B, no supervisors); an assessment and a draft circular of plans 1 and 2; an attachment
// of each department.
type authzWorld struct {
	*fixture
	users                                     map[string]store.User
	sessions                                  map[string]string
	plans, items, assessments, circulars, att []target
}

// target is one thing a request is sent to: its path parameter, query and body, and the
// scope facts decide reads. A target of no parameter stands for the caller's own things.
type target struct {
	name, param, value, query string
	sub                       string // a sub-task of the item, for {sid}
	body                      any
	on                        Resource
}

func newAuthzWorld(t *testing.T) *authzWorld {
	st := storetest.SQLite(t)
	f := newFixture(t, st)
	cal, err := calendar.New()
	if err != nil {
		t.Fatal(err)
	}
	// The server under test has every optional route (metrics) so that all are declared.
	f.srv = httptest.NewServer(New(Deps{Store: st, Calendar: cal, Metrics: metrics.New(), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}))
	t.Cleanup(f.srv.Close)
	w := &authzWorld{fixture: f, users: map[string]store.User{}, sessions: map[string]string{}}
	ctx := context.Background()
	us, err := st.ListUsers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range us {
		w.users[u.Username] = u
	}
	for _, name := range []string{"sup2", "other"} {
		u := store.User{Username: name, DisplayName: name, Role: map[string]string{"sup2": "supervisor", "other": "viewer"}[name]}
		if err := st.CreateUser(ctx, &u); err != nil {
			t.Fatal(err)
		}
		w.users[name] = u
	}
	for name := range w.users {
		w.sessions[name] = w.session(name)
	}
	a, b := f.deptA, f.deptB
	for i, p := range []struct {
		lead       []uint64
		supervisor string
	}{{[]uint64{a, b}, "sup"}, {[]uint64{b}, "sup2"}, {[]uint64{b}, ""}} {
		var items []domain.Item
		for _, d := range p.lead {
			items = append(items, storetest.Item("", fmt.Sprintf("事项 %d-%d", i+1, d), []uint64{d}))
		}
		plan, _, err := st.CreatePlan(ctx, &store.Plan{SourceHash: fmt.Sprint("authz", i), Title: "方案", PolicyJSON: "{}"}, items)
		if err != nil {
			t.Fatal(err)
		}
		if p.supervisor != "" {
			if err := st.AddPlanSupervisor(ctx, plan.ID, w.users[p.supervisor].ID); err != nil {
				t.Fatal(err)
			}
		}
		name := fmt.Sprintf("plan %d", i+1)
		w.plans = append(w.plans, target{name: name, param: "id", value: fmt.Sprint(plan.ID), on: Resource{Plan: plan.ID}})
		planItems, err := st.PlanItems(ctx, plan.ID) // in the order created: the target is the first
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 { // escalation 1, for the routes that read or acknowledge one
			e := store.Escalation{ItemID: planItems[0].ID, DepartmentID: a, Level: 1, Name: "催办", Reason: "签收逾期", At: time.Now().UTC(), DedupeKey: "authz-e1"}
			if err := st.WriteTransition(ctx, store.TransitionWrite{ItemID: e.ItemID, Escalations: []store.Escalation{e}}); err != nil {
				t.Fatal(err)
			}
		}
		sub, err := st.CreateSubtask(ctx, domain.Subtask{ItemID: planItems[0].ID, Seq: 1, Title: "子任务", DepartmentID: p.lead[0],
			Deadline: time.Now().Add(time.Hour)}, 0)
		if err != nil {
			t.Fatal(err)
		}
		w.items = append(w.items, target{name: "an item of " + map[uint64]string{a: "A", b: "B"}[p.lead[0]] + " on " + name,
			param: "id", value: fmt.Sprint(planItems[0].ID), sub: fmt.Sprint(sub.ID), on: Resource{Departments: p.lead[:1], Plan: plan.ID}})
		if p.supervisor == "" {
			continue
		}
		run := f.do("POST", "/api/v1/plans/"+fmt.Sprint(plan.ID)+"/assessments", w.sessions[p.supervisor], map[string]any{"period": "year", "year": 2025})
		if run.status != 201 {
			t.Fatalf("assessment of %s: %d %v", name, run.status, run.body)
		}
		aid := fmt.Sprint(run.body["id"])
		w.assessments = append(w.assessments, target{name: "the assessment of " + name, param: "aid", value: aid, on: Resource{Plan: plan.ID}})
		draft := f.do("POST", "/api/v1/assessments/"+aid+"/circulars", w.sessions[p.supervisor], nil)
		if draft.status != 201 {
			t.Fatalf("circular of %s: %d %v", name, draft.status, draft.body)
		}
		w.circulars = append(w.circulars, target{name: "the draft circular of " + name, param: "cid", value: fmt.Sprint(draft.body["id"]), on: Resource{Plan: plan.ID}})
	}
	for _, u := range []struct {
		name string
		dept uint64
	}{{"la", a}, {"lb", b}} {
		up := f.upload(w.sessions[u.name], "统计表.csv", []byte("3 件\n"))
		if up.status != 201 {
			t.Fatalf("upload: %d %v", up.status, up.body)
		}
		w.att = append(w.att, target{name: "an attachment of " + u.name + "'s department", param: "aid", value: fmt.Sprint(up.body["id"]), on: Resource{Departments: []uint64{u.dept}}})
	}
	return w
}

// session signs name in without the login route (and its rate limit).
func (w *authzWorld) session(name string) string {
	plain, hash := auth.NewToken()
	exp := time.Now().Add(time.Hour)
	if err := w.st.CreateToken(context.Background(), &store.Token{UserID: w.users[name].ID, Hash: hash, Kind: "session", ExpiresAt: &exp}); err != nil {
		w.t.Fatal(err)
	}
	return plain
}

// targets are what route is sent to on behalf of caller. Contact points and tokens are made
// afresh for each request, since deleting or revoking them is what some routes do.
func (w *authzWorld) targets(route string, caller store.User) []target {
	own := Resource{Owner: caller.ID}
	if caller.DepartmentID != nil {
		own.Departments = []uint64{*caller.DepartmentID}
	}
	switch {
	case strings.Contains(route, "/items/{id}"):
		return w.items
	case strings.Contains(route, "/plans/{id}"):
		return w.plans
	case strings.HasSuffix(route, "/evidence"):
		var out []target
		for _, d := range []struct {
			name string
			id   uint64
		}{{"A", w.deptA}, {"B", w.deptB}} {
			out = append(out, target{name: "the evidence of " + d.name, param: "aid", value: w.assessments[0].value,
				query: fmt.Sprintf("?department_id=%d", d.id), on: Resource{Departments: []uint64{d.id}, Plan: w.assessments[0].on.Plan}})
		}
		return out
	case strings.Contains(route, "/assessments/{aid}"):
		return w.assessments
	case strings.Contains(route, "/attachments/{aid}"):
		return w.att
	case strings.Contains(route, "/circulars/{cid}"):
		return w.circulars
	case strings.Contains(route, "/departments/{id}"):
		return []target{{name: "department A", param: "id", value: fmt.Sprint(w.deptA)}}
	case strings.Contains(route, "/department-groups/{id}"):
		return []target{w.group()}
	case strings.Contains(route, "/contact-points/{cid}"):
		return []target{w.point("their own contact point", caller.ID), w.point("someone else's contact point", w.users["other"].ID),
			w.point("a department's robot", 0)}
	case strings.Contains(route, "/users/{id}"):
		return []target{{name: "another user", param: "id", value: fmt.Sprint(w.users["other"].ID)}}
	case strings.Contains(route, "/auth/tokens/{tid}"):
		return []target{w.token("their own token", caller.ID), w.token("someone else's token", w.users["other"].ID)}
	case route == "POST /api/v1/contact-points":
		return []target{{name: "their own email", body: map[string]any{"channel": "email", "address": "me@example.gov.cn"}, on: own},
			{name: "a department's robot", body: map[string]any{"department_id": w.deptA, "channel": "webhook", "address": "https://example.gov.cn/hook"},
				on: Resource{Departments: []uint64{w.deptA}}}}
	}
	return []target{{name: "their own things", on: own}}
}

func (w *authzWorld) point(name string, owner uint64) target {
	cp := &store.ContactPoint{Channel: "email", Address: "x@example.gov.cn", Enabled: true}
	if owner != 0 {
		cp.UserID = &owner
	} else {
		cp.DepartmentID, cp.Channel, cp.Address = &w.deptA, "webhook", "https://example.gov.cn/hook"
	}
	if err := w.st.SaveContactPoint(context.Background(), cp); err != nil {
		w.t.Fatal(err)
	}
	return target{name: name, param: "cid", value: fmt.Sprint(cp.ID), on: Resource{Owner: owner}}
}

// group is a department group made afresh for each request, since deleting it is what a
// route does.
func (w *authzWorld) group() target {
	g, err := w.st.CreateGroup(context.Background(), fmt.Sprintf("单位组 %d", time.Now().UnixNano()), []uint64{w.deptA})
	if err != nil {
		w.t.Fatal(err)
	}
	return target{name: "a group", param: "id", value: fmt.Sprint(g.ID)}
}

func (w *authzWorld) token(name string, owner uint64) target {
	_, hash := auth.NewToken()
	tok := &store.Token{UserID: owner, Hash: hash, Kind: "api", Name: "target"}
	if err := w.st.CreateToken(context.Background(), tok); err != nil {
		w.t.Fatal(err)
	}
	return target{name: name, param: "tid", value: fmt.Sprint(tok.ID), on: Resource{Owner: owner}}
}

// path fills a route's parameters: the target's, and fixed ones no decision reads.
func (tg target) path(route string) string {
	_, path, _ := strings.Cut(route, " ")
	if tg.param != "" {
		path = strings.Replace(path, "{"+tg.param+"}", tg.value, 1)
	}
	if tg.sub != "" {
		path = strings.Replace(path, "{sid}", tg.sub, 1)
	}
	return strings.NewReplacer("{eid}", "1", "{rid}", "1", "{user_id}", "999999", "{kind}", "reminder", "{lang}", "zh-CN", "{year}", "2025").Replace(path) + tg.query
}

// send sends one request of the sweep: write routes get a body that is not what they want,
// so an allowed request stops at validation instead of changing the world.
func (w *authzWorld) send(method, route string, tg target, token string) int {
	body := tg.body
	if body == nil && method != "GET" && method != "DELETE" {
		body = []any{}
	}
	return w.do(method, tg.path(route), token, body).status
}
