package domain

// Role is what a user may do. The string values are stable API values.
type Role string

// User roles.
const (
	RoleAdmin      Role = "admin"      // manages departments, users, calendars
	RoleSupervisor Role = "supervisor" // 督办员: imports plans, reviews, tracks
	RoleLeader     Role = "leader"     // 领导小组: reads everything, writes instructions (批示)
	RoleLiaison    Role = "liaison"    // 联络员: acts for one department
	RoleViewer     Role = "viewer"     // reads
)

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	switch r {
	case RoleAdmin, RoleSupervisor, RoleLeader, RoleLiaison, RoleViewer:
		return true
	}
	return false
}

// AssignmentRole is a department's part in an item.
type AssignmentRole string

// Assignment roles.
const (
	Lead    AssignmentRole = "lead"    // 牵头单位
	Partner AssignmentRole = "partner" // 配合单位
)

// ItemStatus is where an item is in its lifecycle.
type ItemStatus string

// Item statuses. Stable API values.
const (
	StatusPending   ItemStatus = "pending"   // imported, workflow not yet started
	StatusAssigned  ItemStatus = "assigned"  // 交办: waiting for departments to sign
	StatusActive    ItemStatus = "active"    // 推进中: report cycles running
	StatusReview    ItemStatus = "review"    // a submission waits for review
	StatusSuspended ItemStatus = "suspended" // 暂停
	StatusCompleted ItemStatus = "completed" // 办结/销号
	StatusCancelled ItemStatus = "cancelled" // 撤销
)

// Open reports whether the item still runs.
func (s ItemStatus) Open() bool {
	return s != StatusCompleted && s != StatusCancelled
}

// Light is the traffic light (红黄绿灯) of an item.
type Light string

// Traffic lights.
const (
	Green  Light = "green"
	Yellow Light = "yellow"
	Red    Light = "red"
)

// SubmissionKind distinguishes what a liaison submits.
type SubmissionKind string

// Submission kinds.
const (
	KindReport       SubmissionKind = "report"       // 进展报送 by the lead
	KindContribution SubmissionKind = "contribution" // 协办反馈 by a partner
	KindCompletion   SubmissionKind = "completion"   // 申请办结 by the lead
)

// Indicator is a numeric target (指标) such as "新增PCT国际申请20件以上".
type Indicator struct {
	Name   string  `json:"name"`
	Target float64 `json:"target"`
	// TargetMax is the upper end of a range target (1—2个): Target is its lower end.
	TargetMax  float64 `json:"target_max,omitempty"`
	Unit       string  `json:"unit"`
	Comparator string  `json:"comparator"` // ">=", "<=", "="
	Deadline   string  `json:"deadline,omitempty"`
}

// SubmissionState is where a submission stands. Stable API values.
type SubmissionState string

// Submission states.
const (
	SubmissionSubmitted SubmissionState = "submitted" // waiting for review (or a contribution, which none reviews)
	SubmissionApproved  SubmissionState = "approved"  // 审核通过
	SubmissionReturned  SubmissionState = "returned"  // 退回
)
