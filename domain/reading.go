package domain

import (
	"math"
	"slices"
	"time"
	"unicode/utf8"
)

// MaxReadingNote bounds a reading's note (the store keeps 512 characters).
const MaxReadingNote = 500

// Reading is an indicator value entered by hand (指标录入), from statistics the departments
// do not report themselves.
type Reading struct {
	Name  string    // the indicator's name, exactly as on the item
	Value float64   // the cumulative value as of At
	At    time.Time // the date the value is as of
	Note  string    // the source, e.g. 市统计局2025年一季度数据
}

// CheckReading is the one rule for a reading, applied by the API before it asks and by the
// workflow before it records: one of the item's own indicators, a finite value, an as-of
// date that is set and not after latest (zero latest: not checked), a note of at most
// MaxReadingNote characters.
func CheckReading(inds []Indicator, r Reading, latest time.Time) error {
	switch {
	case r.Name == "":
		return Invalidf("name", "请指明指标 / name is required")
	case !slices.ContainsFunc(inds, func(ind Indicator) bool { return ind.Name == r.Name }):
		return Invalidf("name", "该事项没有指标“%s” / the item has no indicator %q", r.Name, r.Name)
	case math.IsNaN(r.Value) || math.IsInf(r.Value, 0):
		return Invalidf("value", "指标值须为有限的数 / value must be a finite number")
	case r.At.IsZero():
		return Invalidf("at", "请填写数据截至日期 / at (the date the value is as of) is required")
	case !latest.IsZero() && r.At.After(latest):
		return Invalidf("at", "数据截至日期不能晚于今天 / at must not be in the future")
	case utf8.RuneCountInString(r.Note) > MaxReadingNote:
		return Invalidf("note", "说明不超过 %d 字 / note is longer than %d characters", MaxReadingNote, MaxReadingNote)
	}
	return nil
}
