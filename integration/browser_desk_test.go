package integration

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/dubanhq/duban/auth"
	"github.com/dubanhq/duban/store"
	"github.com/dubanhq/duban/store/storetest"
)

// ankangSeed is 安康市专利转化运用促进知识产权高质量发展若干措施 (安政办发〔2024〕13号) in
// ../shared/seeds: twelve measures that list their units without naming a lead, in short
// forms (市市场监管局, 市工信局), the first with a deadline already past (2025-12-31).
const ankangSeed = "../../shared/seeds/002_6b755dbcce891b89.txt"

// TestBrowserDesk walks the supervision desk as a clerk does with a real plan. The import
// wizard matches the short forms to the registry's full names by abbreviation, refuses to
// launch while one unit (市公安局, registered as 安康市公安局) is unsettled, and launches once
// it is mapped, creating no department and keeping the name as an alias; the first listed
// unit leads; a row gets an indicator in the preview. The measure whose deadline has passed
// is not escalated at launch. The lead's liaison reports text, a file and the indicator's
// value; the supervisor reads all of it on the 待审批 page and the item page, returns it with
// a comment, which the liaison reads and answers; the supervisor approves from the 待审批
// page, urges another item from the board, and prints the 督办单, the 台账 and a 督办通知.
func TestBrowserDesk(t *testing.T) {
	exe := chromium(t)
	doc, err := os.ReadFile(ankangSeed)
	if err != nil {
		t.Fatalf("the seed documents are read from ../shared/seeds: %v", err)
	}
	s := start(t, storetest.SQLite(t))
	c := ctx(t)
	ids := map[string]uint64{}
	for _, name := range []string{"市市场监督管理局", "市工业和信息化局", "安康市公安局", "市科技局", "市教体局", "市财政局", "市农业农村局",
		"市发改委", "市人社局", "市国资委", "市林业局", "市文旅广电局", "市中级法院", "市检察院", "市司法局", "市数据局", "市行政审批服务局",
		"安康金融监管分局", "人民银行安康市分行"} {
		d, err := s.st.CreateDepartment(c, name, nil, "")
		if err != nil {
			t.Fatal(err)
		}
		ids[name] = d.ID
	}
	hash, _ := auth.HashPassword("password-1")
	for _, u := range []*store.User{
		{Username: "sup", DisplayName: "督查室张三", Role: "supervisor", PasswordHash: hash},
		{Username: "scjg", DisplayName: "市场监管联络员", Role: "liaison", DepartmentID: ptr(ids["市市场监督管理局"]), PasswordHash: hash},
		{Username: "kj", DisplayName: "科技局联络员", Role: "liaison", DepartmentID: ptr(ids["市科技局"]), PasswordHash: hash},
	} {
		if err := s.st.CreateUser(c, u); err != nil {
			t.Fatal(err)
		}
	}
	sup := s.login("sup", "password-1")
	file := filepath.Join(t.TempDir(), "安康市专利转化运用若干措施.txt")
	if err := os.WriteFile(file, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	alloc := headless(t, exe, 1000)

	// The wizard: preview with "the first listed unit leads".
	desk := newBrowser(t, alloc, s.http.URL)
	desk.login("sup")
	desk.open("/import", `#preview`)
	desk.run("preview", chromedp.SetUploadFiles(`input[type=file]`, []string{file}, chromedp.ByQuery),
		chromedp.Click(`#first-listed`, chromedp.ByQuery), chromedp.Click(`#preview`, chromedp.ByQuery),
		chromedp.WaitVisible(`#launch`, chromedp.ByQuery))
	var abbrev, unmatched, unsettled, flags string
	var launchDisabled bool
	desk.run("what the preview says", chromedp.Text(`//tr[td[1]="市市场监管局"]`, &abbrev, chromedp.BySearch),
		chromedp.Text(`//tr[td[1]="市公安局"]`, &unmatched, chromedp.BySearch),
		chromedp.Text(`#unsettled`, &unsettled, chromedp.ByQuery),
		chromedp.Text(`//tr[@data-ref="一1"]/td[last()]`, &flags, chromedp.BySearch),
		chromedp.Evaluate(`document.querySelector("#launch").disabled`, &launchDisabled))
	if !strings.Contains(abbrev, "按简称匹配，请确认") {
		t.Errorf("市市场监管局 should be matched to 市市场监督管理局 by abbreviation: %q", abbrev)
	}
	var chosen string
	desk.run("the abbreviation's department chosen", chromedp.Evaluate(`document.querySelector('select[data-unit="市市场监管局"]').selectedOptions[0].textContent`, &chosen))
	if chosen != "市市场监督管理局" {
		t.Errorf("市市场监管局 maps to %q", chosen)
	}
	if !strings.Contains(unmatched, "未匹配，请选择") || !strings.Contains(unsettled, "还有 1 个单位未对照") || !launchDisabled {
		t.Errorf("an unmatched unit must hold the launch: %q / %q / disabled %v", unmatched, unsettled, launchDisabled)
	}
	if !strings.Contains(flags, "时限已过（给予宽限期）") {
		t.Errorf("the measure past its deadline is not flagged: %q", flags)
	}
	// The clerk maps 市公安局 to 安康市公安局 (suggested) and adds an indicator to 一1.
	var suggested bool
	desk.run("map 市公安局", chromedp.Evaluate(`(() => { const s = document.querySelector('select[data-unit="市公安局"]');
		const sug = [...s.querySelectorAll('optgroup')[0].children].some(o => o.textContent === "安康市公安局");
		s.value = "`+itoa(ids["安康市公安局"])+`"; s.dispatchEvent(new Event("change")); return sug; })()`, &suggested),
		chromedp.WaitNotVisible(`#unsettled`, chromedp.ByQuery))
	if !suggested {
		t.Error("安康市公安局 is not among the suggestions for 市公安局")
	}
	row := `//tr[@data-ref="一1"]`
	desk.run("add an indicator", chromedp.Click(row+`//button[contains(., "添加指标")]`, chromedp.BySearch))
	desk.run("indicator name", chromedp.SendKeys(row+`//input[@aria-label="指标名称"]`, "盘活存量专利", chromedp.BySearch))
	desk.run("indicator target", chromedp.SendKeys(row+`//input[@aria-label="目标值"]`, "100", chromedp.BySearch))
	desk.run("indicator unit", chromedp.SendKeys(row+`//input[@aria-label="单位"]`, "件", chromedp.BySearch))
	desk.shot("desk-import.png")
	desk.run("launch", chromedp.Click(`#launch`, chromedp.ByQuery),
		chromedp.WaitVisible(`//p[contains(., "已启动督办的事项数：12")]`, chromedp.BySearch))

	// No department was created; 市公安局 is now 安康市公安局's alias.
	var depts []struct {
		Name    string   `json:"name"`
		Aliases []string `json:"aliases"`
	}
	s.must(200, sup, "GET", "/api/v1/departments", nil, &depts)
	if len(depts) != len(ids) {
		t.Errorf("the launch created departments: %d, want %d", len(depts), len(ids))
	}
	for _, d := range depts {
		if d.Name == "安康市公安局" && !strings.Contains(strings.Join(d.Aliases, ","), "市公安局") {
			t.Errorf("安康市公安局's aliases: %v", d.Aliases)
		}
	}
	var list struct {
		Items []struct {
			ID    uint64 `json:"id"`
			Ref   string `json:"ref"`
			Light string `json:"light"`
		} `json:"items"`
	}
	s.must(200, sup, "GET", "/api/v1/items?limit=50", nil, &list)
	item := map[string]uint64{}
	for _, it := range list.Items {
		item[it.Ref] = it.ID
	}
	var first1 struct {
		Indicators []struct {
			Name   string  `json:"name"`
			Target float64 `json:"target"`
		} `json:"indicators"`
	}
	s.must(200, sup, "GET", "/api/v1/items/"+itoa(item["一1"]), nil, &first1)
	if len(first1.Indicators) != 1 || first1.Indicators[0].Name != "盘活存量专利" || first1.Indicators[0].Target != 100 {
		t.Errorf("the indicator added in the preview: %+v", first1.Indicators)
	}
	if len(item) != 12 {
		t.Fatalf("items launched: %d", len(item))
	}
	// Past its deadline at launch, 一1 is given grace, not the ladder.
	time.Sleep(3 * time.Second)
	var esc []struct{ ID uint64 }
	s.must(200, sup, "GET", "/api/v1/escalations", nil, &esc)
	s.must(200, sup, "GET", "/api/v1/items?limit=50", nil, &list)
	for _, it := range list.Items {
		if it.Light == "red" {
			t.Errorf("%s is red right after launch", it.Ref)
		}
	}
	if len(esc) != 0 {
		t.Errorf("%d escalations right after launch", len(esc))
	}

	// The lead's liaison signs and reports text, a file and the indicator's value.
	first := "/items/" + itoa(item["一1"])
	liaison := newBrowser(t, alloc, s.http.URL)
	liaison.login("scjg")
	liaison.open(first, `//button[text()="签收"]`)
	liaison.run("sign", chromedp.Click(`//button[text()="签收"]`, chromedp.BySearch),
		chromedp.WaitVisible(`//h3[text()="进展报送"]/following-sibling::textarea`, chromedp.BySearch))
	evidence := filepath.Join(t.TempDir(), "存量专利盘活清单.csv")
	_ = os.WriteFile(evidence, []byte("专利号,状态\nZL2024001,已许可\n"), 0o600)
	report := func(text, value string) {
		liaison.run("report", chromedp.SendKeys(`//h3[text()="进展报送"]/following-sibling::textarea`, text, chromedp.BySearch),
			chromedp.SendKeys(`//label[contains(., "盘活存量专利")]/input`, value, chromedp.BySearch),
			chromedp.SetUploadFiles(`//h3[text()="进展报送"]/following-sibling::label/input[@type="file"]`, []string{evidence}, chromedp.BySearch),
			chromedp.Click(`//h3[text()="进展报送"]/following-sibling::button`, chromedp.BySearch),
			chromedp.WaitVisible(`//p[contains(@class, "flash") and contains(., "已报送，等待审核")]`, chromedp.BySearch))
	}
	report("已梳理存量专利312件，盘活42件", "42")

	// The supervisor reads it on 待审批 and on the item page, and returns it.
	desk.open("/reviews", `//div[@id="waiting-submissions"]//td[contains(., "已梳理存量专利312件")]`)
	desk.shot("desk-reviews.png")
	desk.open(first, `//div[contains(@class, "review")]`)
	var card string
	desk.run("the review card", chromedp.Text(`//div[contains(@class, "review")]`, &card, chromedp.BySearch))
	for _, want := range []string{"已梳理存量专利312件，盘活42件", "存量专利盘活清单.csv", "盘活存量专利", "42", "≥ 100件"} {
		if !strings.Contains(card, want) {
			t.Errorf("the review card lacks %q:\n%s", want, card)
		}
	}
	desk.shot("desk-review.png")
	desk.run("return", chromedp.SendKeys(`//div[contains(@class, "review")]//textarea`, "请附许可合同", chromedp.BySearch),
		chromedp.Click(`//div[contains(@class, "review")]//button[text()="退回"]`, chromedp.BySearch),
		chromedp.WaitVisible(`//p[contains(@class, "flash") and contains(., "已退回")]`, chromedp.BySearch))

	liaison.open(first, `//section[@id="submissions"]//p[contains(., "请附许可合同")]`)
	report("补充：已附许可合同3份", "45")

	desk.open("/reviews", `//div[@id="waiting-submissions"]//td[contains(., "补充：已附许可合同3份")]`)
	desk.run("approve from 待审批", chromedp.Click(`//div[@id="waiting-submissions"]//tbody//input[@type="checkbox"]`, chromedp.BySearch),
		chromedp.Click(`//button[text()="通过所选"]`, chromedp.BySearch),
		chromedp.WaitVisible(`//p[contains(@class, "flash") and contains(., "已处理 1 项")]`, chromedp.BySearch))
	eventually(t, 20*time.Second, "the report approved", func() bool { return s.eventCount(sup, "/api/v1"+first, "approved") == 1 })

	// 催办 from the board: a selected item, each department that owes is told.
	second := item["一2"]
	desk.open("/board", `#urge-selected`)
	desk.run("urge the selection", chromedp.Click(`//table[@id="board"]//input[@value="`+itoa(second)+`"]`, chromedp.BySearch),
		chromedp.SendKeys(`#batch input[aria-label="催办内容"]`, "请于本周五前报送进展", chromedp.ByQuery),
		chromedp.Click(`#urge-selected`, chromedp.ByQuery),
		chromedp.WaitVisible(`//p[contains(@class, "flash") and contains(., "已催办 1 项")]`, chromedp.BySearch))
	if n := s.eventCount(sup, "/api/v1/items/"+itoa(second), "urged"); n != 1 {
		t.Errorf("urged events on the selected item: %d", n)
	}

	// The printed forms.
	desk.open(first+"/print", `//article[contains(@class, "sheet")]`)
	var sheet string
	desk.run("督办单", chromedp.Text(`article`, &sheet, chromedp.ByQuery))
	for _, want := range []string{"督 办 单", "督查督办办公室", "梳理盘活存量专利", "市市场监督管理局", "2025年12月31日", "安政办发〔2024〕13号", "补充：已附许可合同3份"} {
		if !strings.Contains(sheet, want) {
			t.Errorf("the 督办单 lacks %q:\n%s", want, sheet)
		}
	}
	desk.shot("desk-sheet.png")
	desk.open("/ledger", `//table[contains(@class, "ledger")]//td[text()="梳理盘活存量专利"]`)
	var ledgerRows int
	desk.run("台账 rows", chromedp.Evaluate(`document.querySelectorAll("table.ledger tbody tr").length`, &ledgerRows))
	if ledgerRows != 12 {
		t.Errorf("the printed 台账 has %d rows", ledgerRows)
	}
	desk.shot("desk-ledger.png")

	// A 督办通知: a task signed late by 市科技局 reaches 催办 within seconds under this policy.
	var policy map[string]any
	_ = jsonUnmarshal(`{"sign_within":"2s","cadence":"every 240h","ladder":[{"level":1,"name":"催办","after":"0s","notify":["liaison"]},{"level":2,"name":"督办通知","after":"1h","notify":["supervisor"]}]}`, &policy)
	s.must(201, sup, "POST", "/api/v1/plans/import", map[string]any{"text": "一、任务\n1.建设专利转化运营中心。\n牵头单位：市科技局", "policy": policy}, nil)
	var esc2 []struct {
		ID         uint64 `json:"id"`
		Department string `json:"department"`
	}
	eventually(t, 30*time.Second, "催办 for 市科技局", func() bool {
		s.must(200, sup, "GET", "/api/v1/escalations", nil, &esc2)
		return len(esc2) > 0
	})
	desk.open("/escalations", `//a[text()="打印督办通知"]`)
	desk.open("/escalations/"+itoa(esc2[0].ID)+"/print", `//article[contains(@class, "notice")]`)
	var notice string
	desk.run("督办通知", chromedp.Text(`article`, &notice, chromedp.ByQuery))
	for _, want := range []string{"督 办 通 知", "市科技局：", "建设专利转化运营中心", "现予催办", "督查督办办公室"} {
		if !strings.Contains(notice, want) {
			t.Errorf("the 督办通知 lacks %q:\n%s", want, notice)
		}
	}
	desk.shot("desk-notice.png")
}

func ptr[T any](v T) *T { return &v }
