package domain

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Span is a policy duration: either working days (工作日, written "3wd") counted on the
// Chinese working-day calendar, or wall-clock time ("90s", "24h", "2d") for urgent
// instructions, demos and tests.
type Span struct {
	Workdays int
	Wall     time.Duration
}

// ParseSpan reads "3wd", "0wd", "90s", "24h" or "2d".
func ParseSpan(s string) (Span, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "" || s == "0":
		return Span{}, nil
	case strings.HasSuffix(s, "wd"):
		n, err := strconv.Atoi(strings.TrimSuffix(s, "wd"))
		if err != nil || n < 0 || n > 3650 {
			return Span{}, fmt.Errorf("%q: working days must be a whole number 0..3650 followed by wd", s)
		}
		return Span{Workdays: n}, nil
	case strings.HasSuffix(s, "d"):
		n, err := strconv.Atoi(strings.TrimSuffix(s, "d"))
		if err != nil || n < 0 || n > 3650 {
			return Span{}, fmt.Errorf("%q: days must be a whole number 0..3650 followed by d", s)
		}
		return Span{Wall: time.Duration(n) * 24 * time.Hour}, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return Span{}, fmt.Errorf("%q: want working days like 3wd or a duration like 90s, 24h, 2d", s)
	}
	return Span{Wall: d}, nil
}

// IsZero reports whether the span is empty.
func (s Span) IsZero() bool { return s.Workdays == 0 && s.Wall == 0 }

// String renders the span in the form ParseSpan reads.
func (s Span) String() string {
	if s.Workdays != 0 || s.Wall == 0 {
		return strconv.Itoa(s.Workdays) + "wd"
	}
	return s.Wall.String()
}

// MarshalJSON writes the span as its string form.
func (s Span) MarshalJSON() ([]byte, error) { return json.Marshal(s.String()) }

// UnmarshalJSON reads the string form.
func (s *Span) UnmarshalJSON(b []byte) error {
	var str string
	if err := json.Unmarshal(b, &str); err != nil {
		return fmt.Errorf("want a string such as \"3wd\" or \"90s\"")
	}
	v, err := ParseSpan(str)
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// Cadence is how often the lead reports: "monthly", "quarterly", "every <duration>", or a
// list of explicit due dates. The JSON form is that string or an array of dates: a day
// ("2006-01-02", due at the end of that working day) or a day with a time of day
// ("2006-01-02 12:00" in China Standard Time, or RFC 3339), due at that minute, for
// documents that say "于每月25日12时前报送".
type Cadence struct {
	Kind  string // "monthly", "quarterly", "every", "dates", "once"
	Every time.Duration
	Dates []string
}

// ParseCadence reads the string form of a cadence.
func ParseCadence(s string) (Cadence, error) {
	s = strings.TrimSpace(s)
	switch s {
	case "monthly", "quarterly", "once":
		return Cadence{Kind: s}, nil
	}
	if rest, ok := strings.CutPrefix(s, "every "); ok {
		sp, err := ParseSpan(rest)
		if err != nil || sp.Workdays != 0 || sp.Wall < time.Second {
			return Cadence{}, fmt.Errorf("%q: want every <duration> such as every 20s or every 168h", s)
		}
		return Cadence{Kind: "every", Every: sp.Wall}, nil
	}
	return Cadence{}, fmt.Errorf("%q: want monthly, quarterly, once, every <duration> or a list of dates", s)
}

// MarshalJSON writes the cadence in its JSON form.
func (c Cadence) MarshalJSON() ([]byte, error) {
	switch c.Kind {
	case "dates":
		return json.Marshal(c.Dates)
	case "every":
		return json.Marshal("every " + c.Every.String())
	case "":
		return json.Marshal("monthly")
	}
	return json.Marshal(c.Kind)
}

// UnmarshalJSON reads a cadence string or a list of dates.
func (c *Cadence) UnmarshalJSON(b []byte) error {
	var dates []string
	if err := json.Unmarshal(b, &dates); err == nil {
		if len(dates) == 0 {
			return fmt.Errorf("the list of dates is empty")
		}
		for i, d := range dates {
			if _, _, err := ParseDueDate(d, time.UTC); err != nil {
				return fmt.Errorf("date %d %q: want YYYY-MM-DD, YYYY-MM-DD HH:MM or RFC 3339", i+1, d)
			}
		}
		*c = Cadence{Kind: "dates", Dates: dates}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("want a string or a list of dates")
	}
	v, err := ParseCadence(s)
	if err != nil {
		return err
	}
	*c = v
	return nil
}

// ParseDueDate reads one entry of a dates cadence in loc (China Standard Time in practice):
// "2006-01-02" gives midnight of that day and timed=false (the deadline is the end of that
// working day); "2006-01-02 15:04" or an RFC 3339 time gives that instant and timed=true.
func ParseDueDate(s string, loc *time.Location) (t time.Time, timed bool, err error) {
	s = strings.TrimSpace(s)
	if t, err := time.ParseInLocation(time.DateOnly, s, loc); err == nil {
		return t, false, nil
	}
	if t, err := time.ParseInLocation("2006-01-02 15:04", s, loc); err == nil {
		return t, true, nil
	}
	t, err = time.Parse(time.RFC3339, s)
	return t, true, err
}
