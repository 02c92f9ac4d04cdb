// Package auth holds Duban's credentials logic: password hashing (bcrypt), opaque tokens
// stored only as hashes, a login rate limiter, and the first-start admin bootstrap.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"

	"golang.org/x/crypto/bcrypt"

	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/store"
)

// Cost is the bcrypt cost; tests may lower it.
var Cost = 10

// MinPasswordLength is the shortest password accepted.
const MinPasswordLength = 8

// HashPassword hashes a password with bcrypt.
func HashPassword(pw string) (string, error) {
	if len(pw) < MinPasswordLength {
		return "", domain.Invalidf("password", "密码至少 %d 位 / the password needs at least %d characters", MinPasswordLength, MinPasswordLength)
	}
	if len(pw) > 72 {
		return "", domain.Invalidf("password", "密码不超过 72 字节 / the password must be at most 72 bytes")
	}
	b, err := bcrypt.GenerateFromPassword([]byte(pw), Cost)
	return string(b), err
}

// CheckPassword reports whether pw matches hash.
func CheckPassword(hash, pw string) bool {
	return bcrypt.CompareHashAndPassword([]byte(hash), []byte(pw)) == nil
}

// dummyHash is compared against when the user does not exist, so that a wrong username
// takes as long as a wrong password.
var dummyHash, _ = bcrypt.GenerateFromPassword([]byte("duban-timing-equaliser"), 10)

// CheckUnknown burns the time of one password check.
func CheckUnknown(pw string) { _ = bcrypt.CompareHashAndPassword(dummyHash, []byte(pw)) }

// NewToken returns a new opaque token and the hash to store.
func NewToken() (plain, hash string) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // the system's randomness failing is not recoverable
	}
	plain = "dbn_" + base64.RawURLEncoding.EncodeToString(b[:])
	return plain, HashToken(plain)
}

// HashToken is the stored form of a token.
func HashToken(plain string) string {
	h := sha256.Sum256([]byte(plain))
	return hex.EncodeToString(h[:])
}

// RandomPassword returns a readable random password.
func RandomPassword() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// Bootstrap creates user admin at first start (no users). With an empty password it
// generates one and returns it so the caller prints it once; it never logs it.
func Bootstrap(ctx context.Context, st *store.Store, password string) (generated string, err error) {
	n, err := st.CountUsers(ctx)
	if err != nil || n > 0 {
		return "", err
	}
	pw := password
	if pw == "" {
		pw = RandomPassword()
		generated = pw
	}
	hash, err := HashPassword(pw)
	if err != nil {
		return "", fmt.Errorf("bootstrap admin: %w", err)
	}
	u := &store.User{Username: "admin", DisplayName: "系统管理员", Role: string(domain.RoleAdmin), PasswordHash: hash}
	if err := st.CreateUser(ctx, u); err != nil {
		if domain.KindOf(err) == domain.KindConflict { // another replica won
			return "", nil
		}
		return "", err
	}
	return generated, nil
}

// ErrLocked is returned by the limiter while a login is locked out.
var ErrLocked = errors.New("auth: too many failed logins")
