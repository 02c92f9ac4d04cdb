// Package apitest checks HTTP responses against Duban's OpenAPI document in tests.
package apitest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

var (
	once   sync.Once
	router routers.Router
	errDoc error
)

// Router loads and validates the document once.
func Router(t testing.TB, doc map[string]any) routers.Router {
	once.Do(func() {
		b, _ := json.Marshal(doc)
		d, err := openapi3.NewLoader().LoadFromData(b)
		if err != nil {
			errDoc = err
			return
		}
		if errDoc = d.Validate(context.Background()); errDoc != nil {
			return
		}
		openapi3filter.RegisterBodyDecoder("application/problem+json", openapi3filter.JSONBodyDecoder)
		router, errDoc = gorillamux.NewRouter(d)
	})
	if errDoc != nil {
		t.Fatalf("the OpenAPI document is invalid: %v", errDoc)
	}
	return router
}

// Check fails the test when a response does not match the document, or its route is not
// in it.
func Check(t testing.TB, doc map[string]any, req *http.Request, status int, header http.Header, body []byte) {
	t.Helper()
	probe, route, params, ok := findRoute(t, doc, req)
	if !ok {
		return
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: probe, PathParams: params, Route: route},
		Status:                 status, Header: header, Body: io.NopCloser(bytes.NewReader(body)),
		Options: &openapi3filter.Options{IncludeResponseStatus: true},
	}
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		t.Errorf("%s %s → %d does not match the OpenAPI document: %v\n%s", req.Method, req.URL.Path, status, err, body)
	}
}

// CheckRequest fails the test when the JSON body of a request does not match the request
// body its operation declares, or is an object with fields while the operation declares no
// body. Call it for requests the server accepted: a body the server took and the document
// refuses means the document is wrong. Bodies of other media types (multipart uploads,
// files) are not checked.
func CheckRequest(t testing.TB, doc map[string]any, req *http.Request, body []byte) {
	t.Helper()
	if len(bytes.TrimSpace(body)) == 0 {
		return
	}
	if mt, _, _ := mime.ParseMediaType(req.Header.Get("Content-Type")); mt != "application/json" {
		return
	}
	probe, route, params, ok := findRoute(t, doc, req)
	if !ok {
		return
	}
	rb := route.Operation.RequestBody
	if rb == nil || rb.Value == nil {
		// A route without a body ignores one; fields it took would be undocumented.
		var fields map[string]any
		if json.Unmarshal(body, &fields) == nil && len(fields) > 0 {
			t.Errorf("%s %s accepted a JSON body with fields, but the OpenAPI document declares none: %s", req.Method, req.URL.Path, body)
		}
		return
	}
	probe.Body, probe.GetBody = io.NopCloser(bytes.NewReader(body)), nil
	in := &openapi3filter.RequestValidationInput{Request: probe, PathParams: params, Route: route,
		Options: &openapi3filter.Options{MultiError: true}}
	if err := openapi3filter.ValidateRequestBody(context.Background(), in, rb.Value); err != nil {
		t.Errorf("%s %s: the body the server accepted does not match the OpenAPI document: %v\n%s", req.Method, req.URL.Path, err, body)
	}
}

// findRoute finds the document's operation for req, failing the test when there is none.
// The probe is a copy of req with a path-only URL, as the router wants.
func findRoute(t testing.TB, doc map[string]any, req *http.Request) (*http.Request, *routers.Route, map[string]string, bool) {
	t.Helper()
	u := *req.URL
	u.Host, u.Scheme = "", ""
	probe := req.Clone(context.Background())
	probe.URL, probe.Host = &u, ""
	route, params, err := Router(t, doc).FindRoute(probe)
	if err != nil {
		t.Errorf("%s %s is not in the OpenAPI document: %v", req.Method, req.URL.Path, err)
		return nil, nil, nil, false
	}
	return probe, route, params, true
}
