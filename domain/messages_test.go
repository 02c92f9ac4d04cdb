package domain

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// Every Chinese text Duban writes itself (messages, notices, warnings, the circular's own
// lines) punctuates full-width, as GB/T 15834 and every clerk expect, and a bilingual
// message splits at " / " so that the UI and the API show one language, not both. Of the
// importer only the messages are read (importerMessages): its other strings are patterns for
// the documents' own punctuation, which comes in both widths. Demo and benchmark data are
// left out.
func TestChineseTextIsFullWidthAndBilingualMessagesSplit(t *testing.T) {
	badSplit := regexp.MustCompile(`\S/ [A-Za-z]`)
	skip := map[string]bool{"bench": true, "cmd/duban/demo.go": true, "store/migrate.go": true, "node_modules": true}
	fset := token.NewFileSet()
	checked := 0
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel("..", path)
		rel = filepath.ToSlash(rel)
		if skip[rel] || (d.IsDir() && rel != "." && strings.HasPrefix(d.Name(), ".")) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() || !strings.HasSuffix(rel, ".go") || strings.HasSuffix(rel, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		if strings.HasPrefix(rel, "importer/") {
			importerMessages(t, fset, rel, f)
			return nil
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING || lit.Value[0] != '"' {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil || !han.MatchString(s) {
				return true
			}
			checked++
			at := fset.Position(lit.Pos())
			if badSplit.MatchString(s) {
				t.Errorf("%s:%d: %q: a bilingual message is written \"中文 / English\", spaces on both sides of the slash", rel, at.Line, s)
			}
			zh, _, _ := strings.Cut(s, " / ")
			checkZH(t, fmt.Sprintf("%s:%d", rel, at.Line), zh)
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 100 {
		t.Fatalf("only %d Chinese strings found: is the walk looking at the repository?", checked)
	}
}

// importerMessages checks the Chinese text of the importer's warnings and refusals only:
// the zh argument of warn, newWarning and msg (zh, en as their last two), a literal or the
// format of a fmt.Sprintf. Its other strings are patterns for the documents' punctuation.
func importerMessages(t *testing.T, fset *token.FileSet, rel string, f *ast.File) {
	t.Helper()
	ast.Inspect(f, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || len(call.Args) < 2 {
			return true
		}
		var name string
		switch fn := call.Fun.(type) {
		case *ast.Ident:
			name = fn.Name
		case *ast.SelectorExpr:
			name = fn.Sel.Name
		}
		if name != "warn" && name != "newWarning" && name != "msg" {
			return true
		}
		arg := call.Args[len(call.Args)-2]
		if sp, ok := arg.(*ast.CallExpr); ok && len(sp.Args) > 0 {
			arg = sp.Args[0]
		}
		if lit, ok := arg.(*ast.BasicLit); ok && lit.Kind == token.STRING {
			if zh, err := strconv.Unquote(lit.Value); err == nil {
				checkZH(t, fmt.Sprintf("%s:%d", rel, fset.Position(lit.Pos()).Line), zh)
			}
		}
		return true
	})
}

var (
	han     = regexp.MustCompile(`\p{Han}`)
	half    = regexp.MustCompile(`\p{Han}[,;:?!()]|[,;:()]\p{Han}`)
	letters = regexp.MustCompile(`[A-Za-z]`)
	english = regexp.MustCompile(`^[A-Za-z%]`)
)

// checkZH reports half-width punctuation beside a Chinese character in zh, a Chinese text
// (an English text naming a Chinese term is passed over: one that begins in English, such as
// "Sign (签收)", or has more than twice as many Latin letters as Chinese characters).
func checkZH(t *testing.T, where, zh string) {
	t.Helper()
	if n := len(han.FindAllString(zh, -1)); n == 0 || english.MatchString(zh) || len(letters.FindAllString(zh, -1)) > 2*n {
		return
	}
	if m := half.FindString(zh); m != "" {
		t.Errorf("%s: %q: half-width %q in Chinese text", where, zh, m)
	}
}

// The Chinese message templates and the UI's Chinese texts follow the same rule: the text
// of a template outside its actions, and every Chinese string of the UI's scripts.
func TestChineseTemplatesAndUITextAreFullWidth(t *testing.T) {
	actions := regexp.MustCompile(`(?s)\{\{.*?\}\}`)
	tmpls, _ := filepath.Glob("../notify/templates/zh-CN/*.tmpl")
	scripts, _ := filepath.Glob("../web/static/*.js")
	if len(tmpls) < 10 || len(scripts) < 10 {
		t.Fatalf("found %d templates and %d scripts: is the test looking at the repository?", len(tmpls), len(scripts))
	}
	for _, p := range tmpls {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(b), "\n") {
			// An action stands for a value: a Chinese character, for the rule's sake.
			checkZH(t, fmt.Sprintf("%s:%d", filepath.Base(p), i+1), actions.ReplaceAllString(line, "值"))
		}
	}
	str := regexp.MustCompile(`"(?:[^"\\\n]|\\.)*"`)
	for _, p := range scripts {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(strings.TrimSpace(line), "//") {
				continue
			}
			for _, s := range str.FindAllString(line, -1) {
				checkZH(t, fmt.Sprintf("%s:%d", filepath.Base(p), i+1), s[1:len(s)-1])
			}
		}
	}
}
