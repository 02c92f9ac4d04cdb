package importer

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Golden is the hand-checked truth for one corpus document (NAME.json beside NAME.txt or
// NAME.docx): the facts a supervisor needs from it.
type Golden struct {
	Source         string         `json:"source"` // where the document was published
	Items          []GoldenItem   `json:"items"`
	PlanIndicators []GoldenTarget `json:"plan_indicators"`
}

// GoldenItem is one task of a golden: its ref and the facts to check.
type GoldenItem struct {
	Ref        string         `json:"ref"`
	Lead       []string       `json:"lead"`
	Partners   []string       `json:"partners"`
	Groups     []string       `json:"groups"`
	WindowEnd  string         `json:"window_end"`
	Indicators []GoldenTarget `json:"indicators"`
}

// GoldenTarget is an indicator's target, unit and comparator (and, for plan-level targets,
// its deadline).
type GoldenTarget struct {
	Target     float64 `json:"target"`
	Unit       string  `json:"unit"`
	Comparator string  `json:"comparator"`
	Deadline   string  `json:"deadline,omitempty"`
}

// Tally counts the facts of one document or of a corpus: items found, missed and
// spurious, and right/total for each kind of fact.
type Tally struct {
	Doc                             string
	Items, Found, Missed, Spurious  int
	Lead, Partners, Groups, Window  [2]int // right, total
	Indicators                      [2]int
	SpuriousIndicators, ParseErrors int
}

// Facts is right and total over every kind of fact.
func (t Tally) Facts() [2]int {
	var f [2]int
	for _, k := range [][2]int{t.Lead, t.Partners, t.Groups, t.Window, t.Indicators} {
		f[0] += k[0]
		f[1] += k[1]
	}
	return f
}

func (t *Tally) add(o Tally) {
	t.Items, t.Found, t.Missed, t.Spurious = t.Items+o.Items, t.Found+o.Found, t.Missed+o.Missed, t.Spurious+o.Spurious
	for _, p := range [][2]*[2]int{{&t.Lead, &o.Lead}, {&t.Partners, &o.Partners}, {&t.Groups, &o.Groups}, {&t.Window, &o.Window}, {&t.Indicators, &o.Indicators}} {
		p[0][0] += p[1][0]
		p[0][1] += p[1][1]
	}
	t.SpuriousIndicators += o.SpuriousIndicators
	t.ParseErrors += o.ParseErrors
}

// ScoreDir parses every document of a corpus directory that has a golden beside it and
// compares the result with the golden fact by fact. It returns one Tally per document,
// in name order, and the total.
func ScoreDir(dir string) ([]Tally, Tally, error) {
	goldens, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, Tally{}, err
	}
	sort.Strings(goldens)
	var docs []Tally
	total := Tally{Doc: "total"}
	for _, g := range goldens {
		base := strings.TrimSuffix(g, ".json")
		src := ""
		for _, ext := range []string{".txt", ".docx"} {
			if _, err := os.Stat(base + ext); err == nil {
				src = base + ext
			}
		}
		if src == "" {
			return nil, Tally{}, fmt.Errorf("%s: no document %s.txt or .docx beside it", g, filepath.Base(base))
		}
		t, err := scoreFile(src, g)
		if err != nil {
			return nil, Tally{}, err
		}
		docs = append(docs, t)
		total.add(t)
	}
	if len(docs) == 0 {
		return nil, Tally{}, fmt.Errorf("%s: no golden *.json files", dir)
	}
	return docs, total, nil
}

func scoreFile(src, golden string) (Tally, error) {
	raw, err := os.ReadFile(golden)
	if err != nil {
		return Tally{}, err
	}
	var g Golden
	if err := json.Unmarshal(raw, &g); err != nil {
		return Tally{}, fmt.Errorf("%s: %w", golden, err)
	}
	data, err := os.ReadFile(src)
	if err != nil {
		return Tally{}, err
	}
	res, perr := Parse(data, Options{Filename: src})
	t := Tally{Doc: strings.TrimSuffix(filepath.Base(src), filepath.Ext(src))}
	if perr != nil && !errors.Is(perr, ErrNoList) {
		t.ParseErrors++
		res = &Result{}
	}
	scoreResult(&t, g, res)
	return t, nil
}

// scoreResult compares a parse with a golden. Items are matched by ref over every list; a
// missed item counts every one of its facts wrong. Indicators are matched by target, unit
// and comparator (and deadline, for plan-level targets); extra ones are counted apart.
func scoreResult(t *Tally, g Golden, res *Result) {
	got := map[string]Item{}
	for _, l := range res.Lists {
		for _, it := range l.Items {
			if _, ok := got[it.Ref]; !ok {
				got[it.Ref] = it
			}
		}
	}
	want := map[string]bool{}
	for _, gi := range g.Items {
		want[gi.Ref] = true
		it, found := got[gi.Ref]
		t.Items++
		if found {
			t.Found++
		} else {
			t.Missed++
		}
		tick(&t.Lead, found && sameNames(it.Lead, gi.Lead))
		tick(&t.Partners, found && sameNames(it.Partners, gi.Partners))
		tick(&t.Groups, found && sameNames(it.Groups, gi.Groups))
		tick(&t.Window, found && it.Window.End == gi.WindowEnd)
		matchTargets(t, gi.Indicators, it.Indicators, false)
	}
	for ref := range got {
		if !want[ref] {
			t.Spurious++
		}
	}
	matchTargets(t, g.PlanIndicators, res.Plan.Indicators, true)
}

func tick(k *[2]int, right bool) {
	k[1]++
	if right {
		k[0]++
	}
}

func matchTargets(t *Tally, want []GoldenTarget, got []Indicator, dated bool) {
	used := make([]bool, len(got))
	for _, w := range want {
		hit := false
		for i, ind := range got {
			if !used[i] && ind.Target == w.Target && narrow(ind.Unit) == narrow(w.Unit) && ind.Comparator == w.Comparator && (!dated || ind.Deadline == w.Deadline) {
				used[i], hit = true, true
				break
			}
		}
		tick(&t.Indicators, hit)
	}
	if !dated {
		for _, u := range used {
			if !u {
				t.SpuriousIndicators++
			}
		}
	}
}

// sameNames compares two name lists as sets, reading both as the parser does (width,
// brackets, traditional script).
func sameNames(a, b []string) bool {
	set := map[string]int{}
	for _, n := range a {
		set[normaliseName(n)]++
	}
	for _, n := range b {
		set[normaliseName(n)]--
	}
	for _, v := range set {
		if v != 0 {
			return false
		}
	}
	return true
}

// WriteScores prints the tallies as a table, one row per document and the total.
func WriteScores(w io.Writer, docs []Tally, total Tally) error {
	pct := func(k [2]int) string {
		if k[1] == 0 {
			return "-"
		}
		return fmt.Sprintf("%d/%d", k[0], k[1])
	}
	var b strings.Builder
	b.WriteString("| document | items | found | missed | spurious | lead | partners | groups | window end | indicators | facts right |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|---|---|---|\n")
	for _, t := range append(docs, total) {
		f := t.Facts()
		share := 100.0
		if f[1] > 0 {
			share = 100 * float64(f[0]) / float64(f[1])
		}
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %d | %s | %s | %s | %s | %s | %d/%d (%.1f%%) |\n", t.Doc, t.Items, t.Found, t.Missed, t.Spurious,
			pct(t.Lead), pct(t.Partners), pct(t.Groups), pct(t.Window), pct(t.Indicators), f[0], f[1], share)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
