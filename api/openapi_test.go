package api

import (
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/dubanhq/duban/api/apitest"
	"github.com/dubanhq/duban/store/storetest"
)

// checkResponse fails the test when a response does not match the OpenAPI document.
func checkResponse(t *testing.T, req *http.Request, status int, header http.Header, body []byte) {
	t.Helper()
	apitest.Check(t, OpenAPI(), req, status, header, body)
}

// TestEveryRouteIsDocumented compares echo's routes with the document.
func TestEveryRouteIsDocumented(t *testing.T) {
	s := New(Deps{Store: storetest.SQLite(t), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	doc := OpenAPI()["paths"].(map[string]any)
	seen := 0
	for _, r := range s.Echo.Routes() {
		if r.Method == "echo_route_not_found" || (!strings.HasPrefix(r.Path, "/api/") && r.Path != "/healthz" && r.Path != "/readyz") {
			continue // echo's group catch-alls and the UI's pages
		}
		p := openAPIPath(r.Path)
		item, ok := doc[p].(map[string]any)
		if !ok || item[strings.ToLower(r.Method)] == nil {
			t.Errorf("route %s %s is not in the OpenAPI document", r.Method, p)
		}
		seen++
	}
	if seen < 40 {
		t.Errorf("only %d API routes found", seen)
	}
	apitest.Router(t, OpenAPI())
}

// TestEveryRequestBodyIsTyped walks each operation's request body and fails on any part
// that takes an arbitrary object or value: such a body documents nothing a client could
// rely on or a reviewer check (issue 23: no untyped `Ok`), and request validation passes
// anything through it.
func TestEveryRequestBodyIsTyped(t *testing.T) {
	doc := OpenAPI()
	comps := doc["components"].(map[string]any)["schemas"].(schema)
	bodies := 0
	for path, item := range doc["paths"].(map[string]any) {
		for method, o := range item.(map[string]any) {
			rb, ok := o.(map[string]any)["requestBody"].(map[string]any)
			if !ok {
				continue
			}
			bodies++
			for ctype, media := range rb["content"].(map[string]any) {
				s, _ := media.(map[string]any)["schema"].(schema)
				for _, where := range untyped(comps, s, "body", map[string]bool{}) {
					t.Errorf("%s %s (%s): %s takes any value; describe it as the handler binds it", strings.ToUpper(method), path, ctype, where)
				}
			}
		}
	}
	if bodies < 40 {
		t.Errorf("only %d request bodies found", bodies)
	}
}

// TestUntyped shows what TestEveryRequestBodyIsTyped refuses.
func TestUntyped(t *testing.T) {
	comps := schema{"Open": anyObject(), "Typed": obj(schema{"id": integer()}, "id")}
	cases := []struct {
		s    schema
		want []string
	}{
		{anyObject(), []string{"body"}},
		{schema{"type": "object"}, []string{"body"}},
		{schema{}, []string{"body"}},
		{ref("Open"), []string{"body"}},
		{ref("Missing"), []string{"body (no component Missing)"}},
		{obj(schema{"items": arr(anyObject()), "list": schema{"type": "array"}, "n": integer()}), []string{"body.items[]", "body.list[]"}},
		{obj(schema{"x": schema{"oneOf": []any{str(), anyObject()}}}), []string{"body.x(oneOf 1)"}},
		{obj(schema{"ref": ref("Typed"), "scores": schema{"type": "object", "additionalProperties": number()}}), nil},
		{schema{"oneOf": []any{ref("Typed"), arr(integer())}}, nil},
	}
	for i, c := range cases {
		if got := untyped(comps, c.s, "body", map[string]bool{}); !slices.Equal(got, c.want) {
			t.Errorf("case %d: untyped = %q, want %q", i, got, c.want)
		}
	}
}

// untyped names the places in s (at is where s is) that take any object or any value: an
// object without properties or a schema of its values, an array without items, a schema
// without a type. Components are followed once.
func untyped(comps, s schema, at string, seen map[string]bool) []string {
	if r, ok := s["$ref"].(string); ok {
		name := strings.TrimPrefix(r, "#/components/schemas/")
		target, ok := comps[name].(schema)
		switch {
		case !ok:
			return []string{at + " (no component " + name + ")"}
		case seen[name]:
			return nil
		}
		seen[name] = true
		return untyped(comps, target, at, seen)
	}
	var out []string
	for _, k := range []string{"oneOf", "anyOf", "allOf"} {
		if alts, ok := s[k].([]any); ok {
			for i, a := range alts {
				out = append(out, untyped(comps, a.(schema), fmt.Sprintf("%s(%s %d)", at, k, i), seen)...)
			}
			return out
		}
	}
	switch s["type"] {
	case "object":
		props, _ := s["properties"].(schema)
		values, _ := s["additionalProperties"].(schema)
		if len(props) == 0 && values == nil {
			return []string{at}
		}
		for _, k := range slices.Sorted(maps.Keys(props)) {
			out = append(out, untyped(comps, props[k].(schema), at+"."+k, seen)...)
		}
		if values != nil {
			out = append(out, untyped(comps, values, at+".*", seen)...)
		}
	case "array":
		items, ok := s["items"].(schema)
		if !ok {
			return []string{at + "[]"}
		}
		out = append(out, untyped(comps, items, at+"[]", seen)...)
	case nil:
		return []string{at}
	}
	return out
}
