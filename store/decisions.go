package store

import (
	"context"
	"time"

	"github.com/dubanhq/duban/domain"
	"gorm.io/gorm"
)

// WaitingExtension is an extension request (申请延期) no one has decided yet.
type WaitingExtension struct {
	ItemID       uint64
	DepartmentID uint64
	ExtensionID  int
	NewDue       time.Time
	Reason       string
	At           time.Time
}

// Waiting is what waits for one supervisor's decision on the open items of the plans they
// supervise: submissions to review (reports and completion requests) and extension requests.
type Waiting struct {
	Submissions []SubmissionRecord
	Extensions  []WaitingExtension
	Items       map[uint64]Item // the items both refer to
}

// supervisedItems selects the open items of the plans a supervisor may act on: listed as
// one of its supervisors, or the plan lists none (as Supervises decides).
func (s *Store) supervisedItems(db *gorm.DB, userID uint64) *gorm.DB {
	listed := db.Model(&PlanSupervisor{}).Select("plan_id")
	mine := db.Model(&PlanSupervisor{}).Select("plan_id").Where("user_id = ?", userID)
	plans := db.Model(&Plan{}).Select("id").Where("id NOT IN (?) OR id IN (?)", listed, mine)
	return db.Model(&Item{}).Select("id").Where("plan_id IN (?) AND status NOT IN ?", plans,
		[]string{string(domain.StatusCompleted), string(domain.StatusCancelled)})
}

// WaitingFor lists what waits for a supervisor's decision, oldest first.
func (s *Store) WaitingFor(ctx context.Context, userID uint64) (*Waiting, error) {
	db := s.rdb.WithContext(ctx)
	items := s.supervisedItems(db, userID)
	var subs []Submission
	if err := db.Where("item_id IN (?) AND state = ? AND kind <> ?", items, string(domain.SubmissionSubmitted), string(domain.KindContribution)).
		Order("id").Find(&subs).Error; err != nil {
		return nil, err
	}
	var evs []Event
	if err := db.Where("item_id IN (?) AND type IN ?", items, []string{string(domain.EventExtensionRequested), string(domain.EventExtensionDecided)}).
		Order("id").Find(&evs).Error; err != nil {
		return nil, err
	}
	w := &Waiting{Submissions: []SubmissionRecord{}, Extensions: []WaitingExtension{}, Items: map[uint64]Item{}}
	type key struct {
		item uint64
		ext  int
	}
	open := map[key]int{} // → index in w.Extensions
	decided := map[key]bool{}
	for _, e := range evs {
		ev, err := domain.DecodeEvent(domain.EventType(e.Type), []byte(e.Payload))
		if err != nil {
			return nil, err
		}
		switch p := ev.(type) {
		case domain.ExtensionRequested:
			open[key{e.ItemID, p.ExtensionID}] = len(w.Extensions)
			w.Extensions = append(w.Extensions, WaitingExtension{ItemID: e.ItemID, DepartmentID: e.DepartmentID,
				ExtensionID: p.ExtensionID, NewDue: p.NewDue, Reason: p.Reason, At: e.At})
		case domain.ExtensionDecided:
			decided[key{e.ItemID, p.ExtensionID}] = true
		}
	}
	exts := w.Extensions[:0]
	for _, x := range w.Extensions {
		if !decided[key{x.ItemID, x.ExtensionID}] {
			exts = append(exts, x)
		}
	}
	w.Extensions = exts
	ids := []uint64{}
	for _, sub := range subs {
		w.Submissions = append(w.Submissions, submissionRecord(sub, nil))
		ids = append(ids, sub.ItemID)
	}
	for _, x := range w.Extensions {
		ids = append(ids, x.ItemID)
	}
	if len(ids) > 0 {
		var rows []Item
		if err := db.Where("id IN ?", ids).Find(&rows).Error; err != nil {
			return nil, err
		}
		for _, it := range rows {
			w.Items[it.ID] = it
		}
	}
	return w, nil
}
