package calendar

import (
	"errors"
	"testing"
	"time"
)

// at parses "2006-01-02 15:04" in Shanghai.
func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, Shanghai)
	if err != nil {
		panic(err)
	}
	return t
}

func builtins(t testing.TB) *Calendar {
	t.Helper()
	c, err := New()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

const stamp = "2006-01-02 15:04:05"

func TestBuiltinYears(t *testing.T) {
	got := builtins(t).Years()
	want := []int{2020, 2021, 2022, 2023, 2024, 2025, 2026}
	if len(got) != len(want) {
		t.Fatalf("years = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("years = %v, want %v", got, want)
		}
	}
}

func TestIsWorkdayFacts(t *testing.T) {
	c := builtins(t)
	cases := []struct {
		date string
		want bool
		why  string
	}{
		{"2025-01-28", false, "Spring Festival 2025, first day off"},
		{"2025-02-04", false, "Spring Festival 2025, last day off"},
		{"2025-01-26", true, "Sunday made a working day (调休) before Spring Festival"},
		{"2025-02-08", true, "Saturday made a working day (调休) after Spring Festival"},
		{"2025-02-05", true, "first working day after Spring Festival"},
		{"2024-10-01", false, "National Day 2024"},
		{"2024-10-07", false, "National Day 2024, last day off"},
		{"2024-09-29", true, "Sunday made a working day before National Day 2024"},
		{"2024-10-12", true, "Saturday made a working day after National Day 2024"},
		{"2025-10-08", false, "National Day and Mid-Autumn 2025, eighth day"},
		{"2025-09-28", true, "Sunday made a working day before National Day 2025"},
		{"2025-10-11", true, "Saturday made a working day after National Day 2025"},
		{"2025-04-04", false, "Qingming 2025 (a Friday)"},
		{"2024-04-05", false, "Qingming 2024"},
		{"2024-04-07", true, "Sunday made a working day after Qingming 2024"},
		{"2026-01-02", false, "New Year 2026, a Friday off"},
		{"2026-01-04", true, "Sunday made a working day after New Year 2026"},
		{"2022-12-31", false, "listed by 2023's notice, not 2022's"},
		{"2025-03-08", false, "plain Saturday"},
		{"2025-03-09", false, "plain Sunday"},
		{"2025-03-10", true, "plain Monday"},
	}
	for _, tc := range cases {
		got, err := c.IsWorkday(at(tc.date + " 10:00"))
		if err != nil || got != tc.want {
			t.Errorf("%s (%s): workday=%v err=%v, want %v", tc.date, tc.why, got, err, tc.want)
		}
	}
}

func TestIsWorkdayUsesShanghaiDate(t *testing.T) {
	// 2025-01-27 17:00 UTC is 01:00 on 28 January in Shanghai, the first day of Spring Festival.
	ok, err := builtins(t).IsWorkday(time.Date(2025, 1, 27, 17, 0, 0, 0, time.UTC))
	if err != nil || ok {
		t.Errorf("workday=%v err=%v; want a holiday", ok, err)
	}
}

func TestDeadlines(t *testing.T) {
	c := builtins(t)
	cases := []struct {
		name string
		got  func() (time.Time, error)
		want string
	}{
		{"holiday moves to next working day", func() (time.Time, error) { return c.NextWorkdayEnd(at("2025-01-29 00:00")) }, "2025-02-05 23:59:59"},
		{"调休 Saturday is itself a working day", func() (time.Time, error) { return c.NextWorkdayEnd(at("2025-02-08 11:00")) }, "2025-02-08 23:59:59"},
		{"National Day 2025 moves to 9 October", func() (time.Time, error) { return c.NextWorkdayEnd(at("2025-10-01 12:00")) }, "2025-10-09 23:59:59"},
		{"plain weekend moves to Monday", func() (time.Time, error) { return c.NextWorkdayEnd(at("2025-03-08 12:00")) }, "2025-03-10 23:59:59"},
		{"working day stays", func() (time.Time, error) { return c.NextWorkdayEnd(at("2025-03-10 08:00")) }, "2025-03-10 23:59:59"},
		{"1wd from Friday is Monday", func() (time.Time, error) { return c.EndOfWorkday(at("2025-03-07 16:00"), 1) }, "2025-03-10 23:59:59"},
		{"2wd from Friday skips the weekend", func() (time.Time, error) { return c.EndOfWorkday(at("2025-03-07 16:00"), 2) }, "2025-03-11 23:59:59"},
		{"1wd from Friday before a 调休 Saturday", func() (time.Time, error) { return c.EndOfWorkday(at("2025-02-07 10:00"), 1) }, "2025-02-08 23:59:59"},
		{"2wd from Friday counts the 调休 Sunday", func() (time.Time, error) { return c.EndOfWorkday(at("2025-01-24 10:00"), 2) }, "2025-01-27 23:59:59"},
		{"1wd the day before Spring Festival", func() (time.Time, error) { return c.EndOfWorkday(at("2025-01-27 10:00"), 1) }, "2025-02-05 23:59:59"},
		{"2wd the day before National Day 2025", func() (time.Time, error) { return c.EndOfWorkday(at("2025-09-30 10:00"), 2) }, "2025-10-10 23:59:59"},
		{"1wd the day before National Day 2024", func() (time.Time, error) { return c.EndOfWorkday(at("2024-09-30 10:00"), 1) }, "2024-10-08 23:59:59"},
		{"0wd on a holiday is the next working day", func() (time.Time, error) { return c.EndOfWorkday(at("2024-04-05 10:00"), 0) }, "2024-04-07 23:59:59"},
		{"add 1wd over Spring Festival keeps the clock", func() (time.Time, error) { return c.AddWorkdays(at("2025-01-27 14:30"), 1) }, "2025-02-05 14:30:00"},
		{"back 1wd over Spring Festival", func() (time.Time, error) { return c.AddWorkdays(at("2025-02-05 14:30"), -1) }, "2025-01-27 14:30:00"},
		{"back 1wd from Monday lands on a 调休 Saturday", func() (time.Time, error) { return c.AddWorkdays(at("2025-02-10 09:15"), -1) }, "2025-02-08 09:15:00"},
		{"add 0wd on Sunday is Monday", func() (time.Time, error) { return c.AddWorkdays(at("2025-03-09 08:15"), 0) }, "2025-03-10 08:15:00"},
		{"add 0wd from UTC on a Shanghai holiday", func() (time.Time, error) { return c.AddWorkdays(time.Date(2025, 1, 27, 17, 0, 0, 0, time.UTC), 0) }, "2025-02-05 01:00:00"},
		{"across New Year 2026", func() (time.Time, error) { return c.AddWorkdays(at("2025-12-31 10:00"), 2) }, "2026-01-05 10:00:00"},
		{"3wd before due, reminder at 09:00", func() (time.Time, error) { return c.Shift(at("2025-02-05 23:59"), -3, 0) }, "2025-01-24 09:00:00"},
		{"positive workdays are EndOfWorkday", func() (time.Time, error) { return c.Shift(at("2025-03-07 16:00"), 2, time.Hour) }, "2025-03-11 23:59:59"},
		{"wall clock", func() (time.Time, error) { return c.Shift(at("2025-01-28 08:00"), 0, 90*time.Minute) }, "2025-01-28 09:30:00"},
	}
	for _, tc := range cases {
		got, err := tc.got()
		if err != nil || got.In(Shanghai).Format(stamp) != tc.want {
			t.Errorf("%s: got %v, %v; want %s", tc.name, got.In(Shanghai).Format(stamp), err, tc.want)
		}
	}
}

func TestAddZeroWorkdaysOnAWorkdayIsIdentity(t *testing.T) {
	in := time.Date(2025, 3, 10, 1, 2, 3, 456789, time.UTC)
	got, err := builtins(t).AddWorkdays(in, 0)
	if err != nil || got != in {
		t.Errorf("got %v, %v; want %v unchanged", got, err, in)
	}
}

func TestEndOfWorkdayRejectsNegative(t *testing.T) {
	if _, err := builtins(t).EndOfWorkday(at("2025-03-10 10:00"), -1); err == nil {
		t.Error("negative n accepted")
	}
}

func TestWorkdaysBetween(t *testing.T) {
	c := builtins(t)
	cases := []struct {
		from, to string
		want     int
	}{
		{"2025-01-27 10:00", "2025-02-07 10:00", 3}, // 28 Jan–4 Feb off: 5, 6, 7 Feb
		{"2025-09-30 18:00", "2025-10-11 08:00", 3}, // 9, 10 and the 调休 Saturday 11 Oct
		{"2025-12-31 10:00", "2026-01-05 10:00", 2}, // 1–3 Jan off: 调休 Sunday 4th and Monday 5th
		{"2025-03-10 08:00", "2025-03-10 20:00", 0}, // same day
		{"2025-03-12 10:00", "2025-03-10 10:00", 0}, // to before from
		{"2025-03-07 10:00", "2025-03-09 10:00", 0}, // only the weekend
	}
	for _, tc := range cases {
		got, err := c.WorkdaysBetween(at(tc.from), at(tc.to))
		if err != nil || got != tc.want {
			t.Errorf("(%s, %s]: %d, %v; want %d", tc.from, tc.to, got, err, tc.want)
		}
	}
}

func TestMissingYearIsAnError(t *testing.T) {
	c := builtins(t)
	c.SetProvisional(false)
	if err := c.AddOverrides([]Day{{Date: "2027-01-04", Off: false}}); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		call func() error
		year int
	}{
		{"2019", func() error { _, err := c.IsWorkday(at("2019-06-03 10:00")); return err }, 2019},
		{"2027", func() error { _, err := c.IsWorkday(at("2027-06-01 10:00")); return err }, 2027},
		{"an override does not make 2027 known", func() error { _, err := c.IsWorkday(at("2027-01-04 10:00")); return err }, 2027},
		{"AddWorkdays into 2027", func() error { _, err := c.AddWorkdays(at("2026-12-30 10:00"), 5); return err }, 2027},
		{"AddWorkdays back into 2019", func() error { _, err := c.AddWorkdays(at("2020-01-02 10:00"), -3); return err }, 2019},
		{"EndOfWorkday into 2027", func() error { _, err := c.EndOfWorkday(at("2026-12-31 10:00"), 1); return err }, 2027},
		{"Shift back into 2019", func() error { _, err := c.Shift(at("2020-01-02 10:00"), -2, 0); return err }, 2019},
		{"WorkdaysBetween into 2027", func() error { _, err := c.WorkdaysBetween(at("2026-12-01 10:00"), at("2027-01-05 10:00")); return err }, 2027},
	}
	for _, tc := range cases {
		err := tc.call()
		var nd ErrNoData
		if !errors.As(err, &nd) || nd.Year != tc.year {
			t.Errorf("%s: want ErrNoData{%d}, got %v", tc.name, tc.year, err)
		}
	}
	want := "calendar: no holiday data for year 2027; add it with an override file or the calendar API"
	if got := (ErrNoData{Year: 2027}).Error(); got != want {
		t.Errorf("message = %q", got)
	}
}

// TestProvisionalYear: until next year's notice is added, its dates are the ordinary week
// with the fixed-date holidays, flagged provisional; the notice, once added, wins.
func TestProvisionalYear(t *testing.T) {
	c := builtins(t)
	if err := c.AddOverrides([]Day{{Date: "2027-01-04", Off: true, Name: "市级活动"}}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		date string
		want bool
	}{
		{"2027-01-01", false}, // 元旦, a Friday
		{"2027-01-04", false}, // a Monday made a holiday by the override
		{"2027-01-05", true},  // an ordinary Tuesday
		{"2027-01-09", false}, // Saturday
		{"2027-05-03", true},  // Monday after 劳动节's two fixed days
		{"2027-10-01", false}, // 国庆节
	} {
		got, err := c.IsWorkday(at(tc.date + " 10:00"))
		if err != nil || got != tc.want {
			t.Errorf("%s: workday = %v, %v; want %v", tc.date, got, err, tc.want)
		}
	}
	// Two working days after the last one of 2026 skip 元旦 and the override.
	due, err := c.EndOfWorkday(at("2026-12-31 10:00"), 2)
	if err != nil || due.Format(stamp) != "2027-01-06 23:59:59" {
		t.Errorf("EndOfWorkday into 2027 = %s, %v", due.Format(stamp), err)
	}
	if !c.Provisional(at("2026-12-31 10:00"), due) || c.Provisional(at("2026-01-05 10:00"), at("2026-12-31 10:00")) {
		t.Error("only a span reaching into 2027 is provisional")
	}
	if _, err := c.IsWorkday(at("2019-06-03 10:00")); err == nil {
		t.Error("a year before the built-ins is still an error")
	}
	// The notice arrives: 2027-01-05 becomes a holiday, and 2027 is no longer provisional.
	if err := c.SetYear(2027, []Day{{Date: "2027-01-01", Off: true, Name: "元旦"}, {Date: "2027-01-05", Off: true, Name: "假想的调休"}}); err != nil {
		t.Fatal(err)
	}
	if c.ProvisionalYear(2027) || !c.ProvisionalYear(2028) || c.ProvisionalYear(2026) {
		t.Errorf("after adding 2027: provisional 2027 = %v, 2028 = %v", c.ProvisionalYear(2027), c.ProvisionalYear(2028))
	}
	due, err = c.EndOfWorkday(at("2026-12-31 10:00"), 2)
	if err != nil || due.Format(stamp) != "2027-01-07 23:59:59" {
		t.Errorf("EndOfWorkday with the 2027 notice = %s, %v", due.Format(stamp), err)
	}
}
