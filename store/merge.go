package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/dubanhq/duban/domain"
)

// DepartmentMerge records a department merged into another (单位合并). The merged
// department's row is gone; this row keeps its id and name, where it went and what moved,
// so that a retried merge answers the same without acting again, and so that the item
// workflows' later writes of the merged department's (removed) shares are dropped.
type DepartmentMerge struct {
	FromID     uint64 `gorm:"primaryKey;autoIncrement:false"`
	FromName   string `gorm:"size:191"`
	IntoID     uint64 `gorm:"index"`
	Items      int    // items it had a share in
	Reassigned int    // of those, items whose running workflow had its parties changed
	Users      int    // users moved to the target
	ActorID    uint64
	Actor      string `gorm:"size:128"`
	At         time.Time
}

// DepartmentMergeOf returns the record of department id's merge, or domain.ErrNotFound when
// it was never merged.
func (s *Store) DepartmentMergeOf(ctx context.Context, id uint64) (*DepartmentMerge, error) {
	var m DepartmentMerge
	err := s.db.WithContext(ctx).First(&m, id).Error
	if notFound(err) {
		return nil, domain.ErrNotFound
	}
	return &m, err
}

// DepartmentItems returns the items a department has a share in (removed shares aside),
// with their assignments, in id order.
func (s *Store) DepartmentItems(ctx context.Context, deptID uint64) ([]domain.Item, error) {
	sub := s.rdb.Model(&Assignment{}).Select("item_id").Where("department_id = ? AND status <> ?", deptID, string(domain.AssignmentRemoved))
	var rows []Item
	if err := s.rdb.WithContext(ctx).Omit("content", "indicators_json", "policy_json").Where("id IN (?)", sub).Order("id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: items of department %d: %w", deptID, err)
	}
	return s.withAssignments(ctx, rows)
}

// MergeDepartment merges department m.FromID into m.IntoID in one transaction: every row
// that names it moves to the target (an item's share, where the item has both, becomes one
// with the stronger role; group memberships; users; contact points; submissions, events,
// escalations, accountability records, attachments and deliveries, so rankings and
// assessments count one unit); its name and aliases become the target's aliases; its row is
// deleted; the merge is recorded, with audit (its actor, time, request and source) as the
// audit log's department_merged event. m.Reassigned, m.ActorID, m.Actor and m.At are kept as
// given. A department merged before is not merged again: the first merge's record comes back
// with again true.
func (s *Store) MergeDepartment(ctx context.Context, m DepartmentMerge, audit Event) (done *DepartmentMerge, again bool, err error) {
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		all, err := lockDepartments(tx) // first: a merge racing this one waits here, then sees its record
		if err != nil {
			return err
		}
		var prior DepartmentMerge
		if err := tx.First(&prior, m.FromID).Error; err == nil {
			done, again = &prior, true
			return nil
		} else if !notFound(err) {
			return err
		}
		var from, into *Department
		var rest []Department
		for i := range all {
			switch all[i].ID {
			case m.FromID:
				from = &all[i]
				continue
			case m.IntoID:
				into = &all[i]
			}
			rest = append(rest, all[i])
		}
		if from == nil {
			return domain.ErrNotFound
		}
		if into == nil { // also when into is from: the loop kept it as from
			return domain.Invalidf("into", "请选择要并入的另一个单位 / into must be another existing department")
		}
		m.FromName = from.Name
		if m.Items, err = mergeAssignments(tx, from.ID, into.ID); err != nil {
			return err
		}
		if m.Users, err = moveDepartmentRows(tx, from.ID, into.ID); err != nil {
			return err
		}
		if err := mergeGroupMembers(tx, from.ID, into.ID); err != nil {
			return err
		}
		aliases, err := checkNames(rest, into.ID, into.Name, append(append(into.AliasList(), from.Name), from.AliasList()...))
		if err != nil {
			return err
		}
		if err := tx.Model(&Department{ID: into.ID}).Update("aliases", encodeAliases(aliases)).Error; err != nil {
			return fmt.Errorf("store: merge: aliases of %d: %w", into.ID, err)
		}
		if err := tx.Delete(&Department{ID: from.ID}).Error; err != nil {
			return fmt.Errorf("store: merge: delete department %d: %w", from.ID, err)
		}
		if err := tx.Create(&m).Error; err != nil {
			return fmt.Errorf("store: merge: record: %w", err)
		}
		payload, err := domain.EncodeEvent(domain.DepartmentMerged{DepartmentID: from.ID, Name: from.Name, IntoID: into.ID,
			IntoName: into.Name, Items: m.Items, Reassigned: m.Reassigned, Users: m.Users})
		if err != nil {
			return err
		}
		audit.Type, audit.DepartmentID, audit.Payload = string(domain.EventDepartmentMerged), into.ID, string(payload)
		audit.DedupeKey = fmt.Sprintf("department_merged:%d", from.ID)
		if err := tx.Create(&audit).Error; err != nil {
			return fmt.Errorf("store: merge: audit: %w", err)
		}
		done = &m
		return nil
	})
	return done, again, err
}

// mergeAssignments moves department from's shares of items to into and returns how many
// items it had a share in. Where an item has both, one share stays: the one still in force
// (not removed), or, both in force, the target's with the stronger role.
func mergeAssignments(tx *gorm.DB, from, into uint64) (int, error) {
	var fromRows []Assignment
	if err := tx.Where("department_id = ?", from).Order("item_id").Find(&fromRows).Error; err != nil {
		return 0, fmt.Errorf("store: merge: assignments: %w", err)
	}
	if len(fromRows) == 0 {
		return 0, nil
	}
	itemIDs := make([]uint64, len(fromRows))
	for i, a := range fromRows {
		itemIDs[i] = a.ItemID
	}
	var intoRows []Assignment
	if err := tx.Where("department_id = ? AND item_id IN ?", into, itemIDs).Find(&intoRows).Error; err != nil {
		return 0, fmt.Errorf("store: merge: assignments: %w", err)
	}
	target := make(map[uint64]Assignment, len(intoRows))
	for _, a := range intoRows {
		target[a.ItemID] = a
	}
	live := func(a Assignment) bool { return a.Status != string(domain.AssignmentRemoved) }
	for _, f := range fromRows {
		t, both := target[f.ItemID]
		var err error
		switch {
		case !both:
			err = tx.Model(&Assignment{ID: f.ID}).Update("department_id", into).Error
		case live(f) && !live(t):
			if err = tx.Delete(&Assignment{ID: t.ID}).Error; err == nil {
				err = tx.Model(&Assignment{ID: f.ID}).Update("department_id", into).Error
			}
		default:
			role := t.Role
			if live(f) == live(t) {
				role = string(domain.Stronger(domain.AssignmentRole(f.Role), domain.AssignmentRole(t.Role)))
			}
			if err = tx.Delete(&Assignment{ID: f.ID}).Error; err == nil && role != t.Role {
				err = tx.Model(&Assignment{ID: t.ID}).Update("role", role).Error
			}
		}
		if err != nil {
			return 0, fmt.Errorf("store: merge: assignment of item %d: %w", f.ItemID, err)
		}
	}
	err := tx.Model(&Item{}).Where("lead_dept_id = ?", from).Update("lead_dept_id", into).Error
	if err == nil { // the items changed: their ETags must too
		err = tx.Model(&Item{}).Where("id IN ?", itemIDs).Update("version", gorm.Expr("version + 1")).Error
	}
	if err != nil {
		return 0, fmt.Errorf("store: merge: items: %w", err)
	}
	return len(fromRows), nil // one share per item and department (idx_assign_item_dept)
}

// moveDepartmentRows points every other row of department from at into and returns how many
// users moved.
func moveDepartmentRows(tx *gorm.DB, from, into uint64) (users int, err error) {
	for _, model := range []any{&User{}, &ContactPoint{}, &Submission{}, &Event{}, &Escalation{}, &Accountability{}, &Attachment{}, &Delivery{}} {
		res := tx.Model(model).Where("department_id = ?", from).Update("department_id", into)
		if res.Error != nil {
			return 0, fmt.Errorf("store: merge: %T: %w", model, res.Error)
		}
		if _, ok := model.(*User); ok {
			users = int(res.RowsAffected)
		}
	}
	return users, nil
}

// mergeGroupMembers makes into a member of every group from was in.
func mergeGroupMembers(tx *gorm.DB, from, into uint64) error {
	var both []uint64 // groups that already have into
	if err := tx.Model(&GroupMember{}).Where("department_id = ?", into).Pluck("group_id", &both).Error; err != nil {
		return fmt.Errorf("store: merge: groups: %w", err)
	}
	if len(both) > 0 {
		if err := tx.Where("department_id = ? AND group_id IN ?", from, both).Delete(&GroupMember{}).Error; err != nil {
			return fmt.Errorf("store: merge: groups: %w", err)
		}
	}
	if err := tx.Model(&GroupMember{}).Where("department_id = ?", from).Update("department_id", into).Error; err != nil {
		return fmt.Errorf("store: merge: groups: %w", err)
	}
	return nil
}

// mergedAway returns which of ids are departments merged into another.
func mergedAway(tx *gorm.DB, ids []uint64) (map[uint64]bool, error) {
	var gone []uint64
	if len(ids) > 0 {
		if err := tx.Model(&DepartmentMerge{}).Where("from_id IN ?", ids).Pluck("from_id", &gone).Error; err != nil {
			return nil, fmt.Errorf("store: merged departments: %w", err)
		}
	}
	out := make(map[uint64]bool, len(gone))
	for _, id := range gone {
		out[id] = true
	}
	return out, nil
}
