package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/dubanhq/duban/domain"
)

// CreatePlan stores a plan with its items and their assignments (each department's share,
// by id) in one transaction. A plan with the same source hash already stored is returned
// as is (created=false): launching the same document twice duplicates nothing.
func (s *Store) CreatePlan(ctx context.Context, p *Plan, items []domain.Item) (plan *Plan, created bool, err error) {
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
			it := itemRow(items[i])
			it.PlanID, it.Seq = p.ID, i+1
			it.Status, it.Light = string(domain.StatusPending), string(domain.Green)
			it.WorkflowID = fmt.Sprintf("pending-%d-%d", p.ID, i+1)
			if err := tx.Create(&it).Error; err != nil {
				return fmt.Errorf("item %d: %w", i+1, err)
			}
			var as []Assignment
			for _, a := range items[i].Assignments {
				a.Status = domain.AssignmentAssigned
				as = append(as, assignmentRow(it.ID, a))
				if a.Role == domain.Lead && it.LeadDeptID == 0 {
					it.LeadDeptID = a.DepartmentID
				}
			}
			it.WorkflowID = ItemWorkflowID(it.ID)
			if err := tx.Model(&it).Updates(map[string]any{"workflow_id": it.WorkflowID, "lead_dept_id": it.LeadDeptID}).Error; err != nil {
				return err
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

// PlanItems returns a plan's items with their assignments, in list order.
func (s *Store) PlanItems(ctx context.Context, planID uint64) ([]domain.Item, error) {
	var rows []Item
	if err := s.rdb.WithContext(ctx).Where("plan_id = ?", planID).Order("seq").Find(&rows).Error; err != nil {
		return nil, err
	}
	return s.withAssignments(ctx, rows)
}

// withAssignments converts item rows with their assignment rows, in the rows' order.
func (s *Store) withAssignments(ctx context.Context, rows []Item) ([]domain.Item, error) {
	ids := make([]uint64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	as, err := s.assignments(ctx, ids...)
	if err != nil {
		return nil, err
	}
	out := make([]domain.Item, len(rows))
	for i, r := range rows {
		out[i] = itemToDomain(r, as[r.ID])
	}
	return out, nil
}

// assignments returns the assignment rows of items, keyed by item id, leads first.
func (s *Store) assignments(ctx context.Context, itemIDs ...uint64) (map[uint64][]Assignment, error) {
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

// GetItem returns an item with its assignments, or domain.ErrNotFound.
func (s *Store) GetItem(ctx context.Context, id uint64) (*domain.Item, error) {
	var r Item
	err := s.rdb.WithContext(ctx).First(&r, id).Error
	if notFound(err) {
		return nil, domain.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	its, err := s.withAssignments(ctx, []Item{r})
	if err != nil {
		return nil, err
	}
	return &its[0], nil
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
	Status       []domain.ItemStatus
	DepartmentID uint64                // any assignment of this department
	Role         domain.AssignmentRole // with DepartmentID: lead or partner
	Light        domain.Light
	Overdue      bool
	DueBefore    *time.Time
	DueAfter     *time.Time
	MinLevel     domain.Level
	Query        string
	AfterID      uint64 // cursor: items with id > AfterID
	Limit        int
}

// ListItems returns items matching f with their assignments, ordered by id, at most
// f.Limit (default 50, max 500). Content, indicators and the policy override are left out:
// a list shows none of them.
func (s *Store) ListItems(ctx context.Context, f ItemFilter) ([]domain.Item, error) {
	q := s.rdb.WithContext(ctx).Model(&Item{}).Omit("content", "indicators_json", "policy_json")
	if f.PlanID != 0 {
		q = q.Where("plan_id = ?", f.PlanID)
	}
	if len(f.Status) > 0 {
		q = q.Where("status IN ?", f.Status)
	}
	if f.DepartmentID != 0 {
		sub := s.rdb.Model(&Assignment{}).Select("item_id").Where("department_id = ? AND status <> ?", f.DepartmentID, string(domain.AssignmentRemoved))
		if f.Role != "" {
			sub = sub.Where("role = ?", string(f.Role))
		}
		q = q.Where("id IN (?)", sub)
	}
	if f.Light != "" {
		q = q.Where("light = ?", string(f.Light))
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
		q = q.Where("escalation_level >= ?", int(f.MinLevel))
	}
	if t := strings.TrimSpace(f.Query); t != "" {
		// The text a supervisor remembers: the task's title, ref or content, what a
		// department reported, or a responsible department's name.
		like := "%" + strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(t) + "%"
		reported := s.rdb.Model(&Submission{}).Select("item_id").Where("text LIKE ?", like)
		named := s.rdb.Model(&Assignment{}).Select("item_id").Where("status <> ? AND department_id IN (?)", string(domain.AssignmentRemoved),
			s.rdb.Model(&Department{}).Select("id").Where("name LIKE ? OR aliases LIKE ?", like, like))
		q = q.Where("(title LIKE ? OR ref LIKE ? OR content LIKE ? OR id IN (?) OR id IN (?))", like, like, like, reported, named)
	}
	if f.AfterID != 0 {
		q = q.Where("id > ?", f.AfterID)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	var rows []Item
	if err := q.Order("id").Limit(min(limit, 500)).Find(&rows).Error; err != nil {
		return nil, err
	}
	return s.withAssignments(ctx, rows)
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

// MarkStarted records that an item's workflow exists: pending → assigned, started now. The
// workflow's own writes take over from there. On MySQL this update and a worker's
// transition of another, already started item can deadlock over the status indexes (seen
// launching 300 items while the first ones' workflows wrote); the victim is run again.
func (s *Store) MarkStarted(ctx context.Context, itemID uint64, at time.Time) error {
	for try := 1; ; try++ {
		err := s.db.WithContext(ctx).Model(&Item{}).Where("id = ? AND status = ?", itemID, string(domain.StatusPending)).
			Updates(map[string]any{"status": string(domain.StatusAssigned), "started_at": at.UTC()}).Error
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

// SetPendingLead makes dept the lead of an item still pending for want of one
// (待指定牵头单位): a partner of the item becomes its lead, another department joins as
// lead. An item already started is a conflict: its workflow changes parties (reassign).
func (s *Store) SetPendingLead(ctx context.Context, itemID, dept uint64) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var it Item
		if err := tx.First(&it, itemID).Error; err != nil {
			if notFound(err) {
				return domain.ErrNotFound
			}
			return err
		}
		if it.Status != string(domain.StatusPending) {
			return domain.Conflictf("事项已启动，请用“调整责任单位” / the item has started: reassign it instead")
		}
		a := Assignment{ItemID: itemID, DepartmentID: dept, Role: string(domain.Lead), Status: string(domain.AssignmentAssigned)}
		err := tx.Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "item_id"}, {Name: "department_id"}},
			DoUpdates: clause.AssignmentColumns([]string{"role", "updated_at"}),
		}).Create(&a).Error
		if err != nil {
			return fmt.Errorf("store: lead of item %d: %w", itemID, err)
		}
		return tx.Model(&Item{}).Where("id = ?", itemID).Update("lead_dept_id", dept).Error
	})
}
