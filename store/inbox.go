package store

import (
	"context"
	"time"

	"github.com/dubanhq/duban/domain"
)

// Inbox returns a user's notifications, newest first.
func (s *Store) Inbox(ctx context.Context, userID uint64, unreadOnly bool, limit int) ([]Notification, error) {
	q := s.rdb.WithContext(ctx).Where("user_id = ?", userID)
	if unreadOnly {
		q = q.Where("read_at IS NULL")
	}
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	var ns []Notification
	err := q.Order("id DESC").Limit(limit).Find(&ns).Error
	return ns, err
}

// UnreadCount is the badge number.
func (s *Store) UnreadCount(ctx context.Context, userID uint64) (int64, error) {
	var n int64
	err := s.rdb.WithContext(ctx).Model(&Notification{}).Where("user_id = ? AND read_at IS NULL", userID).Count(&n).Error
	return n, err
}

// MarkRead marks a user's notifications read (all of them when ids is empty).
func (s *Store) MarkRead(ctx context.Context, userID uint64, ids []uint64, now time.Time) (int64, error) {
	q := s.db.WithContext(ctx).Model(&Notification{}).Where("user_id = ? AND read_at IS NULL", userID)
	if len(ids) > 0 {
		q = q.Where("id IN ?", ids)
	}
	res := q.Update("read_at", now)
	return res.RowsAffected, res.Error
}

// EscalationFilter selects escalations for the leadership view.
type EscalationFilter struct {
	MinLevel domain.Level
	// Leadership keeps the escalations whose rung sends them to the leadership group (the
	// leaders' board, 升级督办).
	Leadership   bool
	DepartmentID uint64
	Unacked      bool
	Limit        int
}

// ListEscalations returns escalations, newest first.
func (s *Store) ListEscalations(ctx context.Context, f EscalationFilter) ([]Escalation, error) {
	q := s.rdb.WithContext(ctx).Model(&Escalation{})
	if f.MinLevel > 0 {
		q = q.Where("level >= ?", int(f.MinLevel))
	}
	if f.Leadership {
		q = q.Where("leadership = ?", true)
	}
	if f.DepartmentID != 0 {
		q = q.Where("department_id = ?", f.DepartmentID)
	}
	if f.Unacked {
		q = q.Where("acked_at IS NULL")
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 200
	}
	var es []Escalation
	err := q.Order("id DESC").Limit(f.Limit).Find(&es).Error
	return es, err
}

// AckEscalation records a leader's acknowledgement once.
func (s *Store) AckEscalation(ctx context.Context, id, userID uint64, now time.Time) (bool, error) {
	res := s.db.WithContext(ctx).Model(&Escalation{}).Where("id = ? AND acked_at IS NULL", id).
		Updates(map[string]any{"acked_by": userID, "acked_at": now})
	return res.RowsAffected == 1, res.Error
}

// GetEscalation returns one escalation or domain.ErrNotFound.
func (s *Store) GetEscalation(ctx context.Context, id uint64) (*Escalation, error) {
	var e Escalation
	err := s.rdb.WithContext(ctx).First(&e, id).Error
	if notFound(err) {
		return nil, domain.ErrNotFound
	}
	return &e, err
}
