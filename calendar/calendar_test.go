package calendar

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
)

func d(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, Shanghai)
	if err != nil {
		panic(err)
	}
	return t
}

func cal(t *testing.T) *Calendar {
	c, err := New()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestIsWorkdayFacts(t *testing.T) {
	c := cal(t)
	cases := []struct {
		date string
		want bool
		why  string
	}{
		{"2025-01-28 10:00", false, "Spring Festival eve holiday"},
		{"2025-02-04 10:00", false, "last day of the 2025 Spring Festival holiday"},
		{"2025-01-26 10:00", true, "Sunday made a working day (调休)"},
		{"2025-02-08 10:00", true, "Saturday made a working day (调休)"},
		{"2025-02-05 10:00", true, "first working day after the festival"},
		{"2024-10-01 10:00", false, "National Day 2024"},
		{"2024-10-12 10:00", true, "Saturday made a working day after National Day 2024"},
		{"2025-04-04 10:00", false, "Qingming 2025"},
		{"2025-03-08 10:00", false, "ordinary Saturday"},
		{"2025-03-10 10:00", true, "ordinary Monday"},
	}
	for _, tc := range cases {
		got, err := c.IsWorkday(d(tc.date))
		if err != nil || got != tc.want {
			t.Errorf("%s (%s): workday=%v err=%v, want %v", tc.date, tc.why, got, err, tc.want)
		}
	}
}

func TestDeadlines(t *testing.T) {
	c := cal(t)
	cases := []struct {
		name string
		got  func() (time.Time, error)
		want string
	}{
		{"holiday moves to next working day", func() (time.Time, error) { return c.NextWorkdayEnd(d("2025-01-29 00:00")) }, "2025-02-05 23:59"},
		{"working day stays", func() (time.Time, error) { return c.NextWorkdayEnd(d("2025-03-10 08:00")) }, "2025-03-10 23:59"},
		{"2wd from Friday skips the weekend", func() (time.Time, error) { return c.EndOfWorkday(d("2025-03-07 16:00"), 2) }, "2025-03-11 23:59"},
		{"1wd from Friday before 调休 Saturday", func() (time.Time, error) { return c.EndOfWorkday(d("2025-02-07 10:00"), 1) }, "2025-02-08 23:59"},
		{"2wd before Spring Festival", func() (time.Time, error) { return c.EndOfWorkday(d("2025-01-26 10:00"), 2) }, "2025-02-05 23:59"},
		{"3wd back for a reminder at 09:00", func() (time.Time, error) { return c.Shift(d("2025-02-05 23:59"), -3, 0) }, "2025-01-24 09:00"},
		{"wall clock", func() (time.Time, error) { return c.Shift(d("2025-03-10 08:00"), 0, 90*time.Second) }, "2025-03-10 08:01"},
	}
	for _, tc := range cases {
		got, err := tc.got()
		if err != nil || got.In(Shanghai).Format("2006-01-02 15:04") != tc.want {
			t.Errorf("%s: got %v, %v; want %s", tc.name, got.In(Shanghai), err, tc.want)
		}
	}
	// (27 Jan, 7 Feb]: 28 Jan–4 Feb are holidays, so 5, 6 and 7 Feb count.
	if n, err := c.WorkdaysBetween(d("2025-01-27 10:00"), d("2025-02-07 10:00")); err != nil || n != 3 {
		t.Errorf("working days between = %d, %v; want 3", n, err)
	}
}

func TestMissingYearIsAnError(t *testing.T) {
	c := cal(t)
	for _, when := range []time.Time{d("2019-06-03 10:00"), d("2027-06-01 10:00")} {
		_, err := c.IsWorkday(when)
		var nd ErrNoData
		if !errors.As(err, &nd) || nd.Year != when.Year() {
			t.Errorf("%v: want ErrNoData, got %v", when, err)
		}
	}
	_, err := c.AddWorkdays(d("2026-12-30 10:00"), 5)
	var nd ErrNoData
	if !errors.As(err, &nd) || nd.Year != 2027 {
		t.Errorf("crossing into 2027: want ErrNoData{2027}, got %v", err)
	}
}

func TestAddingAYearAndOverrides(t *testing.T) {
	c := cal(t)
	yml := `years:
  - year: 2027
    days:
      - {date: "2027-01-01", off: true, name: 元旦}
overrides:
  - {date: "2025-03-10", off: true, name: 本地活动日}
`
	if err := c.LoadYAML(strings.NewReader(yml)); err != nil {
		t.Fatal(err)
	}
	if ok, err := c.IsWorkday(d("2027-01-01 10:00")); err != nil || ok {
		t.Errorf("2027-01-01 after adding 2027: %v %v", ok, err)
	}
	if ok, err := c.IsWorkday(d("2027-01-04 10:00")); err != nil || !ok {
		t.Errorf("ordinary Monday 2027: %v %v", ok, err)
	}
	if ok, _ := c.IsWorkday(d("2025-03-10 10:00")); ok {
		t.Error("local override ignored")
	}
	bad := "years:\n  - year: 2029\n    days:\n      - {date: \"2029-13-01\", off: true}\n"
	if err := c.LoadYAML(strings.NewReader(bad)); err == nil || !strings.Contains(err.Error(), "entry 1") {
		t.Errorf("bad entry must be named, got %v", err)
	}
	if err := c.LoadYAML(strings.NewReader("yaers: []\n")); err == nil {
		t.Error("unknown key accepted")
	}
	json := `{"year":2028,"days":[{"name":"春节","date":"2028-01-26","isOffDay":true}]}`
	if err := c.LoadHolidayCN(strings.NewReader(json)); err != nil {
		t.Fatal(err)
	}
	if got := c.Years(); got[len(got)-1] != 2028 {
		t.Errorf("years = %v", got)
	}
}

func TestConcurrentUse(t *testing.T) {
	c := cal(t)
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for j := 0; j < 200; j++ {
				if _, err := c.EndOfWorkday(d("2025-01-20 10:00").AddDate(0, 0, j), 3); err != nil {
					t.Error(err)
					return
				}
				if i == 0 && j%50 == 0 {
					_ = c.AddOverrides([]Day{{Date: "2026-05-06", Off: true}})
				}
			}
		}(i)
	}
	wg.Wait()
}

func BenchmarkEndOfWorkday(b *testing.B) {
	c, _ := New()
	start := d("2025-01-20 10:00")
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := c.EndOfWorkday(start.AddDate(0, 0, i%300), 5); err != nil {
			b.Fatal(err)
		}
	}
}

func TestAdminOverridesLayerOverFileOverrides(t *testing.T) {
	c := cal(t)
	if err := c.AddOverrides([]Day{{Date: "2025-03-10", Off: true, Name: "file"}}); err != nil {
		t.Fatal(err)
	}
	if err := c.ReplaceOverrides([]Day{{Date: "2025-03-11", Off: true, Name: "admin"}}); err != nil {
		t.Fatal(err)
	}
	for date, want := range map[string]bool{"2025-03-10 10:00": false, "2025-03-11 10:00": false, "2025-03-12 10:00": true} {
		if ok, _ := c.IsWorkday(d(date)); ok != want {
			t.Errorf("%s workday=%v, want %v", date, ok, want)
		}
	}
	if err := c.ReplaceOverrides(nil); err != nil { // the admin clears theirs; the file's stay
		t.Fatal(err)
	}
	if ok, _ := c.IsWorkday(d("2025-03-10 10:00")); ok {
		t.Error("file override lost when admin overrides were cleared")
	}
	if ok, _ := c.IsWorkday(d("2025-03-11 10:00")); !ok {
		t.Error("cleared admin override still in force")
	}
}
