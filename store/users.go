package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/dubanhq/duban/domain"
)

// CreateUser inserts a user. A username that is taken, or that folds to the key of one
// that is (domain.UsernameKey: another case, full-width, a Cyrillic look-alike), is a
// conflict on field username.
func (s *Store) CreateUser(ctx context.Context, u *User) error {
	u.UsernameKey = domain.UsernameKey(u.Username)
	err := s.db.WithContext(ctx).Create(u).Error
	if isDuplicate(err) {
		return domain.E(domain.KindConflict, "username", "用户名已存在（或与已有用户名仅大小写、全半角或形近字母不同） / username is taken (or differs from a taken one only in case, width or look-alike letters)", err)
	}
	return err
}

// UserByUsername returns the user spelled so or, failing that, the one whose name folds to
// the same key (so a login works in any case or width), or domain.ErrNotFound. The exact
// spelling goes first so that look-alikes which coexisted before migration 9 each keep
// signing in by their own.
func (s *Store) UserByUsername(ctx context.Context, username string) (*User, error) {
	var u User
	err := s.rdb.WithContext(ctx).Where("username = ?", username).First(&u).Error
	if notFound(err) {
		err = s.rdb.WithContext(ctx).Where("username_key = ?", domain.UsernameKey(username)).First(&u).Error
	}
	if notFound(err) {
		return nil, domain.ErrNotFound
	}
	return &u, err
}

// UserChange is an admin's edit of an account; nil fields stay as they are.
type UserChange struct {
	Disabled     *bool
	Role         *string
	DepartmentID **uint64 // set to a nil *uint64 to leave every department
	IsHead       *bool
	DisplayName  *string
}

// UpdateUser applies an admin's change to an account and returns it as it was and as it is
// now. It takes effect on the user's next request: authentication reads the user each time.
func (s *Store) UpdateUser(ctx context.Context, id uint64, ch UserChange) (before, after *User, err error) {
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var u User
		if err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).First(&u, id).Error; err != nil {
			if notFound(err) {
				return domain.ErrNotFound
			}
			return err
		}
		b := u
		before = &b
		if ch.Disabled != nil {
			u.Disabled = *ch.Disabled
		}
		if ch.Role != nil {
			u.Role = *ch.Role
		}
		if ch.DepartmentID != nil {
			u.DepartmentID = *ch.DepartmentID
		}
		if ch.IsHead != nil {
			u.IsHead = *ch.IsHead
		}
		if ch.DisplayName != nil {
			u.DisplayName = *ch.DisplayName
		}
		after = &u
		return tx.Model(&User{ID: id}).Updates(map[string]any{"disabled": u.Disabled, "role": u.Role,
			"department_id": u.DepartmentID, "is_head": u.IsHead, "display_name": u.DisplayName}).Error
	})
	return before, after, err
}

// SetPassword stores a new password hash and whether the user must change it at next
// sign-in, and revokes every token of the user (sessions and API tokens) but keep (0: all).
// It returns how many tokens it revoked.
func (s *Store) SetPassword(ctx context.Context, id uint64, hash string, mustChange bool, keep uint64, now time.Time) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&User{}).Where("id = ?", id).Updates(map[string]any{"password_hash": hash, "must_change_password": mustChange})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return domain.ErrNotFound
		}
		res = tx.Model(&Token{}).Where("user_id = ? AND id <> ? AND revoked_at IS NULL", id, keep).Update("revoked_at", now)
		n = res.RowsAffected
		return res.Error
	})
	return n, err
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
