package domain

import "testing"

func TestUsernameKey(t *testing.T) {
	for _, name := range []string{"admin", "Admin", "ADMIN", "ＡＤＭＩＮ", "аdmin", "ADMİN", " admin "} {
		if k := UsernameKey(name); k != "admin" {
			t.Errorf("UsernameKey(%q) = %q, want admin", name, k)
		}
	}
	if UsernameKey("张三") != "张三" || UsernameKey("li.si") == UsernameKey("lisi") {
		t.Error("keys of distinct names")
	}
}

func TestCheckUsername(t *testing.T) {
	for _, ok := range []string{"admin", "张三", "li.si@dept", "user_01", "Ωμέγα"} {
		if err := CheckUsername(ok); err != nil {
			t.Errorf("%q refused: %v", ok, err)
		}
	}
	for _, bad := range []string{"", "ad\u202emin", "ad\u200bmin", "a b", "pаypal", "tab\t", "a/b"} {
		if CheckUsername(bad) == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if !HasHiddenChars("市甲局\u202e") || HasHiddenChars("市甲局（本部）") {
		t.Error("HasHiddenChars")
	}
}
