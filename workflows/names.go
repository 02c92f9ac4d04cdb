// Package workflows holds Duban's Temporal workflows. Code here is deterministic: no I/O, no
// time.Now, no map iteration order, no goroutines; activities do the I/O.
package workflows

import (
	"fmt"

	"go.temporal.io/sdk/temporal"
)

// DefaultTaskQueue is the task queue item workflows and activities run on unless
// configured otherwise.
const DefaultTaskQueue = "duban-items"

// Update names: each user action on an item is a validated Update.
const (
	UpdateSign              = "sign"
	UpdateSubmit            = "submit" // report, contribution or completion request
	UpdateReview            = "review"
	UpdateExtensionRequest  = "extension_request"
	UpdateExtensionDecision = "extension_decision"
	UpdateReassign          = "reassign"
	UpdateInstruction       = "instruction"
	UpdateSuspend           = "suspend"
	UpdateResume            = "resume"
	UpdateCancel            = "cancel"
	UpdateRecordIndicator   = "record_indicator" // a supervisor's hand-entered indicator value
	UpdateAcknowledge       = "acknowledge_reminder"
	UpdateUrge              = "urge"
	UpdateAddSubtask        = "add_subtask"      // 任务分解: the lead splits off a sub-task
	UpdateCompleteSubtask   = "complete_subtask" // a sub-task done
	QueryState              = "state"
)

// Custom search attributes. SQL visibility allows few per type; these answer "which items
// of this plan / department / status / level are due when" for operators (docs/operations.md).
// Times are UTC; a closed or suspended item has no next due date and no level.
var (
	SAPlanID   = temporal.NewSearchAttributeKeyInt64("DubanPlanID")
	SALeadDept = temporal.NewSearchAttributeKeyInt64("DubanLeadDept")
	// SADepartments lists every responsible department (lead and partners) as "d<id>", so
	// "what is overdue for department X" finds a partner's lateness too.
	SADepartments     = temporal.NewSearchAttributeKeyKeywordList("DubanDepartments")
	SAStatus          = temporal.NewSearchAttributeKeyKeyword("DubanStatus")
	SANextDue         = temporal.NewSearchAttributeKeyTime("DubanNextDue")
	SAEscalationLevel = temporal.NewSearchAttributeKeyInt64("DubanEscalationLevel")
	// SAWaiting says why an item with no timer waits: "top_rung" (the ladder's last rung
	// was reached; the department still owes), "review" (a submission waits for a
	// supervisor), "suspended"; empty while a timer runs.
	SAWaiting = temporal.NewSearchAttributeKeyKeyword("DubanWaiting")
)

// DepartmentKey is a department's value in DubanDepartments.
func DepartmentKey(id uint64) string { return fmt.Sprintf("d%d", id) }

// SignalSubtask is how an item tells a sub-task's workflow it is done or closed.
const SignalSubtask = "subtask"

// SubtaskWorkflowID is the workflow ID of an item's n-th sub-task: the child of the item's
// workflow, found by this ID from any of the item's runs.
func SubtaskWorkflowID(itemID uint64, n int) string {
	return fmt.Sprintf("duban-item-%d-sub-%d", itemID, n)
}

// ItemWorkflowID is the workflow ID of an item: starting it twice is a no-op.
func ItemWorkflowID(itemID uint64) string { return fmt.Sprintf("duban-item-%d", itemID) }
