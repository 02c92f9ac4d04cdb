// Package importer turns the text of a plan (工作方案) into responsibility lists (责任清单):
// plan metadata, items with their section ref, lead and partner departments, department
// groups, time windows and numeric targets. It does no I/O beyond decoding its input, and
// every uncertainty becomes a warning tied to a line number, never a silent guess.
package importer

import "errors"

// ErrNoList means the document holds no responsibility list. Parse still returns the plan
// metadata and warnings explaining what was looked for.
var ErrNoList = errors.New("未找到责任清单:文中没有带牵头/责任单位的编号任务 / no responsibility list found: no numbered tasks with lead or responsible departments")

// Options controls a parse.
type Options struct {
	Format    string // "" = detect; "text", "csv", "json", "yaml"
	Filename  string
	List      int // 0 = the list with explicit leads; N = 1-based index into Lists
	Directory *Directory
}

// Result is everything found in a document. JSON field names are stable.
type Result struct {
	Plan     Plan      `json:"plan"`
	Lists    []List    `json:"lists"`
	Items    []Item    `json:"items"`
	Warnings []Warning `json:"warnings"`
}

// Plan is the document's metadata.
type Plan struct {
	Title      string      `json:"title"`
	DocNumber  string      `json:"doc_number"`
	Issuer     string      `json:"issuer"`
	Date       string      `json:"date"`
	Period     string      `json:"period,omitempty"`
	Indicators []Indicator `json:"indicators"`
}

// List is one responsibility list found in the document.
type List struct {
	Name  string `json:"name"`
	Items []Item `json:"items"`
}

// Item is one task of a list.
type Item struct {
	Ref         string      `json:"ref"`
	Title       string      `json:"title"`
	Content     string      `json:"content"`
	Lead        []string    `json:"lead"`
	Partners    []string    `json:"partners"`
	Groups      []string    `json:"groups"`
	Window      Window      `json:"window"`
	Indicators  []Indicator `json:"indicators"`
	SourceLines [2]int      `json:"source_lines"`
}

// Window is when the task runs; dates are 2006-01-02, empty when unknown.
type Window struct {
	Start   string `json:"start"`
	End     string `json:"end"`
	Ongoing bool   `json:"ongoing"`
}

// Indicator is a numeric target such as 新增PCT国际申请20件以上.
type Indicator struct {
	Name       string  `json:"name"`
	Target     float64 `json:"target"`
	Unit       string  `json:"unit"`
	Comparator string  `json:"comparator"` // ">=", "<=", "="
	Deadline   string  `json:"deadline,omitempty"`
}

// Warning is an uncertainty tied to a line of the decoded text (0 = the whole document).
type Warning struct {
	Line    int    `json:"line"`
	Message string `json:"message"`
}
