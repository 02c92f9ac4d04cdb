package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Headers of a generic webhook delivery.
const (
	HeaderEventID   = "X-Duban-Event-Id"  // Message.ID: receivers dedupe on it
	HeaderTimestamp = "X-Duban-Timestamp" // unix seconds when the request was signed
	HeaderSignature = "X-Duban-Signature" // "sha256=" + hex HMAC-SHA256(secret, timestamp+"."+body)
)

// Webhook POSTs a signed JSON document to Target.Endpoint. Any 2xx answer is success;
// 408, 429 and 5xx are transient, other statuses permanent. Without Target.Secret the
// request carries no signature header.
type Webhook struct {
	Client *http.Client     // nil: a client with DefaultTimeout
	Now    func() time.Time // nil: time.Now
}

// Name returns "webhook".
func (*Webhook) Name() string { return "webhook" }

// WebhookPayload is the JSON document a generic webhook receives.
type WebhookPayload struct {
	ID         string             `json:"id"`
	Kind       string             `json:"kind"`
	Level      string             `json:"level,omitempty"`
	Title      string             `json:"title"`
	Body       string             `json:"body"`
	URL        string             `json:"url,omitempty"`
	At         time.Time          `json:"at"`
	Recipients []WebhookRecipient `json:"recipients"`
}

// WebhookRecipient is a Recipient as serialised for webhook receivers.
type WebhookRecipient struct {
	UserID int64  `json:"user_id"`
	Name   string `json:"name,omitempty"`
	Email  string `json:"email,omitempty"`
	Mobile string `json:"mobile,omitempty"`
	ChatID string `json:"chat_id,omitempty"`
}

// Send posts m and its recipients as a WebhookPayload.
func (w *Webhook) Send(ctx context.Context, m Message, t Target) error {
	if err := requireEndpoint(t); err != nil {
		return wrap(w.Name(), err)
	}
	p := WebhookPayload{ID: m.ID, Kind: m.Kind, Level: m.Level, Title: m.Title, Body: m.Body,
		URL: m.URL, At: m.At, Recipients: []WebhookRecipient{}}
	for _, r := range t.Recipients {
		p.Recipients = append(p.Recipients, WebhookRecipient(r))
	}
	body, err := json.Marshal(p)
	if err != nil {
		return wrap(w.Name(), Permanent(err))
	}
	ts := strconv.FormatInt(nowOr(w.Now).Unix(), 10)
	h := http.Header{}
	h.Set(HeaderEventID, m.ID)
	h.Set(HeaderTimestamp, ts)
	if t.Secret != "" {
		h.Set(HeaderSignature, "sha256="+webhookMAC(t.Secret, ts, body))
	}
	status, resp, err := post(ctx, w.Client, t.Endpoint, "application/json; charset=utf-8", body, h)
	if err != nil {
		return wrap(w.Name(), err)
	}
	return wrap(w.Name(), statusErr(status, resp))
}

func webhookMAC(secret, ts string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts + "."))
	mac.Write(body)
	return hex.EncodeToString(mac.Sum(nil))
}

// Errors VerifyWebhook returns, for receivers to map to 401.
var (
	ErrBadSignature   = errors.New("webhook: signature missing or wrong")
	ErrStaleTimestamp = errors.New("webhook: timestamp missing or outside the replay window")
)

// maxWebhookBody caps the body VerifyWebhook reads.
const maxWebhookBody = 1 << 20

// VerifyWebhook checks a generic-webhook request for receivers: the timestamp must be
// within window of now (replay protection) and the signature must match secret. It
// returns the body, and leaves r.Body readable again. The caller should still dedupe on
// the X-Duban-Event-Id header, since Duban may deliver a message more than once.
func VerifyWebhook(r *http.Request, secret string, window time.Duration, now time.Time) ([]byte, error) {
	if secret == "" {
		return nil, errors.New("webhook: no secret configured")
	}
	ts := r.Header.Get(HeaderTimestamp)
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return nil, ErrStaleTimestamp
	}
	if d := now.Sub(time.Unix(sec, 0)); d > window || d < -window {
		return nil, fmt.Errorf("%w: %s off", ErrStaleTimestamp, d.Round(time.Second))
	}
	sig, ok := strings.CutPrefix(r.Header.Get(HeaderSignature), "sha256=")
	if !ok {
		return nil, ErrBadSignature
	}
	got, err := hex.DecodeString(sig)
	if err != nil {
		return nil, ErrBadSignature
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxWebhookBody+1))
	if err != nil {
		return nil, fmt.Errorf("webhook: reading body: %w", err)
	}
	if len(body) > maxWebhookBody {
		return nil, errors.New("webhook: body too large")
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	want, _ := hex.DecodeString(webhookMAC(secret, ts, body))
	if !hmac.Equal(got, want) {
		return nil, ErrBadSignature
	}
	return body, nil
}
