package launch

import (
	"context"

	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/store"
)

// registry resolves department names and aliases (市市场监管局(知识产权局) ≡ 市市场监管局)
// and group phrases to ids.
type registry struct {
	names  map[string]uint64
	full   map[uint64]string // id → registered name
	groups map[string][]uint64
	// mapped are the names the person launching mapped by hand (the import wizard's
	// mapping step), tried first.
	mapped map[string]uint64
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
	r := &registry{names: map[string]uint64{}, full: map[uint64]string{}, groups: map[string][]uint64{}, mapped: map[string]uint64{}}
	for _, d := range ds {
		r.names[normalise(d.Name)] = d.ID
		r.full[d.ID] = d.Name
		for _, a := range d.AliasList() {
			r.names[normalise(a)] = d.ID
		}
	}
	for g, ids := range gm {
		r.groups[normalise(g)] = ids
	}
	return r, nil
}

// resolve finds a department for a unit name: as mapped by hand, by name or alias (also
// without a bracketed suffix), or by a common abbreviation that fits one department only.
func (r *registry) resolve(name string) (uint64, bool) {
	if id, ok := r.mapped[normalise(name)]; ok {
		return id, true
	}
	m := r.match(name)
	if m.Match == nil {
		return 0, false
	}
	return *m.Match, true
}

// normalise is the key names are matched by (domain.NameKey): 市市场监管局（知识产权局）
// matches its half-width spelling, ABC局 matches abc局.
func normalise(s string) string { return domain.NameKey(s) }
