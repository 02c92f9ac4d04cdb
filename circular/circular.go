// Package circular renders a circular (通报) — what a supervision office
// publishes after the annual assessment (考核) to commend (通报表扬) and
// criticise (通报批评) units and the handlers (经办人) of late items — as a
// DOCX laid out after GB/T 9704-2012 (党政机关公文格式), and its ranking
// table as an XLSX.
//
// The package knows nothing of plans, items or scores: the caller turns an
// assessment into a Document of headed sections and a Table of display
// strings, so the wording of a circular stays with the office that signs it.
package circular

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"golang.org/x/text/width"
)

// ErrInvalid is wrapped by every error caused by the input rather than by
// the libraries, so an API handler can answer 400 without parsing messages.
var ErrInvalid = errors.New("circular: invalid input")

// Document is one circular ready to be laid out. All strings are plain text
// (names may contain <, & or quotes); the package escapes them. A "\n" in a
// string becomes a line break within its paragraph.
type Document struct {
	// Issuer is the 发文机关, printed in red as the 发文机关标志. Required.
	Issuer string
	// Number is the 发文字号, e.g. "督办通报〔2025〕1号"; may be empty.
	Number string
	// Title is the 标题. Required.
	Title string
	// Recipients is the 主送机关, e.g. "各有关单位"; a trailing colon is
	// normalised to the full-width "：" the standard prescribes.
	Recipients string
	// Sections are the body (正文) in order.
	Sections []Section
	// Signature is the 署名; empty means Issuer.
	Signature string
	// Date is the 成文日期, rendered as "2026年1月15日" in its own location.
	// Required.
	Date time.Time
	// Table, when set, is the 附件: announced under the body and printed on
	// a page of its own.
	Table *Table
}

// Section is one part of the body: an optional heading such as
// "一、通报表扬" (set in 黑体), its paragraphs, then Items numbered "1.",
// "2.", … — e.g. the criticised units or the escalated items with the facts.
// An empty Heading makes an untitled opening section.
type Section struct {
	Heading    string
	Paragraphs []string
	Items      []string
}

// Table is the assessment ranking: cells are display strings. XLSX stores a
// cell that reads as a number ("3", "95.5", "96.25%") as a number; codes
// with leading zeros stay text.
type Table struct {
	Title  string
	Header []string
	Rows   [][]string
}

func (d Document) validate() error {
	switch {
	case strings.TrimSpace(d.Issuer) == "":
		return fmt.Errorf("%w: issuer (发文机关) is empty", ErrInvalid)
	case strings.TrimSpace(d.Title) == "":
		return fmt.Errorf("%w: title is empty", ErrInvalid)
	case d.Date.IsZero():
		return fmt.Errorf("%w: date (成文日期) is zero", ErrInvalid)
	}
	if d.Table != nil {
		return d.Table.validate()
	}
	return nil
}

func (t Table) validate() error {
	if len(t.Header) == 0 {
		return fmt.Errorf("%w: table %q has no header", ErrInvalid, t.Title)
	}
	for i, row := range t.Rows {
		if len(row) > len(t.Header) {
			return fmt.Errorf("%w: table row %d has %d cells, the header %d",
				ErrInvalid, i+1, len(row), len(t.Header))
		}
	}
	return nil
}

// signature is the 署名 as printed.
func (d Document) signature() string {
	if s := strings.TrimSpace(d.Signature); s != "" {
		return s
	}
	return strings.TrimSpace(d.Issuer)
}

// recipients is the 主送机关 ending in a full-width colon, or "" if none.
func (d Document) recipients() string {
	r := strings.TrimRight(strings.TrimSpace(d.Recipients), ":：")
	if r == "" {
		return ""
	}
	return r + "："
}

// formatDate renders a 成文日期 with Arabic numerals and no zero padding,
// as GB/T 9704-2012 (7.3.5.2) requires: "2026年1月15日".
func formatDate(t time.Time) string {
	return fmt.Sprintf("%d年%d月%d日", t.Year(), int(t.Month()), t.Day())
}

// textWidth is the width of s in ems of a Chinese font: wide, full-width
// and ambiguous characters (Chinese quotes, "·") take one em, the rest half.
// It sizes the red issuer line, centres the signature and fits columns.
func textWidth(s string) float64 { return measure(s, 0.5) }

// measure is textWidth with narrow characters taking narrow ems.
func measure(s string, narrow float64) float64 {
	var w float64
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth, width.EastAsianAmbiguous:
			w++
		default:
			w += narrow
		}
	}
	return w
}

// columnWidths is the widest cell of each column in ems, narrow characters
// taking narrow ems and the header's width divided by the lines it may take.
func (t Table) columnWidths(narrow, headerLines float64) []float64 {
	ws := make([]float64, len(t.Header))
	for i, h := range t.Header {
		ws[i] = math.Ceil(measure(h, narrow) / headerLines)
	}
	for _, row := range t.Rows {
		for i, c := range row {
			ws[i] = max(ws[i], measure(c, narrow))
		}
	}
	return ws
}
