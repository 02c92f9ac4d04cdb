package notify

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"text/template"
	"time"
	_ "time/tzdata" // Asia/Shanghai on minimal containers
)

//go:embed templates
var builtin embed.FS

// Languages the built-in templates are written in; the first is the fallback.
const (
	LangZH = "zh-CN"
	LangEN = "en"
)

// Generic is the kind used for a kind with no template of its own: it renders the
// notice's own Title and Body.
const Generic = "generic"

var shanghai = mustLocation("Asia/Shanghai")

func mustLocation(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err) // unreachable: time/tzdata is linked in
	}
	return l
}

// TemplateData is what a template sees. A kind uses the fields it needs; the rest are
// zero. Times are shown in Asia/Shanghai.
type TemplateData struct {
	Title      string // the notice's title as the workflow wrote it
	Body       string // the notice's body as the workflow wrote it
	Item       string // the item's (事项) title
	Plan       string
	Department string
	Recipient  string
	Obligation string // what is owed: 签收, 进展报送, 协办反馈
	Due        time.Time
	Level      string // "L1".."L4" for escalations
	LevelName  string // the ladder rung's name, e.g. 催办, 督办, 通报
	// Leadership: the rung sends the escalation to the leadership group (what the rung
	// declares, not what its level number is).
	Leadership bool
	Reason     string
	Comment    string
	URL        string
	At         time.Time
	Items      []DigestItem // digest only
}

// DigestItem is one line of a digest.
type DigestItem struct {
	Title      string
	Department string
	Status     string
	Due        time.Time
	Overdue    bool
	URL        string
}

var funcs = template.FuncMap{
	"date":     func(t time.Time) string { return formatTime(t, "2006-01-02") },
	"datetime": func(t time.Time) string { return formatTime(t, "2006-01-02 15:04") },
	"inc":      func(i int) int { return i + 1 },
}

func formatTime(t time.Time, layout string) string {
	if t.IsZero() {
		return ""
	}
	return t.In(shanghai).Format(layout)
}

// Templates renders a message's title and body per kind and language. A template's first
// line is the title; the rest, after a blank line, is the body. It is safe for concurrent
// use; the zero value holds no templates.
type Templates struct {
	mu  sync.RWMutex
	set map[string]map[string]*template.Template // lang → kind → template
	src map[string]map[string]string
}

// Defaults returns the built-in zh-CN and en templates.
func Defaults() *Templates {
	t := &Templates{set: map[string]map[string]*template.Template{}, src: map[string]map[string]string{}}
	err := fs.WalkDir(builtin, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := builtin.ReadFile(p)
		if err != nil {
			return err
		}
		lang, kind := path.Base(path.Dir(p)), strings.TrimSuffix(path.Base(p), ".tmpl")
		return t.Set(kind, lang, string(b))
	})
	if err != nil {
		panic(err) // unreachable: the embedded templates are tested
	}
	return t
}

// Kinds lists the kinds with a template in lang.
func (t *Templates) Kinds(lang string) []string {
	t.mu.RLock()
	defer t.mu.RUnlock()
	var kinds []string
	for k := range t.set[lang] {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	return kinds
}

// Source returns the text of kind's template in lang, for an editor.
func (t *Templates) Source(kind, lang string) (string, bool) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	s, ok := t.src[lang][kind]
	return s, ok
}

// Set replaces kind's template in lang after Validate accepts it.
func (t *Templates) Set(kind, lang, text string) error {
	tpl, err := compile(kind, text)
	if err != nil {
		return err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.set == nil {
		t.set, t.src = map[string]map[string]*template.Template{}, map[string]map[string]string{}
	}
	if t.set[lang] == nil {
		t.set[lang] = map[string]*template.Template{}
		t.src[lang] = map[string]string{}
	}
	t.set[lang][kind], t.src[lang][kind] = tpl, text
	return nil
}

// Render executes kind's template in lang with data. An unknown language falls back to
// zh-CN, an unknown kind to Generic.
func (t *Templates) Render(kind, lang string, data any) (title, body string, err error) {
	t.mu.RLock()
	byKind, ok := t.set[lang]
	if !ok {
		byKind = t.set[LangZH]
	}
	tpl, ok := byKind[kind]
	if !ok {
		tpl, ok = byKind[Generic]
	}
	t.mu.RUnlock()
	if !ok {
		return "", "", fmt.Errorf("notify: no template for kind %q in %q", kind, lang)
	}
	return execute(kind, tpl, data, sendOutput, sendTime)
}

// Validate parses text as kind's template and executes it against sample data, so a
// supervisor's edit with a typo is rejected before it is saved. The error is a
// *TemplateError naming the line.
func Validate(kind, text string) error {
	_, err := compile(kind, text)
	return err
}

func compile(kind, text string) (*template.Template, error) {
	tpl, err := template.New(kind).Funcs(funcs).Option("missingkey=error").Parse(text)
	if err != nil {
		return nil, templateError(kind, err)
	}
	if err := checkTree(kind, tpl); err != nil {
		return nil, err
	}
	title, _, err := execute(kind, tpl, Sample(), SampleOutput, SampleTime)
	if err != nil {
		return nil, err
	}
	if title == "" {
		return nil, &TemplateError{Kind: kind, Line: 1, Msg: "the first line (the title) is empty"}
	}
	return tpl, nil
}

// execute runs tpl with data, stopping it past max bytes of output or after d.
func execute(kind string, tpl *template.Template, data any, max int, d time.Duration) (string, string, error) {
	w := &limitedWriter{max: max, deadline: time.Now().Add(d)}
	if err := tpl.Execute(w, data); err != nil {
		if le := limitError(kind, err, max, d); le != nil {
			return "", "", le
		}
		return "", "", templateError(kind, err)
	}
	title, body, _ := strings.Cut(string(w.buf), "\n")
	return strings.TrimSpace(title), strings.TrimSpace(body), nil
}

// TemplateError is a template that does not parse or execute; Line is 1-based, 0 if unknown.
// MsgZH, when set, is Msg in Chinese (text/template's own messages are English only).
type TemplateError struct {
	Kind  string
	Line  int
	Msg   string
	MsgZH string
}

// Error names the kind and the line.
func (e *TemplateError) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("template %q: %s", e.Kind, e.Msg)
	}
	return fmt.Sprintf("template %q line %d: %s", e.Kind, e.Line, e.Msg)
}

// templateErrRE picks the line out of text/template's "template: name:line[:col]: msg".
var templateErrRE = regexp.MustCompile(`^template: [^:]*:(\d+)(?::\d+)?: (.*)$`)

func templateError(kind string, err error) error {
	var te *TemplateError
	if errors.As(err, &te) {
		return err
	}
	m := templateErrRE.FindStringSubmatch(err.Error())
	if m == nil {
		return &TemplateError{Kind: kind, Msg: err.Error()}
	}
	line, _ := strconv.Atoi(m[1])
	return &TemplateError{Kind: kind, Line: line, Msg: m[2]}
}

// Sample is the data Validate executes templates against: every field filled.
func Sample() TemplateData {
	due := time.Date(2025, 6, 30, 18, 0, 0, 0, shanghai)
	return TemplateData{
		Title: "【提醒】示例事项", Body: "示例正文。", Item: "推进老旧小区改造", Plan: "2025 年重点工作方案",
		Department: "市住建局", Recipient: "张三", Obligation: "进展报送", Due: due,
		Level: "L2", LevelName: "督办", Reason: "进展报送逾期未完成（期限 2025-06-30）",
		Comment: "请补充数据", URL: "https://duban.example/items/1", At: due.Add(-48 * time.Hour),
		Items: []DigestItem{
			{Title: "推进老旧小区改造", Department: "市住建局", Status: "办理中", Due: due, URL: "https://duban.example/items/1"},
			{Title: "优化营商环境", Department: "市发改委", Status: "逾期", Due: due.Add(-72 * time.Hour), Overdue: true},
		},
	}
}
