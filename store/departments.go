package store

import (
	"context"
	"encoding/json"

	"github.com/dubanhq/duban/domain"
)

// CreateDepartment inserts a department with its aliases.
func (s *Store) CreateDepartment(ctx context.Context, name string, aliases []string, kind string) (*Department, error) {
	if aliases == nil {
		aliases = []string{}
	}
	b, _ := json.Marshal(aliases)
	d := &Department{Name: name, Aliases: string(b), Kind: kind}
	err := s.db.WithContext(ctx).Create(d).Error
	if isDuplicate(err) {
		return nil, domain.E(domain.KindConflict, "name", "单位已存在 / department exists", err)
	}
	return d, err
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

// CreateGroup inserts a department group (单位组) with its members.
func (s *Store) CreateGroup(ctx context.Context, name string, memberIDs []uint64) (*DepartmentGroup, error) {
	g := &DepartmentGroup{Name: name}
	err := s.db.WithContext(ctx).Transaction(func(tx *gormDB) error {
		if err := tx.Create(g).Error; err != nil {
			if isDuplicate(err) {
				return domain.E(domain.KindConflict, "name", "单位组已存在 / group exists", err)
			}
			return err
		}
		for _, id := range memberIDs {
			if err := tx.Create(&GroupMember{GroupID: g.ID, DepartmentID: id}).Error; err != nil {
				return err
			}
		}
		return nil
	})
	return g, err
}

// GroupMembers returns, for every group, its member department ids.
func (s *Store) GroupMembers(ctx context.Context) (map[string][]uint64, error) {
	var rows []struct {
		Name         string
		DepartmentID uint64
	}
	err := s.rdb.WithContext(ctx).Table("department_groups g").
		Select("g.name, m.department_id").
		Joins("JOIN group_members m ON m.group_id = g.id").
		Order("g.id, m.department_id").Scan(&rows).Error
	out := map[string][]uint64{}
	for _, r := range rows {
		out[r.Name] = append(out[r.Name], r.DepartmentID)
	}
	return out, err
}

// GroupView is a department group with its member ids.
type GroupView struct {
	ID      uint64   `json:"id"`
	Name    string   `json:"name"`
	Members []uint64 `json:"members"`
}

// ListGroups returns every group with its members.
func (s *Store) ListGroups(ctx context.Context) ([]GroupView, error) {
	var gs []DepartmentGroup
	if err := s.rdb.WithContext(ctx).Order("id").Find(&gs).Error; err != nil {
		return nil, err
	}
	members, err := s.GroupMembers(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]GroupView, len(gs))
	for i, g := range gs {
		out[i] = GroupView{ID: g.ID, Name: g.Name, Members: members[g.Name]}
		if out[i].Members == nil {
			out[i].Members = []uint64{}
		}
	}
	return out, nil
}
