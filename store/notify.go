package store

import (
	"context"
	"fmt"
	"time"

	"github.com/dubanhq/duban/domain"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// ContactPoint is where a person or a department is reached outside the inbox: a user's
// email address or mobile (SMS) or chat-platform user id, a department's robot webhook
// (DingTalk, WeCom, Feishu) or a generic signed webhook. A point with neither user nor
// department is system-wide (a generic webhook feeding another system).
type ContactPoint struct {
	ID           uint64  `gorm:"primaryKey"`
	UserID       *uint64 `gorm:"index"`
	DepartmentID *uint64 `gorm:"index"`
	Channel      string  `gorm:"size:16"`  // email, sms, dingtalk, wecom, feishu, webhook
	Address      string  `gorm:"size:512"` // email address, mobile, or webhook URL
	ChatID       string  `gorm:"size:128"` // the user's id on the chat platform, for @-mentions
	Secret       string  `gorm:"size:255"` // robot or webhook signing secret; never returned by the API
	Label        string  `gorm:"size:128"`
	Enabled      bool
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Delivery is one message to one recipient on one channel. DedupeKey is unique per
// (event, recipient, channel): a retried or replayed activity finds the row and sends
// nothing twice. States: pending (due at ScheduledFor), held (waiting for the daily
// digest), sending (claimed by the dispatcher), sent, failed.
type Delivery struct {
	ID                 uint64  `gorm:"primaryKey"`
	DedupeKey          string  `gorm:"size:191;uniqueIndex"`
	ItemID             uint64  `gorm:"index"`
	UserID             *uint64 `gorm:"index"`
	DepartmentID       *uint64
	ContactPointID     uint64
	Channel            string `gorm:"size:16;index"`
	Kind               string `gorm:"size:32"`
	Level              int
	LevelName          string     `gorm:"size:32"` // the rung's name (催办 …) of an escalation
	Leadership         bool       // an escalation the rung sends to the leadership group
	Title              string     `gorm:"size:512"`
	Body               string     `gorm:"type:text"`
	Mentions           string     `gorm:"type:text"` // JSON list of user ids to @-mention
	State              string     `gorm:"size:16;index:idx_delivery_due,priority:1"`
	ScheduledFor       *time.Time `gorm:"index:idx_delivery_due,priority:2"`
	Attempts           int
	LastError          string `gorm:"type:text"`
	PossiblyDuplicated bool
	SentAt             *time.Time
	CreatedAt          time.Time `gorm:"index"`
	UpdatedAt          time.Time
}

// MessageTemplate is a supervisor's edit of a message template (kind × language); without
// one the built-in template is used.
type MessageTemplate struct {
	ID        uint64 `gorm:"primaryKey"`
	Kind      string `gorm:"size:32;uniqueIndex:idx_template_kind_lang,priority:1"`
	Lang      string `gorm:"size:8;uniqueIndex:idx_template_kind_lang,priority:2"`
	Text      string `gorm:"type:text"`
	UpdatedBy uint64
	UpdatedAt time.Time
}

// Delivery states.
const (
	DeliveryPending = "pending"
	DeliveryHeld    = "held"
	DeliverySending = "sending"
	DeliverySent    = "sent"
	DeliveryFailed  = "failed"
)

// ContactPointFilter selects contact points.
type ContactPointFilter struct {
	UserIDs       []uint64
	DepartmentIDs []uint64
	Global        bool // also system-wide points
	EnabledOnly   bool
}

// ContactPoints lists contact points; an empty filter lists all of them.
func (s *Store) ContactPoints(ctx context.Context, f ContactPointFilter) ([]ContactPoint, error) {
	q := s.db.WithContext(ctx).Model(&ContactPoint{})
	if f.EnabledOnly {
		q = q.Where("enabled = ?", true)
	}
	if len(f.UserIDs) > 0 || len(f.DepartmentIDs) > 0 || f.Global {
		cond := s.db.Where("1 = 0")
		if len(f.UserIDs) > 0 {
			cond = cond.Or("user_id IN ?", f.UserIDs)
		}
		if len(f.DepartmentIDs) > 0 {
			cond = cond.Or("department_id IN ? AND user_id IS NULL", f.DepartmentIDs)
		}
		if f.Global {
			cond = cond.Or("user_id IS NULL AND department_id IS NULL")
		}
		q = q.Where(cond)
	}
	var out []ContactPoint
	err := q.Order("id").Find(&out).Error
	return out, err
}

// ContactPoint returns one contact point.
func (s *Store) ContactPoint(ctx context.Context, id uint64) (*ContactPoint, error) {
	var c ContactPoint
	if err := s.db.WithContext(ctx).First(&c, id).Error; err != nil {
		if notFound(err) {
			return nil, domain.ErrNotFound
		}
		return nil, err
	}
	return &c, nil
}

// SaveContactPoint creates or updates a contact point.
func (s *Store) SaveContactPoint(ctx context.Context, c *ContactPoint) error {
	return s.db.WithContext(ctx).Save(c).Error
}

// DeleteContactPoint removes a contact point.
func (s *Store) DeleteContactPoint(ctx context.Context, id uint64) error {
	res := s.db.WithContext(ctx).Delete(&ContactPoint{}, id)
	if res.Error == nil && res.RowsAffected == 0 {
		return domain.ErrNotFound
	}
	return res.Error
}

// CreateDelivery records a delivery once: a second call with the same dedupe key returns
// the existing row and created=false.
func (s *Store) CreateDelivery(ctx context.Context, d *Delivery) (bool, error) {
	res := s.db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(d)
	if res.Error != nil {
		return false, res.Error
	}
	if res.RowsAffected == 1 {
		return true, nil
	}
	return false, s.db.WithContext(ctx).Where("dedupe_key = ?", d.DedupeKey).First(d).Error
}

// GetDelivery returns one delivery.
func (s *Store) GetDelivery(ctx context.Context, id uint64) (*Delivery, error) {
	var d Delivery
	if err := s.db.WithContext(ctx).First(&d, id).Error; err != nil {
		if notFound(err) {
			return nil, domain.ErrNotFound
		}
		return nil, err
	}
	return &d, nil
}

// ClaimDueDeliveries marks up to limit pending deliveries that are due at now as sending
// and returns their ids, oldest first. A claimed delivery is the dispatcher's until it is
// sent, failed or rescheduled.
func (s *Store) ClaimDueDeliveries(ctx context.Context, now time.Time, limit int) ([]uint64, error) {
	var ids []uint64
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Model(&Delivery{}).Where("state = ? AND (scheduled_for IS NULL OR scheduled_for <= ?)", DeliveryPending, now.UTC()).
			Order("id").Limit(limit).Pluck("id", &ids).Error; err != nil {
			return err
		}
		if len(ids) == 0 {
			return nil
		}
		return tx.Model(&Delivery{}).Where("id IN ? AND state = ?", ids, DeliveryPending).Update("state", DeliverySending).Error
	})
	return ids, err
}

// NextScheduledDelivery is the earliest time after now at which a delivery falls due: a
// message held through quiet hours, or a leader's escalations held for the daily digest.
// ok is false when none is scheduled.
func (s *Store) NextScheduledDelivery(ctx context.Context, now time.Time) (next time.Time, ok bool, err error) {
	var d Delivery
	err = s.db.WithContext(ctx).Select("scheduled_for").
		Where("state IN ? AND scheduled_for > ?", []string{DeliveryPending, DeliveryHeld}, now.UTC()).
		Order("scheduled_for").Limit(1).Find(&d).Error
	if err != nil || d.ScheduledFor == nil {
		return time.Time{}, false, err
	}
	return *d.ScheduledFor, true, nil
}

// ReleaseSending returns deliveries a stopped dispatcher had claimed to pending, so the
// next dispatcher picks them up; Deliver itself notices a resend and flags it.
func (s *Store) ReleaseSending(ctx context.Context, exclude []uint64) error {
	q := s.db.WithContext(ctx).Model(&Delivery{}).Where("state = ?", DeliverySending)
	if len(exclude) > 0 {
		q = q.Where("id NOT IN ?", exclude)
	}
	return q.Update("state", DeliveryPending).Error
}

// Attempt is a delivery as an attempt found it.
type Attempt struct {
	Delivery
	// PreviousInFlight: an earlier attempt started and never recorded its outcome, so the
	// message may already have gone out.
	PreviousInFlight bool
}

// StartAttempt records, before sending, that an attempt is under way (marker in
// last_error); a later attempt that finds the marker knows its predecessor died between
// sending and recording.
func (s *Store) StartAttempt(ctx context.Context, id uint64, marker string) (*Attempt, error) {
	var a Attempt
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.First(&a.Delivery, id).Error; err != nil {
			return err
		}
		if a.State == DeliverySent || a.State == DeliveryFailed || a.State == DeliveryHeld {
			return nil
		}
		a.PreviousInFlight = a.Attempts > 0 && a.LastError == marker
		a.Attempts++
		return tx.Model(&Delivery{}).Where("id = ?", id).Updates(map[string]any{"attempts": a.Attempts, "last_error": marker}).Error
	})
	if notFound(err) {
		return nil, domain.ErrNotFound
	}
	return &a, err
}

// FinishDelivery records an attempt's outcome: state sent (with the time), failed, or
// pending again at a later time (quiet hours).
func (s *Store) FinishDelivery(ctx context.Context, id uint64, state, lastError string, at time.Time, scheduled *time.Time, possiblyDup bool) error {
	up := map[string]any{"state": state, "last_error": lastError}
	if state == DeliverySent {
		t := at.UTC()
		up["sent_at"] = &t
		up["possibly_duplicated"] = possiblyDup
	}
	if scheduled != nil {
		t := scheduled.UTC()
		up["scheduled_for"] = &t
	}
	return s.db.WithContext(ctx).Model(&Delivery{}).Where("id = ? AND state <> ?", id, DeliverySent).Updates(up).Error
}

// NoteDeliveryError keeps the last error of a failed attempt that will be retried.
func (s *Store) NoteDeliveryError(ctx context.Context, id uint64, msg string) error {
	return s.db.WithContext(ctx).Model(&Delivery{}).Where("id = ?", id).Update("last_error", msg).Error
}

// HeldDigests returns the held (digest) deliveries due at now, grouped by recipient.
func (s *Store) HeldDigests(ctx context.Context, now time.Time) (map[uint64][]Delivery, error) {
	var ds []Delivery
	err := s.db.WithContext(ctx).Where("state = ? AND user_id IS NOT NULL AND scheduled_for <= ?", DeliveryHeld, now.UTC()).
		Order("id").Find(&ds).Error
	out := map[uint64][]Delivery{}
	for _, d := range ds {
		out[*d.UserID] = append(out[*d.UserID], d)
	}
	return out, err
}

// CloseDigest marks the held deliveries a digest message covered as sent with it.
func (s *Store) CloseDigest(ctx context.Context, ids []uint64, digestID uint64, at time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	t := at.UTC()
	return s.db.WithContext(ctx).Model(&Delivery{}).Where("id IN ? AND state = ?", ids, DeliveryHeld).
		Updates(map[string]any{"state": DeliverySent, "sent_at": &t, "last_error": fmt.Sprintf("sent in digest #%d", digestID)}).Error
}

// DeliveryFilter selects deliveries for the status view.
type DeliveryFilter struct {
	ItemID  uint64
	UserID  uint64
	State   string
	Channel string
	Limit   int
}

// Deliveries lists deliveries, newest first.
func (s *Store) Deliveries(ctx context.Context, f DeliveryFilter) ([]Delivery, error) {
	q := s.db.WithContext(ctx).Model(&Delivery{})
	if f.ItemID != 0 {
		q = q.Where("item_id = ?", f.ItemID)
	}
	if f.UserID != 0 {
		q = q.Where("user_id = ?", f.UserID)
	}
	if f.State != "" {
		q = q.Where("state = ?", f.State)
	}
	if f.Channel != "" {
		q = q.Where("channel = ?", f.Channel)
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	var out []Delivery
	err := q.Order("id DESC").Limit(limit).Find(&out).Error
	return out, err
}

// MessageTemplates returns every stored template edit.
func (s *Store) MessageTemplates(ctx context.Context) ([]MessageTemplate, error) {
	var out []MessageTemplate
	err := s.db.WithContext(ctx).Order("kind, lang").Find(&out).Error
	return out, err
}

// SaveMessageTemplate stores a template edit (kind × language), replacing an earlier one.
func (s *Store) SaveMessageTemplate(ctx context.Context, t *MessageTemplate) error {
	return s.db.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "kind"}, {Name: "lang"}},
		DoUpdates: clause.AssignmentColumns([]string{"text", "updated_by", "updated_at"}),
	}).Create(t).Error
}

// DeleteMessageTemplate drops an edit, restoring the built-in template.
func (s *Store) DeleteMessageTemplate(ctx context.Context, kind, lang string) error {
	return s.db.WithContext(ctx).Where("kind = ? AND lang = ?", kind, lang).Delete(&MessageTemplate{}).Error
}
