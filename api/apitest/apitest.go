// Package apitest checks HTTP responses against Duban's OpenAPI document in tests.
package apitest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
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
	u := *req.URL
	u.Host, u.Scheme = "", ""
	probe := req.Clone(context.Background())
	probe.URL, probe.Host = &u, ""
	route, params, err := Router(t, doc).FindRoute(probe)
	if err != nil {
		t.Errorf("%s %s is not in the OpenAPI document: %v", req.Method, req.URL.Path, err)
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
