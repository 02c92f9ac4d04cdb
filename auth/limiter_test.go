package auth

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestLimiterLocksAfterFiveFailures(t *testing.T) {
	l := NewLoginLimiter()
	now := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	for i := 0; i < 5; i++ {
		if !l.Attempt("admin", "1.2.3.4", now.Add(time.Duration(i)*time.Minute)) {
			t.Fatalf("attempt %d refused", i+1)
		}
	}
	if l.Attempt("admin", "1.2.3.4", now.Add(5*time.Minute)) {
		t.Error("sixth attempt allowed")
	}
	if l.Attempt("ADMIN ", "1.2.3.4", now.Add(5*time.Minute)) {
		t.Error("case or spaces in the username escape the lock")
	}
	if !l.Attempt("admin", "5.6.7.8", now.Add(5*time.Minute)) {
		t.Error("another address is locked out too")
	}
	if !l.Attempt("other", "1.2.3.4", now.Add(5*time.Minute)) {
		t.Error("another user is locked out too")
	}
	// Sliding window: the first failure (9:00) leaves it at 9:15, freeing one attempt.
	if l.Attempt("admin", "1.2.3.4", now.Add(14*time.Minute)) {
		t.Error("unlocked before the window passed")
	}
	if !l.Attempt("admin", "1.2.3.4", now.Add(15*time.Minute)) {
		t.Error("still locked after the window passed")
	}
}

func TestLimiterSuccessResetsAndForgive(t *testing.T) {
	l := NewLoginLimiter()
	now := time.Now()
	for i := 0; i < 4; i++ {
		l.Attempt("sup", "ip", now)
	}
	l.Attempt("sup", "ip", now)
	l.Succeed("sup", "ip")
	for i := 0; i < 5; i++ {
		if !l.Attempt("sup", "ip", now) {
			t.Fatalf("attempt %d after a success refused", i+1)
		}
	}
	// Attempts whose password was never checked (database down) are taken back.
	l2 := NewLoginLimiter()
	for i := 0; i < 20; i++ {
		if !l2.Attempt("sup", "ip", now) {
			t.Fatalf("forgiven attempt %d refused", i+1)
		}
		l2.Forgive("sup", "ip")
	}
	if l2.Len() != 0 {
		t.Errorf("%d entries after forgiving everything", l2.Len())
	}
}

// TestLimiterParallelGuesses fires 50 attempts at once: exactly five may go ahead, however
// the goroutines interleave.
func TestLimiterParallelGuesses(t *testing.T) {
	l := NewLoginLimiter()
	now := time.Now()
	var allowed atomic.Int32
	var wg sync.WaitGroup
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if l.Attempt("admin", "9.9.9.9", now) {
				allowed.Add(1)
			}
		}()
	}
	wg.Wait()
	if allowed.Load() != 5 {
		t.Errorf("%d parallel attempts allowed, want 5", allowed.Load())
	}
}

func TestLimiterMemoryIsBounded(t *testing.T) {
	l := &LoginLimiter{Max: 5, Window: 15 * time.Minute, MaxEntries: 100}
	now := time.Now()
	for i := 0; i < 1000; i++ {
		l.Attempt(fmt.Sprintf("user%d", i), "1.1.1.1", now)
	}
	if l.Len() != 100 {
		t.Errorf("%d entries, want the cap of 100", l.Len())
	}
	// Expired entries are dropped as soon as a new attempt arrives.
	l.Attempt("late", "1.1.1.1", now.Add(time.Hour))
	if l.Len() != 1 {
		t.Errorf("%d entries an hour later, want 1", l.Len())
	}
	// A very long username costs one fixed-size key.
	var zero LoginLimiter // the zero value works with the defaults
	long := string(make([]byte, 1<<20))
	for i := 0; i < 6; i++ {
		zero.Attempt(long, "ip", now)
	}
	if zero.Attempt(long, "ip", now) || zero.Len() != 1 {
		t.Error("zero-value limiter with a 1 MB username")
	}
}
