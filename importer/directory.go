package importer

// Department is a registry entry: its canonical name and the other names it is written
// under (市市场监管局 for 市市场监督管理局, 市知识产权局 …).
type Department struct {
	Name    string
	Aliases []string
}

// Group is a group phrase (单位组) such as 各县(区)人民政府 with its member departments.
type Group struct {
	Name    string
	Members []string
}

// Directory is the department registry names are normalised against. The zero value and
// a nil *Directory are empty registries.
type Directory struct {
	names  map[string]string // normalised name or alias → canonical name
	groups map[string]Group  // normalised group name → group
}

// NewDirectory builds a registry. Names are compared after normalisation (full- and
// half-width punctuation folded, brackets unified, spaces dropped); a name with a
// bracketed suffix also answers to its base, so 市市场监管局(知识产权局) and 市市场监管局
// are the same department unless the base is registered separately.
func NewDirectory(depts []Department, groups []Group) *Directory {
	d := &Directory{names: map[string]string{}, groups: map[string]Group{}}
	bases := map[string]string{}
	for _, dep := range depts {
		for _, n := range append([]string{dep.Name}, dep.Aliases...) {
			k := normaliseName(n)
			if k == "" {
				continue
			}
			d.names[k] = dep.Name
			if b := reBracketTail.ReplaceAllString(k, ""); b != k && b != "" {
				bases[b] = dep.Name
			}
		}
	}
	for b, canon := range bases {
		if _, taken := d.names[b]; !taken {
			d.names[b] = canon
		}
	}
	for _, g := range groups {
		if k := normaliseName(g.Name); k != "" {
			d.groups[k] = g
		}
	}
	return d
}

// Resolve returns the canonical name of a department. It tries the name as written, then
// without a bracketed suffix (市市场监管局(知识产权局) → 市市场监管局).
func (d *Directory) Resolve(name string) (canonical string, ok bool) {
	if d == nil {
		return "", false
	}
	k := normaliseName(name)
	if c, ok := d.names[k]; ok {
		return c, true
	}
	if b := reBracketTail.ReplaceAllString(k, ""); b != k {
		if c, ok := d.names[b]; ok {
			return c, true
		}
	}
	return "", false
}

// Group returns a configured group by any spelling of its name.
func (d *Directory) Group(name string) (Group, bool) {
	if d == nil {
		return Group{}, false
	}
	g, ok := d.groups[normaliseName(name)]
	return g, ok
}

// IsGroup reports a group phrase: one configured in the registry, or any collective the
// parser recognises (各… , …成员单位, …有关部门, 县(市、区)…).
func (d *Directory) IsGroup(name string) bool {
	if _, ok := d.Group(name); ok {
		return true
	}
	return isGroupPhrase(normaliseName(name))
}
