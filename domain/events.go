package domain

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"time"
)

// EventType names an entry in the append-only audit log. The values are stable: external
// checks and the UI timeline depend on them.
type EventType string

// Item event types: what an item's workflow records.
const (
	EventAssigned EventType = "assigned"
	EventSigned   EventType = "signed"
	EventReminder EventType = "reminder"
	// EventUrged is a supervisor's 催办 by hand: sent at once, counted as a reminder, not a
	// rung of the ladder.
	EventUrged EventType = "urged"
	// EventReminderAcknowledged is a department saying it received a reminder (收到提醒).
	EventReminderAcknowledged  EventType = "reminder_acknowledged"
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

// Event is the payload of one audit-log entry. Each event type has its own struct; its
// JSON is versioned (EncodeEvent writes "v") so that a field can change meaning later
// without misreading what was written before.
type Event interface {
	// EventType is the type the payload belongs to.
	EventType() EventType
}

// EventVersion is the payload version written now. Payloads written before versioning
// carry no "v" and read as version 1: their fields are the same.
const EventVersion = 1

// Lateness is implemented by events that meet or miss a deadline (signing, reporting): the
// store keeps the answer in a column, so rankings count on-time work without reading JSON.
type Lateness interface {
	IsLate() bool
}

// EncodeEvent writes an event's payload as JSON with its version first: {"v":1,…}.
func EncodeEvent(e Event) (json.RawMessage, error) {
	b, err := json.Marshal(e)
	if err != nil {
		return nil, fmt.Errorf("event %s: %w", e.EventType(), err)
	}
	if !bytes.HasPrefix(b, []byte("{")) {
		return nil, fmt.Errorf("event %s: payload is not a JSON object", e.EventType())
	}
	head := fmt.Sprintf(`{"v":%d`, EventVersion)
	if string(b) == "{}" {
		return json.RawMessage(head + "}"), nil
	}
	return json.RawMessage(head + "," + string(b[1:])), nil
}

// DecodeEvent reads a payload of type t into its struct. An unknown type is an error; an
// empty payload gives the type's zero struct.
func DecodeEvent(t EventType, raw []byte) (Event, error) {
	mk, ok := eventTypes[t]
	if !ok {
		return nil, fmt.Errorf("unknown event type %q", t)
	}
	e := mk()
	if len(bytes.TrimSpace(raw)) == 0 || string(raw) == "null" {
		return derefEvent(e), nil
	}
	var v struct {
		V int `json:"v"`
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, fmt.Errorf("event %s: %w", t, err)
	}
	if v.V > EventVersion {
		return nil, fmt.Errorf("event %s: payload version %d is newer than this program (%d)", t, v.V, EventVersion)
	}
	if err := json.Unmarshal(raw, e); err != nil {
		return nil, fmt.Errorf("event %s: %w", t, err)
	}
	return derefEvent(e), nil
}

// Assigned is 交办: a department was given its share and a signing deadline.
type Assigned struct {
	Role    AssignmentRole `json:"role"`
	SignDue time.Time      `json:"sign_due"`
}

// Signed is 签收 by a department.
type Signed struct {
	Late bool `json:"late"`
}

// Deadline identifies a department's deadline in reminders, overdue marks and escalations:
// when it is due and which it is (sign, c3, c3r1, c3x1 …).
type Deadline struct {
	Due time.Time `json:"due"`
	Key string    `json:"deadline"`
}

// Reminder is 提醒: a deadline is near.
type Reminder struct{ Deadline }

// Urged is 催办 by a supervisor: the message and the departments it reached (those that
// owed something then).
type Urged struct {
	Message     string   `json:"message"`
	Departments []uint64 `json:"departments"`
}

// ReminderAcknowledged is a department's answer to a reminder: received, working on it.
type ReminderAcknowledged struct{ Deadline }

// Overdue is a deadline passed without what was owed.
type Overdue struct{ Deadline }

// Escalated is one rung of the ladder (督办升级) reached; the level is the event's column.
type Escalated struct {
	Name string `json:"name"`
	Deadline
}

// Submitted is a report (进展报送), a contribution (协办反馈) or a completion request (申请办结).
// Text is what the department wrote, so the timeline and the audit show it as reviewed.
type Submitted struct {
	Kind          SubmissionKind `json:"-"`
	SubmissionID  uint64         `json:"submission_id"`
	Cycle         int            `json:"cycle"`
	Late          bool           `json:"late"`
	LevelAtSubmit Level          `json:"level_at_submit"`
	Text          string         `json:"text,omitempty"`
	Attachments   []Attachment   `json:"attachments,omitempty"`
}

// Attachment is the metadata of an uploaded file (附件) referenced by a submission.
type Attachment struct {
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256,omitempty"`
	URL    string `json:"url,omitempty"`
}

// Approved is 审核通过 of a submission.
type Approved struct {
	SubmissionID uint64         `json:"submission_id"`
	Kind         SubmissionKind `json:"kind"`
	Comment      string         `json:"comment"`
}

// Returned is 退回 of a submission with the reviewer's comment and a new deadline.
type Returned struct {
	SubmissionID uint64    `json:"submission_id"`
	Comment      string    `json:"comment"`
	ResubmitDue  time.Time `json:"resubmit_due"`
}

// ExtensionRequested is 申请延期.
type ExtensionRequested struct {
	ExtensionID int       `json:"extension_id"`
	NewDue      time.Time `json:"new_due"`
	Reason      string    `json:"reason"`
}

// ExtensionDecided is the decision on an extension request.
type ExtensionDecided struct {
	ExtensionID int       `json:"extension_id"`
	Approved    bool      `json:"approved"`
	NewDue      time.Time `json:"new_due"`
	Comment     string    `json:"comment"`
}

// Reassigned is 改派: the lead and partner departments replaced.
type Reassigned struct {
	Lead     []uint64 `json:"lead"`
	Partners []uint64 `json:"partners"`
	Reason   string   `json:"reason"`
}

// Instruction is a leader's instruction (批示), optionally with a deadline.
type Instruction struct {
	Text string    `json:"text"`
	Due  time.Time `json:"due"`
}

// Completed is 办结/销号.
type Completed struct {
	How string `json:"how"`
}

// Suspended is 暂停 with its reason.
type Suspended struct {
	Reason string `json:"reason"`
}

// Resumed is 恢复 after a suspension of SuspendedSeconds.
type Resumed struct {
	Reason           string `json:"reason"`
	SuspendedSeconds int64  `json:"suspended_seconds"`
}

// Cancelled is 撤销 with its reason.
type Cancelled struct {
	Reason string `json:"reason"`
}

// IndicatorRecorded is a value of an indicator entered by hand (指标录入).
type IndicatorRecorded struct {
	Name  string    `json:"name"`
	Value float64   `json:"value"`
	AsOf  time.Time `json:"as_of"`
	Note  string    `json:"note"`
}

// EventType implementations: the struct names the type.

func (Assigned) EventType() EventType             { return EventAssigned }
func (Signed) EventType() EventType               { return EventSigned }
func (Reminder) EventType() EventType             { return EventReminder }
func (Urged) EventType() EventType                { return EventUrged }
func (ReminderAcknowledged) EventType() EventType { return EventReminderAcknowledged }
func (Overdue) EventType() EventType              { return EventOverdue }
func (Escalated) EventType() EventType            { return EventEscalated }
func (Approved) EventType() EventType             { return EventApproved }
func (Returned) EventType() EventType             { return EventReturned }
func (ExtensionRequested) EventType() EventType   { return EventExtensionRequested }
func (ExtensionDecided) EventType() EventType     { return EventExtensionDecided }
func (Reassigned) EventType() EventType           { return EventReassigned }
func (Instruction) EventType() EventType          { return EventInstruction }
func (Completed) EventType() EventType            { return EventCompleted }
func (Suspended) EventType() EventType            { return EventSuspended }
func (Resumed) EventType() EventType              { return EventResumed }
func (Cancelled) EventType() EventType            { return EventCancelled }
func (IndicatorRecorded) EventType() EventType    { return EventIndicatorRecorded }

// EventType of a submission follows its kind.
func (s Submitted) EventType() EventType {
	switch s.Kind {
	case KindContribution:
		return EventContributionSubmitted
	case KindCompletion:
		return EventCompletionRequested
	}
	return EventReportSubmitted
}

// IsLate reports a signature after the deadline.
func (s Signed) IsLate() bool { return s.Late }

// IsLate reports a submission after the deadline.
func (s Submitted) IsLate() bool { return s.Late }

// eventTypes makes the struct of each type for DecodeEvent (pointers, so JSON can fill
// them): the items' events, then the API's audit events (audit_events.go).
var eventTypes = map[EventType]func() Event{
	EventAssigned:              func() Event { return &Assigned{} },
	EventSigned:                func() Event { return &Signed{} },
	EventReminder:              func() Event { return &Reminder{} },
	EventUrged:                 func() Event { return &Urged{} },
	EventReminderAcknowledged:  func() Event { return &ReminderAcknowledged{} },
	EventOverdue:               func() Event { return &Overdue{} },
	EventEscalated:             func() Event { return &Escalated{} },
	EventReportSubmitted:       func() Event { return &Submitted{Kind: KindReport} },
	EventContributionSubmitted: func() Event { return &Submitted{Kind: KindContribution} },
	EventCompletionRequested:   func() Event { return &Submitted{Kind: KindCompletion} },
	EventApproved:              func() Event { return &Approved{} },
	EventReturned:              func() Event { return &Returned{} },
	EventExtensionRequested:    func() Event { return &ExtensionRequested{} },
	EventExtensionDecided:      func() Event { return &ExtensionDecided{} },
	EventReassigned:            func() Event { return &Reassigned{} },
	EventInstruction:           func() Event { return &Instruction{} },
	EventCompleted:             func() Event { return &Completed{} },
	EventSuspended:             func() Event { return &Suspended{} },
	EventResumed:               func() Event { return &Resumed{} },
	EventCancelled:             func() Event { return &Cancelled{} },
	EventIndicatorRecorded:     func() Event { return &IndicatorRecorded{} },

	EventLogin:                 func() Event { return &Login{} },
	EventLogout:                func() Event { return &Logout{} },
	EventTokenCreated:          func() Event { return &TokenCreated{} },
	EventTokenRevoked:          func() Event { return &TokenRevoked{} },
	EventUserCreated:           func() Event { return &UserCreated{} },
	EventDepartmentCreated:     func() Event { return &DepartmentCreated{} },
	EventGroupCreated:          func() Event { return &GroupCreated{} },
	EventDepartmentUpdated:     func() Event { return &DepartmentUpdated{} },
	EventDepartmentMerged:      func() Event { return &DepartmentMerged{} },
	EventGroupUpdated:          func() Event { return &GroupUpdated{} },
	EventGroupDeleted:          func() Event { return &GroupDeleted{} },
	EventPlanSupervisorAdded:   func() Event { return &PlanSupervisorAdded{} },
	EventPlanSupervisorRemoved: func() Event { return &PlanSupervisorRemoved{} },
	EventPlanPolicySet:         func() Event { return &PlanPolicySet{} },
	EventCalendarYearSet:       func() Event { return &CalendarYearSet{} },
	EventCalendarOverridesSet:  func() Event { return &CalendarOverridesSet{} },
	EventContactPointCreated:   func() Event { return &ContactPointCreated{} },
	EventContactPointDeleted:   func() Event { return &ContactPointDeleted{} },
	EventContactPointTested:    func() Event { return &ContactPointTested{} },
	EventTemplateEdited:        func() Event { return &TemplateChange{} },
	EventTemplateReset:         func() Event { return &TemplateChange{Reset: true} },
	EventAttachmentUploaded:    func() Event { return &AttachmentUploaded{} },
	EventLeadSet:               func() Event { return &LeadSet{} },
	EventLoginFailed:           func() Event { return &LoginFailed{} },
	EventUserUpdated:           func() Event { return &UserUpdated{} },
	EventPasswordChanged:       func() Event { return &PasswordChanged{} },
	EventPasswordReset:         func() Event { return &PasswordReset{} },
	EventPlanLaunched:          func() Event { return &PlanLaunched{} },
	EventAssessmentRun:         func() Event { return &AssessmentRun{} },
	EventCircularDrafted:       func() Event { return &CircularDrafted{} },
	EventCircularEdited:        func() Event { return &CircularEdited{} },
	EventCircularPublished:     func() Event { return &CircularPublished{} },
	EventRecordDecided:         func() Event { return &RecordDecided{} },
	EventSubtaskCreated:        func() Event { return &SubtaskCreated{} },
	EventSubtaskCompleted:      func() Event { return &SubtaskCompleted{} },
	EventEvaluationOpened:      func() Event { return &EvaluationOpened{} },
	EventCaseCreated:           func() Event { return &CaseCreated{} },
	EventMeetingLaunched:       func() Event { return &MeetingLaunched{} },
	EventCaseReplied:           func() Event { return &CaseReplied{} },
}

// derefEvent returns the struct a DecodeEvent constructor's pointer points to, so callers
// switch on value types as EncodeEvent's callers write them.
func derefEvent(e Event) Event {
	return reflect.ValueOf(e).Elem().Interface().(Event)
}
