package integration

import (
	"bytes"
	"mime/multipart"
	"strings"
	"testing"
	"time"

	"github.com/dubanhq/duban/api"
	"github.com/dubanhq/duban/api/apitest"
	"github.com/dubanhq/duban/auth"
	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/store"
	"github.com/dubanhq/duban/store/storetest"
	"github.com/dubanhq/duban/worker"
)

const groupPlan = `测试市人民政府
2026年2月1日
一、重点任务
1.建设知识产权保护中心。(市甲局牵头,各县(区)人民政府按职责分工负责)
2.开展宣传周活动。(市丙局负责)
3.研究制定配套政策。
`

func TestLaunchResolvesDepartmentsAndIsIdempotent(t *testing.T) {
	st := storetest.SQLite(t)
	s := start(t, st)
	c := ctx(t)
	hash, _ := auth.HashPassword("password-1")
	sup := store.User{Username: "sup", Role: "supervisor", PasswordHash: hash, DisplayName: "sup"}
	if err := st.CreateUser(c, &sup); err != nil {
		t.Fatal(err)
	}
	a, _ := st.CreateDepartment(c, "市甲局", nil, "")
	x, _ := st.CreateDepartment(c, "渭滨区人民政府", nil, "county")
	y, _ := st.CreateDepartment(c, "金台区人民政府", nil, "county")
	if _, err := st.CreateGroup(c, "各县(区)人民政府", []uint64{x.ID, y.ID}); err != nil {
		t.Fatal(err)
	}
	tok := s.login("sup", "password-1")

	var problem struct{ Detail, Field string }
	if code := s.call(tok, "POST", "/api/v1/plans/import", map[string]any{"text": groupPlan}, &problem); code != 422 || !strings.Contains(problem.Detail, "市丙局") {
		t.Fatalf("unknown department: %d %+v", code, problem)
	}
	var out struct {
		Items []struct {
			ID       uint64   `json:"id"`
			Groups   []string `json:"groups"`
			Partners []string `json:"partners"`
		} `json:"items"`
		Warnings []struct{ Message string } `json:"warnings"`
		Started  int                        `json:"started"`
		PlanID   uint64                     `json:"plan_id"`
	}
	s.must(201, tok, "POST", "/api/v1/plans/import", map[string]any{"text": groupPlan, "create_departments": true}, &out)
	if len(out.Items) != 3 || out.Started != 2 {
		t.Fatalf("launch: %d items, %d started (item 3 names no department): %+v", len(out.Items), out.Started, out)
	}
	noLead := false
	for _, w := range out.Warnings {
		noLead = noLead || strings.Contains(w.Message, "no lead") || strings.Contains(w.Message, "names no department")
	}
	if !noLead {
		t.Errorf("the task without departments must be a warning: %+v", out.Warnings)
	}
	item, err := st.GetItem(c, out.Items[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	roles := map[uint64]domain.AssignmentRole{}
	for _, x := range item.Assignments {
		roles[x.DepartmentID] = x.Role
	}
	if roles[a.ID] != "lead" || roles[x.ID] != "partner" || roles[y.ID] != "partner" {
		t.Errorf("group 各县(区)人民政府 must expand to its members as partners: %v", roles)
	}
	// If-Match: acting on a version the user no longer sees is refused with 412.
	if code := s.call(tok, "POST", "/api/v1/items/"+itoa(out.Items[0].ID)+"/suspend", map[string]any{"reason": "x"}, nil, "If-Match", `"12345"`); code != 412 {
		t.Errorf("stale If-Match: %v", code)
	}
	again := out
	s.must(200, tok, "POST", "/api/v1/plans/import", map[string]any{"text": groupPlan, "create_departments": true}, &again)
	if again.PlanID != out.PlanID || again.Started != 0 || again.Items[0].ID != out.Items[0].ID {
		t.Errorf("relaunch must return the same plan and start nothing: %+v", again)
	}
	plans, _ := st.ListPlans(c)
	items, _ := st.PlanItems(c, out.PlanID)
	if len(plans) != 1 || len(items) != 3 {
		t.Errorf("relaunch duplicated rows: %d plans, %d items", len(plans), len(items))
	}
}

// TestTemporalDownIs503: with the cluster gone, an action answers 503 and readyz names it.
func TestTemporalDownIs503(t *testing.T) {
	s := start(t, storetest.SQLite(t))
	s.people(map[string]string{"sup": "supervisor", "la": "liaison"})
	sup, la := s.login("sup", "password-1"), s.login("la", "password-1")
	var out struct {
		Items []struct{ ID uint64 } `json:"items"`
	}
	s.must(201, sup, "POST", "/api/v1/plans/import", map[string]any{"text": planText}, &out)
	s.w.Stop()
	_ = s.srv.Stop()
	s.w = noopWorker{}
	// The client's connection tells the API the cluster is gone: 503 "unavailable" at once,
	// not "still processing" after the SDK's retries ran out.
	var problem struct{ Detail string }
	s.must(503, la, "POST", "/api/v1/items/"+itoa(out.Items[0].ID)+"/sign", nil, &problem)
	if strings.Contains(problem.Detail, "Idempotency-Key") {
		t.Errorf("Temporal down: %q, want 'unavailable' from the connection, not 'still processing'", problem.Detail)
	}
	var ready struct {
		Ready  bool              `json:"ready"`
		Checks map[string]string `json:"checks"`
	}
	if code := s.call("", "GET", "/readyz", nil, &ready); code != 503 || ready.Ready || ready.Checks["temporal"] == "ok" || ready.Checks["database"] != "ok" {
		t.Errorf("readyz with Temporal down: %d %+v", code, ready)
	}
}

// TestSupervisorsActOnTheirPlans: the importing supervisor supervises the plan; another
// supervisor may read it but not review until added; the plan arrives as a file upload.
func TestSupervisorsActOnTheirPlans(t *testing.T) {
	s := start(t, storetest.SQLite(t))
	_, _, users := s.people(map[string]string{"sup1": "supervisor", "sup2": "supervisor", "admin": "admin", "la": "liaison"})
	sup1, sup2, admin := s.login("sup1", "password-1"), s.login("sup2", "password-1"), s.login("admin", "password-1")

	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "plan.txt")
	_, _ = fw.Write([]byte(planText))
	_ = mw.WriteField("dry_run", "false")
	_ = mw.Close()
	var out struct {
		PlanID uint64                `json:"plan_id"`
		Items  []struct{ ID uint64 } `json:"items"`
	}
	if code := s.call(sup1, "POST", "/api/v1/plans/import", body.Bytes(), &out, "Content-Type", mw.FormDataContentType()); code != 201 {
		t.Fatalf("multipart import: %v", code)
	}
	path := "/api/v1/items/" + itoa(out.Items[0].ID)
	s.must(200, sup2, "GET", path, nil, nil) // reading is open
	s.must(403, sup2, "POST", path+"/suspend", map[string]any{"reason": "x"}, nil)
	s.must(403, sup2, "POST", "/api/v1/plans/"+itoa(out.PlanID)+"/supervisors", map[string]any{"user_id": users["sup2"].ID}, nil)
	s.must(422, admin, "POST", "/api/v1/plans/"+itoa(out.PlanID)+"/supervisors", map[string]any{"user_id": users["la"].ID}, nil)
	s.must(201, admin, "POST", "/api/v1/plans/"+itoa(out.PlanID)+"/supervisors", map[string]any{"user_id": users["sup2"].ID}, nil)
	s.must(200, sup2, "POST", path+"/suspend", map[string]any{"reason": "机构调整"}, nil)
	var sups []struct{ Username string }
	s.must(200, sup1, "GET", "/api/v1/plans/"+itoa(out.PlanID)+"/supervisors", nil, &sups)
	if len(sups) != 2 {
		t.Errorf("supervisors: %+v", sups)
	}
}

func TestNamespaceVerifiedOrRegistered(t *testing.T) {
	s := start(t, storetest.SQLite(t))
	c := ctx(t)
	if err := worker.EnsureNamespace(c, s.tc, "duban", false, 0); err != nil {
		t.Fatalf("existing namespace: %v", err)
	}
	if err := worker.EnsureNamespace(c, s.tc, "province", false, 0); err == nil || !strings.Contains(err.Error(), "namespace province does not exist") {
		t.Fatalf("missing namespace must be named: %v", err)
	}
	if err := worker.EnsureNamespace(c, s.tc, "province", true, 72*time.Hour); err != nil {
		t.Fatalf("register: %v", err)
	}
	if err := worker.EnsureNamespace(c, s.tc, "province", false, 0); err != nil {
		t.Fatalf("after registering: %v", err)
	}
}

func TestPlanPolicyWithETag(t *testing.T) {
	s := start(t, storetest.SQLite(t))
	s.people(map[string]string{"sup": "supervisor", "la": "liaison"})
	sup, la := s.login("sup", "password-1"), s.login("la", "password-1")
	var out struct {
		PlanID uint64 `json:"plan_id"`
	}
	s.must(201, sup, "POST", "/api/v1/plans/import", map[string]any{"text": planText}, &out)
	path := "/api/v1/plans/" + itoa(out.PlanID) + "/policy"
	c := apitest.Client{T: t, Base: s.http.URL, Doc: api.OpenAPI()}
	get := func() (string, map[string]any) {
		var p map[string]any
		r := c.Must(200, "GET", path, sup, nil, &p)
		return r.Header.Get("ETag"), p
	}
	etag, p := get()
	if p["sign_within"] != "2wd" || etag == "" {
		t.Fatalf("default policy: %v %q", p, etag)
	}
	put := func(tok, match string, body string) int {
		var h []string
		if match != "" {
			h = []string{"If-Match", match}
		}
		return c.Do("PUT", path, tok, body, h...).Status
	}
	if code := put(la, etag, `{"sign_within":"1wd"}`); code != 403 {
		t.Errorf("liaison editing policy: %d", code)
	}
	if code := put(sup, etag, `{"sign_within":"1wd","ladder":[]}`); code != 422 {
		t.Errorf("a policy without a ladder: %d", code)
	}
	if code := put(sup, etag, `{"sign_within":"1wd"}`); code != 200 {
		t.Fatalf("put: %d", code)
	}
	if code := put(sup, etag, `{"sign_within":"3wd"}`); code != 412 {
		t.Errorf("stale If-Match: %d, want 412", code)
	}
	if _, p := get(); p["sign_within"] != "1wd" {
		t.Errorf("policy after put: %v", p)
	}
}
