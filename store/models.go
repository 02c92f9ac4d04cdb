// Package store is Duban's database: GORM row structs, repositories and migrations. It is the
// only package that imports gorm. The same code runs on MySQL (and MySQL-compatible
// databases) in production and on SQLite as the embedded default.
package store

import (
	"time"

	"gorm.io/gorm"
)

type gormDB = gorm.DB

// Plan is a 工作方案: one imported document and its policy.
type Plan struct {
	ID          uint64 `gorm:"primaryKey"`
	SourceHash  string `gorm:"size:64;uniqueIndex"` // sha256 of the source text: launching twice is a no-op
	Title       string `gorm:"size:512"`
	DocNumber   string `gorm:"size:128;index"` // 文号
	Issuer      string `gorm:"size:256"`
	IssueDate   string `gorm:"size:10"`
	PeriodStart string `gorm:"size:10"`
	PeriodEnd   string `gorm:"size:10"`
	Office      string `gorm:"size:256"` // supervising office
	PolicyJSON  string `gorm:"type:text"`
	SourceText  string `gorm:"type:longtext"` // kept verbatim for audit
	CreatedBy   uint64
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Attachment is a file uploaded with a report (附件), kept in the database so every API
// replica can serve it.
type Attachment struct {
	ID           uint64 `gorm:"primaryKey"`
	Name         string `gorm:"size:255"`
	Mime         string `gorm:"size:128"`
	Size         int64
	SHA256       string `gorm:"size:64;index"`
	Data         []byte `gorm:"type:longblob"`
	UploadedBy   uint64
	DepartmentID uint64 `gorm:"index"`
	CreatedAt    time.Time
}

// PlanSupervisor links a plan to a supervisor (督办员) who reviews its items. A plan with no
// supervisors listed is open to every supervisor.
type PlanSupervisor struct {
	PlanID    uint64 `gorm:"primaryKey"`
	UserID    uint64 `gorm:"primaryKey;index"`
	CreatedAt time.Time
}

// Department is a 单位 with its aliases (e.g. 市市场监管局(知识产权局) = 市市场监管局).
type Department struct {
	ID        uint64 `gorm:"primaryKey"`
	Name      string `gorm:"size:191;uniqueIndex"`
	Aliases   string `gorm:"type:text"` // JSON array
	Kind      string `gorm:"size:32"`
	CreatedAt time.Time
}

// DepartmentGroup is a 单位组 such as 各县(区)人民政府 that expands to its members.
type DepartmentGroup struct {
	ID        uint64 `gorm:"primaryKey"`
	Name      string `gorm:"size:191;uniqueIndex"`
	CreatedAt time.Time
}

// GroupMember links a group to a department.
type GroupMember struct {
	GroupID      uint64 `gorm:"primaryKey"`
	DepartmentID uint64 `gorm:"primaryKey;index"`
}

// Item is one row of the responsibility list (责任清单), and the read model of its workflow.
// idx_items_status_id serves a status filter in list order (id): a list page stops after
// its rows instead of sorting every item of that status (100 ms at 100,000 items).
type Item struct {
	ID              uint64     `gorm:"primaryKey;index:idx_items_status_id,priority:2"`
	PlanID          uint64     `gorm:"index:idx_items_plan_seq,priority:1"`
	Seq             int        `gorm:"index:idx_items_plan_seq,priority:2"`
	Ref             string     `gorm:"size:64"` // section path, e.g. 二(三)4
	Title           string     `gorm:"size:1024"`
	Content         string     `gorm:"type:text"`
	LeadDeptID      uint64     `gorm:"index"`
	Status          string     `gorm:"size:16;index:idx_items_status_due,priority:1;index:idx_items_status_id,priority:1"`
	Light           string     `gorm:"size:8;index"`
	EscalationLevel int        `gorm:"index"`
	NextDue         *time.Time `gorm:"index:idx_items_status_due,priority:2"`
	WindowStart     *time.Time
	WindowEnd       *time.Time
	Ongoing         bool
	PolicyJSON      string `gorm:"type:text"` // item override; empty = plan policy
	IndicatorsJSON  string `gorm:"type:text"`
	SourceFirst     int
	SourceLast      int
	WorkflowID      string     `gorm:"size:128;uniqueIndex"`
	Version         int64      // bumped on every change: the ETag
	StartedAt       *time.Time // when its workflow was started; nil while pending
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// Assignment is one department's share of an item (交办/承办): lead or partner.
// idx_assign_dept_role answers "this department's items (as lead)" from the index alone.
type Assignment struct {
	ID              uint64 `gorm:"primaryKey"`
	ItemID          uint64 `gorm:"uniqueIndex:idx_assign_item_dept,priority:1;index:idx_assign_dept_role,priority:4"`
	DepartmentID    uint64 `gorm:"uniqueIndex:idx_assign_item_dept,priority:2;index;index:idx_assign_dept_role,priority:1"`
	Role            string `gorm:"size:8;index:idx_assign_dept_role,priority:2"`
	Status          string `gorm:"size:16;index;index:idx_assign_dept_role,priority:3"` // assigned, signed, removed
	SignedAt        *time.Time
	SignedBy        uint64
	NextDue         *time.Time `gorm:"index"`
	EscalationLevel int        `gorm:"index"`
	Overdue         bool
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// Submission is a report (进展报送), a partner contribution (协办反馈) or a completion
// request (申请办结).
type Submission struct {
	ID             uint64 `gorm:"primaryKey"`
	ItemID         uint64 `gorm:"index"`
	DepartmentID   uint64 `gorm:"index"`
	Kind           string `gorm:"size:16"`
	Cycle          int
	Text           string `gorm:"type:text"`
	IndicatorsJSON string `gorm:"type:text"`
	Attachments    string `gorm:"type:text"`     // JSON metadata
	State          string `gorm:"size:16;index"` // submitted, approved, returned
	SubmittedBy    uint64
	RequestKey     string `gorm:"size:128;uniqueIndex"` // idempotency: one row per request
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// Review is a supervisor's decision on a submission (审核: 通过/退回).
type Review struct {
	ID           uint64 `gorm:"primaryKey"`
	SubmissionID uint64 `gorm:"index"`
	ItemID       uint64 `gorm:"index"`
	ReviewerID   uint64
	Decision     string `gorm:"size:16"`
	Comment      string `gorm:"type:text"`
	ResubmitDue  *time.Time
	DedupeKey    string `gorm:"size:191;uniqueIndex"`
	CreatedAt    time.Time
}

// Escalation is one rung of the ladder reached by one department on one missed deadline.
type Escalation struct {
	ID           uint64 `gorm:"primaryKey"`
	ItemID       uint64 `gorm:"index"`
	DepartmentID uint64 `gorm:"index"`
	Level        int    `gorm:"index"`
	Name         string `gorm:"size:32"`
	Reason       string `gorm:"type:text"`
	DueAt        time.Time
	At           time.Time `gorm:"index"`
	AckedBy      uint64
	AckedAt      *time.Time
	DedupeKey    string `gorm:"size:191;uniqueIndex"`
	// What the rung declared it does (domain.Rung), kept with the escalation so that the
	// leadership board, the circular and accountability never ask what a level number means.
	Leadership     bool `gorm:"index"`
	Circular       bool
	Accountability bool
}

// Notification is one message to one user on one channel; the dedupe key makes a retried
// activity harmless.
type Notification struct {
	ID        uint64 `gorm:"primaryKey"`
	UserID    uint64 `gorm:"index:idx_notif_user_read,priority:1"`
	ItemID    uint64 `gorm:"index"`
	Kind      string `gorm:"size:32"`
	Level     int
	Title     string     `gorm:"size:512"`
	Body      string     `gorm:"type:text"`
	Channel   string     `gorm:"size:16"`
	State     string     `gorm:"size:16"` // pending, sent, failed
	LastError string     `gorm:"type:text"`
	DedupeKey string     `gorm:"size:191;uniqueIndex"`
	ReadAt    *time.Time `gorm:"index:idx_notif_user_read,priority:2"`
	CreatedAt time.Time
}

// Event is the append-only audit log.
type Event struct {
	ID           uint64 `gorm:"primaryKey"`
	ItemID       uint64 `gorm:"index:idx_events_item_at,priority:1"`
	PlanID       uint64 `gorm:"index"`
	Type         string `gorm:"size:32;index"`
	Level        int
	DepartmentID uint64 `gorm:"index"`
	ActorID      uint64
	Actor        string `gorm:"size:128"`
	Payload      string `gorm:"type:text"` // the event's versioned JSON (domain.EncodeEvent)
	// Late is whether a signature or submission came after its deadline, nil for events
	// that meet none: rankings count on-time work from this column, never from the JSON.
	Late      *bool
	At        time.Time `gorm:"index:idx_events_item_at,priority:2"`
	RequestID string    `gorm:"size:64"`
	SourceIP  string    `gorm:"size:64"`
	DedupeKey string    `gorm:"size:191;uniqueIndex"`
}

// User is a person who signs in.
type User struct {
	ID       uint64 `gorm:"primaryKey"`
	Username string `gorm:"size:64;uniqueIndex"`
	// UsernameKey is domain.UsernameKey(Username): unique, so look-alike names cannot
	// coexist, and what a login is looked up by.
	UsernameKey  string  `gorm:"size:191;uniqueIndex:idx_users_username_key"`
	DisplayName  string  `gorm:"size:128"`
	PasswordHash string  `gorm:"size:255"`
	Role         string  `gorm:"size:16;index"`
	DepartmentID *uint64 `gorm:"index"`
	IsHead       bool    // department head (单位负责人), notified from L1
	Disabled     bool
	// MustChangePassword is set by an admin's password reset: until the user picks a new
	// password, every route but changing it answers 403 password-change-required.
	MustChangePassword bool `gorm:"not null;default:false"`
	CreatedAt          time.Time
	UpdatedAt          time.Time
}

// Token is a login session or an API token, stored only as a hash.
type Token struct {
	ID         uint64 `gorm:"primaryKey"`
	UserID     uint64 `gorm:"index"`
	Hash       string `gorm:"size:64;uniqueIndex"`
	Kind       string `gorm:"size:16"` // session, api
	Name       string `gorm:"size:128"`
	ExpiresAt  *time.Time
	RevokedAt  *time.Time
	LastUsedAt *time.Time
	CreatedAt  time.Time
}

// CalendarDay is an admin's calendar entry: a whole added year (Source "year") or a local
// override (Source "override").
type CalendarDay struct {
	Date   string `gorm:"primaryKey;size:10"`
	Source string `gorm:"primaryKey;size:16"` // "override" or "year:2027"
	Off    bool
	Name   string `gorm:"size:64"`
}

// SchemaVersion records applied migrations.
type SchemaVersion struct {
	Version   int    `gorm:"primaryKey;autoIncrement:false"`
	Name      string `gorm:"size:128"`
	AppliedAt time.Time
}

// allModels is every table, in creation order.
func allModels() []any {
	return []any{&Plan{}, &Department{}, &DepartmentGroup{}, &GroupMember{}, &Item{},
		&Assignment{}, &Submission{}, &Review{}, &Escalation{}, &Notification{}, &Event{},
		&User{}, &Token{}, &CalendarDay{}, &SchemaVersion{}}
}

// IdempotencyKey remembers which request a client's Idempotency-Key was first sent with, as a
// hash of its method, path and body, so the key reused for another request is refused.
type IdempotencyKey struct {
	ID        uint64    `gorm:"primaryKey"`
	UserID    uint64    `gorm:"uniqueIndex:idx_idem_user_key"`
	Key       string    `gorm:"size:100;uniqueIndex:idx_idem_user_key"`
	Hash      string    `gorm:"size:64"`
	CreatedAt time.Time `gorm:"index"`
}
