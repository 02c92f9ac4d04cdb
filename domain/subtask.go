package domain

import "time"

// SubtaskStatus is where a sub-task (任务分解) stands. The values are stable API values.
type SubtaskStatus string

// Sub-task statuses: open until done; late once its deadline passed while open; closed
// when the item it belongs to was completed or cancelled first.
const (
	SubtaskOpen   SubtaskStatus = "open"
	SubtaskLate   SubtaskStatus = "late"
	SubtaskDone   SubtaskStatus = "done"
	SubtaskClosed SubtaskStatus = "closed"
)

// Finished reports whether the sub-task needs nothing more.
func (s SubtaskStatus) Finished() bool { return s == SubtaskDone || s == SubtaskClosed }

// Subtask is a piece of an item the lead department hands to one of its internal offices
// (内设处室, named as text) or to a partner department, with its own deadline before the
// item's.
type Subtask struct {
	ID           uint64
	ItemID       uint64
	Seq          int // 1, 2, … within the item: the child workflow's ID
	Title        string
	DepartmentID uint64
	Office       string // an internal office of the department, as text; optional
	Deadline     time.Time
	Status       SubtaskStatus
	CompletedAt  *time.Time
}

// CheckSubtaskDeadline is the one rule for a sub-task's deadline: after now and before the
// item's own deadline (when the item has one).
func CheckSubtaskDeadline(deadline, itemDue, now time.Time) error {
	if deadline.IsZero() {
		return Invalidf("deadline", "请填写期限 / deadline is required")
	}
	if !deadline.After(now) {
		return Invalidf("deadline", "期限应晚于现在 / the deadline must be in the future")
	}
	if !itemDue.IsZero() && !deadline.Before(itemDue) {
		return Invalidf("deadline", "子任务期限应早于事项期限 %s / a sub-task's deadline must be before the item's (%s)",
			itemDue.Format("2006-01-02"), itemDue.Format("2006-01-02"))
	}
	return nil
}

// NoticeSubtask is a notice about a sub-task: assigned, near its deadline or late.
const NoticeSubtask NoticeKind = "subtask"

// Audit event types of sub-tasks and satisfaction evaluations, recorded by the API.
const (
	EventSubtaskCreated   EventType = "subtask_created"
	EventSubtaskCompleted EventType = "subtask_completed"
	EventEvaluationOpened EventType = "evaluation_opened"
)

// SubtaskCreated is a sub-task the lead (or a supervisor) split off an item.
type SubtaskCreated struct {
	ItemID       uint64    `json:"item_id"`
	SubtaskID    uint64    `json:"subtask_id"`
	Title        string    `json:"title"`
	DepartmentID uint64    `json:"department_id"`
	Office       string    `json:"office,omitempty"`
	Deadline     time.Time `json:"deadline"`
}

// SubtaskCompleted is a sub-task marked done by its owner or the lead.
type SubtaskCompleted struct {
	ItemID    uint64 `json:"item_id"`
	SubtaskID uint64 `json:"subtask_id"`
	Late      bool   `json:"late"`
}

// EvaluationOpened is a satisfaction-evaluation round (满意度测评) a supervisor opened.
type EvaluationOpened struct {
	EvaluationID uint64   `json:"evaluation_id"`
	Title        string   `json:"title"`
	PlanID       uint64   `json:"plan_id,omitempty"`
	Departments  []uint64 `json:"departments"`
	Codes        int      `json:"codes"` // anonymous codes issued (never the codes)
}

// EventType of a sub-task's creation.
func (SubtaskCreated) EventType() EventType { return EventSubtaskCreated }

// EventType of a sub-task's completion.
func (SubtaskCompleted) EventType() EventType { return EventSubtaskCompleted }

// EventType of an evaluation round opened.
func (EvaluationOpened) EventType() EventType { return EventEvaluationOpened }
