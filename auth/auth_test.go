package auth

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/store"
	"github.com/dubanhq/duban/store/storetest"
)

func TestPasswords(t *testing.T) {
	Cost = 4
	h, err := HashPassword("correct horse")
	if err != nil || !CheckPassword(h, "correct horse") || CheckPassword(h, "wrong horse") {
		t.Fatalf("hash/check: %v", err)
	}
	if strings.Contains(h, "correct") {
		t.Error("the hash contains the password")
	}
	for _, pw := range []string{"", "short", "1234567", strings.Repeat("x", 73)} {
		_, err := HashPassword(pw)
		var de *domain.Error
		if !errors.As(err, &de) || de.Kind != domain.KindInvalid || de.Field != "password" {
			t.Errorf("password of %d bytes: %v, want invalid on field password", len(pw), err)
		}
	}
	// Eight Chinese characters are eight characters, though 24 bytes; four are too few.
	if _, err := HashPassword("督办督办督办督办"); err != nil {
		t.Errorf("eight-character Chinese password refused: %v", err)
	}
	if _, err := HashPassword("督办督办"); err == nil {
		t.Error("four-character password accepted because it is 12 bytes")
	}
	CheckUnknown("anything") // must not panic, and spends a bcrypt comparison
}

func TestTokens(t *testing.T) {
	p1, h1 := NewToken()
	p2, h2 := NewToken()
	if p1 == p2 || h1 == h2 || HashToken(p1) != h1 {
		t.Error("tokens must be random and hash consistently")
	}
	// dbn_ + base64url of 32 bytes (43 characters), hash is hex SHA-256.
	if !strings.HasPrefix(p1, "dbn_") || len(p1) != 4+43 || strings.ContainsAny(p1, "+/=") || len(h1) != 64 {
		t.Errorf("token %q (%d) hash %q", p1, len(p1), h1)
	}
	if c := CSRFToken(p1); c == CSRFToken(p2) || c != CSRFToken(p1) || strings.Contains(c, p1) {
		t.Error("CSRF values must be per session, stable, and not reveal the session")
	}
	if pw := RandomPassword(); len(pw) != 16 || pw == RandomPassword() {
		t.Errorf("random password %q", pw)
	}
}

func TestBootstrap(t *testing.T) {
	Cost = 4
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		pw, err := Bootstrap(ctx, st, "")
		if err != nil || len(pw) != 16 {
			t.Fatalf("generated password %q, %v", pw, err)
		}
		u, err := st.UserByUsername(ctx, "admin")
		if err != nil || !CheckPassword(u.PasswordHash, pw) || u.Role != "admin" || u.DisplayName != "系统管理员" {
			t.Fatalf("admin: %+v %v", u, err)
		}
		again, err := Bootstrap(ctx, st, "another-password")
		if err != nil || again != "" {
			t.Fatalf("second bootstrap must do nothing: %q %v", again, err)
		}
		if u2, _ := st.UserByUsername(ctx, "admin"); !CheckPassword(u2.PasswordHash, pw) {
			t.Error("second bootstrap changed the admin password")
		}
		if n, _ := st.CountUsers(ctx); n != 1 {
			t.Errorf("%d users after two bootstraps", n)
		}
	})
}

func TestBootstrapWithGivenPassword(t *testing.T) {
	Cost = 4
	st := storetest.SQLite(t)
	ctx := context.Background()
	if _, err := Bootstrap(ctx, st, "short"); domain.KindOf(err) != domain.KindInvalid {
		t.Fatalf("a too-short configured password: %v", err)
	}
	if n, _ := st.CountUsers(ctx); n != 0 {
		t.Fatal("a refused bootstrap created a user")
	}
	got, err := Bootstrap(ctx, st, "configured-secret")
	if err != nil || got != "" {
		t.Fatalf("a configured password is not returned: %q %v", got, err)
	}
	u, _ := st.UserByUsername(ctx, "admin")
	if u == nil || !CheckPassword(u.PasswordHash, "configured-secret") {
		t.Error("admin does not have the configured password")
	}
}

func TestBootstrapLeavesAnExistingInstallAlone(t *testing.T) {
	Cost = 4
	st := storetest.SQLite(t)
	ctx := context.Background()
	if err := st.CreateUser(ctx, &store.User{Username: "someone", Role: "viewer"}); err != nil {
		t.Fatal(err)
	}
	if pw, err := Bootstrap(ctx, st, ""); pw != "" || err != nil {
		t.Fatalf("%q %v", pw, err)
	}
	if _, err := st.UserByUsername(ctx, "admin"); domain.KindOf(err) != domain.KindNotFound {
		t.Error("admin created although users exist")
	}
}
