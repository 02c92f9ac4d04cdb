package auth

import (
	"strings"
	"testing"
)

func TestCheckPolicy(t *testing.T) {
	for _, pw := range []string{"abcdefghi1", "督办督办督办督办督办1", "Longer-pass-2"} {
		if err := CheckPolicy("password", "zhangsan", pw); err != nil {
			t.Errorf("%q refused: %v", pw, err)
		}
	}
	for _, pw := range []string{"short-1", "abcdefghijk", "12345678901", "Zhangsan01", "ZHANGSAN01 ", strings.Repeat("a1", 40)} {
		if err := CheckPolicy("password", "zhangsan01", pw); err == nil {
			t.Errorf("%q accepted", pw)
		}
	}
	for i := 0; i < 50; i++ {
		if pw := TemporaryPassword(); CheckPolicy("password", "x", pw) != nil {
			t.Fatalf("temporary password %q fails the policy", pw)
		}
	}
}
