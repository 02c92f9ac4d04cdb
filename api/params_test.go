package api

import (
	"strings"
	"testing"

	"github.com/dubanhq/duban/store/storetest"
)

// TestHugeIDsAreMalformed asks every API route with an ID in its path, as the admin (or the
// leader, for the leadership's own actions), with IDs the databases cannot hold and with
// non-IDs: each answers 400 naming the parameter, not 500.
func TestHugeIDsAreMalformed(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	admin, boss := f.login("admin"), f.login("boss")
	notIDs := map[string]string{"year": "2030", "kind": "reminder", "lang": "zh-CN"}
	asked := 0
	for _, r := range f.srv.Config.Handler.(*Server).Echo.Routes() {
		if !strings.HasPrefix(r.Path, "/api/") || !strings.Contains(r.Path, ":") || r.Method == "echo_route_not_found" {
			continue
		}
		for _, huge := range []string{"18446744073709551615", "9223372036854775808", "0", "12x"} {
			segs := strings.Split(r.Path, "/")
			ids := 0
			var first string
			for i, s := range segs {
				name, ok := strings.CutPrefix(s, ":")
				if !ok {
					continue
				}
				if v, known := notIDs[name]; known {
					segs[i] = v
					continue
				}
				if first == "" {
					first = name
				}
				segs[i] = huge
				ids++
			}
			if ids == 0 {
				continue
			}
			asked++
			res := f.do(r.Method, strings.Join(segs, "/"), admin, "{}")
			if res.status == 403 {
				res = f.do(r.Method, strings.Join(segs, "/"), boss, "{}")
			}
			if res.status != 400 || res.body["field"] != first {
				t.Errorf("%s %s with %s: %d %s, want 400 naming %s", r.Method, r.Path, huge, res.status, res.raw, first)
			}
		}
	}
	if asked < 40 {
		t.Errorf("only %d requests asked: the route walk lost its routes", asked)
	}
}
