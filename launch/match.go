package launch

import (
	"context"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/dubanhq/duban/store"
)

// How a unit name found its department.
const (
	ByName         = "name"         // the registered name
	ByAlias        = "alias"        // one of its aliases (市市场监管局(知识产权局) …)
	ByAbbreviation = "abbreviation" // a common short form (市工信局 for 市工业和信息化局): confirm it
)

// Suggestion is a department a unit name may mean.
type Suggestion struct {
	ID   uint64 `json:"id"`
	Name string `json:"name"`
}

// Match is what the registry says of one unit name as written in a document: the
// department it names (nil when none for certain), how, and the departments it may mean.
type Match struct {
	Name        string       `json:"name"`
	Match       *uint64      `json:"match"`
	How         string       `json:"how,omitempty"`
	Suggestions []Suggestion `json:"suggestions"`
}

// MatchNames matches unit names against the registry: names, aliases, then common
// abbreviations (a short form whose characters appear in order in one department's name,
// ending alike: 市工信局 → 市工业和信息化局, 中级法院 → 市中级人民法院, 市场监管局 →
// 市市场监督管理局). A name matched by abbreviation, or not at all, comes with the most
// similar departments as suggestions, for the person launching to confirm or choose.
func MatchNames(ctx context.Context, st *store.Store, names []string) ([]Match, error) {
	reg, err := newRegistry(ctx, st)
	if err != nil {
		return nil, err
	}
	out := make([]Match, 0, len(names))
	for _, n := range names {
		out = append(out, reg.match(n))
	}
	return out, nil
}

// match matches one name (see MatchNames).
func (r *registry) match(name string) Match {
	m := Match{Name: name, Suggestions: []Suggestion{}}
	if id, how, ok := r.exact(name); ok {
		m.Match, m.How = &id, how
		return m
	}
	var abbrev []uint64
	for id, full := range r.full {
		if abbreviates(normalise(name), full) {
			abbrev = append(abbrev, id)
		}
	}
	if len(abbrev) == 1 {
		m.Match, m.How = &abbrev[0], ByAbbreviation
	}
	m.Suggestions = r.similar(name, abbrev)
	return m
}

// exact resolves a name by its registered name or an alias, then without a bracketed
// suffix, as launch does.
func (r *registry) exact(name string) (uint64, string, bool) {
	n := normalise(name)
	if id, ok := r.names[n]; ok {
		how := ByAlias
		if normalise(r.full[id]) == n {
			how = ByName
		}
		return id, how, true
	}
	if i := strings.Index(n, "("); i > 0 && strings.HasSuffix(n, ")") {
		if id, ok := r.names[n[:i]]; ok {
			return id, ByAlias, true
		}
	}
	return 0, "", false
}

// abbreviates reports whether short is a short form of full: shorter, ending with the same
// character (局, 委, 院, 办 …), its first character among full's first two (a 市 or 县
// before it may be left out), and every character of it found in full in order — or, for a
// short form of four characters or more, each at its own place in any order, as merged
// bureaux are shortened by their parts in the order people say them (文旅广电局 for
// 文化广电和旅游局, as for 文化和旅游广电局). A 委员会 is shortened to 委.
func abbreviates(short, full string) bool {
	if strings.HasSuffix(short, "委") && strings.HasSuffix(full, "委员会") { // 市发改委, 市卫健委
		full = strings.TrimSuffix(full, "员会")
	}
	if inOrder(short, full) {
		return true
	}
	s, f := []rune(short), []rune(full)
	if len(s) < 4 || len(s) >= len(f) || s[len(s)-1] != f[len(f)-1] || (s[0] != f[0] && s[0] != f[1]) {
		return false
	}
	rest := f[:len(f)-1] // the last character is matched already
	used := make([]bool, len(rest))
	for _, c := range s[:len(s)-1] {
		i := -1
		for k, r := range rest {
			if r == c && !used[k] {
				i = k
				break
			}
		}
		if i < 0 {
			return false
		}
		used[i] = true
	}
	return true
}

// inOrder is abbreviates' first rule: every character of short found in full in order.
func inOrder(short, full string) bool {
	s, f := []rune(short), []rune(full)
	if len(s) < 2 || len(s) >= len(f) || s[len(s)-1] != f[len(f)-1] {
		return false
	}
	start := -1
	for i := 0; i < 2 && i < len(f); i++ {
		if f[i] == s[0] {
			start = i
			break
		}
	}
	if start < 0 {
		return false
	}
	j := start + 1
	for _, c := range s[1:] {
		for j < len(f) && f[j] != c {
			j++
		}
		if j == len(f) {
			return false
		}
		j++
	}
	return true
}

// similar lists up to three departments whose names share the most character pairs with
// name (Dice coefficient over bigrams), the abbreviation candidates first.
func (r *registry) similar(name string, first []uint64) []Suggestion {
	type scored struct {
		id    uint64
		score float64
	}
	var all []scored
	n := normalise(name)
	for id, full := range r.full {
		s := dice(n, normalise(full))
		for _, f := range first {
			if f == id {
				s += 1
			}
		}
		if s >= 0.3 {
			all = append(all, scored{id, s})
		}
	}
	sort.Slice(all, func(i, j int) bool {
		if all[i].score != all[j].score {
			return all[i].score > all[j].score
		}
		return all[i].id < all[j].id
	})
	out := []Suggestion{}
	for i := 0; i < len(all) && i < 3; i++ {
		out = append(out, Suggestion{ID: all[i].id, Name: r.full[all[i].id]})
	}
	return out
}

// dice is the Dice coefficient of two strings' character bigrams.
func dice(a, b string) float64 {
	ba, bb := bigrams(a), bigrams(b)
	if len(ba) == 0 || len(bb) == 0 {
		return 0
	}
	common := 0
	for g, n := range ba {
		common += min(n, bb[g])
	}
	return 2 * float64(common) / float64(utf8.RuneCountInString(a)-1+utf8.RuneCountInString(b)-1)
}

func bigrams(s string) map[string]int {
	rs := []rune(s)
	out := map[string]int{}
	for i := 0; i+1 < len(rs); i++ {
		out[string(rs[i:i+2])]++
	}
	return out
}
