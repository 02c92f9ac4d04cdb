package metrics

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestGuard: with a token, /metrics answers only the right bearer; without one, everyone.
func TestGuard(t *testing.T) {
	ok := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("up 1")) })
	for _, c := range []struct {
		token, header string
		want          int
	}{{"s3cret", "", 401}, {"s3cret", "Bearer wrong", 401}, {"s3cret", "Bearer s3cret", 200}, {"", "", 200}} {
		r := httptest.NewRequest("GET", "/metrics", nil)
		if c.header != "" {
			r.Header.Set("Authorization", c.header)
		}
		w := httptest.NewRecorder()
		Guard(c.token, ok).ServeHTTP(w, r)
		if w.Code != c.want {
			t.Errorf("token %q, header %q: %d, want %d", c.token, c.header, w.Code, c.want)
		}
	}
}
