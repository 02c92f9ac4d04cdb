package integration

import (
	"bytes"
	"context"
	"encoding/base64"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"github.com/dubanhq/duban/store/storetest"
)

var updateScreenshots = flag.Bool("update-screenshots", false, "write README screenshots to docs/")

// chromium finds Debian's Chromium; CI installs it (.ci/run), elsewhere the test skips.
func chromium(t *testing.T) string {
	for _, p := range []string{os.Getenv("DUBAN_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if p != "" {
			if _, err := exec.LookPath(p); err == nil {
				return p
			}
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("Chromium is required under CI=true (.ci/run installs Debian's chromium)")
	}
	t.Skip("no Chromium; install Debian's chromium to run the browser tests")
	return ""
}

// headless starts a Chromium for the test (closed at its end), window 1366 wide and height
// tall, without background networking; extra adds flags.
func headless(t *testing.T, exe string, height int, extra ...chromedp.ExecAllocatorOption) context.Context {
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.WindowSize(1366, height))
	alloc, cancel := chromedp.NewExecAllocator(context.Background(), append(opts, extra...)...)
	t.Cleanup(cancel)
	return alloc
}

// browser is one person's headless Chromium session (own cookies).
type browser struct {
	t    *testing.T
	ctx  context.Context
	base string
}

func newBrowser(t *testing.T, alloc context.Context, base string) *browser {
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(cancel)
	// The first Run starts the tab on ctx itself: a step's own timeout must not close it.
	if err := chromedp.Run(ctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return &browser{t: t, ctx: ctx, base: base}
}

// run runs one step with its own minute; when it fails, the page's main element is shown.
func (b *browser) run(what string, actions ...chromedp.Action) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, time.Minute)
	defer cancel()
	if err := chromedp.Run(ctx, actions...); err != nil {
		var html, url string
		dump, cancelDump := context.WithTimeout(b.ctx, 10*time.Second)
		defer cancelDump()
		_ = chromedp.Run(dump, chromedp.Location(&url), chromedp.OuterHTML("main", &html, chromedp.ByQuery))
		b.t.Fatalf("%s: %v\nat %s the page shows:\n%.3000s", what, err, url, html)
	}
}

func (b *browser) login(user string) {
	b.run("login "+user,
		chromedp.Navigate(b.base+"/login"),
		chromedp.WaitVisible("#u", chromedp.ByQuery),
		chromedp.SendKeys("#u", user, chromedp.ByQuery),
		chromedp.SendKeys("#p", "password-1", chromedp.ByQuery),
		chromedp.Click(`button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#logout`, chromedp.ByQuery),
	)
}

// open loads a page and waits for an element.
func (b *browser) open(path, xpath string) {
	b.run("open "+path, chromedp.Navigate(b.base+path), chromedp.WaitVisible(xpath, chromedp.BySearch))
}

// shot saves a screenshot of the page: into docs/ with -update-screenshots (the README's),
// and into $DUBAN_ARTIFACTS when set (CI keeps every browser test's screens there).
func (b *browser) shot(name string) {
	dirs := []string{}
	if *updateScreenshots {
		dirs = append(dirs, filepath.Join("..", "docs"))
	}
	if d := os.Getenv("DUBAN_ARTIFACTS"); d != "" {
		dirs = append(dirs, d)
	}
	if len(dirs) == 0 {
		return
	}
	var png []byte
	b.run("screenshot", chromedp.Sleep(500*time.Millisecond), chromedp.FullScreenshot(&png, 100))
	for _, d := range dirs {
		if err := os.MkdirAll(d, 0o755); err != nil {
			b.t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(d, name), png, 0o644); err != nil {
			b.t.Fatal(err)
		}
	}
}

// TestBrowserWalkthrough drives the UI in headless Chromium as each role: the liaison signs
// and reports, the supervisor returns, the liaison resubmits, the supervisor approves, the
// leader writes an instruction, the partner that never signs turns the item red up the
// ladder, and the supervisor exports the ledger, which opens as a spreadsheet.
func TestBrowserWalkthrough(t *testing.T) {
	exe := chromium(t)
	s := start(t, storetest.SQLite(t))
	s.people(map[string]string{"sup": "supervisor", "la": "liaison", "lb": "liaison", "boss": "leader", "admin": "admin", "view": "viewer"})
	sup := s.login("sup", "password-1")
	var policy map[string]any
	_ = jsonUnmarshal(`{"sign_within":"6s","cadence":"every 1h","remind_before":["2s"],"ladder":[{"level":1,"name":"催办","after":"0s","notify":["liaison"]},{"level":2,"name":"督办通知","after":"2s","notify":["supervisor"]},{"level":3,"name":"通报","after":"1h","notify":["leadership"]}]}`, &policy)
	var out struct {
		Items  []struct{ ID uint64 } `json:"items"`
		PlanID uint64                `json:"plan_id"`
	}
	s.must(201, sup, "POST", "/api/v1/plans/import", map[string]any{"text": planText, "policy": policy}, &out)
	item := "/items/" + itoa(out.Items[0].ID)

	alloc := headless(t, exe, 860, chromedp.Flag("disable-quic", true), chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true))

	liaison := newBrowser(t, alloc, s.http.URL)
	liaison.login("la")
	liaison.open("/", `//a[contains(., "新增PCT国际申请")]`)
	// Deadlines counted without a year's holiday notice are announced on every page.
	var cal struct {
		ProvisionalYears []int `json:"provisional_years"`
	}
	s.must(200, sup, "GET", "/api/v1/calendar", nil, &cal)
	if len(cal.ProvisionalYears) > 0 {
		liaison.run("provisional calendar warning", chromedp.WaitVisible(
			fmt.Sprintf(`//p[@id="calwarn" and contains(., "%d 年节假日安排尚未导入")]`, cal.ProvisionalYears[0]), chromedp.BySearch))
	} else {
		liaison.run("no calendar warning", chromedp.WaitNotVisible(`#calwarn`, chromedp.ByQuery))
	}
	liaison.shot("liaison.png")
	liaison.open(item, `//button[text()="签收"]`)
	liaison.run("sign", chromedp.Click(`//button[text()="签收"]`, chromedp.BySearch),
		chromedp.WaitVisible(`//h3[text()="进展报送"]/following-sibling::textarea`, chromedp.BySearch))
	report := func(text string) {
		liaison.run("report", chromedp.SendKeys(`//h3[text()="进展报送"]/following-sibling::textarea`, text, chromedp.BySearch),
			chromedp.Click(`//h3[text()="进展报送"]/following-sibling::button`, chromedp.BySearch),
			chromedp.WaitVisible(`//li[contains(., "进展报送")]`, chromedp.BySearch))
	}
	evidence := filepath.Join(t.TempDir(), "统计表.csv")
	_ = os.WriteFile(evidence, []byte("PCT,3\n"), 0o600)
	liaison.run("indicator value and attachment", chromedp.SendKeys(`//label[contains(., "PCT")]/input`, "3", chromedp.BySearch),
		chromedp.SetUploadFiles(`//h3[text()="进展报送"]/following-sibling::label/input[@type="file"]`, []string{evidence}, chromedp.BySearch))
	report("本月新增PCT申请3件")
	liaison.run("attachment in the timeline", chromedp.WaitVisible(`//li//a[text()="统计表.csv"]`, chromedp.BySearch))
	// The value typed in the form went with the report through the workflow into its
	// submission: the indicator's series has it.
	var inds struct {
		Indicators []struct {
			Series []struct {
				Value  float64 `json:"value"`
				Source string  `json:"source"`
			} `json:"series"`
		} `json:"indicators"`
	}
	s.must(200, sup, "GET", "/api/v1"+item+"/indicators", nil, &inds)
	if len(inds.Indicators) != 1 || len(inds.Indicators[0].Series) != 1 || inds.Indicators[0].Series[0].Value != 3 ||
		inds.Indicators[0].Series[0].Source != "report" {
		t.Errorf("the indicator value typed in the form must reach the workflow: %+v", inds)
	}

	supervisor := newBrowser(t, alloc, s.http.URL)
	supervisor.login("sup")
	supervisor.open(item, `//button[text()="退回"]`)
	supervisor.run("return", chromedp.SendKeys(`textarea[placeholder="意见"]`, "请补充数据来源", chromedp.ByQuery),
		chromedp.Click(`//button[text()="退回"]`, chromedp.BySearch),
		chromedp.WaitVisible(`//li[contains(., "退回")]`, chromedp.BySearch))

	liaison.open(item, `//h3[text()="进展报送"]`)
	report("补充:数据来源为市知识产权局统计")
	supervisor.open(item, `//button[text()="通过"]`)
	supervisor.run("approve", chromedp.Click(`//button[text()="通过"]`, chromedp.BySearch),
		chromedp.WaitVisible(`//li[contains(., "审核通过")]`, chromedp.BySearch))

	leader := newBrowser(t, alloc, s.http.URL)
	leader.login("boss")
	leader.open(item, `//h3[text()="批示"]/following-sibling::textarea`)
	leader.run("instruction", chromedp.SendKeys(`//h3[text()="批示"]/following-sibling::textarea`, "请加快推进", chromedp.BySearch),
		chromedp.Click(`//h3[text()="批示"]/following-sibling::button`, chromedp.BySearch),
		chromedp.WaitVisible(`//li[contains(., "领导批示")]`, chromedp.BySearch))

	// Admin and viewer sign in and see the items; neither is offered actions on them.
	for _, who := range []string{"admin", "view"} {
		b := newBrowser(t, alloc, s.http.URL)
		b.login(who)
		b.open(item, `//h2[text()="办理记录"]`)
		var actions bool
		b.run("no actions for "+who, chromedp.Evaluate(`!!document.querySelector("section.actions")`, &actions))
		if actions {
			t.Errorf("%s is offered item actions", who)
		}
	}

	// The plan overview draws the section's progress and the indicator against its pace.
	leader.open("/plans/"+itoa(out.PlanID), `//h2[text()="指标与序时进度"]`)
	var bars int
	leader.run("chart", chromedp.Evaluate(`document.querySelectorAll("svg.chart rect").length`, &bars))
	var indRow string
	leader.run("indicator row", chromedp.Text(`//td[contains(., "PCT")]/..`, &indRow, chromedp.BySearch))
	if bars != 4 || !strings.Contains(indRow, "3 / ≥ 20件") {
		t.Errorf("plan overview: %d bars, indicator row %q", bars, indRow)
	}
	leader.shot("plan.png")

	// 市乙局 never signs: after 6s the item is red at L1, then L2 two seconds later.
	supervisor.open("/board", `//h1[text()="督办看板"]`)
	deadline := time.Now().Add(45 * time.Second)
	for {
		var row string
		supervisor.run("board", chromedp.Navigate(s.http.URL+"/board"), chromedp.WaitVisible(`table`, chromedp.ByQuery),
			chromedp.Text(`tbody tr`, &row, chromedp.ByQuery))
		var red bool
		supervisor.run("red dot", chromedp.Evaluate(`!!document.querySelector("tbody tr .dot.red")`, &red))
		if red && strings.Contains(row, "督办通知") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the item never turned red at 督办通知 (L2): %q red=%v", row, red)
		}
		time.Sleep(time.Second)
	}
	supervisor.shot("screenshot.png")
	supervisor.open(item, `//li[contains(., "升级督办 · 督办通知")]`)
	supervisor.shot("item.png")

	var b64 string
	supervisor.run("export", chromedp.Evaluate(`fetch("/api/v1/items/export?format=xlsx").then(r => r.arrayBuffer()).then(b => {
		let s = ""; new Uint8Array(b).forEach(c => s += String.fromCharCode(c)); return btoa(s); })`, &b64,
		func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }))
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("the exported ledger does not open: %v", err)
	}
	rows, _ := x.GetRows("台账")
	if len(rows) != 2 || rows[0][0] != "序号" || rows[1][3] != "市甲局" || rows[1][9] != "督办通知" || rows[1][10] != "红" {
		t.Errorf("ledger: %v", rows)
	}
}

// TestBrowserImportWizard uploads a plan in the wizard, fixes a row's title and partners in
// the preview, and launches: the plan keeps its metadata and the item carries the fix.
func TestBrowserImportWizard(t *testing.T) {
	exe := chromium(t)
	s := start(t, storetest.SQLite(t))
	s.people(map[string]string{"sup": "supervisor"})
	file := filepath.Join(t.TempDir(), "plan.txt")
	if err := os.WriteFile(file, []byte(planText), 0o600); err != nil {
		t.Fatal(err)
	}
	alloc := headless(t, exe, 860)
	b := newBrowser(t, alloc, s.http.URL)
	b.login("sup")
	b.open("/import", `#preview`)
	b.run("preview", chromedp.SetUploadFiles(`input[type=file]`, []string{file}, chromedp.ByQuery),
		chromedp.Click(`#preview`, chromedp.ByQuery), chromedp.WaitVisible(`#launch`, chromedp.ByQuery))
	b.run("fix", chromedp.Evaluate(`document.querySelector('#rows tbody tr textarea[aria-label="任务"]').value = "新增PCT国际申请25件以上";
		document.querySelector('#rows tbody tr textarea[aria-label="配合单位"]').value = ""; true`, nil),
		chromedp.Click(`#launch`, chromedp.ByQuery), chromedp.WaitVisible(`//p[contains(., "已启动督办的事项数：1")]`, chromedp.BySearch))
	sup := s.login("sup", "password-1")
	var plans []struct {
		ID        uint64 `json:"id"`
		Title     string `json:"title"`
		DocNumber string `json:"doc_number"`
	}
	s.must(200, sup, "GET", "/api/v1/plans", nil, &plans)
	if len(plans) != 1 || plans[0].DocNumber != "测试政〔2026〕1号" {
		t.Fatalf("the edited launch must keep the document's metadata: %+v", plans)
	}
	var list struct {
		Items []struct {
			Title       string
			Assignments []struct{ Department, Role string }
		}
	}
	s.must(200, sup, "GET", "/api/v1/items", nil, &list)
	if len(list.Items) != 1 || list.Items[0].Title != "新增PCT国际申请25件以上" || len(list.Items[0].Assignments) != 1 {
		t.Errorf("the fixed row was not launched as edited: %+v", list.Items)
	}
}

// TestBrowserSlowPageStaysBehind: the item list answers slowly (held 1.5 s in the browser);
// the supervisor moves on to the assessments page before it arrives. The late answer must not
// draw the old page over the new one — the race that made a leader land on the board instead
// of the accountability page they had opened.
func TestBrowserSlowPageStaysBehind(t *testing.T) {
	exe := chromium(t)
	s := start(t, storetest.SQLite(t))
	s.people(map[string]string{"sup": "supervisor"})
	alloc := headless(t, exe, 860)
	b := newBrowser(t, alloc, s.http.URL)
	b.login("sup")
	chromedp.ListenTarget(b.ctx, func(ev any) {
		if e, ok := ev.(*fetch.EventRequestPaused); ok {
			go func() {
				time.Sleep(1500 * time.Millisecond)
				c := chromedp.FromContext(b.ctx)
				_ = fetch.ContinueRequest(e.RequestID).Do(cdp.WithExecutor(b.ctx, c.Target))
			}()
		}
	})
	b.run("hold the item list", fetch.Enable().WithPatterns([]*fetch.RequestPattern{{URLPattern: "*/api/v1/items?*", RequestStage: fetch.RequestStageRequest}}))
	b.open("/", `#logout`)
	b.open("/#/assessments", `#as-run`)
	var present bool
	b.run("after the item list arrives", chromedp.Sleep(2500*time.Millisecond),
		chromedp.Evaluate(`document.querySelector("#as-run") !== null && !document.querySelector("main .summary")`, &present))
	if !present {
		t.Error("the board, answered late, replaced the assessments page the user had moved to")
	}
}
