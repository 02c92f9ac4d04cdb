package domain

import "time"

// Item is one task (任务/事项) of a plan's responsibility list (责任清单) and where it stands.
// It is the one shape of an item: the store reads and writes it (store.Item is only its
// row), launch creates it from an ItemDraft, a workflow step reports its Progress, and the
// API renders it as a documented view. Each of those edges converts explicitly.
type Item struct {
	ID          uint64
	PlanID      uint64
	Seq         int    // position in the plan's list, from 1
	Ref         string // section path such as 二(三)4
	Title       string
	Content     string
	Window      Window
	Indicators  []Indicator
	SourceLines [2]int // first and last line of the source document, 1-based; 0 when typed in
	// PolicyOverride is the item's own policy (JSON over the plan's); empty: the plan's.
	PolicyOverride string
	Progress
	WorkflowID string
	Version    int64     // bumped on every change: the API's ETag
	StartedAt  time.Time // when its workflow started; zero while pending
	CreatedAt  time.Time
}

// Times is the item's window in instants under the one window rule (Window.Times): its
// clock starts at the window's first day, or when it started (or was created).
func (it *Item) Times(planEnd time.Time, loc *time.Location) Times {
	started := it.StartedAt
	if started.IsZero() {
		started = it.CreatedAt
	}
	return it.Window.Times(started, planEnd, loc)
}

// Progress is where an item stands: its status, traffic light, escalation level, the next
// deadline and each department's share. Every workflow step writes it to the read model.
//
// The JSON names are those of the Snapshot this type replaced: an Apply activity scheduled
// by a worker before an upgrade still decodes on the new one.
type Progress struct {
	Status      ItemStatus   `json:"Status"`
	Light       Light        `json:"Light"`
	Level       Level        `json:"EscalationLevel"`
	NextDue     time.Time    `json:"NextDue"`
	Assignments []Assignment `json:"Assignments"`
}

// Assignment is one department's share of an item (交办/承办): its role, whether it signed,
// its next deadline and how far up the ladder its lateness went.
type Assignment struct {
	DepartmentID uint64           `json:"DepartmentID"`
	Role         AssignmentRole   `json:"Role"`
	Status       AssignmentStatus `json:"Status"`
	SignedAt     time.Time        `json:"SignedAt"`
	SignedBy     uint64           `json:"SignedBy"`
	NextDue      time.Time        `json:"NextDue"` // zero when nothing is owed
	Level        Level            `json:"EscalationLevel"`
	Overdue      bool             `json:"Overdue"`
}

// AssignmentStatus is where one department's share stands.
type AssignmentStatus string

// Assignment statuses. Stable API values.
const (
	AssignmentAssigned AssignmentStatus = "assigned" // 交办: not yet signed
	AssignmentSigned   AssignmentStatus = "signed"   // 已签收
	AssignmentRemoved  AssignmentStatus = "removed"  // taken off the item by a reassignment
)

// Level is a rung of the escalation ladder an item or a department reached: 0 is none, 1
// the ladder's first rung. What a level means is the plan's ladder (Policy.Ladder), never
// the number itself.
type Level int

// LevelNone is an item or department with no escalation.
const LevelNone Level = 0

// Lead is the item's (first) lead department's share, or nil.
func (it *Item) Lead() *Assignment {
	for i := range it.Assignments {
		if a := &it.Assignments[i]; a.Role == Lead && a.Status != AssignmentRemoved {
			return a
		}
	}
	return nil
}

// Departments lists the departments with a share in the item (removed ones excluded): the
// scope a liaison's access to the item is decided on.
func (it *Item) Departments() []uint64 {
	var out []uint64
	for _, a := range it.Assignments {
		if a.Status != AssignmentRemoved {
			out = append(out, a.DepartmentID)
		}
	}
	return out
}

// ItemDraft is an item before launch, as the importer read it or a person typed it:
// departments by name (牵头单位, 配合单位, 单位组), resolved against the registry at launch.
type ItemDraft struct {
	Ref         string
	Title       string
	Content     string
	Lead        []string
	Partners    []string
	Groups      []string
	Window      Window
	Indicators  []Indicator
	SourceLines [2]int
}

// Actor is who caused a change: a person through the API, or nobody (zero) for the
// system's own timers. It is copied into every audit event.
type Actor struct {
	UserID       uint64 `json:"user_id,omitempty"`
	Name         string `json:"name,omitempty"`
	Role         string `json:"role,omitempty"`
	DepartmentID uint64 `json:"department_id,omitempty"`
	RequestID    string `json:"request_id,omitempty"`
	SourceIP     string `json:"source_ip,omitempty"`
}
