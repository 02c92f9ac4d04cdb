package auth

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/dubanhq/duban/domain"
)

// PolicyMinLength is the shortest password a person may choose (创建、修改、重置), in
// characters. HashPassword's MinPasswordLength is the floor for every stored hash; the
// policy is stricter for passwords people pick.
const PolicyMinLength = 10

// CheckPolicy is the password policy (口令复杂度) for a password a person chooses: at least
// PolicyMinLength characters and at most 72 bytes, at least one letter and one digit, and not
// the username in any case. A refusal is KindInvalid on field.
func CheckPolicy(field, username, pw string) error {
	if utf8.RuneCountInString(pw) < PolicyMinLength {
		return domain.Invalidf(field, "密码至少 %d 位 / the password needs at least %d characters", PolicyMinLength, PolicyMinLength)
	}
	if len(pw) > maxPasswordBytes {
		return domain.Invalidf(field, "密码不超过 72 字节 / the password must be at most 72 bytes")
	}
	var letter, digit bool
	for _, r := range pw {
		letter = letter || unicode.IsLetter(r)
		digit = digit || unicode.IsDigit(r)
	}
	if !letter || !digit {
		return domain.Invalidf(field, "密码须同时包含字母和数字 / the password needs both letters and digits")
	}
	if strings.EqualFold(strings.TrimSpace(pw), strings.TrimSpace(username)) || domain.UsernameKey(pw) == domain.UsernameKey(username) {
		return domain.Invalidf(field, "密码不能与用户名相同 / the password must differ from the username")
	}
	return nil
}

// TemporaryPassword returns a random password that meets the policy, for an admin's reset.
func TemporaryPassword() string {
	for {
		pw := RandomPassword()
		if CheckPolicy("password", "", pw) == nil {
			return pw
		}
	}
}
