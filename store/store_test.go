package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/store"
	"github.com/dubanhq/duban/store/storetest"
)

func TestMigrateIsIdempotent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if err := s.Migrate(ctx); err != nil {
			t.Fatalf("second migrate: %v", err)
		}
		v, err := s.CurrentSchemaVersion(ctx)
		if err != nil || v != store.LatestSchemaVersion() {
			t.Fatalf("schema version = %d, %v; want %d", v, err, store.LatestSchemaVersion())
		}
	})
}

func TestUsersAndTokens(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		d, err := s.CreateDepartment(ctx, "市市场监管局", []string{"市市场监管局(知识产权局)"}, "bureau")
		if err != nil {
			t.Fatal(err)
		}
		u := &store.User{Username: "liaison1", DisplayName: "张三", PasswordHash: "x", Role: string(domain.RoleLiaison), DepartmentID: &d.ID}
		if err := s.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		dup := &store.User{Username: "liaison1", Role: "viewer"}
		if err := s.CreateUser(ctx, dup); domain.KindOf(err) != domain.KindConflict {
			t.Fatalf("duplicate username: want conflict, got %v", err)
		}
		got, err := s.UserByUsername(ctx, "liaison1")
		if err != nil || got.DisplayName != "张三" || *got.DepartmentID != d.ID {
			t.Fatalf("round trip of Chinese display name and department: %+v, %v", got, err)
		}
		now := time.Now().UTC()
		exp := now.Add(time.Hour)
		tok := &store.Token{UserID: u.ID, Hash: "h1", Kind: "session", ExpiresAt: &exp}
		if err := s.CreateToken(ctx, tok); err != nil {
			t.Fatal(err)
		}
		if who, _, err := s.TokenUser(ctx, "h1", now); err != nil || who.ID != u.ID {
			t.Fatalf("valid token: %v %v", who, err)
		}
		if _, _, err := s.TokenUser(ctx, "h1", now.Add(2*time.Hour)); err != domain.ErrNotFound {
			t.Fatalf("expired token accepted: %v", err)
		}
		if err := s.RevokeToken(ctx, tok.ID, now); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.TokenUser(ctx, "h1", now); err != domain.ErrNotFound {
			t.Fatalf("revoked token accepted: %v", err)
		}
	})
}

func TestDepartmentsAndGroups(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, _ := s.CreateDepartment(ctx, "渭滨区人民政府", nil, "county")
		b, _ := s.CreateDepartment(ctx, "金台区人民政府", nil, "county")
		if _, err := s.CreateDepartment(ctx, "渭滨区人民政府", nil, ""); domain.KindOf(err) != domain.KindConflict {
			t.Fatalf("duplicate department: %v", err)
		}
		if _, err := s.CreateGroup(ctx, "各县(区)人民政府", []uint64{a.ID, b.ID}); err != nil {
			t.Fatal(err)
		}
		m, err := s.GroupMembers(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got := m["各县(区)人民政府"]; len(got) != 2 || got[0] != a.ID || got[1] != b.ID {
			t.Fatalf("group members = %v", got)
		}
		ds, _ := s.ListDepartments(ctx)
		if len(ds) != 2 || len(ds[0].AliasList()) != 0 {
			t.Fatalf("departments = %+v", ds)
		}
	})
}
