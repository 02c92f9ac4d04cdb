// Package web serves Duban's user interface: one HTML shell and a small script over the JSON
// API, embedded in the binary so it works on an air-gapped intranet (no CDN, no external
// fonts or scripts). There is no build step: what is in static/ is what is served.
package web

import (
	"embed"
	"io/fs"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

// CSP is the Content-Security-Policy of the UI (and of every other answer): scripts and
// styles only from Duban's own files, no inline script, no plugins, no framing (against
// clickjacking), no <base> pointing elsewhere. The UI sets styles through element.style,
// which CSP allows, and has no inline style attributes or event handler attributes.
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

//go:embed static
var assets embed.FS

// Register mounts the UI: static assets under /ui/ and the shell for every page route.
func Register(e *echo.Echo) {
	sub, _ := fs.Sub(assets, "static")
	files := http.FileServer(http.FS(sub))
	e.GET("/ui/*", echo.WrapHandler(http.StripPrefix("/ui/", cacheable(files))))
	shell := func(c echo.Context) error {
		b, err := assets.ReadFile("static/index.html")
		if err != nil {
			return err
		}
		c.Response().Header().Set("Content-Security-Policy", CSP)
		c.Response().Header().Set("X-Content-Type-Options", "nosniff")
		return c.HTMLBlob(http.StatusOK, b)
	}
	e.GET("/favicon.ico", func(c echo.Context) error {
		c.Response().Header().Set("Cache-Control", "max-age=86400")
		return c.Blob(http.StatusOK, "image/svg+xml", favicon)
	})
	for _, p := range []string{"/", "/login", "/items", "/items/:id", "/board", "/inbox", "/escalations", "/reviews", "/import", "/admin", "/ranking", "/plans", "/plans/:id", "/notify", "/ledger", "/items/:id/print", "/escalations/:id/print", "/password", "/evaluations", "/evaluations/:id", "/evaluate",
		"/cases/new", "/meetings/new", "/items/:id/assign-print", "/items/:id/close-print"} {
		e.GET(p, shell)
	}
}

func cacheable(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, ".js") || strings.HasSuffix(r.URL.Path, ".css") {
			w.Header().Set("Cache-Control", "no-cache")
		}
		w.Header().Set("X-Content-Type-Options", "nosniff")
		h.ServeHTTP(w, r)
	})
}

// favicon is a red seal with 督, drawn inline so nothing is fetched from outside.
var favicon = []byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#b71c1c"/><text x="16" y="23" font-size="20" text-anchor="middle" fill="#fff">督</text></svg>`)
