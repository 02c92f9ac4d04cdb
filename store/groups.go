package store

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"github.com/dubanhq/duban/domain"
)

// CreateGroup inserts a department group (单位组) with its members.
func (s *Store) CreateGroup(ctx context.Context, name string, memberIDs []uint64) (*DepartmentGroup, error) {
	g := &DepartmentGroup{Name: name}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(g).Error; err != nil {
			if isDuplicate(err) {
				return groupExists(err)
			}
			return err
		}
		return addMembers(tx, g.ID, memberIDs)
	})
	return g, err
}

func groupExists(err error) error {
	return domain.E(domain.KindConflict, "name", "单位组已存在 / group exists", err)
}

func addMembers(tx *gorm.DB, groupID uint64, memberIDs []uint64) error {
	for _, id := range memberIDs {
		if err := tx.Create(&GroupMember{GroupID: groupID, DepartmentID: id}).Error; err != nil {
			return fmt.Errorf("store: group %d member %d: %w", groupID, id, err)
		}
	}
	return nil
}

// GroupChange is an edit of a group; nil fields stay as they are. Members replaces the list.
type GroupChange struct {
	Name    *string
	Members *[]uint64
}

// UpdateGroup renames a group or replaces its members, and returns it as it is now. A name
// another group has is a conflict; a missing group is domain.ErrNotFound.
func (s *Store) UpdateGroup(ctx context.Context, id uint64, ch GroupChange) (*GroupView, error) {
	var out *GroupView
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var g DepartmentGroup
		if err := tx.First(&g, id).Error; notFound(err) {
			return domain.ErrNotFound
		} else if err != nil {
			return err
		}
		if ch.Name != nil && *ch.Name != g.Name {
			if err := tx.Model(&g).Update("name", *ch.Name).Error; isDuplicate(err) {
				return groupExists(err)
			} else if err != nil {
				return err
			}
			g.Name = *ch.Name
		}
		if ch.Members != nil {
			if err := tx.Where("group_id = ?", id).Delete(&GroupMember{}).Error; err != nil {
				return fmt.Errorf("store: group %d members: %w", id, err)
			}
			if err := addMembers(tx, id, *ch.Members); err != nil {
				return err
			}
		}
		members, err := groupMemberIDs(tx, id)
		out = &GroupView{ID: id, Name: g.Name, Members: members}
		return err
	})
	return out, err
}

func groupMemberIDs(tx *gorm.DB, id uint64) ([]uint64, error) {
	ids := []uint64{}
	err := tx.Model(&GroupMember{}).Where("group_id = ?", id).Order("department_id").Pluck("department_id", &ids).Error
	return ids, err
}

// DeleteGroup removes a group and its memberships (the departments stay) and returns what
// it was; a missing group is domain.ErrNotFound.
func (s *Store) DeleteGroup(ctx context.Context, id uint64) (*DepartmentGroup, error) {
	var g DepartmentGroup
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.First(&g, id).Error; notFound(err) {
			return domain.ErrNotFound
		} else if err != nil {
			return err
		}
		if err := tx.Where("group_id = ?", id).Delete(&GroupMember{}).Error; err != nil {
			return fmt.Errorf("store: group %d members: %w", id, err)
		}
		return tx.Delete(&g).Error
	})
	if err != nil {
		return nil, err
	}
	return &g, nil
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
