// Package importer turns the text of a plan (工作方案) into responsibility lists (责任清单):
// plan metadata, and items with their section ref, lead (牵头单位) and partner (配合单位)
// departments, department groups (单位组), time windows and numeric targets (指标).
//
// It parses only: no database, no network, no other Duban package. Inputs are plain text
// (UTF-8, UTF-16 with BOM or GB18030), .docx, and structured ledgers (台账) in CSV, XLSX,
// YAML or JSON; see README.md for the rules the text parser applies and the ledger columns.
//
// Every uncertainty becomes a Warning tied to a line of the decoded text (a task that names
// no department, a list with no designated lead, an unknown name, an ambiguous table row);
// the parser never guesses silently.
package importer

// Options controls a parse.
type Options struct {
	// Format is "" to detect from Filename and content, or one of "text", "docx",
	// "yaml", "json", "csv", "xlsx".
	Format string
	// Filename is optional; its extension helps detection and it appears in messages.
	Filename string
	// List selects Result.Items: 0 picks the list with the most explicitly designated
	// leads (the first list on a tie or when none has any); N is a 1-based index into
	// Result.Lists.
	List int
	// Directory, when set, resolves department names to canonical ones and recognises
	// configured group phrases; names it does not know are kept and warned about.
	Directory *Directory
}

// Result is everything found in a document. JSON field names are stable.
type Result struct {
	Plan     Plan      `json:"plan"`
	Lists    []List    `json:"lists"`    // every list found, in document order
	Items    []Item    `json:"items"`    // the chosen list's items
	Warnings []Warning `json:"warnings"` // uncertainties, in line order
}

// Plan is the document's metadata.
type Plan struct {
	Title      string      `json:"title"`
	DocNumber  string      `json:"doc_number"` // 文号, brackets normalised to 〔〕
	Issuer     string      `json:"issuer"`     // the government or office that signs it
	Date       string      `json:"date"`       // signing date, 2006-01-02
	Period     Period      `json:"period"`     // e.g. (2022-2025年)
	Indicators []Indicator `json:"indicators"` // plan-level targets (工作目标)
}

// Period is the span a plan covers, as written (text) and as dates.
type Period struct {
	Text  string `json:"text"`
	Start string `json:"start"`
	End   string `json:"end"`
}

// List is one responsibility list found in the document: the numbered tasks of the body,
// an annex table, or a section of tasks without departments.
type List struct {
	Name  string `json:"name"`
	Items []Item `json:"items"`
}

// Item is one task (任务/事项) of a list.
type Item struct {
	Ref         string      `json:"ref"`      // section path such as 二(三)4, or 1-2 for table rows
	Title       string      `json:"title"`    // the task's first sentence, shortened
	Content     string      `json:"content"`  // the task as written, without numbering or markup
	Lead        []string    `json:"lead"`     // 牵头单位
	Partners    []string    `json:"partners"` // 配合单位 (and responsible units when no lead is designated)
	Groups      []string    `json:"groups"`   // group phrases such as 各县(区)人民政府
	Window      Window      `json:"window"`
	Indicators  []Indicator `json:"indicators"`
	SourceLines [2]int      `json:"source_lines"` // first and last line, 1-based
}

// Window is when a task runs; dates are 2006-01-02 and empty when unknown. Ongoing marks
// 持续推进 / 长期坚持: the task reports until the plan ends.
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
	Comparator string  `json:"comparator"` // ">=" (以上, 不少于), "<=" (不超过, 以内) or "="
	Deadline   string  `json:"deadline"`   // 2006-01-02, empty when unknown
	// TargetMax is the upper bound of a range (1—2个: Target 1, TargetMax 2), 0 otherwise.
	TargetMax float64 `json:"target_max,omitempty"`
}

// Warning is an uncertainty tied to a line of the decoded text (0 = the whole document;
// for ledgers, the row number). Message is Chinese with an English gloss ("… / …"); Code is a
// stable slug (see README.md, "Warning codes") so a UI can show its own text in either
// language; Item is the ref of the item the warning concerns, empty for the document.
type Warning struct {
	Line      int    `json:"line"`
	Message   string `json:"message"`
	Code      string `json:"code"`
	Item      string `json:"item,omitempty"`
	MessageEn string `json:"message_en,omitempty"`
}

// newWarning builds a warning from its Chinese and English texts.
func newWarning(line int, code, item, zh, en string) Warning {
	return Warning{Line: line, Message: msg(zh, en), Code: code, Item: item, MessageEn: en}
}
