package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/dubanhq/duban/domain"
)

// NewItem is an item to create with its assignments.
type NewItem struct {
	Item     Item
	Lead     []uint64
	Partners []uint64
}

// CreatePlan stores a plan with its items and assignments in one transaction. A plan with
// the same source hash already stored is returned as is (created=false): launching the same
// document twice duplicates nothing.
func (s *Store) CreatePlan(ctx context.Context, p *Plan, items []NewItem) (plan *Plan, created bool, err error) {
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var existing Plan
		if err := tx.Where("source_hash = ?", p.SourceHash).First(&existing).Error; err == nil {
			plan = &existing
			return nil
		} else if !notFound(err) {
			return err
		}
		if err := tx.Create(p).Error; err != nil {
			if isDuplicate(err) { // a concurrent launch won the race
				return tx.Where("source_hash = ?", p.SourceHash).First(&existing).Error
			}
			return err
		}
		plan, created = p, true
		for i := range items {
			it := &items[i].Item
			it.PlanID, it.Seq = p.ID, i+1
			it.Status, it.Light = string(domain.StatusPending), string(domain.Green)
			it.WorkflowID = fmt.Sprintf("pending-%d-%d", p.ID, i+1)
			if err := tx.Create(it).Error; err != nil {
				return fmt.Errorf("item %d: %w", i+1, err)
			}
			if len(items[i].Lead) > 0 {
				it.LeadDeptID = items[i].Lead[0]
			}
			it.WorkflowID = ItemWorkflowID(it.ID)
			if err := tx.Model(it).Updates(map[string]any{"workflow_id": it.WorkflowID, "lead_dept_id": it.LeadDeptID}).Error; err != nil {
				return err
			}
			var as []Assignment
			for _, d := range items[i].Lead {
				as = append(as, Assignment{ItemID: it.ID, DepartmentID: d, Role: string(domain.Lead), Status: "assigned"})
			}
			for _, d := range items[i].Partners {
				as = append(as, Assignment{ItemID: it.ID, DepartmentID: d, Role: string(domain.Partner), Status: "assigned"})
			}
			if len(as) > 0 {
				if err := tx.Create(&as).Error; err != nil {
					return fmt.Errorf("item %d assignments: %w", i+1, err)
				}
			}
		}
		return nil
	})
	return plan, created, err
}

// ItemWorkflowID is the workflow ID of an item; it must equal workflows.ItemWorkflowID.
func ItemWorkflowID(id uint64) string { return fmt.Sprintf("duban-item-%d", id) }

// PlanItems returns a plan's items in list order.
func (s *Store) PlanItems(ctx context.Context, planID uint64) ([]Item, error) {
	var items []Item
	err := s.rdb.WithContext(ctx).Where("plan_id = ?", planID).Order("seq").Find(&items).Error
	return items, err
}

// ItemAssignments returns the assignments of items, keyed by item id.
func (s *Store) ItemAssignments(ctx context.Context, itemIDs ...uint64) (map[uint64][]Assignment, error) {
	out := map[uint64][]Assignment{}
	if len(itemIDs) == 0 {
		return out, nil
	}
	var as []Assignment
	err := s.rdb.WithContext(ctx).Where("item_id IN ?", itemIDs).Order("item_id, role, id").Find(&as).Error
	for _, a := range as {
		out[a.ItemID] = append(out[a.ItemID], a)
	}
	return out, err
}

// GetItem returns an item or domain.ErrNotFound.
func (s *Store) GetItem(ctx context.Context, id uint64) (*Item, error) {
	var it Item
	err := s.rdb.WithContext(ctx).First(&it, id).Error
	if notFound(err) {
		return nil, domain.ErrNotFound
	}
	return &it, err
}

// GetPlan returns a plan or domain.ErrNotFound.
func (s *Store) GetPlan(ctx context.Context, id uint64) (*Plan, error) {
	var p Plan
	err := s.rdb.WithContext(ctx).First(&p, id).Error
	if notFound(err) {
		return nil, domain.ErrNotFound
	}
	return &p, err
}

// ListPlans returns plans, newest first, without their source text.
func (s *Store) ListPlans(ctx context.Context) ([]Plan, error) {
	var ps []Plan
	err := s.rdb.WithContext(ctx).Omit("source_text").Order("id DESC").Find(&ps).Error
	return ps, err
}

// ItemFilter selects items for lists and dashboards.
type ItemFilter struct {
	PlanID       uint64
	Status       []string
	DepartmentID uint64 // any assignment of this department
	Role         string // with DepartmentID: lead or partner
	Light        string
	Overdue      bool
	DueBefore    *time.Time
	DueAfter     *time.Time
	MinLevel     int
	Query        string
	AfterID      uint64 // cursor: items with id > AfterID
	Limit        int
}

// ListItems returns items matching f ordered by id, at most f.Limit (default 50, max 500).
func (s *Store) ListItems(ctx context.Context, f ItemFilter) ([]Item, error) {
	q := s.rdb.WithContext(ctx).Model(&Item{}).Omit("content", "indicators_json", "policy_json")
	if f.PlanID != 0 {
		q = q.Where("plan_id = ?", f.PlanID)
	}
	if len(f.Status) > 0 {
		q = q.Where("status IN ?", f.Status)
	}
	if f.DepartmentID != 0 {
		sub := s.rdb.Model(&Assignment{}).Select("item_id").Where("department_id = ? AND status <> ?", f.DepartmentID, "removed")
		if f.Role != "" {
			sub = sub.Where("role = ?", f.Role)
		}
		q = q.Where("id IN (?)", sub)
	}
	if f.Light != "" {
		q = q.Where("light = ?", f.Light)
	}
	if f.Overdue {
		q = q.Where("light = ?", string(domain.Red))
	}
	if f.DueBefore != nil {
		q = q.Where("next_due < ?", *f.DueBefore)
	}
	if f.DueAfter != nil {
		q = q.Where("next_due >= ?", *f.DueAfter)
	}
	if f.MinLevel > 0 {
		q = q.Where("escalation_level >= ?", f.MinLevel)
	}
	if t := strings.TrimSpace(f.Query); t != "" {
		like := "%" + strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(t) + "%"
		q = q.Where("(title LIKE ? OR ref LIKE ?)", like, like)
	}
	if f.AfterID != 0 {
		q = q.Where("id > ?", f.AfterID)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	var items []Item
	err := q.Order("id").Limit(min(limit, 500)).Find(&items).Error
	return items, err
}

// ItemEvents returns an item's audit events in order.
func (s *Store) ItemEvents(ctx context.Context, itemID uint64) ([]Event, error) {
	var es []Event
	err := s.rdb.WithContext(ctx).Where("item_id = ?", itemID).Order("at, id").Find(&es).Error
	return es, err
}

// DepartmentNames maps ids to names.
func (s *Store) DepartmentNames(ctx context.Context) (map[uint64]string, error) {
	ds, err := s.ListDepartments(ctx)
	out := make(map[uint64]string, len(ds))
	for _, d := range ds {
		out[d.ID] = d.Name
	}
	return out, err
}

// MarkStarted records that an item's workflow exists: pending → assigned. The workflow's
// own writes take over from there. On MySQL this update and a worker's transition of
// another, already started item can deadlock over the status indexes (seen launching 300
// items while the first ones' workflows wrote); the victim is run again.
func (s *Store) MarkStarted(ctx context.Context, itemID uint64) error {
	for try := 1; ; try++ {
		err := s.db.WithContext(ctx).Model(&Item{}).Where("id = ? AND status = ?", itemID, string(domain.StatusPending)).
			Update("status", string(domain.StatusAssigned)).Error
		if err == nil || try == 3 || !isDeadlock(err) {
			return err
		}
	}
}

// SetPlanPolicy stores a plan's policy (JSON) for items started from now on.
func (s *Store) SetPlanPolicy(ctx context.Context, planID uint64, policyJSON string) error {
	return s.db.WithContext(ctx).Model(&Plan{}).Where("id = ?", planID).Update("policy_json", policyJSON).Error
}

// LatestReports returns, per item, the text of its most recent lead report (进展).
func (s *Store) LatestReports(ctx context.Context, itemIDs ...uint64) (map[uint64]string, error) {
	out := map[uint64]string{}
	if len(itemIDs) == 0 {
		return out, nil
	}
	var subs []Submission
	err := s.rdb.WithContext(ctx).Select("id", "item_id", "text").
		Where("item_id IN ? AND kind IN ?", itemIDs, []string{"report", "completion"}).Order("id").Find(&subs).Error
	for _, sub := range subs {
		out[sub.ItemID] = sub.Text
	}
	return out, err
}
