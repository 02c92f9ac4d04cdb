package notify

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
)

// maxResponse caps how much of a response body is read; platform replies are tiny.
const maxResponse = 64 << 10

// post sends body to endpoint and returns the status and the (size-limited) response body.
// Transport errors are transient and never show the endpoint's query or path, which hold
// robot tokens and signatures.
func post(ctx context.Context, c *http.Client, endpoint, contentType string, body []byte, header http.Header) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		return 0, nil, Permanent(fmt.Errorf("bad endpoint %s: %w", redact(endpoint), unwrapURL(err)))
	}
	for k, v := range header {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", contentType)
	resp, err := clientOr(c).Do(req)
	if err != nil {
		return 0, nil, fmt.Errorf("POST %s: %w", redact(endpoint), unwrapURL(err))
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	if err != nil {
		return resp.StatusCode, nil, fmt.Errorf("reading response from %s: %w", redact(endpoint), err)
	}
	return resp.StatusCode, b, nil
}

// unwrapURL drops *url.Error, whose message repeats the full URL.
func unwrapURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// redact keeps only the scheme and host of a URL, for error messages.
func redact(endpoint string) string {
	u, err := url.Parse(endpoint)
	if err != nil || u.Host == "" {
		return "<endpoint>"
	}
	return u.Scheme + "://" + u.Host + "/…"
}

// withQuery appends signing parameters to a robot URL that may already carry a query.
func withQuery(endpoint string, kv ...string) (string, error) {
	u, err := url.Parse(endpoint)
	if err != nil {
		return "", Permanent(fmt.Errorf("bad endpoint %s", redact(endpoint)))
	}
	q := u.Query()
	for i := 0; i+1 < len(kv); i += 2 {
		q.Set(kv[i], kv[i+1])
	}
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// requireEndpoint rejects a target without a URL: a configuration error.
func requireEndpoint(t Target) error {
	if t.Endpoint == "" {
		return Permanent(errors.New("target has no endpoint"))
	}
	return nil
}
