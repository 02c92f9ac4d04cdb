package notify

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"
)

func TestPublic(t *testing.T) {
	for addr, want := range map[string]bool{"8.8.8.8": true, "2400:3200::1": true, "127.0.0.1": false, "10.1.2.3": false,
		"172.16.0.1": false, "192.168.1.1": false, "169.254.169.254": false, "100.64.0.1": false, "0.0.0.0": false,
		"::1": false, "fe80::1": false, "fd00::1": false, "::ffff:127.0.0.1": false, "224.0.0.1": false} {
		if got := Public(netip.MustParseAddr(addr)); got != want {
			t.Errorf("Public(%s) = %v", addr, got)
		}
	}
}

// TestGuardedClientBlocksPrivateAddresses: a webhook to a loopback server is refused when it
// connects (permanently, naming the setting), by IP and by a name resolving to loopback, and
// reaches it once the host is allowed; the peer's body never appears in the error.
func TestGuardedClientBlocksPrivateAddresses(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(500)
		_, _ = w.Write([]byte("internal secret page"))
	}))
	defer srv.Close()
	port := srv.URL[strings.LastIndex(srv.URL, ":"):]
	blocked := &Webhook{Client: NewClient(nil, time.Second)}
	for _, endpoint := range []string{srv.URL, "http://localhost" + port} {
		err := blocked.Send(context.Background(), sample, Target{Endpoint: endpoint})
		if !errors.Is(err, ErrBlockedAddress) || !IsPermanent(err) {
			t.Errorf("%s: %v, want a permanent ErrBlockedAddress", endpoint, err)
		}
	}
	allow, err := ParseAllow([]string{"127.0.0.0/8"})
	if err != nil {
		t.Fatal(err)
	}
	err = (&Webhook{Client: NewClient(allow, time.Second)}).Send(context.Background(), sample, Target{Endpoint: srv.URL})
	var se *StatusError
	if !errors.As(err, &se) || se.Status != 500 || strings.Contains(err.Error(), "secret") {
		t.Errorf("allowed host: %v, want HTTP 500 without the body", err)
	}
	if _, err := ParseAllow([]string{"10.0.0.0/33"}); err == nil {
		t.Error("a bad CIDR accepted")
	}
}
