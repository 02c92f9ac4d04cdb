package importer

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func testDirectory() *Directory {
	return NewDirectory([]Department{
		{Name: "市市场监管局", Aliases: []string{"市市场监督管理局", "市知识产权局"}},
		{Name: "市科技局"},
		{Name: "市中级人民法院", Aliases: []string{"市中院"}},
	}, []Group{{Name: "各县(区)人民政府", Members: []string{"甲县人民政府", "乙区人民政府"}}})
}

func TestResolve(t *testing.T) {
	d := testDirectory()
	cases := []struct {
		in, want string
		ok       bool
	}{
		{"市市场监管局", "市市场监管局", true},
		{"市市场监管局(知识产权局)", "市市场监管局", true},
		{"市市场监管局(知识产权局)", "市市场监管局", true},
		{"市市场监督管理局", "市市场监管局", true},
		{" 市 科技局 ", "市科技局", true},
		{"市中院", "市中级人民法院", true},
		{"市财政局", "", false},
	}
	for _, c := range cases {
		got, ok := d.Resolve(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("Resolve(%q) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
		}
	}
	var nilDir *Directory
	if _, ok := nilDir.Resolve("市科技局"); ok {
		t.Error("nil directory resolved a name")
	}
	// A registered name with a bracketed suffix answers to its base.
	d2 := NewDirectory([]Department{{Name: "市市场监管局(知识产权局)"}}, nil)
	if got, ok := d2.Resolve("市市场监管局"); !ok || got != "市市场监管局(知识产权局)" {
		t.Errorf("base of a bracketed name: %q %v", got, ok)
	}
}

func TestGroupPhrases(t *testing.T) {
	for _, g := range []string{"各县(区)人民政府", "各区县(市)人民政府", "各开发区管委会", "各国家级、省级园区管委会",
		"各重点产业链副链长部门", "某市知识产权工作领导小组成员单位", "某市知识产权联席会议成员单位", "各有关单位", "市直有关部门", "县(市、区)政府"} {
		if !isGroupPhrase(normaliseName(g)) {
			t.Errorf("%s is a group phrase", g)
		}
	}
	for _, n := range []string{"市市场监管局(知识产权局)", "市委宣传部", "宝鸡海关", "人行宝鸡市中心支行"} {
		if isGroupPhrase(normaliseName(n)) {
			t.Errorf("%s is not a group phrase", n)
		}
	}
}

// TestDirectoryInParse: names resolve, unknown ones stay with a warning on their line,
// configured and generic groups go to groups.
func TestDirectoryInParse(t *testing.T) {
	text := "一、重点任务\n1.甲。\n牵头单位:市市场监督管理局(知识产权局)\n配合单位:市科技局、市财政局,各县(区)人民政府、各开发区管委会"
	res := parseSnippet(t, text, Options{Directory: testDirectory()})
	it := itemByRef(t, res, "一1")
	if !reflect.DeepEqual(it.Lead, []string{"市市场监管局"}) || !reflect.DeepEqual(it.Partners, []string{"市科技局", "市财政局"}) ||
		!reflect.DeepEqual(it.Groups, []string{"各县(区)人民政府", "各开发区管委会"}) {
		t.Errorf("item = %+v", it)
	}
	if !hasWarning(res, 3, "unknown department \"市财政局\"") {
		t.Errorf("no unknown-department warning on line 3: %v", res.Warnings)
	}
	// Without a directory names stay as written, with punctuation normalised.
	res = parseSnippet(t, text, Options{})
	if it := itemByRef(t, res, "一1"); !reflect.DeepEqual(it.Lead, []string{"市市场监督管理局(知识产权局)"}) {
		t.Errorf("lead without directory = %q", it.Lead)
	}
}

// TestNoList: a news article with bullets and no numbered tasks is ErrNoList with the
// reason; tasks with no departments at all are a list with one warning each.
func TestNoList(t *testing.T) {
	news := "某省谱写新篇章\n来源:某网 2022-04-19\n  2022工作重点\n  ●持续强化战略引领\n  ●坚持高质量创造\n今年的工作取得了进展。"
	res, err := Parse([]byte(news), Options{})
	if !errors.Is(err, ErrNoList) {
		t.Fatalf("err = %v, want ErrNoList", err)
	}
	if res == nil || res.Plan.Title != "某省谱写新篇章" || res.Plan.Date != "2022-04-19" || len(res.Items) != 0 {
		t.Fatalf("result = %+v", res)
	}
	if !strings.Contains(err.Error(), "2 条“●”要点") || !strings.Contains(err.Error(), "bullet points") {
		t.Errorf("reason not explained: %v", err)
	}
	plan := "一、指导思想\n坚持创新。\n二、重点任务\n(一)完善机制\n1.建立工作机制。\n2.充实管理体系。\n三、保障措施\n(一)加强组织领导\n领导小组统筹协调。"
	res, err = Parse([]byte(plan), Options{})
	if err != nil {
		t.Fatalf("err = %v", err)
	}
	if len(res.Items) != 2 || !hasWarning(res, 5, "names no department") || !hasWarning(res, 6, "names no department") {
		t.Errorf("items %+v warnings %v", res.Items, res.Warnings)
	}
}
