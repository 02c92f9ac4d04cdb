package notify

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

// hexMAC is hex(HMAC-SHA256(secret, ts+"."+body)), the documented webhook signature.
func hexMAC(secret, ts string, body []byte) string {
	h := hmac.New(sha256.New, []byte(secret))
	h.Write([]byte(ts))
	h.Write([]byte("."))
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

func TestWebhookSends(t *testing.T) {
	const secret = "whsec"
	var (
		got     WebhookPayload
		headers http.Header
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		headers = r.Header.Clone()
		body, _ := io.ReadAll(r.Body)
		ts := r.Header.Get("X-Duban-Timestamp")
		if want := "sha256=" + hexMAC(secret, ts, body); r.Header.Get("X-Duban-Signature") != want {
			t.Errorf("signature = %q, want %q", r.Header.Get("X-Duban-Signature"), want)
		}
		if err := json.Unmarshal(body, &got); err != nil {
			t.Error(err)
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	m := sample
	m.Kind, m.Level = "escalation", "L2"
	if err := (&Webhook{Now: clock}).Send(context.Background(), m, Target{Endpoint: srv.URL, Secret: secret, Recipients: people[:2]}); err != nil {
		t.Fatal(err)
	}
	if headers.Get("X-Duban-Event-Id") != m.ID || headers.Get("X-Duban-Timestamp") != strconv.FormatInt(fixedNow.Unix(), 10) {
		t.Errorf("headers = %v", headers)
	}
	if !strings.HasPrefix(headers.Get("Content-Type"), "application/json") {
		t.Errorf("Content-Type = %q", headers.Get("Content-Type"))
	}
	if got.ID != m.ID || got.Kind != "escalation" || got.Level != "L2" || got.Title != m.Title || got.Body != m.Body ||
		got.URL != m.URL || !got.At.Equal(m.At) {
		t.Errorf("payload = %+v", got)
	}
	if len(got.Recipients) != 2 || got.Recipients[0].UserID != 1 || got.Recipients[0].Mobile != "13800000001" || got.Recipients[1].Name != "李四" {
		t.Errorf("recipients = %+v", got.Recipients)
	}
}

func TestWebhookUnsigned(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, ok := r.Header["X-Duban-Signature"]; ok {
			t.Error("signature sent without a secret")
		}
		var p map[string]any
		_ = json.NewDecoder(r.Body).Decode(&p)
		if rs, ok := p["recipients"].([]any); !ok || len(rs) != 0 {
			t.Errorf("recipients = %#v, want []", p["recipients"])
		}
	}))
	defer srv.Close()
	if err := (&Webhook{}).Send(context.Background(), sample, Target{Endpoint: srv.URL}); err != nil {
		t.Fatal(err)
	}
}

func TestWebhookStatuses(t *testing.T) {
	classify(t, &Webhook{Now: clock}, []struct {
		name     string
		r        reply
		ok, perm bool
	}{
		{"200", reply{200, `{}`}, true, false},
		{"202", reply{202, ``}, true, false},
		{"400", reply{400, `bad`}, false, true},
		{"401", reply{401, ``}, false, true},
		{"410", reply{410, ``}, false, true},
		{"408", reply{408, ``}, false, false},
		{"429", reply{429, ``}, false, false},
		{"500", reply{500, ``}, false, false},
		{"503", reply{503, ``}, false, false},
	})
}

// signedRequest builds a request as a sender following the documentation would.
func signedRequest(secret string, ts time.Time, body string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/hook", strings.NewReader(body))
	s := strconv.FormatInt(ts.Unix(), 10)
	r.Header.Set("X-Duban-Event-Id", "evt-1")
	r.Header.Set("X-Duban-Timestamp", s)
	r.Header.Set("X-Duban-Signature", "sha256="+hexMAC(secret, s, []byte(body)))
	return r
}

func TestVerifyWebhook(t *testing.T) {
	const secret, body = "whsec", `{"id":"evt-1"}`
	window := 5 * time.Minute

	got, err := VerifyWebhook(signedRequest(secret, fixedNow.Add(-time.Minute), body), secret, window, fixedNow)
	if err != nil || string(got) != body {
		t.Fatalf("good request: %q, %v", got, err)
	}

	for name, c := range map[string]struct {
		r    *http.Request
		want error
	}{
		"wrong secret": {signedRequest("other", fixedNow, body), ErrBadSignature},
		"stale":        {signedRequest(secret, fixedNow.Add(-6*time.Minute), body), ErrStaleTimestamp},
		"future":       {signedRequest(secret, fixedNow.Add(6*time.Minute), body), ErrStaleTimestamp},
		"tampered": {func() *http.Request {
			r := signedRequest(secret, fixedNow, body)
			r.Body = io.NopCloser(strings.NewReader(`{"id":"evt-2"}`))
			return r
		}(), ErrBadSignature},
		"no signature": {func() *http.Request {
			r := signedRequest(secret, fixedNow, body)
			r.Header.Del("X-Duban-Signature")
			return r
		}(), ErrBadSignature},
		"not hex": {func() *http.Request {
			r := signedRequest(secret, fixedNow, body)
			r.Header.Set("X-Duban-Signature", "sha256=zz")
			return r
		}(), ErrBadSignature},
		"no timestamp": {func() *http.Request {
			r := signedRequest(secret, fixedNow, body)
			r.Header.Del("X-Duban-Timestamp")
			return r
		}(), ErrStaleTimestamp},
	} {
		if _, err := VerifyWebhook(c.r, secret, window, fixedNow); !errors.Is(err, c.want) {
			t.Errorf("%s: err = %v, want %v", name, err, c.want)
		}
	}
	if _, err := VerifyWebhook(signedRequest(secret, fixedNow, body), "", window, fixedNow); err == nil {
		t.Error("empty secret accepted")
	}
}

// What Webhook.Send signs, VerifyWebhook accepts.
func TestWebhookRoundTrip(t *testing.T) {
	const secret = "whsec"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := VerifyWebhook(r, secret, time.Minute, fixedNow.Add(10*time.Second))
		if err != nil {
			http.Error(w, "unauthorised", http.StatusUnauthorized)
			return
		}
		var p WebhookPayload
		if json.Unmarshal(body, &p) != nil || p.ID != r.Header.Get(HeaderEventID) {
			http.Error(w, "bad payload", http.StatusBadRequest)
		}
	}))
	defer srv.Close()
	if err := (&Webhook{Now: clock}).Send(context.Background(), sample, Target{Endpoint: srv.URL, Secret: secret}); err != nil {
		t.Fatal(err)
	}
	err := (&Webhook{Now: clock}).Send(context.Background(), sample, Target{Endpoint: srv.URL, Secret: "wrong"})
	if !IsPermanent(err) {
		t.Errorf("401: %v, want permanent", err)
	}
}
