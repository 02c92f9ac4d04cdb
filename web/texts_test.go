package web

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

var (
	// assignRe finds the texts a page script adds: Object.assign(T.zh, { … }).
	assignRe = regexp.MustCompile(`(?s)Object\.assign\(T\.(zh|en), \{(.*?)\}\);`)
	// baseRe finds app.js's own tables: zh: { … }, en: { … } inside const T.
	baseRe = regexp.MustCompile(`(?s)\n  (zh|en): \{(.*?)\}(?:,|\n\};)`)
	pairRe = regexp.MustCompile(`([A-Za-z_][A-Za-z0-9_]*):\s*"((?:[^"\\]|\\.)*)"`)
)

// texts reads every script's translation tables: language → key → file → text.
func texts(t *testing.T) map[string]map[string]map[string]string {
	t.Helper()
	files, _ := filepath.Glob("static/*.js")
	out := map[string]map[string]map[string]string{"zh": {}, "en": {}}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		src := string(b)
		blocks := assignRe.FindAllStringSubmatch(src, -1)
		if filepath.Base(f) == "app.js" {
			blocks = append(blocks, baseRe.FindAllStringSubmatch(src, -1)...)
		}
		for _, m := range blocks {
			for _, p := range pairRe.FindAllStringSubmatch(m[2], -1) {
				if out[m[1]][p[1]] == nil {
					out[m[1]][p[1]] = map[string]string{}
				}
				out[m[1]][p[1]][filepath.Base(f)] = p[2]
			}
		}
	}
	if len(out["zh"]) < 100 {
		t.Fatalf("only %d Chinese texts found: the pattern no longer matches the scripts", len(out["zh"]))
	}
	return out
}

// TestTextsDoNotCollide: the page scripts share one table of texts (T), so a key two
// scripts define with different texts shows one of them where the other was meant — the
// wizard's "目标值" field once took the indicator page's "目标" label, and a test looking
// for the field by its label could not find it.
func TestTextsDoNotCollide(t *testing.T) {
	for lang, keys := range texts(t) {
		for key, byFile := range keys {
			seen := map[string][]string{}
			for f, text := range byFile {
				seen[text] = append(seen[text], f)
			}
			if len(seen) > 1 {
				t.Errorf("%s text %q differs between scripts: %v", lang, key, seen)
			}
		}
	}
}

// TestEnglishForEveryChineseText: English is available for every Chinese text.
func TestEnglishForEveryChineseText(t *testing.T) {
	all := texts(t)
	var missing []string
	for key, byFile := range all["zh"] {
		if _, ok := all["en"][key]; !ok {
			for f := range byFile {
				missing = append(missing, f+": "+key)
			}
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("%d Chinese texts have no English:\n%s", len(missing), strings.Join(missing, "\n"))
	}
}
