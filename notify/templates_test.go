package notify

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// The kinds the item workflow writes (workflows/*.go w.notice) plus the notifier's own.
var engineKinds = []string{"assigned", "reminder", "overdue", "escalation", "extension", "instruction",
	"cancelled", "contribution", "review", "returned", "completed", "digest", "test", "urge", Generic}

func TestTemplatesRenderEveryKindInBothLanguages(t *testing.T) {
	tpl := Defaults()
	for _, lang := range []string{LangZH, LangEN} {
		if kinds := tpl.Kinds(lang); !slices.Equal(kinds, slices.Sorted(slices.Values(engineKinds))) {
			t.Errorf("%s kinds = %v", lang, kinds)
		}
		for _, kind := range engineKinds {
			title, body, err := tpl.Render(kind, lang, Sample())
			if err != nil {
				t.Errorf("%s/%s: %v", lang, kind, err)
				continue
			}
			if title == "" || body == "" || strings.Contains(title+body, "<no value>") || strings.Contains(title, "\n") {
				t.Errorf("%s/%s: title %q body %q", lang, kind, title, body)
			}
		}
	}
}

func TestTemplatesContent(t *testing.T) {
	tpl := Defaults()
	d := Sample()
	title, body, _ := tpl.Render("reminder", LangZH, d)
	if title != "【提醒】推进老旧小区改造" || !strings.Contains(body, "2025-06-30 18:00") {
		t.Errorf("reminder: %q / %q", title, body)
	}
	title, _, _ = tpl.Render("escalation", LangEN, d)
	if title != "[督办] 推进老旧小区改造" { // the rung's name, never L2
		t.Errorf("escalation: %q", title)
	}
	d.LevelName = "通报"
	if title, _, _ = tpl.Render("escalation", LangZH, d); title != "【通报】推进老旧小区改造" {
		t.Errorf("escalation: %q", title)
	}
	if _, body, _ = tpl.Render("escalation", LangZH, d); strings.Contains(body, "上级领导") {
		t.Errorf("a rung that does not go to the leadership says it does: %q", body)
	}
	// What the rung declares decides the leadership line, not its level: a fifth rung of
	// a long ladder and a second rung of a short one alike.
	for _, level := range []string{"L2", "L5"} {
		d.Level, d.Leadership = level, true
		if _, body, _ = tpl.Render("escalation", LangZH, d); !strings.Contains(body, "上级领导") {
			t.Errorf("%s escalation to the leadership lacks the leadership line: %q", level, body)
		}
	}
	_, body, _ = tpl.Render("digest", LangZH, d)
	if lines := strings.Split(body, "\n"); len(lines) != 2 || !strings.Contains(lines[1], "[已逾期]") {
		t.Errorf("digest: %q", body)
	}
	// An unknown language falls back to zh-CN, an unknown kind to the notice's own text.
	title, _, _ = tpl.Render("reminder", "fr", d)
	if !strings.HasPrefix(title, "【提醒】") {
		t.Errorf("fallback language: %q", title)
	}
	title, body, _ = tpl.Render("something-new", LangEN, d)
	if title != d.Title || body != d.Body {
		t.Errorf("fallback kind: %q / %q", title, body)
	}
	// A map works as data too.
	title, _, err := tpl.Render(Generic, LangZH, map[string]any{"Title": "T", "Body": "B"})
	if err != nil || title != "T" {
		t.Errorf("map data: %q, %v", title, err)
	}
}

func TestValidateNamesTheLine(t *testing.T) {
	for _, c := range []struct {
		text string
		line int
		msg  string
	}{
		{"【提醒】{{.Item}}\n\n{{.Obligation}将于 {{datetime .Due}} 到期。", 3, "U+007D"},
		{"【提醒】{{.Item}}\n\n正文\n{{.Itme}}", 4, "Itme"},
		{"【提醒】{{.Item}}\n\n{{datetme .Due}}", 3, "datetme"},
		{"【提醒】{{.Item}}\n\n{{if .Due}}\n未结束", 4, "unexpected EOF"},
		{"\n\n正文", 1, "title"},
	} {
		err := Validate("reminder", c.text)
		var te *TemplateError
		if !errors.As(err, &te) {
			t.Errorf("Validate(%q) = %v, want a *TemplateError", c.text, err)
			continue
		}
		if te.Line != c.line || !strings.Contains(te.Error(), c.msg) || !strings.Contains(te.Error(), "line") {
			t.Errorf("Validate(%q) = %v, want line %d mentioning %q", c.text, err, c.line, c.msg)
		}
	}
	if err := Validate("reminder", "【提醒】{{.Item}}\n\n{{.Obligation}}将于 {{datetime .Due}} 到期。"); err != nil {
		t.Errorf("a good edit was rejected: %v", err)
	}
}

func TestTemplatesSet(t *testing.T) {
	tpl := Defaults()
	if err := tpl.Set("reminder", LangZH, "{{.Item"); err == nil {
		t.Fatal("Set accepted a broken template")
	}
	if title, _, _ := tpl.Render("reminder", LangZH, Sample()); !strings.HasPrefix(title, "【提醒】") {
		t.Errorf("a rejected edit replaced the template: %q", title)
	}
	edit := "请办理:{{.Item}}\n\n{{.Department}},{{.Obligation}}截止 {{date .Due}}。"
	if err := tpl.Set("reminder", LangZH, edit); err != nil {
		t.Fatal(err)
	}
	title, body, _ := tpl.Render("reminder", LangZH, Sample())
	if title != "请办理:推进老旧小区改造" || body != "市住建局,进展报送截止 2025-06-30。" {
		t.Errorf("edited: %q / %q", title, body)
	}
	if src, ok := tpl.Source("reminder", LangZH); !ok || src != edit {
		t.Errorf("Source = %q", src)
	}
	var zero Templates
	if err := zero.Set("test", LangEN, "T\n\nB"); err != nil {
		t.Fatal(err)
	}
	if Defaults().Kinds(LangZH)[0] != "assigned" {
		t.Error("Defaults shares state between calls")
	}
}
