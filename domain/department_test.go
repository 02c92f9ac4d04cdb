package domain

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestFoldName(t *testing.T) {
	for in, want := range map[string]string{
		"市市场监管局（知识产权局）":    "市市场监管局(知识产权局)",
		" 市市场监管局 (知识产权局) ": "市市场监管局(知识产权局)",
		"市工业和信息化局":         "市工业和信息化局",
		"ＡＢＣ　市局":           "ABC市局",
		"市\u3000工信\t局\n":   "市工信局",
	} {
		if got := FoldName(in); got != want {
			t.Errorf("FoldName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNameKey(t *testing.T) {
	want := NameKey("ABC局")
	for _, s := range []string{"abc局", "ＡＢＣ局", " A B C 局 ", "\u0430\u0432\u0441局", "\u0410\u0412\u0421局"} {
		if got := NameKey(s); got != want {
			t.Errorf("NameKey(%q) = %q, want %q (as ABC局)", s, got, want)
		}
	}
	if NameKey("市市场监管局（知识产权局）") != NameKey("市市场监管局 (知识产权局)") || NameKey("市工信局") == NameKey("市工商局") {
		t.Error("NameKey folds width and spaces, and keeps different names apart")
	}
}

func TestCheckDepartmentName(t *testing.T) {
	for name, ok := range map[string]bool{
		"市工业和信息化局": true, "ABC局": true, "": false, "  ": false, "市\u202e局": false,
		"市\u200b局": false, "市局\n": false, strings.Repeat("局", 101): false, strings.Repeat("局", 100): true,
	} {
		err := CheckDepartmentName("departments[0].name", name)
		var e *Error
		if (err == nil) != ok || (err != nil && (!errors.As(err, &e) || e.Field != "departments[0].name")) {
			t.Errorf("CheckDepartmentName(%q) = %v, want ok=%v naming the field", name, err, ok)
		}
	}
}

// TestMergedParties: the duplicate's share becomes the target's; one department holding both
// keeps the stronger role; removed shares stay out; order is kept.
func TestMergedParties(t *testing.T) {
	const dup, into, other = 7, 3, 9
	share := func(id uint64, r AssignmentRole, s AssignmentStatus) Assignment {
		return Assignment{DepartmentID: id, Role: r, Status: s}
	}
	for _, c := range []struct {
		name           string
		as             []Assignment
		lead, partners []uint64
	}{
		{"the duplicate leads alone", []Assignment{share(dup, Lead, AssignmentSigned), share(other, Partner, AssignmentAssigned)}, []uint64{into}, []uint64{other}},
		{"both, the duplicate leads", []Assignment{share(dup, Lead, AssignmentSigned), share(into, Partner, AssignmentSigned)}, []uint64{into}, nil},
		{"both, the target leads", []Assignment{share(into, Lead, AssignmentSigned), share(dup, Partner, AssignmentAssigned), share(other, Partner, AssignmentSigned)}, []uint64{into}, []uint64{other}},
		{"both partners", []Assignment{share(other, Lead, AssignmentSigned), share(dup, Partner, AssignmentSigned), share(into, Partner, AssignmentSigned)}, []uint64{other}, []uint64{into}},
		{"a removed share counts for nothing", []Assignment{share(other, Lead, AssignmentSigned), share(dup, Lead, AssignmentRemoved), share(into, Partner, AssignmentSigned)}, []uint64{other}, []uint64{into}},
	} {
		lead, partners := MergedParties(c.as, dup, into)
		if !slices.Equal(lead, c.lead) || !slices.Equal(partners, c.partners) {
			t.Errorf("%s: lead %v partners %v, want %v %v", c.name, lead, partners, c.lead, c.partners)
		}
	}
	if Stronger(Partner, Partner) != Partner || Stronger(Partner, Lead) != Lead || Stronger(Lead, Partner) != Lead {
		t.Error("Stronger: lead is stronger than partner")
	}
}
