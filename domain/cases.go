package domain

import (
	"fmt"
	"strconv"
	"strings"
)

// SourceType is where a single supervision item (督办件) comes from; its code is stable in
// the API, its label is what people write.
type SourceType string

// Source types.
const (
	SourceInstruction SourceType = "instruction" // 领导批示
	SourceMeeting     SourceType = "meeting"     // 会议议定
	SourceAssigned    SourceType = "assigned"    // 上级交办
	SourcePublic      SourceType = "public"      // 群众反映
	SourceOther       SourceType = "other"       // 其他
)

// SourceTypes are the source types in the order a form lists them.
var SourceTypes = []SourceType{SourceInstruction, SourceMeeting, SourceAssigned, SourcePublic, SourceOther}

var sourceLabels = map[SourceType][2]string{
	SourceInstruction: {"领导批示", "leader's instruction"},
	SourceMeeting:     {"会议议定", "meeting decision"},
	SourceAssigned:    {"上级交办", "assigned from above"},
	SourcePublic:      {"群众反映", "public complaint"},
	SourceOther:       {"其他", "other"},
}

// Label is the source type's Chinese label.
func (t SourceType) Label() string { return sourceLabels[t][0] }

// ParseSourceType reads a source type's code or Chinese label.
func ParseSourceType(s string) (SourceType, error) {
	s = strings.TrimSpace(s)
	for _, t := range SourceTypes {
		if s == string(t) || s == sourceLabels[t][0] {
			return t, nil
		}
	}
	return "", Invalidf("source_type", "来源类型“%s”无效，应为 领导批示、会议议定、上级交办、群众反映 或 其他 / source_type %q: want instruction, meeting, assigned, public or other", s, s)
}

// Urgency is a 督办件's 紧急程度: it sets the default deadline when none is given.
type Urgency string

// Urgencies.
const (
	UrgencySpecial Urgency = "urgent_special" // 特急
	UrgencyUrgent  Urgency = "urgent"         // 急
	UrgencyNormal  Urgency = "normal"         // 一般
)

var urgencyLabels = map[Urgency]string{UrgencySpecial: "特急", UrgencyUrgent: "急", UrgencyNormal: "一般"}

// Label is the urgency's Chinese label.
func (u Urgency) Label() string { return urgencyLabels[u] }

// ParseUrgency reads an urgency's code or Chinese label; empty is normal.
func ParseUrgency(s string) (Urgency, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return UrgencyNormal, nil
	}
	for u, l := range urgencyLabels {
		if s == string(u) || s == l {
			return u, nil
		}
	}
	return "", Invalidf("urgency", "紧急程度“%s”无效，应为 特急、急 或 一般 / urgency %q: want urgent_special, urgent or normal", s, s)
}

// CaseRules are the installation's rules for 督办件: how they are numbered and their default
// deadlines by urgency.
type CaseRules struct {
	// Office names the numbering sequence (one per office and year).
	Office string `yaml:"office" json:"office"`
	// NumberFormat writes a number from {year} and {seq}: 督办〔{year}〕{seq}号.
	NumberFormat string `yaml:"number_format" json:"number_format"`
	// Days are the working days to the deadline by urgency when none is given.
	Days map[Urgency]int `yaml:"days" json:"days"`
}

// DefaultCaseRules number 督办〔2026〕15号 and give 特急 3, 急 7 and 一般 15 working days.
func DefaultCaseRules() CaseRules {
	return CaseRules{NumberFormat: "督办〔{year}〕{seq}号",
		Days: map[Urgency]int{UrgencySpecial: 3, UrgencyUrgent: 7, UrgencyNormal: 15}}
}

// WithDefaults fills what r leaves out from DefaultCaseRules.
func (r CaseRules) WithDefaults() CaseRules {
	d := DefaultCaseRules()
	if r.NumberFormat == "" {
		r.NumberFormat = d.NumberFormat
	}
	days := map[Urgency]int{}
	for u, n := range d.Days {
		days[u] = n
	}
	for u, n := range r.Days {
		days[u] = n
	}
	r.Days = days
	return r
}

// Validate names the rule that is wrong.
func (r CaseRules) Validate() error {
	if !strings.Contains(r.NumberFormat, "{seq}") {
		return Invalidf("supervision.number_format", "编号格式须含 {seq} / number_format must contain {seq}")
	}
	for u, n := range r.Days {
		if _, ok := urgencyLabels[u]; !ok || n < 0 {
			return Invalidf("supervision.days", "%s: %d", u, n)
		}
	}
	return nil
}

// Number writes the number of the seq-th 督办件 of year.
func (r CaseRules) Number(year, seq int) string {
	f := r.NumberFormat
	if f == "" {
		f = DefaultCaseRules().NumberFormat
	}
	return strings.NewReplacer("{year}", strconv.Itoa(year), "{seq}", strconv.Itoa(seq)).Replace(f)
}

// CasePlanTitle is the title of the container plan holding a year's 督办件 of one source
// type (2026年领导批示督办件).
func CasePlanTitle(year int, t SourceType) string {
	return fmt.Sprintf("%d年%s督办件", year, t.Label())
}
