package launch

import (
	"context"
	"strings"

	"golang.org/x/text/width"

	"github.com/dubanhq/duban/store"
)

// registry resolves department names and aliases (市市场监管局(知识产权局) ≡ 市市场监管局)
// and group phrases to ids.
type registry struct {
	names  map[string]uint64
	groups map[string][]uint64
}

func newRegistry(ctx context.Context, st *store.Store) (*registry, error) {
	ds, err := st.ListDepartments(ctx)
	if err != nil {
		return nil, err
	}
	gm, err := st.GroupMembers(ctx)
	if err != nil {
		return nil, err
	}
	r := &registry{names: map[string]uint64{}, groups: map[string][]uint64{}}
	for _, d := range ds {
		r.names[normalise(d.Name)] = d.ID
		for _, a := range d.AliasList() {
			r.names[normalise(a)] = d.ID
		}
	}
	for g, ids := range gm {
		r.groups[normalise(g)] = ids
	}
	return r, nil
}

// resolve finds a department by name or alias, then by the name without a bracketed suffix.
func (r *registry) resolve(name string) (uint64, bool) {
	n := normalise(name)
	if id, ok := r.names[n]; ok {
		return id, true
	}
	if i := strings.Index(n, "("); i > 0 && strings.HasSuffix(n, ")") {
		id, ok := r.names[n[:i]]
		return id, ok
	}
	return 0, false
}

// normalise folds full-width ASCII and spaces so 市市场监管局(知识产权局) matches its
// half-width spelling.
func normalise(s string) string {
	return strings.Join(strings.Fields(width.Narrow.String(strings.TrimSpace(s))), "")
}
