package web

import (
	"regexp"
	"testing"
)

// TestWorkPagesTextsInBothLanguages: the sub-task and satisfaction-evaluation pages add
// their texts in Chinese and in English, with the same keys.
func TestWorkPagesTextsInBothLanguages(t *testing.T) {
	block := regexp.MustCompile(`(?s)Object\.assign\(T\.(zh|en), \{(.*?)\}\);`)
	key := regexp.MustCompile(`(?:^|,|\{)\s*(\w+)\s*:\s*"`)
	for _, f := range []string{"static/subtasks.js", "static/evaluations.js"} {
		b, err := assets.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		keys := map[string]map[string]bool{"zh": {}, "en": {}}
		for _, m := range block.FindAllStringSubmatch(string(b), -1) {
			for _, k := range key.FindAllStringSubmatch(m[2], -1) {
				keys[m[1]][k[1]] = true
			}
		}
		if len(keys["zh"]) == 0 {
			t.Fatalf("%s: no texts found", f)
		}
		for k := range keys["zh"] {
			if !keys["en"][k] {
				t.Errorf("%s: %s has no English text", f, k)
			}
		}
		for k := range keys["en"] {
			if !keys["zh"][k] {
				t.Errorf("%s: %s has no Chinese text", f, k)
			}
		}
	}
}
