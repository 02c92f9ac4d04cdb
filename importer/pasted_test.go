package importer

import "testing"

// TestPastedText covers the second round of issue 21: what real pages pasted as text do
// (full-width punctuation, lost line breaks, web-table cells, labels and roles not met
// before). Each case is a short hand-written snippet.
func TestPastedText(t *testing.T) {
	runPatternCases(t, []patternCase{
		{name: "full-width brackets, colons and commas",
			text: "一、重点任务\n1.建设平台。（牵头单位：市科技局，配合单位：市财政局，各区、县级市）",
			ref:  "一1", lead: []string{"市科技局"}, partners: []string{"市财政局"}, groups: []string{"各区、县级市"}},
	})
}
