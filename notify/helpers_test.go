package notify

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

var fixedNow = time.Date(2025, 6, 28, 9, 30, 0, 0, time.UTC)

// The package's tests post to httptest servers on 127.0.0.1, which the SSRF guard blocks
// unless allowed, as an admin would with notify.allowed_hosts.
func init() {
	allow, _ := ParseAllow([]string{"127.0.0.1"})
	defaultClient = NewClient(allow, DefaultTimeout)
}

func clock() time.Time { return fixedNow }

var sample = Message{ID: "item7:e3:u12:robot", Kind: "reminder", Title: "【提醒】推进老旧小区改造",
	Body: "进展报送将于 2025-06-30 18:00 到期。", URL: "https://duban.example/items/7", At: fixedNow}

// reply is a canned HTTP answer.
type reply struct {
	status int
	body   string
}

// replying serves a fixed answer and counts requests.
func replying(t *testing.T, r reply) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		_, _ = io.Copy(io.Discard, req.Body)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(r.status)
		_, _ = io.WriteString(w, r.body)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// classify sends sample through ch to a server giving each answer and checks the error class.
func classify(t *testing.T, ch Channel, cases []struct {
	name     string
	r        reply
	ok, perm bool
}) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			url := replying(t, c.r)
			err := ch.Send(context.Background(), sample, Target{Endpoint: url + "/send?access_token=tok", Secret: "sec"})
			switch {
			case c.ok && err != nil:
				t.Fatalf("err = %v, want success", err)
			case !c.ok && err == nil:
				t.Fatal("err = nil, want an error")
			case !c.ok && IsPermanent(err) != c.perm:
				t.Fatalf("IsPermanent(%v) = %v, want %v", err, IsPermanent(err), c.perm)
			case !c.ok && !strings.HasPrefix(err.Error(), ch.Name()+": "):
				t.Fatalf("error %q does not name the channel", err)
			}
		})
	}
}

// refusedURL is a loopback URL nobody listens on.
func refusedURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	return "http://" + addr
}
