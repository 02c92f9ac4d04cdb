package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/store"
	"github.com/dubanhq/duban/store/storetest"
)

// TestUsernameKeyMigration writes users as the release before migration 9 did (no
// username_key, no unique index on it), runs the migration again, and checks every user has
// its folded key, look-alikes that already coexist both keep signing in by their exact
// spelling, and a new look-alike is refused.
func TestUsernameKeyMigration(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		db := store.RawDB(s).WithContext(ctx)
		if err := db.Migrator().DropIndex(&store.User{}, "idx_users_username_key"); err != nil {
			t.Fatal(err)
		}
		names := []string{"Zhang", "li"}
		if s.Dialect() == "sqlite" { // MySQL's collation never let these two in
			names = append(names, "zhang")
		}
		for _, n := range names {
			if err := db.Create(&store.User{Username: n, Role: "viewer"}).Error; err != nil {
				t.Fatal(err)
			}
		}
		if err := db.Model(&store.User{}).Where("1 = 1").Update("username_key", nil).Error; err != nil {
			t.Fatal(err)
		}
		if err := db.Where("version = ?", 9).Delete(&store.SchemaVersion{}).Error; err != nil {
			t.Fatal(err)
		}
		if err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		for _, n := range names {
			u, err := s.UserByUsername(ctx, n)
			if err != nil || u.Username != n {
				t.Errorf("%s after the migration: %v %v", n, u, err)
			}
		}
		if u, err := s.UserByUsername(ctx, "LI"); err != nil || u.Username != "li" {
			t.Errorf("LI: %v %v", u, err)
		}
		err := s.CreateUser(ctx, &store.User{Username: "ＺＨＡＮＧ", Role: "viewer"})
		if domain.KindOf(err) != domain.KindConflict {
			t.Errorf("a look-alike after the migration: %v", err)
		}
	})
}

// TestClaimIdempotencyKey: a key claimed again with the same hash passes, with another hash
// is KindInvalid; other users' keys are their own.
func TestClaimIdempotencyKey(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx, now := context.Background(), time.Now().UTC()
		if err := s.ClaimIdempotencyKey(ctx, 1, "k", "h1", now); err != nil {
			t.Fatal(err)
		}
		if err := s.ClaimIdempotencyKey(ctx, 1, "k", "h1", now); err != nil {
			t.Errorf("a retry: %v", err)
		}
		if err := s.ClaimIdempotencyKey(ctx, 1, "k", "h2", now); domain.KindOf(err) != domain.KindInvalid {
			t.Errorf("another request: %v", err)
		}
		if err := s.ClaimIdempotencyKey(ctx, 2, "k", "h2", now); err != nil {
			t.Errorf("another user's key: %v", err)
		}
		// A week later the key is forgotten when the user claims another.
		later := now.Add(8 * 24 * time.Hour)
		if err := s.ClaimIdempotencyKey(ctx, 1, "k2", "h", later); err != nil {
			t.Fatal(err)
		}
		if err := s.ClaimIdempotencyKey(ctx, 1, "k", "h3", later); err != nil {
			t.Errorf("a week-old key: %v", err)
		}
	})
}
