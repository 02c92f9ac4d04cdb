package store

import "time"

// IndicatorReading is a value of an item's indicator (指标) entered by hand, by a supervisor
// from statistics the departments do not report themselves; reported values come with
// submissions.
type IndicatorReading struct {
	ID        uint64 `gorm:"primaryKey"`
	ItemID    uint64 `gorm:"index:idx_reading_item_at,priority:1"`
	Name      string `gorm:"size:191"`
	Value     float64
	At        time.Time `gorm:"index:idx_reading_item_at,priority:2"` // the date the value is as of
	Note      string    `gorm:"size:512"`
	EnteredBy uint64
	CreatedAt time.Time
}

// Assessment is one run of the assessment (考核) of a plan over a period: the formula used
// and the ranked result, with the evidence behind every number, kept as computed.
type Assessment struct {
	ID          uint64    `gorm:"primaryKey"`
	PlanID      uint64    `gorm:"index"`
	Period      string    `gorm:"size:16"` // year, half, custom
	Label       string    `gorm:"size:64"` // 2025年度, 2025年上半年
	Start       time.Time // inclusive
	End         time.Time // exclusive
	FormulaJSON string    `gorm:"type:text"`
	ResultJSON  string    `gorm:"type:longtext"`
	Trigger     string    `gorm:"size:16"` // manual, schedule
	// DedupeKey makes a retried scheduled run harmless; manual runs get a unique key.
	DedupeKey string `gorm:"size:191;uniqueIndex"`
	CreatedBy uint64
	CreatedAt time.Time
}

// Circular is a 通报 drafted from an assessment. A draft is edited by supervisors; once
// published it gets its number and never changes (ContentSHA256 proves it).
type Circular struct {
	ID           uint64 `gorm:"primaryKey"`
	AssessmentID uint64 `gorm:"index"`
	PlanID       uint64 `gorm:"index"`
	Year         int    `gorm:"uniqueIndex:idx_circular_number,priority:1"`
	Seq          *int   `gorm:"uniqueIndex:idx_circular_number,priority:2"` // set at publishing
	Number       string `gorm:"size:64"`                                    // 督办通报〔2025〕1号
	Title        string `gorm:"size:512"`
	ContentJSON  string `gorm:"type:longtext"`
	Status       string `gorm:"size:16;index"` // draft, published
	Version      int64  // bumped on every edit: the ETag
	PublishedAt  *time.Time
	PublishedBy  uint64
	// ContentSHA256 is the hash of the published title, number and content.
	ContentSHA256 string `gorm:"size:64"`
	CreatedBy     uint64
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// Accountability is a 追究责任 record: opened when a department's ladder reaches L4 on an
// item, decided by the leadership group (约谈 interview, 通报批评 criticism, 移送 referral).
type Accountability struct {
	ID            uint64    `gorm:"primaryKey"`
	EscalationKey string    `gorm:"size:191;uniqueIndex"` // the L4 escalation's dedupe key
	ItemID        uint64    `gorm:"index"`
	PlanID        uint64    `gorm:"index"`
	DepartmentID  uint64    `gorm:"index"`
	Reason        string    `gorm:"type:text"`
	OpenedAt      time.Time `gorm:"index"`
	Decision      string    `gorm:"size:16"` // "" until decided: interview, criticism, referral, waived
	Outcome       string    `gorm:"type:text"`
	DecidedAt     *time.Time
	DecidedBy     uint64
	Version       int64
}
