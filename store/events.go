package store

import (
	"context"

	"gorm.io/gorm/clause"

	"github.com/dubanhq/duban/domain"
)

// AppendEvent adds an audit event; an event whose dedupe key exists is skipped.
func (s *Store) AppendEvent(ctx context.Context, e *Event) error {
	return s.db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(e).Error
}

// AuditEvents returns the newest events, optionally of one item, for the audit view.
func (s *Store) AuditEvents(ctx context.Context, itemID uint64, limit int) ([]Event, error) {
	q := s.rdb.WithContext(ctx)
	if itemID != 0 {
		q = q.Where("item_id = ?", itemID)
	}
	if limit <= 0 || limit > 1000 {
		limit = 200
	}
	var es []Event
	err := q.Order("id DESC").Limit(limit).Find(&es).Error
	return es, err
}

// ListTokens returns a user's tokens.
func (s *Store) ListTokens(ctx context.Context, userID uint64) ([]Token, error) {
	var ts []Token
	err := s.rdb.WithContext(ctx).Where("user_id = ?", userID).Order("id").Find(&ts).Error
	return ts, err
}

// TokenByID returns a token.
func (s *Store) TokenByID(ctx context.Context, id uint64) (*Token, error) {
	var t Token
	err := s.rdb.WithContext(ctx).First(&t, id).Error
	if notFound(err) {
		return nil, domain.ErrNotFound
	}
	return &t, err
}
