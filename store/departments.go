package store

import (
	"context"
	"encoding/json"
	"fmt"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/dubanhq/duban/domain"
)

// A department's name and aliases (别名) are one namespace across all departments, matched by
// domain.NameKey: an import resolves a name to exactly one department. Writes check it in a
// transaction that locks the department rows, so two admins cannot give two departments the
// same alias at once. Aliases are stored folded.

// CreateDepartment inserts a department with its aliases. A name or alias already used by
// another department is a conflict naming that department.
func (s *Store) CreateDepartment(ctx context.Context, name string, aliases []string, kind string) (*Department, error) {
	d := &Department{Name: name, Kind: kind}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		others, err := lockDepartments(tx)
		if err != nil {
			return err
		}
		folded, err := checkNames(others, 0, name, aliases)
		if err != nil {
			return err
		}
		d.Aliases = encodeAliases(folded)
		return createDepartment(tx, d)
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

func createDepartment(tx *gorm.DB, d *Department) error {
	err := tx.Create(d).Error
	if isDuplicate(err) {
		return domain.E(domain.KindConflict, "name", "单位已存在 / department exists", err)
	}
	return err
}

// DepartmentChange is an edit of a department; nil fields stay as they are. Aliases replaces
// the whole list.
type DepartmentChange struct {
	Name    *string
	Aliases *[]string // replaces the list
	Kind    *string
	// AddAlias adds one alias to the list as it is when the change is made (under the lock).
	AddAlias string
}

// UpdateDepartment renames a department or replaces its aliases or kind, and returns it as it
// was and as it is now. A name or alias used by another department is a conflict naming it.
func (s *Store) UpdateDepartment(ctx context.Context, id uint64, ch DepartmentChange) (before, after *Department, err error) {
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		all, err := lockDepartments(tx)
		if err != nil {
			return err
		}
		for i := range all {
			if all[i].ID == id {
				before = &all[i]
			}
		}
		if before == nil {
			return domain.ErrNotFound
		}
		d := *before
		if ch.Name != nil {
			d.Name = *ch.Name
		}
		if ch.Kind != nil {
			d.Kind = *ch.Kind
		}
		aliases := d.AliasList()
		if ch.Aliases != nil {
			aliases = *ch.Aliases
		}
		if ch.AddAlias != "" {
			aliases = append(aliases, ch.AddAlias)
		}
		folded, err := checkNames(all, id, d.Name, aliases)
		if err != nil {
			return err
		}
		d.Aliases = encodeAliases(folded)
		err = tx.Model(&Department{ID: id}).Updates(map[string]any{"name": d.Name, "aliases": d.Aliases, "kind": d.Kind}).Error
		if isDuplicate(err) {
			return domain.E(domain.KindConflict, "name", "单位已存在 / department exists", err)
		}
		after = &d
		return err
	})
	return before, after, err
}

// lockDepartments reads every department, locking the rows until the transaction ends.
func lockDepartments(tx *gorm.DB) ([]Department, error) {
	var ds []Department
	if err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Order("id").Find(&ds).Error; err != nil {
		return nil, fmt.Errorf("store: departments: %w", err)
	}
	return ds, nil
}

// checkNames checks a department's name and aliases (domain.CheckDepartmentName) and against
// every other department's (all but self), matched by domain.NameKey, and returns the aliases
// folded (domain.FoldName), without repeats or the department's own name.
func checkNames(all []Department, self uint64, name string, aliases []string) ([]string, error) {
	if err := domain.CheckDepartmentName("name", name); err != nil {
		return nil, err
	}
	taken := map[string]string{}
	for _, o := range all {
		if o.ID == self {
			continue
		}
		taken[domain.NameKey(o.Name)] = o.Name
		for _, a := range o.AliasList() {
			taken[domain.NameKey(a)] = o.Name
		}
	}
	own := domain.NameKey(name)
	if other, ok := taken[own]; ok {
		return nil, nameTaken("name", name, other)
	}
	seen := map[string]bool{own: true}
	folded := []string{}
	for i, a := range aliases {
		field := fmt.Sprintf("aliases[%d]", i)
		if err := domain.CheckDepartmentName(field, a); err != nil {
			return nil, err
		}
		k := domain.NameKey(a)
		if seen[k] {
			continue
		}
		if other, ok := taken[k]; ok {
			return nil, nameTaken(field, a, other)
		}
		seen[k] = true
		folded = append(folded, domain.FoldName(a))
	}
	return folded, nil
}

func nameTaken(field, name, other string) error {
	return domain.E(domain.KindConflict, field, fmt.Sprintf("「%s」已是单位「%s」的名称或别名 / %q is already the name or an alias of %s", name, other, name, other), nil)
}

func encodeAliases(aliases []string) string {
	if aliases == nil {
		aliases = []string{}
	}
	b, _ := json.Marshal(aliases)
	return string(b)
}

// ListDepartments returns all departments ordered by id.
func (s *Store) ListDepartments(ctx context.Context) ([]Department, error) {
	var ds []Department
	err := s.rdb.WithContext(ctx).Order("id").Find(&ds).Error
	return ds, err
}

// DepartmentByID returns a department or domain.ErrNotFound.
func (s *Store) DepartmentByID(ctx context.Context, id uint64) (*Department, error) {
	var d Department
	err := s.rdb.WithContext(ctx).First(&d, id).Error
	if notFound(err) {
		return nil, domain.ErrNotFound
	}
	return &d, err
}

// AliasList decodes the stored aliases.
func (d Department) AliasList() []string {
	var out []string
	_ = json.Unmarshal([]byte(d.Aliases), &out)
	return out
}

// DepartmentUsage is what a department holds: the items it has a share in, its users and
// the groups it belongs to. An admin reads it before merging or renaming.
type DepartmentUsage struct {
	Items  int `json:"items"`
	Users  int `json:"users"`
	Groups int `json:"groups"`
}

// DepartmentsUsage returns every department's usage, keyed by id; a department that holds
// nothing is absent.
func (s *Store) DepartmentsUsage(ctx context.Context) (map[uint64]DepartmentUsage, error) {
	type count struct {
		DepartmentID uint64
		N            int
	}
	out := map[uint64]DepartmentUsage{}
	for _, q := range []struct {
		model any
		sel   string
		where string
		args  []any
		add   func(u *DepartmentUsage, n int)
	}{
		{&Assignment{}, "department_id, COUNT(DISTINCT item_id) AS n", "status <> ?", []any{string(domain.AssignmentRemoved)}, func(u *DepartmentUsage, n int) { u.Items = n }},
		{&User{}, "department_id, COUNT(*) AS n", "department_id IS NOT NULL", nil, func(u *DepartmentUsage, n int) { u.Users = n }},
		{&GroupMember{}, "department_id, COUNT(*) AS n", "", nil, func(u *DepartmentUsage, n int) { u.Groups = n }},
	} {
		var rows []count
		tx := s.rdb.WithContext(ctx).Model(q.model).Select(q.sel)
		if q.where != "" {
			tx = tx.Where(q.where, q.args...)
		}
		if err := tx.Group("department_id").Scan(&rows).Error; err != nil {
			return nil, fmt.Errorf("store: department usage: %w", err)
		}
		for _, r := range rows {
			u := out[r.DepartmentID]
			q.add(&u, r.N)
			out[r.DepartmentID] = u
		}
	}
	return out, nil
}
