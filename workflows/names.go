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
	QueryState              = "state"
)

// Custom search attributes. SQL visibility allows few per type; these five answer "which
// items of this plan / department / status / level are due when".
var (
	SAPlanID          = temporal.NewSearchAttributeKeyInt64("DubanPlanID")
	SALeadDept        = temporal.NewSearchAttributeKeyInt64("DubanLeadDept")
	SAStatus          = temporal.NewSearchAttributeKeyKeyword("DubanStatus")
	SANextDue         = temporal.NewSearchAttributeKeyTime("DubanNextDue")
	SAEscalationLevel = temporal.NewSearchAttributeKeyInt64("DubanEscalationLevel")
)

// ItemWorkflowID is the workflow ID of an item: starting it twice is a no-op.
func ItemWorkflowID(itemID uint64) string { return fmt.Sprintf("duban-item-%d", itemID) }
