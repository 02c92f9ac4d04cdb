package auth

import (
	"container/list"
	"crypto/sha256"
	"strings"
	"sync"
	"time"
)

// LoginLimiter slows password guessing: at most Max failed logins per (username, client IP)
// within Window; past that, the pair is locked until its oldest failure leaves the window.
// A successful login resets the pair. It is safe for concurrent use.
//
// An attempt counts as a failure from the moment it starts (Attempt) until the caller
// reports success (Succeed) or that the password was never checked (Forgive). Counting at
// the start, under one lock, stops parallel requests from all passing the check before any
// failure is recorded.
//
// Memory is bounded: entries are kept in least-recently-attempted order, expired ones are
// dropped as new attempts arrive, and past MaxEntries the least recent is evicted. Keys are
// hashes, so a long username costs no more than a short one.
type LoginLimiter struct {
	Max        int           // failures allowed per window (default 5)
	Window     time.Duration // default 15 minutes
	MaxEntries int           // pairs remembered (default 65,536, a few MB)

	mu      sync.Mutex
	entries map[[sha256.Size]byte]*list.Element
	lru     list.List // of *limiterEntry, least recently attempted at the front
}

type limiterEntry struct {
	key [sha256.Size]byte
	at  []time.Time // attempts within the window, oldest first
}

// NewLoginLimiter returns the default limiter: 5 failures per 15 minutes.
func NewLoginLimiter() *LoginLimiter {
	return &LoginLimiter{Max: 5, Window: 15 * time.Minute, MaxEntries: 1 << 16}
}

// limiterKey folds case and surrounding spaces, as MySQL's collation does when it looks the
// username up, so that "Admin " is the same pair as "admin".
func limiterKey(user, ip string) [sha256.Size]byte {
	return sha256.Sum256([]byte(strings.ToLower(strings.TrimSpace(user)) + "\x00" + ip))
}

// Attempt reports whether a login for (user, ip) may go ahead at now; if so it is counted
// as a failure until Succeed or Forgive.
func (l *LoginLimiter) Attempt(user, ip string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.entries == nil {
		l.entries = map[[sha256.Size]byte]*list.Element{}
	}
	l.sweep(now)
	k := limiterKey(user, ip)
	var e *limiterEntry
	if el := l.entries[k]; el != nil {
		e = el.Value.(*limiterEntry)
		e.prune(now, l.window())
		if len(e.at) >= l.max() {
			return false
		}
		l.lru.MoveToBack(el)
	} else {
		for l.lru.Len() > 0 && l.lru.Len() >= l.maxEntries() {
			l.remove(l.lru.Front())
		}
		e = &limiterEntry{key: k}
		l.entries[k] = l.lru.PushBack(e)
	}
	e.at = append(e.at, now)
	return true
}

// Succeed forgets every failure of the pair: the user proved the password.
func (l *LoginLimiter) Succeed(user, ip string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if el := l.entries[limiterKey(user, ip)]; el != nil {
		l.remove(el)
	}
}

// Forgive takes back the pair's latest attempt, for an attempt whose password was never
// checked (the database was down), so that retries during an outage do not lock users out.
func (l *LoginLimiter) Forgive(user, ip string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	el := l.entries[limiterKey(user, ip)]
	if el == nil {
		return
	}
	e := el.Value.(*limiterEntry)
	if len(e.at) > 0 {
		e.at = e.at[:len(e.at)-1]
	}
	if len(e.at) == 0 {
		l.remove(el)
	}
}

// Len is the number of (username, IP) pairs remembered.
func (l *LoginLimiter) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.lru.Len()
}

// sweep drops entries whose latest attempt has left the window. Entries move to the back
// when attempted, so expired ones gather at the front and the loop stops at the first live
// one: constant work per attempt, amortised.
func (l *LoginLimiter) sweep(now time.Time) {
	for el := l.lru.Front(); el != nil; el = l.lru.Front() {
		e := el.Value.(*limiterEntry)
		if len(e.at) > 0 && now.Sub(e.at[len(e.at)-1]) < l.window() {
			return
		}
		l.remove(el)
	}
}

func (l *LoginLimiter) remove(el *list.Element) {
	delete(l.entries, el.Value.(*limiterEntry).key)
	l.lru.Remove(el)
}

func (e *limiterEntry) prune(now time.Time, window time.Duration) {
	i := 0
	for i < len(e.at) && now.Sub(e.at[i]) >= window {
		i++
	}
	e.at = append(e.at[:0], e.at[i:]...)
}

func (l *LoginLimiter) max() int {
	if l.Max > 0 {
		return l.Max
	}
	return 5
}

func (l *LoginLimiter) window() time.Duration {
	if l.Window > 0 {
		return l.Window
	}
	return 15 * time.Minute
}

func (l *LoginLimiter) maxEntries() int {
	if l.MaxEntries > 0 {
		return l.MaxEntries
	}
	return 1 << 16
}
