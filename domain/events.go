package domain

// EventType names an entry in the append-only audit log. The values are stable: external
// checks and the UI timeline depend on them.
type EventType string

// Event types.
const (
	EventAssigned              EventType = "assigned"
	EventSigned                EventType = "signed"
	EventReminder              EventType = "reminder"
	EventOverdue               EventType = "overdue"
	EventEscalated             EventType = "escalated"
	EventReportSubmitted       EventType = "report_submitted"
	EventContributionSubmitted EventType = "contribution_submitted"
	EventApproved              EventType = "approved"
	EventReturned              EventType = "returned"
	EventExtensionRequested    EventType = "extension_requested"
	EventExtensionDecided      EventType = "extension_decided"
	EventReassigned            EventType = "reassigned"
	EventInstruction           EventType = "instruction"
	EventCompletionRequested   EventType = "completion_requested"
	EventCompleted             EventType = "completed"
	EventSuspended             EventType = "suspended"
	EventResumed               EventType = "resumed"
	EventCancelled             EventType = "cancelled"
	// EventIndicatorRecorded is a value of an indicator (指标) entered by hand by a supervisor.
	EventIndicatorRecorded EventType = "indicator_recorded"
)
