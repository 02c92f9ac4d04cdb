package auth

import (
	"context"
	"testing"
	"time"

	"github.com/dubanhq/duban/store/storetest"
)

func TestPasswordsAndTokens(t *testing.T) {
	Cost = 4
	h, err := HashPassword("correct horse")
	if err != nil || !CheckPassword(h, "correct horse") || CheckPassword(h, "wrong horse") {
		t.Fatalf("hash/check: %v", err)
	}
	if _, err := HashPassword("short"); err == nil {
		t.Error("short password accepted")
	}
	p1, h1 := NewToken()
	p2, _ := NewToken()
	if p1 == p2 || HashToken(p1) != h1 || len(p1) < 40 {
		t.Error("tokens must be random and hash consistently")
	}
}

func TestLimiterLocksAfterFiveFailures(t *testing.T) {
	l := NewLoginLimiter()
	now := time.Now()
	for i := 0; i < 5; i++ {
		if !l.Allow("admin", "1.2.3.4", now) {
			t.Fatalf("attempt %d refused", i+1)
		}
		l.Fail("admin", "1.2.3.4", now)
	}
	if l.Allow("admin", "1.2.3.4", now) {
		t.Error("sixth attempt allowed")
	}
	if !l.Allow("admin", "5.6.7.8", now) {
		t.Error("another address is locked out too")
	}
	if !l.Allow("admin", "1.2.3.4", now.Add(16*time.Minute)) {
		t.Error("lock outlived its window")
	}
}

func TestBootstrapOnlyOnce(t *testing.T) {
	Cost = 4
	st := storetest.SQLite(t)
	ctx := context.Background()
	pw, err := Bootstrap(ctx, st, "")
	if err != nil || len(pw) < 12 {
		t.Fatalf("generated password %q, %v", pw, err)
	}
	u, err := st.UserByUsername(ctx, "admin")
	if err != nil || !CheckPassword(u.PasswordHash, pw) || u.Role != "admin" {
		t.Fatalf("admin: %+v %v", u, err)
	}
	again, err := Bootstrap(ctx, st, "another-password")
	if err != nil || again != "" {
		t.Fatalf("second bootstrap must do nothing: %q %v", again, err)
	}
	if u2, _ := st.UserByUsername(ctx, "admin"); !CheckPassword(u2.PasswordHash, pw) {
		t.Error("second bootstrap changed the admin password")
	}
}
