package calendar

import (
	"strings"
	"testing"
	"time"
)

// afterNewYear2027 is five working days after 2026-12-30 once 2027 is known with New
// Year's Day off: 31 Dec, then 4, 5, 6, 7 January.
const afterNewYear2027 = "2027-01-07 10:00:00"

func checkAfterNewYear2027(t *testing.T, c *Calendar) {
	t.Helper()
	got, err := c.AddWorkdays(at("2026-12-30 10:00"), 5)
	if err != nil || got.Format(stamp) != afterNewYear2027 {
		t.Errorf("AddWorkdays into 2027 = %v, %v; want %s", got.Format(stamp), err, afterNewYear2027)
	}
}

func TestSetYear(t *testing.T) {
	c := builtins(t)
	if err := c.SetYear(2027, []Day{{Date: "2027-01-01", Off: true, Name: "元旦"}}); err != nil {
		t.Fatal(err)
	}
	checkAfterNewYear2027(t, c)
	if err := c.SetYear(2025, nil); err != nil { // replacing a year drops its old entries
		t.Fatal(err)
	}
	if ok, err := c.IsWorkday(at("2025-01-28 10:00")); err != nil || !ok {
		t.Errorf("2025-01-28 after clearing 2025: workday=%v err=%v", ok, err)
	}
	if ok, _ := c.IsWorkday(at("2022-12-31 10:00")); ok {
		t.Error("replacing 2025 lost 2023's entry for 2022-12-31")
	}
}

func TestSetYearRejects(t *testing.T) {
	cases := []struct {
		name string
		days []Day
		want string
	}{
		{"short date", []Day{{Date: "2027-01-01", Off: true}, {Date: "2027-1-2", Off: true}}, "entry 2"},
		{"no such day", []Day{{Date: "2027-02-30", Off: true}}, "entry 1"},
		{"another year", []Day{{Date: "2028-06-01", Off: true}}, "does not belong to year 2027"},
		{"twice", []Day{{Date: "2027-05-01", Off: true}, {Date: "2027-05-01", Off: false}}, "entry 2: date 2027-05-01 is already listed by year 2027 entry 1"},
	}
	for _, tc := range cases {
		c := builtins(t)
		err := c.SetYear(2027, tc.days)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want an error containing %q", tc.name, err, tc.want)
		}
		if len(c.Years()) != 7 {
			t.Errorf("%s: a rejected year changed the calendar: %v", tc.name, c.Years())
		}
	}
	if err := NewEmpty().SetYear(0, nil); err == nil {
		t.Error("year 0 accepted")
	}
}

func TestOverrides(t *testing.T) {
	c := builtins(t)
	err := c.AddOverrides([]Day{
		{Date: "2025-03-10", Off: true, Name: "本地活动日"}, // a Monday off
		{Date: "2025-03-08", Off: false, Name: "本地补班"}, // a Saturday worked
		{Date: "2025-02-08", Off: true, Name: "取消调休"},  // wins over the year's 调休
	})
	if err != nil {
		t.Fatal(err)
	}
	for date, want := range map[string]bool{"2025-03-10": false, "2025-03-08": true, "2025-02-08": false, "2025-03-11": true} {
		if ok, err := c.IsWorkday(at(date + " 10:00")); err != nil || ok != want {
			t.Errorf("%s: workday=%v err=%v, want %v", date, ok, err, want)
		}
	}
	if got := c.Overrides(); len(got) != 3 || got[0].Date != "2025-02-08" || got[2].Date != "2025-03-10" {
		t.Errorf("overrides not sorted by date: %v", got)
	}
	if err := c.AddOverrides([]Day{{Date: "10/03/2025", Off: true}}); err == nil || !strings.Contains(err.Error(), "override 1") {
		t.Errorf("bad override date: %v", err)
	}
}

func TestAdminOverridesLayerOverFileOverrides(t *testing.T) {
	c := builtins(t)
	if err := c.AddOverrides([]Day{{Date: "2025-03-10", Off: true, Name: "file"}, {Date: "2025-03-12", Off: true}}); err != nil {
		t.Fatal(err)
	}
	if err := c.ReplaceOverrides([]Day{{Date: "2025-03-11", Off: true, Name: "admin"}, {Date: "2025-03-12", Off: false}}); err != nil {
		t.Fatal(err)
	}
	for date, want := range map[string]bool{"2025-03-10": false, "2025-03-11": false, "2025-03-12": true} {
		if ok, _ := c.IsWorkday(at(date + " 10:00")); ok != want {
			t.Errorf("%s workday=%v, want %v", date, ok, want)
		}
	}
	if err := c.ReplaceOverrides(nil); err != nil { // the admin clears theirs; the file's stay
		t.Fatal(err)
	}
	for date, want := range map[string]bool{"2025-03-10": false, "2025-03-11": true, "2025-03-12": false} {
		if ok, _ := c.IsWorkday(at(date + " 10:00")); ok != want {
			t.Errorf("after clearing admin overrides: %s workday=%v, want %v", date, ok, want)
		}
	}
}

func TestLoadYAML(t *testing.T) {
	c := builtins(t)
	yml := `years:
  - year: 2027
    days:
      - {date: 2027-01-01, off: true, name: 元旦}
overrides:
  - {date: "2025-03-10", off: true, name: 本地活动日}
`
	if err := c.LoadYAML(strings.NewReader(yml)); err != nil {
		t.Fatal(err)
	}
	checkAfterNewYear2027(t, c)
	if ok, _ := c.IsWorkday(at("2025-03-10 10:00")); ok {
		t.Error("override from the file ignored")
	}
	if err := c.LoadYAML(strings.NewReader("")); err != nil {
		t.Errorf("empty file: %v", err)
	}
}

func TestLoadYAMLRejects(t *testing.T) {
	cases := []struct {
		name, yml, want string
	}{
		{"bad date", "years:\n  - year: 2028\n    days:\n      - {date: 2028-01-01, off: true}\n      - {date: 2028-13-01, off: true}\n", "line 5 (years[0].days[1])"},
		{"no off", "years:\n  - year: 2028\n    days:\n      - {date: 2028-01-01, name: 元旦}\n", "line 4"},
		{"misspelt key", "overrides:\n  - {date: 2025-03-10, of: true}\n", `line 2: unknown key "of"`},
		{"bad override", "overrides:\n  - {date: 2025-03-10, off: true}\n  - {date: 2025-3-11, off: true}\n", "line 3 (overrides[1])"},
		{"off not a bool", "overrides:\n  - {date: 2025-03-10, off: maybe}\n", "line 2"},
		{"unknown top key", "yaers: []\n", "yaers"},
		{"no year", "years:\n  - days: []\n", "years[0]"},
		{"year twice", "years:\n  - year: 2028\n  - year: 2028\n", "line 3: year 2028 is listed twice"},
		{"other year's date", "years:\n  - year: 2028\n    days:\n      - {date: 2029-05-01, off: true}\n", "line 4"},
	}
	for _, tc := range cases {
		c := builtins(t)
		err := c.LoadYAML(strings.NewReader(tc.yml))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want an error containing %q", tc.name, err, tc.want)
		}
	}
	// All or nothing: a bad second year leaves the good first one out too.
	c := builtins(t)
	yml := "years:\n  - year: 2027\n    days: []\n  - year: 2028\n    days:\n      - {date: x, off: true}\n"
	if err := c.LoadYAML(strings.NewReader(yml)); err == nil || len(c.Years()) != 7 {
		t.Errorf("partial file applied: err=%v years=%v", err, c.Years())
	}
}

func TestLoadHolidayCN(t *testing.T) {
	c := builtins(t)
	file := `{"$schema":"x","year":2027,"papers":[],"days":[{"name":"元旦","date":"2027-01-01","isOffDay":true}]}`
	if err := c.LoadHolidayCN(strings.NewReader(file)); err != nil {
		t.Fatal(err)
	}
	checkAfterNewYear2027(t, c)
	if ys := c.Years(); ys[len(ys)-1] != 2027 {
		t.Errorf("years = %v", ys)
	}
	cases := []struct{ name, file, want string }{
		{"no isOffDay", `{"year":2028,"days":[{"name":"元旦","date":"2028-01-01"}]}`, `days[0] ("2028-01-01"): no "isOffDay"`},
		{"bad date", `{"year":2028,"days":[{"date":"2028-01-01","isOffDay":true},{"date":"2028-02-31","isOffDay":true}]}`, "days[1]"},
		{"no year", `{"days":[]}`, `no "year"`},
		{"not JSON", `year: 2028`, "holiday-cn JSON"},
	}
	for _, tc := range cases {
		err := c.LoadHolidayCN(strings.NewReader(tc.file))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want an error containing %q", tc.name, err, tc.want)
		}
	}
}

func FuzzLoadYAML(f *testing.F) {
	f.Add("years:\n  - year: 2027\n    days:\n      - {date: 2027-01-01, off: true, name: 元旦}\n")
	f.Add("overrides:\n  - {date: 2025-03-10, off: true}\n")
	f.Add("years: [{year: 2027, days: [{date: 2026-12-31, off: true}]}]\n")
	f.Fuzz(func(t *testing.T, yml string) {
		c := NewEmpty()
		if err := c.LoadYAML(strings.NewReader(yml)); err != nil {
			return
		}
		for _, y := range c.Years() { // whatever loaded must be answerable
			if _, err := c.IsWorkday(time.Date(y, 6, 1, 10, 0, 0, 0, Shanghai)); err != nil {
				t.Errorf("year %d loaded but %v", y, err)
			}
		}
	})
}
