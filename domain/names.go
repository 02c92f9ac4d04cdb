package domain

import (
	"strings"
	"unicode"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// UsernameKey is the key a username (用户名) is unique and looked up by: NFKC-normalised
// (full-width letters become ASCII), case-folded, stripped of combining marks (so the
// Turkish İ, which folds to i and a dot above, is an i), and with the Cyrillic and Greek
// letters that look like Latin ones replaced by those, so "Admin", "ＡＤＭＩＮ", "ADMİN" and
// "аdmin" (a Cyrillic а) are one account. The store keeps it in users.username_key under a unique
// index, so the rule holds on MySQL and SQLite alike, whatever their collations.
func UsernameKey(name string) string {
	s := norm.NFD.String(cases.Fold().String(norm.NFKC.String(strings.TrimSpace(name))))
	var b strings.Builder
	for _, r := range s {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		if l, ok := confusables[r]; ok {
			r = l
		}
		b.WriteRune(r)
	}
	return norm.NFKC.String(b.String())
}

// confusables are lower-case Cyrillic and Greek letters drawn like Latin ones (after case
// folding), from Unicode's confusables list.
var confusables = map[rune]rune{
	'а': 'a', 'в': 'b', 'с': 'c', 'ԁ': 'd', 'е': 'e', 'һ': 'h', 'і': 'i', 'ј': 'j', 'к': 'k',
	'м': 'm', 'н': 'h', 'о': 'o', 'р': 'p', 'ԛ': 'q', 'ѕ': 's', 'т': 't', 'ս': 'u', 'ԝ': 'w',
	'х': 'x', 'у': 'y', 'ӏ': 'l', 'ɡ': 'g',
	'α': 'a', 'β': 'b', 'ε': 'e', 'η': 'n', 'ι': 'i', 'κ': 'k', 'ν': 'v', 'ο': 'o', 'ρ': 'p',
	'τ': 't', 'υ': 'u', 'χ': 'x', 'γ': 'y', 'ϲ': 'c', 'ϳ': 'j',
}

// CheckUsername refuses a username that could pass for another one or hide what it is: it
// must be 1–64 characters of letters, digits, marks and . _ - @, with no control, format
// (bidi overrides, zero-width) or space characters, and must not mix Latin letters with
// Cyrillic or Greek ones.
func CheckUsername(name string) error {
	n := 0
	var latin, other bool
	for _, r := range norm.NFKC.String(name) {
		n++
		switch {
		case unicode.Is(unicode.Latin, r):
			latin = true
		case unicode.In(r, unicode.Cyrillic, unicode.Greek):
			other = true
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || strings.ContainsRune("._-@", r):
		default:
			return Invalidf("username", "用户名只能包含文字、数字和 . _ - @ / a username may contain only letters, digits and . _ - @")
		}
	}
	if n == 0 || n > 64 {
		return Invalidf("username", "用户名为 1–64 个字符 / username must be 1–64 characters")
	}
	if latin && other {
		return Invalidf("username", "用户名不能混用拉丁字母和西里尔或希腊字母 / a username cannot mix Latin letters with Cyrillic or Greek ones")
	}
	return nil
}

// HasHiddenChars reports whether s holds a control or format character (bidi overrides and
// isolates, zero-width joiners, byte-order marks): text that displays other than it reads.
// Names of departments and groups are refused with them.
func HasHiddenChars(s string) bool {
	for _, r := range s {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Bidi_Control, r) {
			return true
		}
	}
	return false
}
