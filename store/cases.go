package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/dubanhq/duban/calendar"

	"github.com/dubanhq/duban/domain"
)

// SupervisionCase is what a single supervision item (督办件) has beyond its item: its number
// from the office's yearly sequence (督办〔2026〕15号, unique per office and year), where it
// came from (the leader's instruction as written, the scanned original), its urgency, the
// meeting that decided it, and the reply sent to its source when it closed.
type SupervisionCase struct {
	ItemID     uint64 `gorm:"primaryKey;autoIncrement:false"`
	Office     string `gorm:"size:64;uniqueIndex:idx_case_number,priority:1"`
	Year       int    `gorm:"uniqueIndex:idx_case_number,priority:2"`
	Seq        int    `gorm:"uniqueIndex:idx_case_number,priority:3"`
	Number     string `gorm:"size:64;index"`
	SourceType string `gorm:"size:16;index"`
	SourceText string `gorm:"type:text"`
	Urgency    string `gorm:"size:16"`
	MeetingID  uint64 `gorm:"index"`
	Reply      string `gorm:"type:text"` // 回复: what was answered to the source on closing
	RepliedAt  *time.Time
	CreatedBy  uint64
	CreatedAt  time.Time
}

// Meeting is a meeting (会议) whose minutes (会议纪要) launched 督办件, one per decision.
type Meeting struct {
	ID        uint64 `gorm:"primaryKey"`
	Title     string `gorm:"size:512"`
	Date      string `gorm:"size:10"`
	Minutes   string `gorm:"type:longtext"`
	CreatedBy uint64
	CreatedAt time.Time
}

// CaseAttachment links a 督办件 to a file of its source (the scanned instruction): whoever
// may read the item may read the file.
type CaseAttachment struct {
	ItemID       uint64 `gorm:"primaryKey;autoIncrement:false"`
	AttachmentID uint64 `gorm:"primaryKey;autoIncrement:false;index"`
}

// NewCase is one 督办件 to store: its item (title, requirement as content, window, policy
// override and assignments) and its case row (source, urgency, attachments, creator).
type NewCase struct {
	Item        domain.Item
	Case        SupervisionCase
	Attachments []uint64
}

// CaseBatch is one creation: one 督办件 from the form, or every decision of a meeting.
type CaseBatch struct {
	Office string
	Year   int
	// Number writes the number of the seq-th 督办件 of the year.
	Number func(seq int) string
	// Plan is the container plan of a source type's 督办件 of the year, found by its source
	// hash or created.
	Plan    func(domain.SourceType) Plan
	Meeting *Meeting
	Cases   []NewCase
}

// CreateCases stores a batch of 督办件 in one transaction, numbering them consecutively in
// the office's sequence for the year. Two creations at once cannot take the same number:
// the unique index refuses the second, which runs again with the next one.
func (s *Store) CreateCases(ctx context.Context, b CaseBatch) ([]SupervisionCase, error) {
	var out []SupervisionCase
	var err error
	for try := 1; try <= 20; try++ {
		out, err = s.createCases(ctx, b)
		if err == nil || !(isDuplicate(err) || isDeadlock(err)) {
			break
		}
		time.Sleep(time.Duration(try) * 5 * time.Millisecond)
	}
	return out, err
}

func (s *Store) createCases(ctx context.Context, b CaseBatch) ([]SupervisionCase, error) {
	var out []SupervisionCase
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		out = out[:0]
		if b.Meeting != nil {
			m := *b.Meeting
			if err := tx.Create(&m).Error; err != nil {
				return err
			}
			b.Meeting.ID = m.ID
		}
		var last int
		if err := tx.Model(&SupervisionCase{}).Select("COALESCE(MAX(seq),0)").
			Where("office = ? AND year = ?", b.Office, b.Year).Scan(&last).Error; err != nil {
			return err
		}
		plans := map[domain.SourceType]uint64{}
		for i, nc := range b.Cases {
			kind := domain.SourceType(nc.Case.SourceType)
			pid, ok := plans[kind]
			if !ok {
				p, err := ensurePlan(tx, b.Plan(kind))
				if err != nil {
					return err
				}
				pid, plans[kind] = p, p
			}
			c := nc.Case
			c.Office, c.Year, c.Seq = b.Office, b.Year, last+i+1
			c.Number = b.Number(c.Seq)
			if b.Meeting != nil {
				c.MeetingID = b.Meeting.ID
			}
			var seq int
			if err := tx.Model(&Item{}).Select("COALESCE(MAX(seq),0)").Where("plan_id = ?", pid).Scan(&seq).Error; err != nil {
				return err
			}
			it := itemRow(nc.Item)
			it.Ref, it.PlanID, it.Seq = c.Number, pid, seq+1
			it.Status, it.Light = string(domain.StatusPending), string(domain.Green)
			it.WorkflowID = fmt.Sprintf("pending-case-%d-%d-%s", b.Year, c.Seq, b.Office)
			if err := tx.Create(&it).Error; err != nil {
				return err
			}
			var as []Assignment
			for _, a := range nc.Item.Assignments {
				a.Status = domain.AssignmentAssigned
				as = append(as, assignmentRow(it.ID, a))
				if a.Role == domain.Lead && it.LeadDeptID == 0 {
					it.LeadDeptID = a.DepartmentID
				}
			}
			if err := tx.Model(&it).Updates(map[string]any{"workflow_id": ItemWorkflowID(it.ID), "lead_dept_id": it.LeadDeptID}).Error; err != nil {
				return err
			}
			if len(as) > 0 {
				if err := tx.Create(&as).Error; err != nil {
					return err
				}
			}
			c.ItemID = it.ID
			if err := tx.Create(&c).Error; err != nil {
				return err
			}
			for _, aid := range nc.Attachments {
				if err := tx.Create(&CaseAttachment{ItemID: it.ID, AttachmentID: aid}).Error; err != nil && !isDuplicate(err) {
					return err
				}
			}
			out = append(out, c)
		}
		return nil
	})
	return out, err
}

// ensurePlan finds the plan with p's source hash or creates it.
func ensurePlan(tx *gorm.DB, p Plan) (uint64, error) {
	var existing Plan
	err := tx.Select("id").Where("source_hash = ?", p.SourceHash).First(&existing).Error
	if err == nil {
		return existing.ID, nil
	}
	if !notFound(err) {
		return 0, err
	}
	if err := tx.Create(&p).Error; err != nil {
		return 0, err
	}
	return p.ID, nil
}

// GetCase returns an item's 督办件 record, or domain.ErrNotFound for a plan item.
func (s *Store) GetCase(ctx context.Context, itemID uint64) (*SupervisionCase, error) {
	var c SupervisionCase
	err := s.rdb.WithContext(ctx).First(&c, "item_id = ?", itemID).Error
	if notFound(err) {
		return nil, domain.ErrNotFound
	}
	return &c, err
}

// PendingCases returns the 督办件 stored but not started yet (their workflow's start failed
// or the process stopped in between), oldest first, at most limit.
func (s *Store) PendingCases(ctx context.Context, limit int) ([]uint64, error) {
	var ids []uint64
	err := s.rdb.WithContext(ctx).Model(&Item{}).Where("status = ? AND id IN (?)", string(domain.StatusPending),
		s.rdb.Model(&SupervisionCase{}).Select("item_id")).Order("id").Limit(limit).Pluck("id", &ids).Error
	return ids, err
}

// CasePlans returns the yearly plans holding 督办件 whose period meets [start, end): what
// an assessment folds in when the formula gives 督办件 a weight.
func (s *Store) CasePlans(ctx context.Context, start, end time.Time) ([]uint64, error) {
	var ids []uint64
	from, to := start.In(calendar.Shanghai).Format(time.DateOnly), end.In(calendar.Shanghai).Format(time.DateOnly)
	err := s.rdb.WithContext(ctx).Model(&Plan{}).Where("id IN (?) AND period_start < ? AND period_end >= ?",
		s.rdb.Model(&Item{}).Select("plan_id").Where("id IN (?)", s.rdb.Model(&SupervisionCase{}).Select("item_id")), to, from).
		Order("id").Pluck("id", &ids).Error
	return ids, err
}

// CaseAttachments returns the files of a 督办件's source, without their data.
func (s *Store) CaseAttachments(ctx context.Context, itemID uint64) ([]Attachment, error) {
	var as []Attachment
	err := s.rdb.WithContext(ctx).Omit("data").Where("id IN (?)",
		s.rdb.Model(&CaseAttachment{}).Select("attachment_id").Where("item_id = ?", itemID)).Order("id").Find(&as).Error
	return as, err
}

// AttachmentCaseItems returns the 督办件 whose source includes an attachment.
func (s *Store) AttachmentCaseItems(ctx context.Context, attachmentID uint64) ([]uint64, error) {
	var ids []uint64
	err := s.rdb.WithContext(ctx).Model(&CaseAttachment{}).Where("attachment_id = ?", attachmentID).Pluck("item_id", &ids).Error
	return ids, err
}

// GetMeeting returns a meeting or domain.ErrNotFound.
func (s *Store) GetMeeting(ctx context.Context, id uint64) (*Meeting, error) {
	var m Meeting
	err := s.rdb.WithContext(ctx).First(&m, id).Error
	if notFound(err) {
		return nil, domain.ErrNotFound
	}
	return &m, err
}

// MeetingCases returns the 督办件 a meeting launched, in number order.
func (s *Store) MeetingCases(ctx context.Context, meetingID uint64) ([]SupervisionCase, error) {
	var cs []SupervisionCase
	err := s.rdb.WithContext(ctx).Where("meeting_id = ?", meetingID).Order("seq").Find(&cs).Error
	return cs, err
}

// SetCaseReply records the reply sent to a 督办件's source (e.g. the leader's office).
func (s *Store) SetCaseReply(ctx context.Context, itemID uint64, reply string, at time.Time, ev *Event) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		r := tx.Model(&SupervisionCase{}).Where("item_id = ?", itemID).Updates(map[string]any{"reply": reply, "replied_at": at.UTC()})
		if r.Error != nil {
			return r.Error
		}
		if r.RowsAffected == 0 {
			return domain.ErrNotFound
		}
		if ev != nil {
			return tx.Create(ev).Error
		}
		return nil
	})
}

// ApprovedCompletion returns the text and attachments of an item's approved completion
// request (办结报告), or domain.ErrNotFound while there is none.
func (s *Store) ApprovedCompletion(ctx context.Context, itemID uint64) (*Submission, error) {
	var sub Submission
	err := s.rdb.WithContext(ctx).Where("item_id = ? AND kind = ? AND state = ?", itemID, string(domain.KindCompletion), string(domain.SubmissionApproved)).
		Order("id DESC").First(&sub).Error
	if notFound(err) {
		return nil, domain.ErrNotFound
	}
	return &sub, err
}
