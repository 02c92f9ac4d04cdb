package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// ItemState is the part of an item's read model a workflow transition updates.
type ItemState struct {
	Status          string
	Light           string
	EscalationLevel int
	NextDue         *time.Time
}

// TransitionWrite is one workflow step's writes.
type TransitionWrite struct {
	ItemID        uint64
	Events        []Event
	Escalations   []Escalation
	Notifications []Notification
	Deliveries    []Delivery
	Reviews       []Review
	Submissions   map[uint64]string
	Readings      []IndicatorReading // hand-entered indicator values, deduplicated
	Item          *ItemState
	Assignments   []Assignment
}

// WriteTransition applies a workflow step in one transaction. Rows with a dedupe key that
// already exists are skipped, so the write is idempotent.
func (s *Store) WriteTransition(ctx context.Context, w TransitionWrite) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		// A fresh statement per model: a *gorm.DB reused across models keeps the first
		// model's schema.
		ignore := func() *gorm.DB { return tx.Clauses(clause.OnConflict{DoNothing: true}) }
		if len(w.Events) > 0 {
			if err := ignore().Create(&w.Events).Error; err != nil {
				return fmt.Errorf("store: events: %w", err)
			}
		}
		if len(w.Escalations) > 0 {
			if err := ignore().Create(&w.Escalations).Error; err != nil {
				return fmt.Errorf("store: escalations: %w", err)
			}
			if err := openAccountability(tx, w.ItemID, w.Escalations); err != nil {
				return err
			}
		}
		if len(w.Notifications) > 0 {
			if err := ignore().CreateInBatches(&w.Notifications, 200).Error; err != nil {
				return fmt.Errorf("store: notifications: %w", err)
			}
		}
		if len(w.Deliveries) > 0 {
			if err := ignore().CreateInBatches(&w.Deliveries, 200).Error; err != nil {
				return fmt.Errorf("store: deliveries: %w", err)
			}
		}
		if len(w.Reviews) > 0 {
			if err := ignore().Create(&w.Reviews).Error; err != nil {
				return fmt.Errorf("store: reviews: %w", err)
			}
		}
		if err := insertReadings(tx, w.Readings); err != nil {
			return err
		}
		for id, state := range w.Submissions {
			if err := tx.Model(&Submission{}).Where("id = ?", id).Update("state", state).Error; err != nil {
				return fmt.Errorf("store: submission %d: %w", id, err)
			}
		}
		if w.Item != nil {
			err := tx.Model(&Item{}).Where("id = ?", w.ItemID).Updates(map[string]any{
				"status": w.Item.Status, "light": w.Item.Light,
				"escalation_level": w.Item.EscalationLevel, "next_due": w.Item.NextDue,
				"version": gorm.Expr("version + 1"),
			}).Error
			if err != nil {
				return fmt.Errorf("store: item %d: %w", w.ItemID, err)
			}
		}
		for i := range w.Assignments {
			a := w.Assignments[i]
			err := tx.Clauses(clause.OnConflict{
				Columns: []clause.Column{{Name: "item_id"}, {Name: "department_id"}},
				DoUpdates: clause.AssignmentColumns([]string{"role", "status", "signed_at", "signed_by",
					"next_due", "escalation_level", "overdue", "updated_at"}),
			}).Create(&a).Error
			if err != nil {
				return fmt.Errorf("store: assignment %d/%d: %w", a.ItemID, a.DepartmentID, err)
			}
		}
		return nil
	})
}

// SaveSubmission inserts a submission, or returns the id of the one already stored under
// the same request key.
func (s *Store) SaveSubmission(ctx context.Context, sub *Submission) (uint64, error) {
	err := s.db.WithContext(ctx).Create(sub).Error
	if err == nil {
		return sub.ID, nil
	}
	if !isDuplicate(err) {
		return 0, fmt.Errorf("store: submission: %w", err)
	}
	var existing Submission
	if err := s.db.WithContext(ctx).Where("request_key = ?", sub.RequestKey).First(&existing).Error; err != nil {
		return 0, fmt.Errorf("store: submission by key: %w", err)
	}
	return existing.ID, nil
}
