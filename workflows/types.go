package workflows

import (
	"time"

	"github.com/dubanhq/duban/domain"
)

// Party is a department assigned to an item.
type Party struct {
	DepartmentID uint64
	Role         domain.AssignmentRole
	Name         string `json:",omitempty"` // for operators' summaries (单位名称)
}

// ItemInput starts an item workflow. State is set only when continuing as new.
type ItemInput struct {
	ItemID  uint64
	PlanID  uint64
	Title   string
	Parties []Party
	Policy  domain.Policy
	Start   time.Time // window start; zero = now
	End     time.Time // window end, or plan end for ongoing items; zero = open
	Ongoing bool
	// Indicators are the item's numeric targets (指标); reported values are compared with
	// the pro-rata expectation (序时进度) for the traffic light.
	Indicators []domain.Indicator
	// LadderDeclared: the policy's rungs declare their consequences (domain.Rung). Inputs
	// recorded before they did are read with domain.LegacyConsequences.
	LadderDeclared bool `json:",omitempty"`
	State          *ItemState
}

// Assignment is one department's live state in the workflow.
type Assignment struct {
	DepartmentID  uint64
	Role          domain.AssignmentRole
	Removed       bool
	Signed        bool
	SignedAt      time.Time
	SignedBy      uint64
	DeadlineKey   string // identifies the current deadline: sign, c3, c3r1, c3x1…
	Due           time.Time
	Satisfied     bool
	Reminders     []time.Time
	RemindSent    []bool
	Rungs         []time.Time
	Level         int
	OverdueMarked bool
	// Provisional: a reminder or rung was counted through a year without its holiday
	// notice; they are computed again before one of them is acted on.
	Provisional bool `json:",omitempty"`
	// Reminded is the deadline a reminder was last sent for; Acknowledged the deadline
	// whose reminder the department acknowledged (收到提醒).
	Reminded     string `json:",omitempty"`
	Acknowledged string `json:",omitempty"`
}

// Pending is a submission waiting for review.
type Pending struct {
	SubmissionID uint64
	Kind         domain.SubmissionKind
	DepartmentID uint64
	Cycle        int
}

// Extension is a request to move a deadline (申请延期).
type Extension struct {
	ID           int
	DepartmentID uint64
	NewDue       time.Time
	Reason       string
	Decided      bool
	Approved     bool
}

// ItemState is the whole queryable state of an item workflow.
type ItemState struct {
	ItemID      uint64
	PlanID      uint64
	Title       string
	Status      domain.ItemStatus
	Light       domain.Light
	Cycle       int
	CycleDue    time.Time
	FinalCycle  bool
	Returns     int // returns in this cycle, for deadline keys
	Assignments []*Assignment
	Pending     []Pending
	Extensions  []Extension
	Suspended   bool
	SuspendedAt time.Time
	Seq         int // event sequence, carried across continue-as-new
	Level       int
	NextDue     time.Time
	Closed      bool
	// Values holds the latest reported value of each indicator, by the name reported.
	Values map[string]float64
	// Behind lists indicators below their pro-rata expectation at the last check.
	Behind []string
	// Names are the departments' names, for the summaries operators read.
	Names map[uint64]string `json:",omitempty"`
	// Subtasks are the item's sub-tasks (任务分解), each with a child workflow.
	Subtasks []SubtaskRef `json:",omitempty"`
}

// Acting is what every Update carries: who acts, for which request.
type Acting struct {
	Actor domain.Actor
}

// DepartmentInput is an action a department takes with nothing more to say: 签收 (sign),
// 收到提醒 (acknowledge a reminder).
type DepartmentInput struct {
	Acting
	DepartmentID uint64
}

// SignInput is 签收 by a department.
type SignInput = DepartmentInput

// SubmitInput is a report, a contribution or a completion request.
type SubmitInput struct {
	Acting
	DepartmentID uint64
	Kind         domain.SubmissionKind
	Text         string
	Indicators   map[string]float64
	Attachments  []domain.Attachment
}

// SubmitResult returns the stored submission id.
type SubmitResult struct {
	ID uint64 `json:"id"`
}

// ReviewInput approves or returns a submission (审核).
type ReviewInput struct {
	Acting
	SubmissionID uint64
	Decision     string // approve | return
	Comment      string
	ResubmitDue  time.Time // optional; default now + policy.resubmit_within
}

// ExtensionRequestInput asks for a later deadline (申请延期).
type ExtensionRequestInput struct {
	Acting
	DepartmentID uint64
	NewDue       time.Time
	Reason       string
}

// ExtensionDecisionInput decides an extension request.
type ExtensionDecisionInput struct {
	Acting
	ExtensionID int
	Approve     bool
	NewDue      time.Time // optional override of the requested date
	Comment     string
}

// ReassignInput replaces the lead and partner departments.
type ReassignInput struct {
	Acting
	Lead     []uint64
	Partners []uint64
	Reason   string
	Names    map[uint64]string `json:",omitempty"` // the new departments' names
}

// InstructionInput is a leader's instruction (批示), optionally with its own deadline for the lead.
type InstructionInput struct {
	Acting
	Text string
	Due  time.Time
}

// ReasonInput is suspend / resume / cancel with a reason.
type ReasonInput struct {
	Acting
	Reason string
}

// IDResult returns the id of something created by an Update.
type IDResult struct {
	ID int `json:"id"`
}
