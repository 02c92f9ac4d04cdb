package domain

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Rung is one level of the escalation ladder (督办升级): its name, how long after the missed
// deadline it fires, and who is notified.
type Rung struct {
	Level  int      `json:"level"`
	Name   string   `json:"name"`
	After  Span     `json:"after"`
	Notify []string `json:"notify"`
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
	Ladder         []Rung  `json:"ladder"`
}

// DefaultPolicy is DESIGN.md's default: sign within 2 working days, monthly reports,
// reminders 3 and 1 working days before, partners 2 working days ahead of the lead,
// 5 working days to resubmit, and the ladder L1 催办 → L2 督办通知 → L3 通报 → L4 追究责任.
func DefaultPolicy() Policy {
	return Policy{
		SignWithin:     Span{Workdays: 2},
		Cadence:        Cadence{Kind: "monthly"},
		RemindBefore:   []Span{{Workdays: 3}, {Workdays: 1}},
		PartnerLead:    Span{Workdays: 2},
		ResubmitWithin: Span{Workdays: 5},
		Ladder: []Rung{
			{Level: 1, Name: "催办", After: Span{}, Notify: []string{NotifyLiaison, NotifyDepartmentHead}},
			{Level: 2, Name: "督办通知", After: Span{Workdays: 3}, Notify: []string{NotifySupervisor, NotifyDepartmentHead}},
			{Level: 3, Name: "通报", After: Span{Workdays: 7}, Notify: []string{NotifyLeadership}},
			{Level: 4, Name: "追究责任", After: Span{Workdays: 15}, Notify: []string{NotifyLeadership}},
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

// Validate checks the ladder is ordered and every recipient is known.
func (p Policy) Validate() error {
	if len(p.Ladder) == 0 {
		return Invalidf("policy.ladder", "the escalation ladder needs at least one level")
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
