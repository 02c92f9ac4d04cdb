package api

import (
	"io"
	"log/slog"
	"net/http"
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
