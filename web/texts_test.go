package web

import (
	"io/fs"
	"regexp"
	"sort"
	"strings"
	"testing"
)

var (
	zhBlock = regexp.MustCompile(`(?s)Object\.assign\(T\.zh, \{(.*?)\}\);`)
	enBlock = regexp.MustCompile(`(?s)Object\.assign\(T\.en, \{(.*?)\}\);`)
	// app.js's own table: const T = {zh: {...}, en: {...}};
	mainZh  = regexp.MustCompile(`(?s)\bzh: \{(.*?)\},\n\s*en: \{`)
	mainEn  = regexp.MustCompile(`(?s)\n\s*en: \{(.*?)\}\n\};`)
	textKey = regexp.MustCompile(`[{,]\s*([A-Za-z_][A-Za-z0-9_]*):\s*"`)
)

func keys(block string) map[string]bool {
	out := map[string]bool{}
	for _, m := range textKey.FindAllStringSubmatch("{"+block, -1) {
		out[m[1]] = true
	}
	return out
}

// TestEveryTextHasBothLanguages: every UI text key, added by app.js's table or by any
// script's Object.assign(T.zh / T.en, …), has a Chinese and an English text.
func TestEveryTextHasBothLanguages(t *testing.T) {
	zh, en := map[string]bool{}, map[string]bool{}
	add := func(into map[string]bool, ms [][]string) {
		for _, m := range ms {
			for k := range keys(m[1]) {
				into[k] = true
			}
		}
	}
	err := fs.WalkDir(assets, "static", func(path string, d fs.DirEntry, err error) error {
		if err != nil || !strings.HasSuffix(path, ".js") {
			return err
		}
		b, _ := assets.ReadFile(path)
		add(zh, zhBlock.FindAllStringSubmatch(string(b), -1))
		add(en, enBlock.FindAllStringSubmatch(string(b), -1))
		add(zh, mainZh.FindAllStringSubmatch(string(b), -1))
		add(en, mainEn.FindAllStringSubmatch(string(b), -1))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !zh["chpw"] || !zh["inbox"] || !en["adResetPw"] {
		t.Fatalf("the texts were not found: %d zh, %d en", len(zh), len(en))
	}
	var missing []string
	for k := range zh {
		if !en[k] {
			missing = append(missing, k+" (no English)")
		}
	}
	for k := range en {
		if !zh[k] {
			missing = append(missing, k+" (no Chinese)")
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("texts in one language only: %s", strings.Join(missing, ", "))
	}
}
