package launch

import "testing"

// TestAbbreviates: the short forms offices write for their departments, and names that only
// look alike.
func TestAbbreviates(t *testing.T) {
	for _, c := range []struct {
		short, full string
		want        bool
	}{
		{"市工信局", "市工业和信息化局", true},
		{"中级法院", "市中级人民法院", true},
		{"市场监管局", "市市场监督管理局", true},
		{"文旅广电局", "市文化广电和旅游局", true}, // parts in another order
		{"文旅广电局", "市文化和旅游广电局", true},
		{"市文旅局", "市文化广电和旅游局", true},
		{"市发改委", "市发展和改革委员会", true},
		{"市工商局", "市工业和信息化局", false}, // 商 is not in it
		{"市财政局", "市发展和改革委员会", false},
		{"市教育局", "市教育局", false},       // not shorter: the exact match's business
		{"广电局", "市文化和旅游局", false},     // 广 and 电 are not in it
		{"局文", "市文化局", false},         // out of order and too short to be a reordering
		{"电广旅文局", "市文化广电和旅游局", false}, // must start as the name does
		{"市卫健委", "市卫生健康委员会", true},
		{"市卫健局", "市卫生健康委员会", false}, // ends differently
	} {
		if got := abbreviates(normalise(c.short), c.full); got != c.want {
			t.Errorf("abbreviates(%s, %s) = %v, want %v", c.short, c.full, got, c.want)
		}
	}
}
