package auth

import (
	"sync"
	"time"
)

// LoginLimiter allows at most Max failed logins per (username, client IP) within Window;
// past that, logins for the pair are refused until the window passes. Success resets it.
type LoginLimiter struct {
	Max    int
	Window time.Duration
	mu     sync.Mutex
	fails  map[string][]time.Time
}

// NewLoginLimiter returns the default limiter: 5 failures per 15 minutes.
func NewLoginLimiter() *LoginLimiter {
	return &LoginLimiter{Max: 5, Window: 15 * time.Minute, fails: map[string][]time.Time{}}
}

// Allow reports whether a login attempt may proceed.
func (l *LoginLimiter) Allow(user, ip string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.recent(user+"|"+ip, now)) < l.Max
}

// Fail records a failed attempt.
func (l *LoginLimiter) Fail(user, ip string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	k := user + "|" + ip
	l.fails[k] = append(l.recent(k, now), now)
	if len(l.fails) > 100000 { // bounded memory under a spray of usernames
		for key := range l.fails {
			if len(l.recent(key, now)) == 0 {
				delete(l.fails, key)
			}
		}
	}
}

// Succeed clears the pair.
func (l *LoginLimiter) Succeed(user, ip string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.fails, user+"|"+ip)
}

func (l *LoginLimiter) recent(k string, now time.Time) []time.Time {
	ts := l.fails[k]
	i := 0
	for i < len(ts) && now.Sub(ts[i]) > l.Window {
		i++
	}
	ts = ts[i:]
	l.fails[k] = ts
	if len(ts) == 0 {
		delete(l.fails, k)
	}
	return ts
}
