package api

import (
	"fmt"
	"testing"
	"time"

	"github.com/dubanhq/duban/store"
	"github.com/dubanhq/duban/store/storetest"
)

// userIDOf finds a seeded user's id by name.
func (f *fixture) userIDOf(name string) string {
	f.t.Helper()
	u, err := f.st.UserByUsername(f.t.Context(), name)
	if err != nil {
		f.t.Fatal(err)
	}
	return fmt.Sprint(u.ID)
}

// TestChangePassword: the current password is needed; the policy refuses short, digit-less
// and username-equal passwords; the change revokes the user's other sessions and API tokens
// but keeps the one it came from; the new password signs in; it is audited.
func TestChangePassword(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		tok, other := f.login("sup"), f.login("sup")
		api := f.do("POST", "/api/v1/auth/tokens", tok, map[string]string{"name": "sync"})
		secret, _ := api.body["token"].(string)
		if r := f.do("POST", "/api/v1/auth/password", tok, map[string]string{"current_password": "wrong-one-1", "new_password": "Longer-pass-2"}); r.status != 422 || r.body["field"] != "current_password" {
			t.Errorf("wrong current password: %d %v", r.status, r.body)
		}
		for _, bad := range []string{"short-1", "no-digits-here", "1234567890123", "SUP"} {
			if r := f.do("POST", "/api/v1/auth/password", tok, map[string]string{"current_password": "password-1", "new_password": bad}); r.status != 422 || r.body["field"] != "new_password" {
				t.Errorf("policy let %q through: %d %v", bad, r.status, r.body)
			}
		}
		r := f.do("POST", "/api/v1/auth/password", tok, map[string]string{"current_password": "password-1", "new_password": "Longer-pass-2"})
		if r.status != 200 || jsonNum(r.body["tokens_revoked"]) != "2" {
			t.Fatalf("change: %d %v", r.status, r.body)
		}
		if r := f.do("GET", "/api/v1/auth/me", tok, nil); r.status != 200 {
			t.Errorf("the session that changed the password was signed out: %d", r.status)
		}
		for name, tk := range map[string]string{"other session": other, "API token": secret} {
			if r := f.do("GET", "/api/v1/auth/me", tk, nil); r.status != 401 {
				t.Errorf("%s still works after the password changed: %d", name, r.status)
			}
		}
		if r := f.do("POST", "/api/v1/auth/login", "", map[string]string{"username": "sup", "password": "Longer-pass-2"}); r.status != 200 {
			t.Errorf("new password: %d", r.status)
		}
		if n := auditTypes(t, st)["password_changed"]; n != 1 {
			t.Errorf("password_changed audited %d times", n)
		}
	})
}

// TestAdminUpdatesUser: disabling an account signs it out at its next request and enabling
// it lets it back; a role change applies at the next request; an admin cannot disable
// themselves; a liaison needs a department; only admins may; every change is audited.
func TestAdminUpdatesUser(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		admin, view := f.login("admin"), f.login("view")
		path := "/api/v1/users/" + f.userIDOf("view")
		if r := f.do("PATCH", path, view, map[string]any{"disabled": true}); r.status != 403 {
			t.Errorf("a viewer edited an account: %d", r.status)
		}
		if r := f.do("PATCH", path, admin, map[string]any{"disabled": true}); r.status != 200 || r.body["disabled"] != true {
			t.Fatalf("disable: %d %v", r.status, r.body)
		}
		if r := f.do("GET", "/api/v1/items", view, nil); r.status != 401 {
			t.Errorf("a disabled user's session still works: %d", r.status)
		}
		if r := f.do("PATCH", path, admin, map[string]any{"disabled": false, "role": "supervisor"}); r.status != 200 || r.body["role"] != "supervisor" {
			t.Fatalf("enable: %d %v", r.status, r.body)
		}
		if r := f.do("GET", "/api/v1/audit", view, nil); r.status != 200 {
			t.Errorf("the new role did not apply at the next request: %d", r.status)
		}
		if r := f.do("PATCH", path, admin, map[string]any{"role": "liaison"}); r.status != 422 || r.body["field"] != "department_id" {
			t.Errorf("a liaison without a department: %d %v", r.status, r.body)
		}
		if r := f.do("PATCH", path, admin, map[string]any{"role": "liaison", "department_id": f.deptA}); r.status != 200 || jsonNum(r.body["department_id"]) != fmt.Sprint(f.deptA) {
			t.Errorf("liaison of A: %d %v", r.status, r.body)
		}
		// A department change takes effect at the next request: the session's user is B's.
		if r := f.do("PATCH", path, admin, map[string]any{"department_id": f.deptB}); r.status != 200 || jsonNum(r.body["department_id"]) != fmt.Sprint(f.deptB) {
			t.Fatalf("move to B: %d %v", r.status, r.body)
		}
		if r := f.do("GET", "/api/v1/auth/me", view, nil); jsonNum(r.body["department_id"]) != fmt.Sprint(f.deptB) {
			t.Errorf("the session still names the old department: %v", r.body)
		}
		if r := f.do("PATCH", "/api/v1/users/"+f.userIDOf("admin"), admin, map[string]any{"disabled": true}); r.status != 409 {
			t.Errorf("an admin disabled themselves: %d", r.status)
		}
		if r := f.do("PATCH", "/api/v1/users/99999", admin, map[string]any{"disabled": true}); r.status != 404 {
			t.Errorf("no such user: %d", r.status)
		}
		if n := auditTypes(t, st)["user_updated"]; n != 4 {
			t.Errorf("user_updated audited %d times, want 4", n)
		}
	})
}

// TestPasswordReset: an admin's reset gives a temporary password, shown once, and signs the
// user out everywhere; signed in with it, the user may only change the password (403
// password-change-required elsewhere), and afterwards works as before.
func TestPasswordReset(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		admin, la := f.login("admin"), f.login("la")
		path := "/api/v1/users/" + f.userIDOf("la") + "/password-reset"
		if r := f.do("POST", path, la, nil); r.status != 403 {
			t.Errorf("a liaison reset a password: %d", r.status)
		}
		r := f.do("POST", path, admin, nil)
		tmp, _ := r.body["temporary_password"].(string)
		if r.status != 200 || len(tmp) < 10 {
			t.Fatalf("reset: %d %v", r.status, r.body)
		}
		if r := f.do("GET", "/api/v1/auth/me", la, nil); r.status != 401 {
			t.Errorf("the old session survived the reset: %d", r.status)
		}
		if r := f.do("POST", "/api/v1/auth/login", "", map[string]string{"username": "la", "password": "password-1"}); r.status != 401 {
			t.Errorf("the old password still works: %d", r.status)
		}
		r = f.do("POST", "/api/v1/auth/login", "", map[string]string{"username": "la", "password": tmp})
		if r.status != 200 || r.body["must_change_password"] != true {
			t.Fatalf("login with the temporary password: %d %v", r.status, r.body)
		}
		tok := r.body["token"].(string)
		if r := f.do("GET", "/api/v1/items", tok, nil); r.status != 403 || r.body["type"] != "https://duban.dev/problems/password-change-required" {
			t.Errorf("before the change: %d %v", r.status, r.body)
		}
		if r := f.do("GET", "/api/v1/auth/me", tok, nil); r.status != 200 || r.body["must_change_password"] != true {
			t.Errorf("me before the change: %d %v", r.status, r.body)
		}
		if r := f.do("POST", "/api/v1/auth/password", tok, map[string]string{"current_password": tmp, "new_password": "Mine-again-7"}); r.status != 200 {
			t.Fatalf("change: %d %v", r.status, r.body)
		}
		if r := f.do("GET", "/api/v1/items", tok, nil); r.status != 200 {
			t.Errorf("after the change: %d %v", r.status, r.body)
		}
		if n := auditTypes(t, st)["password_reset"]; n != 1 {
			t.Errorf("password_reset audited %d times", n)
		}
	})
}

// TestAPITokenExpiry: an API token expires in 90 days unless told otherwise, one asked to
// live past a year is refused, and the list shows when a token was last used.
func TestAPITokenExpiry(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	tok := f.login("sup")
	r := f.do("POST", "/api/v1/auth/tokens", tok, map[string]string{"name": "sync"})
	if r.status != 201 || r.body["expires_at"] == nil {
		t.Fatalf("default expiry: %d %v", r.status, r.body)
	}
	if at, err := time.Parse(time.RFC3339, fmt.Sprint(r.body["expires_at"])); err != nil || time.Until(at) < 89*24*time.Hour || time.Until(at) > 90*24*time.Hour {
		t.Errorf("default expiry %v, want 90 days from now (%v)", r.body["expires_at"], err)
	}
	short := f.do("POST", "/api/v1/auth/tokens", tok, map[string]string{"name": "week", "expires_in": "168h"})
	if at, err := time.Parse(time.RFC3339, fmt.Sprint(short.body["expires_at"])); short.status != 201 || err != nil || time.Until(at) > 7*24*time.Hour || time.Until(at) < 6*24*time.Hour {
		t.Errorf("a week's token: %d %v", short.status, short.body)
	}
	if r := f.do("POST", "/api/v1/auth/tokens", tok, map[string]string{"name": "forever", "expires_in": "9000h"}); r.status != 422 || r.body["field"] != "expires_in" {
		t.Errorf("a token past a year: %d %v", r.status, r.body)
	}
	if u := f.do("GET", "/api/v1/items", r.body["token"].(string), nil); u.status != 200 {
		t.Fatalf("using the token: %d", u.status)
	}
	ts := f.do("GET", "/api/v1/auth/tokens", tok, nil)
	if ts.status != 200 || len(ts.list) != 2 || ts.list[0].(map[string]any)["last_used_at"] == nil {
		t.Errorf("list with last use: %d %v", ts.status, ts.list)
	}
}

// TestFailedLoginAudited: a wrong password for an existing account leaves an audit row
// naming it; an unknown username does not.
func TestFailedLoginAudited(t *testing.T) {
	st := storetest.SQLite(t)
	f := newFixture(t, st)
	f.do("POST", "/api/v1/auth/login", "", map[string]string{"username": "sup", "password": "wrong-pass-1"})
	f.do("POST", "/api/v1/auth/login", "", map[string]string{"username": "ghost", "password": "wrong-pass-1"})
	if n := auditTypes(t, st)["login_failed"]; n != 1 {
		t.Errorf("login_failed audited %d times, want 1", n)
	}
}
