package domain

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Rung is one level of the escalation ladder (督办升级): its name, how long after the missed
// deadline it fires, who is notified, and what else reaching it does. What a rung does is
// declared here, never inferred from its level: a plan may have three rungs or five.
type Rung struct {
	Level  int      `json:"level"`
	Name   string   `json:"name"`
	After  Span     `json:"after"`
	Notify []string `json:"notify"`
	// Leadership puts the escalation on the leadership group's board (升级督办) and in the
	// leaders' daily digest, and tells the department it went up to the leadership.
	Leadership bool `json:"leadership"`
	// Circular lists the item in the next circular (通报) drafted from an assessment.
	Circular bool `json:"circular"`
	// Accountability opens an accountability record (追究责任) for the leadership group to
	// decide.
	Accountability bool `json:"accountability"`
}

// LegacyConsequences gives a ladder written before rungs declared their consequences
// (December 2026) the meaning its levels had then: from level 3 (通报) an escalation went to
// the leadership group and into the circular, and level 4 (追究责任) opened an
// accountability record. It is applied only to ladders of that time: a running workflow's
// input recorded then, and the stored policies a migration rewrites once.
func LegacyConsequences(ladder []Rung) []Rung {
	out := make([]Rung, len(ladder))
	for i, r := range ladder {
		r.Leadership, r.Circular, r.Accountability = r.Level >= 3, r.Level >= 3, r.Level >= 4
		out[i] = r
	}
	return out
}

// Rung returns the rung of a level, or false when the ladder has no such level.
func (p Policy) Rung(level Level) (Rung, bool) {
	if level < 1 || int(level) > len(p.Ladder) {
		return Rung{}, false
	}
	return p.Ladder[level-1], true
}

// Recipients a rung may notify. Each expands at run time to concrete users.
const (
	NotifyLiaison        = "liaison"         // the department's liaisons
	NotifyDepartmentHead = "department_head" // the department's head (users flagged head)
	NotifySupervisor     = "supervisor"      // the plan's supervisors
	NotifyLeadership     = "leadership"      // the leadership group (role leader)
)

// Policy is a plan's supervision policy, overridable per item. JSON field names are stable.
type Policy struct {
	SignWithin     Span    `json:"sign_within"`
	Cadence        Cadence `json:"cadence"`
	RemindBefore   []Span  `json:"remind_before"`
	PartnerLead    Span    `json:"partner_lead"`
	ResubmitWithin Span    `json:"resubmit_within"`
	// Grace is the time a department gets for a deadline that had already passed when it
	// was given (a plan launched late, a report cycle opened after its due date): it is due
	// Grace from then, not overdue at once.
	Grace  Span   `json:"grace"`
	Ladder []Rung `json:"ladder"`
}

// DefaultPolicy is DESIGN.md's default: sign within 2 working days, monthly reports,
// reminders 3 and 1 working days before, partners 2 working days ahead of the lead,
// 5 working days to resubmit, 5 working days of grace for a deadline already past when
// given, and the ladder 催办 → 督办通知 → 通报 (to the leadership group
// and into the circular) → 追究责任 (an accountability record).
func DefaultPolicy() Policy {
	return Policy{
		SignWithin:     Span{Workdays: 2},
		Cadence:        Cadence{Kind: "monthly"},
		RemindBefore:   []Span{{Workdays: 3}, {Workdays: 1}},
		PartnerLead:    Span{Workdays: 2},
		ResubmitWithin: Span{Workdays: 5},
		Grace:          Span{Workdays: 5},
		Ladder: []Rung{
			{Level: 1, Name: "催办", After: Span{}, Notify: []string{NotifyLiaison, NotifyDepartmentHead}},
			{Level: 2, Name: "督办通知", After: Span{Workdays: 3}, Notify: []string{NotifySupervisor, NotifyDepartmentHead}},
			{Level: 3, Name: "通报", After: Span{Workdays: 7}, Notify: []string{NotifyLeadership}, Leadership: true, Circular: true},
			{Level: 4, Name: "追究责任", After: Span{Workdays: 15}, Notify: []string{NotifyLeadership}, Leadership: true, Circular: true, Accountability: true},
		},
	}
}

// ParsePolicy reads a JSON policy on top of base: fields absent from the JSON keep base's
// values. Unknown fields are rejected by name.
func ParsePolicy(base Policy, raw []byte) (Policy, error) {
	if len(strings.TrimSpace(string(raw))) == 0 || string(raw) == "null" {
		return base, nil
	}
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	p := base
	if err := dec.Decode(&p); err != nil {
		return Policy{}, Invalidf("policy", "%v", err)
	}
	return p, p.Validate()
}

// MaxRungs bounds an escalation ladder's length, and the levels an assessment formula names.
const MaxRungs = 10

// Validate checks the ladder is ordered and every recipient is known.
func (p Policy) Validate() error {
	if len(p.Ladder) == 0 {
		return Invalidf("policy.ladder", "the escalation ladder needs at least one level")
	}
	if len(p.Ladder) > MaxRungs {
		return Invalidf("policy.ladder", "the escalation ladder has at most %d levels", MaxRungs)
	}
	for i, r := range p.Ladder {
		if r.Level != i+1 {
			return Invalidf(fmt.Sprintf("policy.ladder[%d].level", i), "levels must be 1, 2, 3… in order; got %d", r.Level)
		}
		if r.Name == "" {
			return Invalidf(fmt.Sprintf("policy.ladder[%d].name", i), "a level needs a name")
		}
		for _, n := range r.Notify {
			switch n {
			case NotifyLiaison, NotifyDepartmentHead, NotifySupervisor, NotifyLeadership:
			default:
				return Invalidf(fmt.Sprintf("policy.ladder[%d].notify", i), "unknown recipient %q (want liaison, department_head, supervisor, leadership)", n)
			}
		}
	}
	if p.Cadence.Kind == "" {
		return Invalidf("policy.cadence", "cadence is required")
	}
	return nil
}
