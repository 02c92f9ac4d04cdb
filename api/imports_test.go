package api

import (
	"archive/zip"
	"bytes"
	"mime/multipart"
	"strings"
	"testing"

	"github.com/dubanhq/duban/store/storetest"
)

// importFile posts a document to the import as the wizard does, as a dry run.
func (f *fixture) importFile(token, name string, data []byte) resp {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", name)
	_, _ = fw.Write(data)
	_ = mw.WriteField("dry_run", "true")
	_ = mw.Close()
	return f.do("POST", "/api/v1/plans/import", token, body.Bytes(), "Content-Type", mw.FormDataContentType())
}

// zipBomb is a .docx of a few hundred KB whose document.xml unpacks to 200 MB of spaces.
func zipBomb(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create("word/document.xml")
	if err != nil {
		t.Fatal(err)
	}
	chunk := []byte(strings.Repeat(" ", 1<<20))
	for i := 0; i < 200; i++ {
		_, _ = w.Write(chunk)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestImportZipBomb: a .docx that unpacks past the cap is a 413 before it is unpacked.
func TestImportZipBomb(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	r := f.importFile(f.login("sup"), "方案.docx", zipBomb(t))
	if r.status != 413 || r.body["field"] != "file" {
		t.Errorf("zip bomb: %d %v", r.status, r.body)
	}
}

// TestImportConcurrencyLimit: with every import slot taken, another import is a 429 with
// Retry-After; once a slot frees, it goes through.
func TestImportConcurrencyLimit(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	s := f.srv.Config.Handler.(*Server)
	for i := 0; i < cap(s.imports); i++ {
		s.imports <- struct{}{}
	}
	sup := f.login("sup")
	doc := map[string]any{"text": "一、任务\n1.推进甲工作。(牵头单位:市甲局)", "dry_run": true}
	r := f.do("POST", "/api/v1/plans/import", sup, doc)
	if r.status != 429 || r.header.Get("Retry-After") == "" {
		t.Errorf("every slot taken: %d %v", r.status, r.body)
	}
	<-s.imports
	if r := f.do("POST", "/api/v1/plans/import", sup, doc); r.status != 200 {
		t.Errorf("a slot free: %d %v", r.status, r.body)
	}
}
