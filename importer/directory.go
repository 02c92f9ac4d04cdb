package importer

import "strings"

// Department is a registry entry with its aliases.
type Department struct {
	Name    string
	Aliases []string
}

// Group is a group phrase (各县(区)人民政府) with its members.
type Group struct {
	Name    string
	Members []string
}

// Directory is the department registry names are normalised against.
type Directory struct {
	names  map[string]string
	groups map[string]bool
}

// NewDirectory builds a registry.
func NewDirectory(depts []Department, groups []Group) *Directory {
	d := &Directory{names: map[string]string{}, groups: map[string]bool{}}
	for _, dep := range depts {
		d.names[Normalise(dep.Name)] = dep.Name
		for _, a := range dep.Aliases {
			d.names[Normalise(a)] = dep.Name
		}
	}
	for _, g := range groups {
		d.groups[Normalise(g.Name)] = true
	}
	return d
}

// Resolve returns the canonical name of a department, trying the name without a bracketed
// suffix (市市场监管局(知识产权局) → 市市场监管局) last.
func (d *Directory) Resolve(name string) (string, bool) {
	n := Normalise(name)
	if c, ok := d.names[n]; ok {
		return c, true
	}
	if i := strings.Index(n, "("); i > 0 && strings.HasSuffix(n, ")") {
		c, ok := d.names[n[:i]]
		return c, ok
	}
	return "", false
}

// Normalise folds full-width ASCII to half-width and drops spaces.
func Normalise(s string) string {
	return strings.Join(strings.Fields(strings.Map(foldRune, s)), "")
}

// isGroup reports a collective phrase that expands to configured members.
func (d *Directory) isGroup(name string) bool {
	n := Normalise(name)
	if d != nil && d.groups[n] {
		return true
	}
	return strings.HasPrefix(n, "各") || strings.HasSuffix(n, "成员单位") || strings.Contains(n, "有关单位") || strings.Contains(n, "有关部门")
}
