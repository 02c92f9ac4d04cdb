package apitest

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// reports is a testing.TB that keeps what the check reports instead of failing.
type reports struct {
	testing.TB
	got []string
}

func (e *reports) Helper() {}

func (e *reports) Errorf(format string, args ...any) {
	e.got = append(e.got, fmt.Sprintf(format, args...))
}

// doc is a small document: /things takes {n} with n an integer; /plain takes no body.
var doc = map[string]any{
	"openapi": "3.0.3",
	"info":    map[string]any{"title": "t", "version": "1"},
	"paths": map[string]any{
		"/things": map[string]any{"post": map[string]any{
			"requestBody": map[string]any{"content": map[string]any{"application/json": map[string]any{"schema": map[string]any{
				"type": "object", "properties": map[string]any{"n": map[string]any{"type": "integer"}}, "required": []string{"n"}}}}},
			"responses": map[string]any{"200": map[string]any{"description": "ok"}}}},
		"/plain": map[string]any{"post": map[string]any{
			"responses": map[string]any{"200": map[string]any{"description": "ok"}}}},
	},
}

func TestCheckRequest(t *testing.T) {
	Router(t, doc)
	cases := []struct {
		path, ctype, body string
		fails             bool
	}{
		{"/things", "application/json", `{"n":1}`, false},
		{"/things", "application/json; charset=utf-8", `{"n":"1"}`, true},
		{"/things", "application/json", `{}`, true},
		{"/things", "application/json", ``, false},                     // no body: the operation does not require one
		{"/things", "multipart/form-data; boundary=x", `--x--`, false}, // not JSON: not checked
		{"/plain", "application/json", `{}`, false},
		{"/plain", "application/json", `[]`, false},
		{"/plain", "application/json", `{"n":1}`, true},
	}
	for _, c := range cases {
		req, _ := http.NewRequest("POST", "http://example.test"+c.path, strings.NewReader(c.body))
		req.Header.Set("Content-Type", c.ctype)
		e := &reports{TB: t}
		CheckRequest(e, doc, req, []byte(c.body))
		if fails := len(e.got) > 0; fails != c.fails {
			t.Errorf("%s %s: reported %q, want failure %v", c.path, c.body, e.got, c.fails)
		}
	}
}
