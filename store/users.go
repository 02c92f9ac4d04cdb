package store

import (
	"context"
	"fmt"
	"time"

	"github.com/dubanhq/duban/domain"
)

// CreateUser inserts a user; a taken username is a conflict on field username.
func (s *Store) CreateUser(ctx context.Context, u *User) error {
	err := s.db.WithContext(ctx).Create(u).Error
	if isDuplicate(err) {
		return domain.E(domain.KindConflict, "username", "用户名已存在 / username is taken", err)
	}
	return err
}

// UserByUsername returns the user or domain.ErrNotFound.
func (s *Store) UserByUsername(ctx context.Context, username string) (*User, error) {
	var u User
	err := s.rdb.WithContext(ctx).Where("username = ?", username).First(&u).Error
	if notFound(err) {
		return nil, domain.ErrNotFound
	}
	return &u, err
}

// UserByID returns the user or domain.ErrNotFound.
func (s *Store) UserByID(ctx context.Context, id uint64) (*User, error) {
	var u User
	err := s.rdb.WithContext(ctx).First(&u, id).Error
	if notFound(err) {
		return nil, domain.ErrNotFound
	}
	return &u, err
}

// CountUsers returns how many users exist (zero means first start).
func (s *Store) CountUsers(ctx context.Context) (int64, error) {
	var n int64
	err := s.rdb.WithContext(ctx).Model(&User{}).Count(&n).Error
	return n, err
}

// ListUsers returns users ordered by id.
func (s *Store) ListUsers(ctx context.Context) ([]User, error) {
	var us []User
	err := s.rdb.WithContext(ctx).Order("id").Find(&us).Error
	return us, err
}

// UsersForDepartment returns the enabled users of a department, optionally only heads.
func (s *Store) UsersForDepartment(ctx context.Context, deptID uint64, headsOnly bool) ([]User, error) {
	q := s.rdb.WithContext(ctx).Where("department_id = ? AND disabled = ?", deptID, false)
	if headsOnly {
		q = q.Where("is_head = ?", true)
	}
	var us []User
	err := q.Order("id").Find(&us).Error
	return us, err
}

// UsersByRole returns the enabled users with a role.
func (s *Store) UsersByRole(ctx context.Context, role domain.Role) ([]User, error) {
	var us []User
	err := s.rdb.WithContext(ctx).Where("role = ? AND disabled = ?", string(role), false).Order("id").Find(&us).Error
	return us, err
}

// CreateToken stores a hashed token.
func (s *Store) CreateToken(ctx context.Context, t *Token) error {
	return s.db.WithContext(ctx).Create(t).Error
}

// TokenUser resolves a token hash to its user, rejecting expired and revoked tokens and
// disabled users. It records the last use at most once a minute.
func (s *Store) TokenUser(ctx context.Context, hash string, now time.Time) (*User, *Token, error) {
	var t Token
	err := s.rdb.WithContext(ctx).Where("hash = ?", hash).First(&t).Error
	if notFound(err) {
		return nil, nil, domain.ErrNotFound
	}
	if err != nil {
		return nil, nil, err
	}
	if t.RevokedAt != nil || (t.ExpiresAt != nil && now.After(*t.ExpiresAt)) {
		return nil, nil, domain.ErrNotFound
	}
	u, err := s.UserByID(ctx, t.UserID)
	if err != nil {
		return nil, nil, err
	}
	if u.Disabled {
		return nil, nil, domain.ErrNotFound
	}
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) > time.Minute {
		_ = s.db.WithContext(ctx).Model(&Token{}).Where("id = ?", t.ID).Update("last_used_at", now).Error
	}
	return u, &t, nil
}

// RevokeToken marks a token revoked.
func (s *Store) RevokeToken(ctx context.Context, id uint64, now time.Time) error {
	res := s.db.WithContext(ctx).Model(&Token{}).Where("id = ? AND revoked_at IS NULL", id).Update("revoked_at", now)
	if res.Error != nil {
		return fmt.Errorf("store: revoke token: %w", res.Error)
	}
	return nil
}
