package store

import (
	"context"
	"time"

	"github.com/dubanhq/duban/domain"
)

// idempotencyKeep is how long a claimed key is remembered.
const idempotencyKeep = 7 * 24 * time.Hour

// ClaimIdempotencyKey records that a user's Idempotency-Key was sent with the request whose
// method, path and body hash to hash. The same key again with the same hash is a retry and
// passes; with another hash it is a KindInvalid error on field Idempotency-Key, so that a
// client reusing a key by mistake is told, rather than handed the first request's result.
func (s *Store) ClaimIdempotencyKey(ctx context.Context, userID uint64, key, hash string, now time.Time) error {
	err := s.db.WithContext(ctx).Create(&IdempotencyKey{UserID: userID, Key: key, Hash: hash, CreatedAt: now}).Error
	if err == nil {
		// Clients retry within minutes; a week of the user's keys is plenty, and pruning
		// them here keeps the table bounded without a job of its own.
		return s.db.WithContext(ctx).Where("user_id = ? AND created_at < ?", userID, now.Add(-idempotencyKeep)).Delete(&IdempotencyKey{}).Error
	}
	if !isDuplicate(err) {
		return err
	}
	var k IdempotencyKey
	if err := s.db.WithContext(ctx).Where(&IdempotencyKey{UserID: userID, Key: key}).First(&k).Error; err != nil {
		return err
	}
	if k.Hash != hash {
		return domain.Invalidf("Idempotency-Key", "该 Idempotency-Key 已用于另一个请求，请换一个新的 / this Idempotency-Key was used with a different request; use a new key")
	}
	return nil
}
