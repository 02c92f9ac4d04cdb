package domain

import (
	"fmt"
	"time"
)

// Facts are what an assessment reads for one plan: every assignment, the audit events up to
// the period's end (earlier ones too, for lateness that runs into the period), escalations
// and accountability records, and the items with their windows and indicators.
type Facts struct {
	Start, End  time.Time // [Start, End)
	Departments map[uint64]string
	Roles       map[ItemDept]AssignmentRole
	Events      []FactEvent
	Escalations []FactEscalation
	Records     []FactRecord
	Items       []FactItem
	// Weights is an item's weight beside a plan item's 1 in the rates and deductions: the
	// 督办件 folded into a plan's assessment (Formula.CaseWeight). An item not listed
	// weighs 1.
	Weights map[uint64]float64
	// Satisfaction is each evaluated department's mean satisfaction (满意度测评), 0–1.
	Satisfaction map[uint64]float64
	// Levels are the names of the plan's ladder's rungs (催办 → 督办通知 → 通报 → 追究责任 when
	// empty: the default ladder); the escalation counts have one per rung, or up to the
	// highest level an item's own ladder reached.
	Levels []string
	// Workdays counts the working days dated after from's date up to and including to's
	// date; the calendar's rule, passed in so the domain imports no calendar.
	Workdays func(from, to time.Time) int
}

// Fold adds another plan's facts (the 督办件 of the period) to the assessment of a plan,
// each item weighing weight: only the shares of departments the plan itself assesses, so
// the plan's list of departments stays its own. Satisfaction stays the plan's.
func (f *Facts) Fold(g Facts, weight float64) {
	assessed := map[uint64]bool{}
	for k := range f.Roles {
		assessed[k.DepartmentID] = true
	}
	if f.Weights == nil {
		f.Weights = map[uint64]float64{}
	}
	items := map[uint64]bool{}
	for k, r := range g.Roles {
		if assessed[k.DepartmentID] {
			f.Roles[k] = r
			items[k.ItemID] = true
		}
	}
	for _, e := range g.Events {
		if items[e.ItemID] && (e.DepartmentID == 0 || assessed[e.DepartmentID]) {
			f.Events = append(f.Events, e)
		}
	}
	for _, e := range g.Escalations {
		if items[e.ItemID] && assessed[e.DepartmentID] {
			f.Escalations = append(f.Escalations, e)
		}
	}
	for _, r := range g.Records {
		if items[r.ItemID] && assessed[r.DepartmentID] {
			f.Records = append(f.Records, r)
		}
	}
	for _, it := range g.Items {
		if items[it.ID] && assessed[it.Lead] {
			f.Items = append(f.Items, it)
		}
	}
	for id := range items {
		f.Weights[id] = weight
	}
}

// ItemDept keys a department's share of an item.
type ItemDept struct{ ItemID, DepartmentID uint64 }

// FactEvent is one audit event, with the payload fields the assessment reads.
type FactEvent struct {
	ID           uint64
	ItemID       uint64
	DepartmentID uint64
	Type         EventType
	At           time.Time
	Late         bool      // signed / submitted after the deadline
	Deadline     string    // overdue: which deadline ("sign" or a report cycle)
	Due          time.Time // overdue: when it was due
	Approved     bool      // extension_decided
}

// FactEscalation is one rung reached.
type FactEscalation struct {
	ID           uint64
	ItemID       uint64
	DepartmentID uint64
	Level        int
	At           time.Time
}

// FactRecord is one accountability record (追究责任).
type FactRecord struct {
	ID           uint64
	ItemID       uint64
	DepartmentID uint64
	OpenedAt     time.Time
	Decision     string
}

// FactItem is one item: its lead, its times under the window rule (Item.Times: Due is
// zero for ongoing items and items without an end), completion and indicators with the
// values known at the period's end.
type FactItem struct {
	ID    uint64
	Ref   string
	Title string
	Lead  uint64
	Times
	CompletedAt time.Time // zero: not completed
	Indicators  []Indicator
	Values      map[string]float64
}

// Metrics are one department's counts in one role over the period.
type Metrics struct {
	SignsOnTime   int     `json:"signs_on_time"`
	SignsMissed   int     `json:"signs_missed"` // sign deadlines passed (signed late or not yet)
	ReportsOnTime int     `json:"reports_on_time"`
	ReportsMissed int     `json:"reports_missed"`
	OverdueDays   int     `json:"overdue_days"` // working days
	Returns       int     `json:"returns"`
	Extensions    int     `json:"extensions"`
	Escalations   []int   `json:"escalations"` // per rung: [0] is level 1 (催办 on the default ladder)
	Records       int     `json:"accountability"`
	ItemsDue      int     `json:"items_due"`
	ItemsOnTime   int     `json:"items_on_time"`
	Indicators    int     `json:"indicators"`
	Attainment    float64 `json:"attainment"` // mean, each capped at 1
}

// Ref points at a row behind a number: an event, an escalation, an accountability record
// or an item.
type Ref struct {
	Kind   string `json:"kind"`
	ID     uint64 `json:"id"`
	ItemID uint64 `json:"item_id"`
}

// DepartmentResult is one department's line of the assessment.
type DepartmentResult struct {
	DepartmentID uint64   `json:"department_id"`
	Department   string   `json:"department"`
	Lead         Metrics  `json:"lead"`
	Partner      Metrics  `json:"partner"`
	SignRate     *float64 `json:"sign_rate"`
	ReportRate   *float64 `json:"report_rate"`
	Completion   *float64 `json:"completion_rate"`
	Attainment   *float64 `json:"indicator_rate"`
	Satisfaction *float64 `json:"satisfaction_rate,omitempty"` // nil: not evaluated
	Base         float64  `json:"base"`
	Deducted     float64  `json:"deducted"`
	Score        *float64 `json:"score"` // nil: nothing to assess
	Rank         int      `json:"rank"`  // 0: not ranked
	MaxLevel     int      `json:"max_level"`
	Commended    bool     `json:"commended"`
	Criticised   bool     `json:"criticised"`
	Reasons      []string `json:"reasons"`
	// Evidence lists, per metric name, the rows behind its number.
	Evidence map[string][]Ref `json:"evidence"`
}

// levelNames are the rungs' names: the plan's ladder's, or the default ladder's.
func (f Facts) levelNames() []string {
	if len(f.Levels) > 0 {
		return f.Levels
	}
	return LevelNames(DefaultPolicy().Ladder)
}

// LevelNames are a ladder's rung names, by level.
func LevelNames(ladder []Rung) []string {
	out := make([]string, len(ladder))
	for i, r := range ladder {
		out[i] = r.Name
	}
	return out
}

// LevelName is the name of a level among names, or 第N级 (level N) past them.
func LevelName(names []string, level int) string {
	if level >= 1 && level <= len(names) {
		return names[level-1]
	}
	return fmt.Sprintf("第%d级", level)
}
