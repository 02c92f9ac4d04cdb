package apitest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// Client sends requests to a running Duban server in tests: a JSON (or raw) body, a bearer
// token and extra headers, the answer read whole. With Doc set, every answer is checked
// against that OpenAPI document, and so is the JSON body of every request the server
// accepted (a 2xx answer). It is the one HTTP client of Duban's tests.
type Client struct {
	T    testing.TB
	Base string         // e.g. httptest.Server.URL
	HTTP *http.Client   // nil: http.DefaultClient
	Doc  map[string]any // the OpenAPI document (api.OpenAPI()); nil: answers are not checked
}

// Response is an answer read whole.
type Response struct {
	Status  int
	Header  http.Header
	Cookies []*http.Cookie
	Body    []byte
}

// JSON decodes the body into v.
func (r Response) JSON(v any) error { return json.Unmarshal(r.Body, v) }

// Do sends method path. body is nil, a string or []byte sent as is, or a value sent as
// JSON; a body gets Content-Type application/json unless header sets it. token, when not
// empty, is sent as a bearer token; header is name/value pairs.
func (c *Client) Do(method, path, token string, body any, header ...string) Response {
	c.T.Helper()
	var (
		rd   io.Reader
		sent []byte        // the body, kept to check it against the document
		read *bytes.Buffer // what a streamed body turned out to be
	)
	switch b := body.(type) {
	case nil:
	case string:
		rd, sent = strings.NewReader(b), []byte(b)
	case []byte:
		rd, sent = bytes.NewReader(b), b
	case io.Reader:
		read = &bytes.Buffer{}
		rd = io.TeeReader(b, read)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			c.T.Fatal(err)
		}
		rd, sent = bytes.NewReader(j), j
	}
	req, err := http.NewRequest(method, c.Base+path, rd)
	if err != nil {
		c.T.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	r, err := hc.Do(req)
	if err != nil {
		c.T.Fatalf("%s %s: %v", method, path, err)
	}
	defer r.Body.Close()
	raw, err := io.ReadAll(r.Body)
	if err != nil {
		c.T.Fatalf("%s %s: reading the answer: %v", method, path, err)
	}
	if read != nil {
		sent = read.Bytes()
	}
	if c.Doc != nil {
		Check(c.T, c.Doc, req, r.StatusCode, r.Header, raw)
		if r.StatusCode/100 == 2 {
			CheckRequest(c.T, c.Doc, req, sent)
		}
	}
	return Response{Status: r.StatusCode, Header: r.Header, Cookies: r.Cookies(), Body: raw}
}

// Must is Do that fails the test on any status but want and decodes a JSON answer into out
// (when out is not nil).
func (c *Client) Must(want int, method, path, token string, body, out any, header ...string) Response {
	c.T.Helper()
	r := c.Do(method, path, token, body, header...)
	if r.Status != want {
		c.T.Fatalf("%s %s: status %d, want %d: %s", method, path, r.Status, want, r.Body)
	}
	if out != nil {
		if err := r.JSON(out); err != nil {
			c.T.Fatalf("%s %s: %v: %s", method, path, err, r.Body)
		}
	}
	return r
}
