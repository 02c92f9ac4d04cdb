package api

import (
	"testing"

	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/store"
	"github.com/dubanhq/duban/store/storetest"
)

// TestUsernamesFold: usernames differing only in case, width or a Cyrillic look-alike
// letter cannot coexist, on MySQL and SQLite alike; a login works in any case; a username
// with a bidi override or mixing scripts is refused.
func TestUsernamesFold(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		admin := f.login("admin")
		for _, name := range []string{"Admin", "ＡＤＭＩＮ", "аdmin", "ADMİN"} {
			r := f.do("POST", "/api/v1/users", admin, map[string]any{"username": name, "password": "password-1x", "role": "viewer"})
			if r.status != 409 && r.status != 422 {
				t.Errorf("%q beside admin: %d %v", name, r.status, r.body)
			}
		}
		for _, name := range []string{"ad\u202emin", "pаypal", "a b"} {
			if r := f.do("POST", "/api/v1/users", admin, map[string]any{"username": name, "password": "password-1x", "role": "viewer"}); r.status != 422 || r.body["field"] != "username" {
				t.Errorf("%q: %d %v", name, r.status, r.body)
			}
		}
		if r := f.do("POST", "/api/v1/users", admin, map[string]any{"username": "张三", "password": "password-1x", "role": "viewer"}); r.status != 201 {
			t.Errorf("a Chinese username: %d %v", r.status, r.body)
		}
		if r := f.do("POST", "/api/v1/auth/login", "", map[string]string{"username": "SUP", "password": "password-1"}); r.status != 200 {
			t.Errorf("login as SUP: %d %v", r.status, r.body)
		}
	})
}

// TestDepartmentNamesRefuseHiddenChars: a department name or alias with a bidi override or
// a zero-width character is refused, naming the field.
func TestDepartmentNamesRefuseHiddenChars(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	admin := f.login("admin")
	if r := f.do("POST", "/api/v1/departments", admin, map[string]any{"name": "市丙\u202e局"}); r.status != 422 || r.body["field"] != "name" {
		t.Errorf("bidi in a name: %d %v", r.status, r.body)
	}
	if r := f.do("POST", "/api/v1/departments", admin, map[string]any{"name": "市丙局", "aliases": []string{"丙\u200b局"}}); r.status != 422 || r.body["field"] != "aliases[0]" {
		t.Errorf("zero-width in an alias: %d %v", r.status, r.body)
	}
}

// TestIdempotencyKeyReusedWithAnotherBody: a retry with the same key and body goes through
// again (here to the missing Temporal: 503), but the key sent with a different body is 422,
// not the first request's answer.
func TestIdempotencyKeyReusedWithAnotherBody(t *testing.T) {
	st := storetest.SQLite(t)
	f := newFixture(t, st)
	ctx := t.Context()
	if _, _, err := st.CreatePlan(ctx, &store.Plan{SourceHash: "k", Title: "方案"}, []domain.Item{storetest.Item("", "任务", []uint64{f.deptA})}); err != nil {
		t.Fatal(err)
	}
	if err := st.WriteTransition(ctx, store.TransitionWrite{ItemID: 1, Progress: &domain.Progress{Status: domain.StatusActive, Light: domain.Green}}); err != nil {
		t.Fatal(err)
	}
	sup := f.login("sup")
	first := map[string]string{"reason": "暂停一周"}
	if r := f.do("POST", "/api/v1/items/1/suspend", sup, first, "Idempotency-Key", "k-1"); r.status != 503 {
		t.Fatalf("first: %d %v", r.status, r.body)
	}
	if r := f.do("POST", "/api/v1/items/1/suspend", sup, first, "Idempotency-Key", "k-1"); r.status != 503 {
		t.Errorf("the same request again: %d %v", r.status, r.body)
	}
	r := f.do("POST", "/api/v1/items/1/suspend", sup, map[string]string{"reason": "另一个理由"}, "Idempotency-Key", "k-1")
	if r.status != 422 || r.body["field"] != "Idempotency-Key" {
		t.Errorf("the key with another body: %d %v", r.status, r.body)
	}
	if r := f.do("POST", "/api/v1/items/1/resume", sup, first, "Idempotency-Key", "k-1"); r.status != 422 {
		t.Errorf("the key on another route: %d %v", r.status, r.body)
	}
}

// TestContactPointRefusesPrivateAddresses: a webhook to a literal loopback, link-local or
// private address, or localhost, is refused when saved, naming notify.allowed_hosts.
func TestContactPointRefusesPrivateAddresses(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	admin := f.login("admin")
	for _, addr := range []string{"http://127.0.0.1:8080/hook", "http://169.254.169.254/latest/meta-data", "http://[::1]/x", "http://10.0.0.5/x", "http://localhost/x"} {
		r := f.do("POST", "/api/v1/contact-points", admin, map[string]any{"department_id": f.deptA, "channel": "webhook", "address": addr})
		if r.status != 422 || r.body["field"] != "address" {
			t.Errorf("%s: %d %v", addr, r.status, r.body)
		}
	}
	if r := f.do("POST", "/api/v1/contact-points", admin, map[string]any{"department_id": f.deptA, "channel": "webhook", "address": "https://hooks.example.gov.cn/x"}); r.status != 201 {
		t.Errorf("a public name: %d %v", r.status, r.body)
	}
}
