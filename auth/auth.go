// Package auth holds Duban's credentials logic: password hashing (bcrypt), opaque tokens
// stored only as hashes, the CSRF value bound to a session, a login rate limiter, and the
// first-start admin bootstrap. It never logs a password or a token.
package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"sync"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"

	"github.com/dubanhq/duban/domain"
)

// Cost is the bcrypt cost of new hashes; tests lower it (bcrypt.MinCost is 4).
var Cost = 10

// MinPasswordLength is the shortest password accepted, in characters (a Chinese character
// counts once).
const MinPasswordLength = 8

// maxPasswordBytes is bcrypt's limit: it ignores (and x/crypto refuses) anything longer.
const maxPasswordBytes = 72

// HashPassword hashes a password with bcrypt at Cost. A password shorter than
// MinPasswordLength characters or longer than 72 bytes is a KindInvalid error on field
// "password".
func HashPassword(pw string) (string, error) {
	if utf8.RuneCountInString(pw) < MinPasswordLength {
		return "", domain.Invalidf("password", "密码至少 %d 位 / the password needs at least %d characters", MinPasswordLength, MinPasswordLength)
	}
	if len(pw) > maxPasswordBytes {
		return "", domain.Invalidf("password", "密码不超过 72 字节 / the password must be at most 72 bytes")
	}
	b, err := bcrypt.GenerateFromPassword([]byte(pw), Cost)
	return string(b), err
}

// CheckPassword reports whether pw matches hash.
func CheckPassword(hash, pw string) bool {
	return bcrypt.CompareHashAndPassword([]byte(hash), []byte(pw)) == nil
}

var (
	dummyOnce sync.Once
	dummyHash []byte
)

// CheckUnknown spends the time of one password check against a throw-away hash, so that a
// login for a user who does not exist takes as long as a wrong password.
func CheckUnknown(pw string) {
	dummyOnce.Do(func() { // lazily, at the cost real hashes use, not at every program start
		dummyHash, _ = bcrypt.GenerateFromPassword([]byte("duban-timing-equaliser"), Cost)
	})
	_ = bcrypt.CompareHashAndPassword(dummyHash, []byte(pw))
}

// TokenPrefix starts every token Duban issues, so that a leaked one is recognisable (secret
// scanners, logs).
const TokenPrefix = "dbn_"

// NewToken returns a new opaque token (dbn_ + 32 random bytes in base64url) and the hash to
// store. Only the hash is kept; the plain token is shown to its owner once.
func NewToken() (plain, hash string) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // the system's randomness failing is not recoverable
	}
	plain = TokenPrefix + base64.RawURLEncoding.EncodeToString(b[:])
	return plain, HashToken(plain)
}

// HashToken is the stored form of a token: hex SHA-256. Tokens carry 256 random bits, so a
// fast hash is enough (unlike passwords).
func HashToken(plain string) string {
	h := sha256.Sum256([]byte(plain))
	return hex.EncodeToString(h[:])
}

// CSRFToken derives the double-submit CSRF value of a session from its token. Binding it to
// the session means a cookie planted by a sibling site (cookie tossing) cannot match, and the
// session cannot be recovered from the CSRF value, which scripts may read.
func CSRFToken(session string) string {
	h := sha256.Sum256([]byte("duban-csrf\x00" + session))
	return base64.RawURLEncoding.EncodeToString(h[:])
}

// RandomPassword returns a random 16-character password (96 bits, base64url).
func RandomPassword() string {
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(b[:])
}
