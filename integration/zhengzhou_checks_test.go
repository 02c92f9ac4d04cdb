package integration

// The checks on the Zhengzhou year of zhengzhou_test.go: its ranking, draft, accountability,
// publication and exports.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gomutex/godocx"
	"github.com/gomutex/godocx/wml/ctypes"
	"github.com/xuri/excelize/v2"

	"github.com/dubanhq/duban/activities"
	"github.com/dubanhq/duban/api"
	"github.com/dubanhq/duban/api/apitest"
	"github.com/dubanhq/duban/assess"
	"github.com/dubanhq/duban/auth"
	"github.com/dubanhq/duban/calendar"
	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/store"
)

// result is the assessment row of a department by name.
func result(t *testing.T, res *assess.Result, name string) domain.DepartmentResult {
	t.Helper()
	for _, d := range res.Departments {
		if d.Department == name {
			return d
		}
	}
	t.Fatalf("%s is not in the assessment", name)
	return domain.DepartmentResult{}
}

func score(d domain.DepartmentResult) float64 {
	if d.Score == nil {
		return -1
	}
	return *d.Score
}

// assess runs the 2023 assessment and checks who stands where.
func (w *world) assess(ctx context.Context, svc *assess.Service) (*store.Assessment, *assess.Result) {
	t := w.t
	run, res, created, err := svc.Run(ctx, assess.RunInput{PlanID: w.planID, Period: assess.Year(2023), Trigger: "manual", By: w.supervisor.UserID})
	if err != nil || !created {
		t.Fatalf("assessment: created %v, %v", created, err)
	}
	var lines []string
	for i, d := range res.Departments {
		if i < 5 || i >= len(res.Departments)-3 {
			lines = append(lines, fmt.Sprintf("%2d %-10s %6.2f (base %.2f − %.2f, L%d, commended %v, criticised %v)",
				d.Rank, d.Department, score(d), d.Base, d.Deducted, d.MaxLevel, d.Commended, d.Criticised))
		}
	}
	t.Logf("2023 ranking of %d departments, top 5 and bottom 3:\n%s", len(res.Departments), strings.Join(lines, "\n"))

	// The items carry indicators but no window: indicator pace runs from an item's created_at,
	// the wall clock (after 2023), so no indicator enters these scores and every department
	// is scored on signing (weight 10) and reporting (30) less its deductions.
	var commended []string
	for _, d := range res.Departments {
		if d.Commended {
			commended = append(commended, d.Department)
		}
	}
	for _, name := range []string{samr, propaganda} {
		d := result(t, res, name)
		if !d.Commended || score(d) < 90 || d.MaxLevel > 1 {
			t.Errorf("diligent %s: score %.2f, L%d, commended %v; want commended with ≥ 90 and nothing past L1", name, score(d), d.MaxLevel, d.Commended)
		}
	}
	// Four departments end the year at 100: the three diligent ones and 市委党校, a steady
	// partner whose only item is the one whose lead never signed, so it never reached the
	// August slip. Equal scores share rank 1 and the cut-off at three never splits a tie:
	// all four are commended.
	if len(commended) != 4 || !slices.Contains(commended, "市委党校") || !slices.Contains(commended, statistics) {
		t.Errorf("commended %v, want the four tied at 100 (the top three and everyone tied with the third)", commended)
	}
	lateRes, neg := result(t, res, court), result(t, res, orgDept)
	for _, name := range []string{samr, propaganda, statistics} {
		if d := result(t, res, name); score(lateRes) >= score(d) {
			t.Errorf("late %s scored %.2f, not below diligent %s's %.2f", court, score(lateRes), name, score(d))
		}
	}
	// Two items, three quarters each 10 working days late: 6 misses and 60 days, each
	// climbing L1 → L2 (3 days) → L3 (7 days) but not L4 (15); signing both on 9 January,
	// 2 working days after the 5 January deadline, adds 2 L1s and 4 days.
	if l := lateRes.Lead; l.SignsMissed != 2 || l.ReportsMissed != 6 || l.ReportsOnTime != 16 || l.OverdueDays != 64 || !slices.Equal(l.Escalations, []int{8, 6, 6, 0}) {
		t.Errorf("late %s as lead: %+v", court, l)
	}
	if lateRes.Commended || lateRes.MaxLevel != 3 || !lateRes.Criticised {
		t.Errorf("late %s: L%d, commended %v, criticised %v; ten working days late climbs to L3 通报", court, lateRes.MaxLevel, lateRes.Commended, lateRes.Criticised)
	}
	if !neg.Criticised || neg.MaxLevel != 4 || neg.Lead.Records+neg.Partner.Records != 3 || score(neg) != 0 {
		t.Errorf("negligent %s: score %.2f, L%d, %d records, criticised %v; want 0, L4, 3 records (its lead item and 2 partner items), criticised",
			orgDept, score(neg), neg.MaxLevel, neg.Lead.Records+neg.Partner.Records, neg.Criticised)
	}
	if d := result(t, res, forestry); !d.Criticised || d.Commended {
		t.Errorf("silent partner %s: score %.2f, criticised %v", forestry, score(d), d.Criticised)
	}
	return run, res
}

// draft writes the circular and checks its lists.
func (w *world) draft(ctx context.Context, svc *assess.Service, run *store.Assessment) *store.Circular {
	t := w.t
	circ, err := svc.Draft(ctx, run, w.supervisor.UserID, time.Date(2024, 1, 8, 9, 0, 0, 0, calendar.Shanghai))
	if err != nil {
		t.Fatal(err)
	}
	var c domain.CircularContent
	if err := json.Unmarshal([]byte(circ.ContentJSON), &c); err != nil {
		t.Fatal(err)
	}
	names := func(us []domain.CircularUnit) []string {
		var out []string
		for _, u := range us {
			out = append(out, u.Department)
		}
		return out
	}
	t.Logf("circular %q: commended %v; criticised %v; %d escalated items", circ.Title, names(c.Commended), names(c.Criticised), len(c.Escalated))
	for _, u := range c.Criticised {
		t.Logf("  批评 %s %.2f 经办人 %v 逾期事项 %d", u.Department, *u.Score, u.Handlers, len(u.LateItems))
	}
	for _, name := range []string{samr, propaganda} {
		if !slices.Contains(names(c.Commended), name) {
			t.Errorf("%s is not commended in the draft", name)
		}
	}
	for _, name := range []string{orgDept, court, forestry} {
		if !slices.Contains(names(c.Criticised), name) {
			t.Errorf("%s is not criticised in the draft", name)
		}
	}
	orgID := w.depts[orgDept]
	for _, u := range c.Criticised {
		if u.DepartmentID == orgID && (!slices.Contains(u.Handlers, w.liaison[orgID].DisplayName) || len(u.LateItems) != 3) {
			t.Errorf("%s: handlers %v late items %v; want its liaison %s (nobody signed) and 3 items", orgDept, u.Handlers, u.LateItems, w.liaison[orgID].DisplayName)
		}
		if u.DepartmentID == w.depts[forestry] && !slices.Contains(u.Handlers, w.liaison[u.DepartmentID].DisplayName) {
			t.Errorf("%s: handlers %v; want the liaison who signed", forestry, u.Handlers)
		}
	}
	levels := map[string][]int{}
	for _, e := range c.Escalated {
		if e.DepartmentID == orgID {
			levels[e.Ref] = append(levels[e.Ref], e.Level)
		}
	}
	for _, ref := range []string{"二(六)2", "二(一)3", "三(八)"} {
		if got := levels[ref]; !slices.Equal(got, []int{3, 4}) {
			t.Errorf("escalated items of %s at %s: levels %v, want [3 4]", orgDept, ref, got)
		}
	}
	return circ
}

// accountability finds the records L4 opened for the negligent department, lets the leader
// decide one and checks it still counts in a new run of the year.
func (w *world) accountability(ctx context.Context, svc *assess.Service) {
	t := w.t
	recs, err := w.st.ListAccountability(ctx, store.AccountabilityFilter{PlanID: w.planID, DepartmentID: w.depts[orgDept]})
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 3 {
		t.Fatalf("%s has %d accountability records, want 3 (one per L4)", orgDept, len(recs))
	}
	for _, r := range recs {
		if r.OpenedAt.Year() != 2023 {
			t.Errorf("record %d opened at %v, want in 2023", r.ID, r.OpenedAt)
		}
	}
	decided, err := w.st.DecideAccountability(ctx, recs[0].ID, "interview", "约谈市委组织部分管负责人", w.leader.ID, time.Date(2024, 1, 10, 15, 0, 0, 0, calendar.Shanghai))
	if err != nil || decided.Decision != "interview" {
		t.Fatalf("decide: %+v %v", decided, err)
	}
	_, res, _, err := svc.Run(ctx, assess.RunInput{PlanID: w.planID, Period: assess.Year(2023), Trigger: "manual", By: w.supervisor.UserID})
	if err != nil {
		t.Fatal(err)
	}
	if d := result(t, res, orgDept); d.Lead.Records+d.Partner.Records != 3 || !d.Criticised {
		t.Errorf("after the decision %s has %d records in 2023, criticised %v; a decided record still counts", orgDept, d.Lead.Records+d.Partner.Records, d.Criticised)
	}
}

// publish numbers the circular through the real activity, twice, and checks the inboxes.
func (w *world) publish(ctx context.Context, circ *store.Circular) string {
	t := w.t
	in := activities.PublishCircularInput{CircularID: circ.ID, Version: circ.Version, By: w.supervisor.UserID}
	first, err := w.acts.PublishCircular(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("督办通报〔%d〕1号", time.Now().In(calendar.Shanghai).Year())
	if first.Number != want {
		t.Errorf("number %q, want %q", first.Number, want)
	}
	readers := []store.User{w.leader}
	for _, u := range w.liaison {
		readers = append(readers, u)
	}
	inbox := func() map[uint64]int {
		got := map[uint64]int{}
		for _, u := range readers {
			ns, err := w.st.Inbox(ctx, u.ID, false, 500)
			if err != nil {
				t.Fatal(err)
			}
			for _, n := range ns {
				if n.Kind == "circular" && strings.Contains(n.Body, first.Number) {
					got[u.ID]++
				}
			}
		}
		return got
	}
	before := inbox()
	for _, u := range readers {
		if before[u.ID] != 1 {
			t.Errorf("%s (%s) has %d circular notices, want 1", u.DisplayName, u.Role, before[u.ID])
		}
	}
	again, err := w.acts.PublishCircular(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	// The first answer carries the clock reading; a retry reads the stored one, which MySQL
	// keeps to the millisecond.
	if d := again.PublishedAt.Sub(first.PublishedAt); again.Number != first.Number || d < -time.Millisecond || d > time.Millisecond {
		t.Errorf("publishing again changed the circular: %+v then %+v", first, again)
	}
	if after := inbox(); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("publishing again wrote notices: %v then %v", before, after)
	}
	stored, err := w.st.GetCircular(ctx, circ.ID)
	if err != nil || stored.Status != "published" || stored.Number != first.Number {
		t.Fatalf("stored circular: %+v %v", stored, err)
	}
	return first.Number
}

// export downloads the circular as DOCX and its ranking as XLSX through the HTTP API and
// reads both back with real parsers.
func (w *world) export(ctx context.Context, svc *assess.Service, circID uint64, number string, res *assess.Result) {
	t := w.t
	plain, hash := auth.NewToken()
	exp := time.Now().Add(time.Hour)
	if err := w.st.CreateToken(ctx, &store.Token{UserID: w.supervisor.UserID, Hash: hash, Kind: "session", ExpiresAt: &exp}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(api.New(api.Deps{Store: w.st, Calendar: w.cal, Logger: quiet, Assess: svc}))
	defer srv.Close()
	c := apitest.Client{T: t, Base: srv.URL, HTTP: srv.Client(), Doc: api.OpenAPI()}
	get := func(path string) []byte { return c.Must(http.StatusOK, http.MethodGet, path, plain, nil, nil).Body }
	var commended, criticised []string
	for _, d := range res.Departments {
		if d.Commended {
			commended = append(commended, d.Department)
		}
		if d.Criticised {
			criticised = append(criticised, d.Department)
		}
	}

	name := filepath.Join(t.TempDir(), "circular.docx")
	if err := os.WriteFile(name, get(fmt.Sprintf("/api/v1/circulars/%d/export.docx", circID)), 0o600); err != nil {
		t.Fatal(err)
	}
	doc, err := godocx.OpenDocument(name)
	if err != nil {
		t.Fatalf("godocx: %v", err)
	}
	var paras []string
	for _, c := range doc.Document.Body.Children {
		if c.Para != nil {
			paras = append(paras, paraText(c.Para.GetCT()))
		}
	}
	body := strings.Join(paras, "\n")
	if !slices.Contains(paras, number) {
		t.Errorf("the DOCX has no paragraph %q", number)
	}
	section := func(heading string) string {
		i := strings.Index(body, heading)
		if i < 0 {
			t.Errorf("the DOCX has no section %s", heading)
			return ""
		}
		rest := body[i+len(heading):]
		if loc := nextHeading.FindStringIndex(rest); loc != nil {
			rest = rest[:loc[0]]
		}
		return rest
	}
	// An official document punctuates its Chinese full-width (GB/T 15834), its own lines as
	// well as those Duban writes.
	for _, want := range []string{"各责任单位：", "现将有关情况通报如下：", "报送及时，予以通报表扬：", "工作不力，予以通报批评："} {
		if !strings.Contains(body, want) {
			t.Errorf("the DOCX has no %q", want)
		}
	}
	praise, blame := section("、通报表扬"), section("、通报批评")
	for _, n := range commended {
		if !strings.Contains(praise, n) {
			t.Errorf("the DOCX commends no %s", n)
		}
	}
	for _, n := range criticised {
		if !strings.Contains(blame, n+"：") {
			t.Errorf("the DOCX criticises no %s", n)
		}
	}
	if h := w.liaison[w.depts[orgDept]].DisplayName; !strings.Contains(blame, "经办人："+h) {
		t.Errorf("the DOCX does not name %s's handler %s", orgDept, h)
	}

	x, err := excelize.OpenReader(bytes.NewReader(get(fmt.Sprintf("/api/v1/circulars/%d/export.xlsx", circID))))
	if err != nil {
		t.Fatalf("excelize: %v", err)
	}
	defer x.Close()
	rows, err := x.GetRows(x.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	verdict := map[string]string{}
	col := slices.Index(rows[0], "结果") // the last column, after 满意度 was added
	for _, r := range rows[1:] {
		if col > 0 && len(r) > col {
			verdict[r[1]] = r[col]
		}
	}
	for _, n := range commended {
		if verdict[n] != "通报表扬" {
			t.Errorf("XLSX: %s is %q, want 通报表扬", n, verdict[n])
		}
	}
	for _, n := range criticised {
		if verdict[n] != "通报批评" {
			t.Errorf("XLSX: %s is %q, want 通报批评", n, verdict[n])
		}
	}
	if len(rows)-1 != len(res.Departments) {
		t.Errorf("XLSX has %d ranked rows, the assessment %d departments", len(rows)-1, len(res.Departments))
	}
	t.Logf("exports: DOCX %d paragraphs with %s; XLSX %d rows", len(paras), number, len(rows))
}

// nextHeading starts the next numbered section of a circular (二、…).
var nextHeading = regexp.MustCompile(`\n[一二三四五六七八九十]+、`)

// paraText is a paragraph's text.
func paraText(p *ctypes.Paragraph) string {
	var b strings.Builder
	for _, c := range p.Children {
		if c.Run == nil {
			continue
		}
		for _, rc := range c.Run.Children {
			if rc.Text != nil {
				b.WriteString(rc.Text.Text)
			}
		}
	}
	return b.String()
}
