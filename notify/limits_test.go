package notify

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// TestTemplateCostIsBounded: edits that would loop, recurse or write without end are
// refused quickly, naming the problem; ordinary ranges over the data still work.
func TestTemplateCostIsBounded(t *testing.T) {
	cases := map[string]struct{ text, want string }{
		"range over a number":   {"标题\n{{range 10000}}{{range 1000}}x{{end}}{{end}}", "may only go over a list"},
		"range over a variable": {"标题\n{{$n := 100000000}}{{range $n}}{{end}}", "may only go over a list"},
		"ranges too deep":       {"标题\n{{range .Items}}{{range $.Items}}{{range $.Items}}x{{end}}{{end}}{{end}}", "nested more than 2"},
		"define":                {"标题\n{{define \"a\"}}{{template \"a\"}}{{template \"a\"}}{{end}}{{template \"a\"}}", "not allowed"},
		"template call":         {"标题\n{{template \"x\"}}", "not allowed"},
		"output too long":       {"标题\n{{range .Items}}{{range $.Items}}{{printf \"%0900000d\" 1}}{{end}}{{end}}", "longer than 64 KB"},
	}
	for name, c := range cases {
		start := time.Now()
		err := Validate("reminder", c.text)
		var te *TemplateError
		if !errors.As(err, &te) || !strings.Contains(te.Msg, c.want) || te.MsgZH == "" {
			t.Errorf("%s: %v, want a TemplateError saying %q in both languages", name, err, c.want)
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("%s: refused after %v", name, d)
		}
	}
	if err := Validate("reminder", "标题\n{{range $i, $e := .Items}}{{inc $i}}. {{$e.Title}}{{range $.Items}}-{{end}}{{end}}"); err != nil {
		t.Errorf("ranges over the data refused: %v", err)
	}
	w := &limitedWriter{max: 100, deadline: time.Now().Add(-time.Second)}
	if _, err := w.Write([]byte("x")); !errors.Is(err, errTooSlow) {
		t.Errorf("a write after the deadline: %v", err)
	}
	if err := limitError("reminder", errTooSlow, SampleOutput, SampleTime); err == nil || !strings.Contains(err.Error(), "longer than 1s") {
		t.Errorf("time limit error: %v", err)
	}
}
