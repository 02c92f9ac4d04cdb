package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/dubanhq/duban/domain"
)

// Subtask is a piece of an item split off by its lead (任务分解): its owner, deadline and
// state. The item's workflow creates it and its child workflow keeps Status current.
type Subtask struct {
	ID           uint64 `gorm:"primaryKey"`
	ItemID       uint64 `gorm:"uniqueIndex:idx_subtask_item_seq;not null"`
	Seq          int    `gorm:"uniqueIndex:idx_subtask_item_seq;not null"`
	Title        string `gorm:"size:500"`
	DepartmentID uint64 `gorm:"index"`
	Office       string `gorm:"size:200"`
	Deadline     time.Time
	Status       string `gorm:"size:16"`
	CompletedAt  *time.Time
	CreatedBy    uint64
	CreatedAt    time.Time
}

func (r Subtask) domain() domain.Subtask {
	return domain.Subtask{ID: r.ID, ItemID: r.ItemID, Seq: r.Seq, Title: r.Title, DepartmentID: r.DepartmentID,
		Office: r.Office, Deadline: r.Deadline, Status: domain.SubtaskStatus(r.Status), CompletedAt: r.CompletedAt}
}

// CreateSubtask stores a sub-task once: the row of the same item and sequence number, if
// one exists (a retried activity), is returned instead.
func (s *Store) CreateSubtask(ctx context.Context, t domain.Subtask, by uint64) (domain.Subtask, error) {
	var out Subtask
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("item_id = ? AND seq = ?", t.ItemID, t.Seq).First(&out).Error; err == nil {
			return nil
		} else if !notFound(err) {
			return err
		}
		out = Subtask{ItemID: t.ItemID, Seq: t.Seq, Title: t.Title, DepartmentID: t.DepartmentID, Office: t.Office,
			Deadline: t.Deadline.UTC(), Status: string(domain.SubtaskOpen), CreatedBy: by, CreatedAt: time.Now().UTC()}
		return tx.Create(&out).Error
	})
	if err != nil {
		return domain.Subtask{}, fmt.Errorf("store: subtask %d/%d: %w", t.ItemID, t.Seq, err)
	}
	return out.domain(), nil
}

// SetSubtaskStatus moves a sub-task on: late only from open; done or closed from open or
// late (a finished one stays as it is, so a retried write changes nothing).
func (s *Store) SetSubtaskStatus(ctx context.Context, itemID uint64, seq int, status domain.SubtaskStatus, at time.Time) error {
	q := s.db.WithContext(ctx).Model(&Subtask{}).Where("item_id = ? AND seq = ?", itemID, seq)
	set := map[string]any{"status": string(status)}
	switch status {
	case domain.SubtaskLate:
		q = q.Where("status = ?", string(domain.SubtaskOpen))
	case domain.SubtaskDone, domain.SubtaskClosed:
		q = q.Where("status IN ?", []string{string(domain.SubtaskOpen), string(domain.SubtaskLate)})
		if status == domain.SubtaskDone {
			u := at.UTC()
			set["completed_at"] = &u
		}
	default:
		return fmt.Errorf("store: subtask status %q", status)
	}
	return q.Updates(set).Error
}

// Subtasks lists an item's sub-tasks in the order they were made.
func (s *Store) Subtasks(ctx context.Context, itemID uint64) ([]domain.Subtask, error) {
	var rows []Subtask
	if err := s.rdb.WithContext(ctx).Where("item_id = ?", itemID).Order("seq").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]domain.Subtask, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}

// GetSubtask returns one sub-task of an item.
func (s *Store) GetSubtask(ctx context.Context, itemID, id uint64) (*domain.Subtask, error) {
	var r Subtask
	err := s.rdb.WithContext(ctx).Where("item_id = ? AND id = ?", itemID, id).First(&r).Error
	if notFound(err) {
		return nil, domain.NotFoundf("子任务不存在 / no such sub-task")
	}
	if err != nil {
		return nil, err
	}
	d := r.domain()
	return &d, nil
}
