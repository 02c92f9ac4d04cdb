package app

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/dubanhq/duban/config"
)

// TestSlowBodyIsCutOff: a client that sends its headers and then stalls the body loses the
// connection once read_timeout passes, instead of holding it (and a goroutine) for ever.
func TestSlowBodyIsCutOff(t *testing.T) {
	hc := config.Default().HTTP
	hc.ReadHeaderTimeout, hc.ReadTimeout = 200*time.Millisecond, 500*time.Millisecond
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := io.ReadAll(r.Body); err != nil {
			http.Error(w, "body not read", http.StatusBadRequest)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	ts := httptest.NewUnstartedServer(h)
	ts.Config = NewHTTPServer(h, hc)
	ts.Start()
	defer ts.Close()

	conn, err := net.Dial("tcp", ts.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	start := time.Now()
	if _, err := io.WriteString(conn, "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"a\":"); err != nil {
		t.Fatal(err)
	}
	_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err == nil {
		res.Body.Close()
		if res.StatusCode < 400 {
			t.Errorf("stalled body answered %d", res.StatusCode)
		}
	} else if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Fatalf("the server still held the connection after 5 s")
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("cut off after %v, want about the 500ms read timeout", d)
	}
	// Headers sent slowly are cut off too.
	conn2, err := net.Dial("tcp", ts.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn2.Close()
	_, _ = io.WriteString(conn2, "GET / HTTP/1.1\r\nHost: x\r\n")
	_ = conn2.SetReadDeadline(time.Now().Add(5 * time.Second))
	b, err := io.ReadAll(conn2)
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Fatalf("slow headers held the connection after 5 s (read %q)", b)
	}
	if strings.Contains(string(b), " 204 ") {
		t.Errorf("slow headers were answered: %q", b)
	}
}

func TestHTTPServerTimeoutsFromConfig(t *testing.T) {
	hc := config.Default().HTTP
	s := NewHTTPServer(http.NotFoundHandler(), hc)
	if s.ReadHeaderTimeout != 10*time.Second || s.ReadTimeout != 60*time.Second || s.IdleTimeout != 120*time.Second || s.WriteTimeout == 0 {
		t.Errorf("server timeouts: header %v read %v idle %v write %v", s.ReadHeaderTimeout, s.ReadTimeout, s.IdleTimeout, s.WriteTimeout)
	}
}
