package domain

import "time"

// Audit event types: administration and sign-in, recorded by the API beside the items'
// events in the same append-only log.
const (
	EventLogin                 EventType = "login"
	EventLogout                EventType = "logout"
	EventTokenCreated          EventType = "token_created"
	EventTokenRevoked          EventType = "token_revoked"
	EventUserCreated           EventType = "user_created"
	EventDepartmentCreated     EventType = "department_created"
	EventGroupCreated          EventType = "group_created"
	EventDepartmentUpdated     EventType = "department_updated"
	EventDepartmentMerged      EventType = "department_merged"
	EventGroupUpdated          EventType = "group_updated"
	EventGroupDeleted          EventType = "group_deleted"
	EventPlanSupervisorAdded   EventType = "plan_supervisor_added"
	EventPlanSupervisorRemoved EventType = "plan_supervisor_removed"
	EventPlanPolicySet         EventType = "plan_policy_set"
	EventCalendarYearSet       EventType = "calendar_year_set"
	EventCalendarOverridesSet  EventType = "calendar_overrides_set"
	EventContactPointCreated   EventType = "contact_point_created"
	EventContactPointDeleted   EventType = "contact_point_deleted"
	EventContactPointTested    EventType = "contact_point_tested"
	EventTemplateEdited        EventType = "template_edited"
	EventTemplateReset         EventType = "template_reset"
	EventAttachmentUploaded    EventType = "attachment_uploaded"
	EventLeadSet               EventType = "lead_set"
	EventLoginFailed           EventType = "login_failed"
	EventUserUpdated           EventType = "user_updated"
	EventPasswordChanged       EventType = "password_changed"
	EventPasswordReset         EventType = "password_reset"
	EventPlanLaunched          EventType = "plan_launched"
	EventAssessmentRun         EventType = "assessment_run"
	EventCircularDrafted       EventType = "circular_drafted"
	EventCircularEdited        EventType = "circular_edited"
	EventCircularPublished     EventType = "circular_published"
	EventRecordDecided         EventType = "accountability_decided"
	EventCaseCreated           EventType = "case_created"
	EventMeetingLaunched       EventType = "meeting_launched"
	EventCaseReplied           EventType = "case_replied"
)

// PlanLaunched is a plan imported and launched (导入并启动); Created is false when the same
// document had been launched before and this call only started what had not started.
type PlanLaunched struct {
	PlanID  uint64 `json:"plan_id"`
	Title   string `json:"title"`
	Items   int    `json:"items"`
	Started int    `json:"started"`
	Created bool   `json:"created"`
}

// AssessmentRun is an assessment (考核) run on demand.
type AssessmentRun struct {
	AssessmentID uint64 `json:"assessment_id"`
	PlanID       uint64 `json:"plan_id"`
	Label        string `json:"label"`
}

// CircularDrafted is a circular (通报) drafted from an assessment.
type CircularDrafted struct {
	CircularID   uint64 `json:"circular_id"`
	AssessmentID uint64 `json:"assessment_id"`
}

// CircularEdited is a draft circular's title or content replaced; Version is the new one.
type CircularEdited struct {
	CircularID uint64 `json:"circular_id"`
	Version    int64  `json:"version"`
	Title      string `json:"title"`
}

// CircularPublished is a circular numbered, frozen and sent (印发).
type CircularPublished struct {
	CircularID    uint64 `json:"circular_id"`
	Number        string `json:"number"`
	ContentSHA256 string `json:"content_sha256"`
	Notified      int    `json:"notified"`
}

// RecordDecided is the leadership group's decision on an accountability record (追责决定).
type RecordDecided struct {
	RecordID     uint64 `json:"record_id"`
	ItemID       uint64 `json:"item_id"`
	DepartmentID uint64 `json:"department_id"`
	Decision     string `json:"decision"`
}

// Login is a successful sign-in.
type Login struct{}

// LoginFailed is a sign-in refused for an existing account: a wrong password, or the
// account is disabled.
type LoginFailed struct {
	UserID   uint64 `json:"user_id"`
	Username string `json:"username"`
	Disabled bool   `json:"disabled,omitempty"`
}

// Logout ends a session.
type Logout struct {
	TokenID uint64 `json:"token_id"`
}

// TokenCreated is an API token issued to its owner.
type TokenCreated struct {
	TokenID   uint64     `json:"token_id"`
	Name      string     `json:"name"`
	ExpiresAt *time.Time `json:"expires_at"`
}

// TokenRevoked is an API token revoked (by its owner or an admin).
type TokenRevoked struct {
	TokenID uint64 `json:"token_id"`
	OwnerID uint64 `json:"owner_id"`
}

// UserCreated is an account an admin created.
type UserCreated struct {
	UserID   uint64 `json:"user_id"`
	Username string `json:"username"`
	Role     Role   `json:"role"`
}

// UserUpdated is an admin's change to an account: disabled or enabled, its role, department,
// head flag or display name. Only the fields that changed are set.
type UserUpdated struct {
	UserID       uint64  `json:"user_id"`
	Username     string  `json:"username"`
	Disabled     *bool   `json:"disabled,omitempty"`
	Role         Role    `json:"role,omitempty"`
	OldRole      Role    `json:"old_role,omitempty"`
	DepartmentID *uint64 `json:"department_id,omitempty"`
	NoDepartment bool    `json:"no_department,omitempty"` // moved out of every department
	IsHead       *bool   `json:"is_head,omitempty"`
	DisplayName  string  `json:"display_name,omitempty"`
}

// PasswordChanged is a user changing their own password; the user's other sessions and API
// tokens were revoked.
type PasswordChanged struct {
	UserID        uint64 `json:"user_id"`
	TokensRevoked int64  `json:"tokens_revoked"`
}

// PasswordReset is an admin setting a temporary password that the user must change at next
// sign-in; every session and API token of the user was revoked.
type PasswordReset struct {
	UserID        uint64 `json:"user_id"`
	Username      string `json:"username"`
	TokensRevoked int64  `json:"tokens_revoked"`
}

// DepartmentCreated is a department (单位) added to the registry.
type DepartmentCreated struct {
	DepartmentID uint64 `json:"department_id"`
	Name         string `json:"name"`
}

// GroupCreated is a department group (单位组) added.
type GroupCreated struct {
	GroupID uint64 `json:"group_id"`
	Name    string `json:"name"`
}

// DepartmentUpdated is a department renamed or its aliases (别名) changed; OldName is set
// when the name changed.
type DepartmentUpdated struct {
	DepartmentID uint64   `json:"department_id"`
	Name         string   `json:"name"`
	OldName      string   `json:"old_name,omitempty"`
	Aliases      []string `json:"aliases"`
}

// DepartmentMerged is a duplicate department merged into another (单位合并): its name became
// an alias of the target, and every item, user, group membership, contact point and record
// of it moved to the target. Items counts the items it had a share in, Reassigned those whose
// running workflow had its parties changed.
type DepartmentMerged struct {
	DepartmentID uint64 `json:"department_id"`
	Name         string `json:"name"`
	IntoID       uint64 `json:"into_id"`
	IntoName     string `json:"into_name"`
	Items        int    `json:"items"`
	Reassigned   int    `json:"reassigned"`
	Users        int    `json:"users"`
}

// GroupUpdated is a department group (单位组) renamed or given a new member list.
type GroupUpdated struct {
	GroupID uint64   `json:"group_id"`
	Name    string   `json:"name"`
	Members []uint64 `json:"members"`
}

// GroupDeleted is a department group removed; its departments stay.
type GroupDeleted struct {
	GroupID uint64 `json:"group_id"`
	Name    string `json:"name"`
}

// PlanSupervisorAdded is a supervisor (督办员) given a plan.
type PlanSupervisorAdded struct {
	PlanID uint64 `json:"plan_id"`
	UserID uint64 `json:"user_id"`
}

// PlanSupervisorRemoved is a supervisor taken off a plan.
type PlanSupervisorRemoved struct {
	PlanID uint64 `json:"plan_id"`
	UserID uint64 `json:"user_id"`
}

// PlanPolicySet is a plan's supervision policy replaced.
type PlanPolicySet struct {
	PlanID uint64 `json:"plan_id"`
}

// CalendarYearSet is a year's holiday notice (放假安排) stored.
type CalendarYearSet struct {
	Year int `json:"year"`
	Days int `json:"days"`
}

// CalendarOverridesSet is the local calendar overrides replaced.
type CalendarOverridesSet struct {
	Days int `json:"days"`
}

// ContactPointCreated is an address where notifications are delivered, added.
type ContactPointCreated struct {
	ContactPointID uint64 `json:"contact_point_id"`
	Channel        string `json:"channel"`
}

// ContactPointDeleted is a contact point removed.
type ContactPointDeleted struct {
	ContactPointID uint64 `json:"contact_point_id"`
}

// ContactPointTested is a test message sent to a contact point, with the delivery's state.
type ContactPointTested struct {
	ContactPointID uint64 `json:"contact_point_id"`
	State          string `json:"state"`
}

// TemplateChange is a message template (消息模板) edited or reset to the built-in one.
type TemplateChange struct {
	Reset bool   `json:"-"`
	Kind  string `json:"kind"`
	Lang  string `json:"lang"`
}

// LeadSet is the lead a supervisor picked for an item whose list named none.
type LeadSet struct {
	ItemID       uint64 `json:"item_id"`
	DepartmentID uint64 `json:"department_id"`
}

// AttachmentUploaded is a file uploaded for a submission.
type AttachmentUploaded struct {
	AttachmentID uint64 `json:"attachment_id"`
	Name         string `json:"name"`
	Size         int64  `json:"size"`
}

// CaseCreated is a 督办件 a supervisor created, with its number.
type CaseCreated struct {
	ItemID     uint64     `json:"item_id"`
	Number     string     `json:"number"`
	SourceType SourceType `json:"source_type"`
	MeetingID  uint64     `json:"meeting_id,omitempty"`
}

// MeetingLaunched is a meeting's decisions launched as 督办件.
type MeetingLaunched struct {
	MeetingID uint64   `json:"meeting_id"`
	Title     string   `json:"title"`
	Items     []uint64 `json:"items"`
}

// CaseReplied is the reply to a 督办件's source recorded on closing.
type CaseReplied struct {
	ItemID uint64 `json:"item_id"`
}

func (CaseCreated) EventType() EventType     { return EventCaseCreated }
func (MeetingLaunched) EventType() EventType { return EventMeetingLaunched }
func (CaseReplied) EventType() EventType     { return EventCaseReplied }

func (Login) EventType() EventType                 { return EventLogin }
func (Logout) EventType() EventType                { return EventLogout }
func (TokenCreated) EventType() EventType          { return EventTokenCreated }
func (TokenRevoked) EventType() EventType          { return EventTokenRevoked }
func (UserCreated) EventType() EventType           { return EventUserCreated }
func (DepartmentCreated) EventType() EventType     { return EventDepartmentCreated }
func (GroupCreated) EventType() EventType          { return EventGroupCreated }
func (DepartmentUpdated) EventType() EventType     { return EventDepartmentUpdated }
func (DepartmentMerged) EventType() EventType      { return EventDepartmentMerged }
func (GroupUpdated) EventType() EventType          { return EventGroupUpdated }
func (GroupDeleted) EventType() EventType          { return EventGroupDeleted }
func (PlanSupervisorAdded) EventType() EventType   { return EventPlanSupervisorAdded }
func (PlanSupervisorRemoved) EventType() EventType { return EventPlanSupervisorRemoved }
func (PlanPolicySet) EventType() EventType         { return EventPlanPolicySet }
func (CalendarYearSet) EventType() EventType       { return EventCalendarYearSet }
func (CalendarOverridesSet) EventType() EventType  { return EventCalendarOverridesSet }
func (ContactPointCreated) EventType() EventType   { return EventContactPointCreated }
func (ContactPointDeleted) EventType() EventType   { return EventContactPointDeleted }
func (ContactPointTested) EventType() EventType    { return EventContactPointTested }
func (AttachmentUploaded) EventType() EventType    { return EventAttachmentUploaded }
func (LeadSet) EventType() EventType               { return EventLeadSet }

// EventType of a template change: edited or reset.
func (t TemplateChange) EventType() EventType {
	if t.Reset {
		return EventTemplateReset
	}
	return EventTemplateEdited
}
func (LoginFailed) EventType() EventType       { return EventLoginFailed }
func (UserUpdated) EventType() EventType       { return EventUserUpdated }
func (PasswordChanged) EventType() EventType   { return EventPasswordChanged }
func (PasswordReset) EventType() EventType     { return EventPasswordReset }
func (PlanLaunched) EventType() EventType      { return EventPlanLaunched }
func (AssessmentRun) EventType() EventType     { return EventAssessmentRun }
func (CircularDrafted) EventType() EventType   { return EventCircularDrafted }
func (CircularEdited) EventType() EventType    { return EventCircularEdited }
func (CircularPublished) EventType() EventType { return EventCircularPublished }
func (RecordDecided) EventType() EventType     { return EventRecordDecided }
