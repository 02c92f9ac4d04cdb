package store

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// reportKinds are the submissions whose indicator values count: a lead's report and its
// completion request (a partner's contribution feeds the lead, not the target).
var reportKinds = []string{"report", "completion"}

// IndicatorSubmissions returns, per item, its reports and completion requests that carry
// indicator values (id, kind, indicators_json, created_at only), oldest first.
func (s *Store) IndicatorSubmissions(ctx context.Context, itemIDs ...uint64) (map[uint64][]Submission, error) {
	out := map[uint64][]Submission{}
	if len(itemIDs) == 0 {
		return out, nil
	}
	var subs []Submission
	err := s.rdb.WithContext(ctx).Select("id", "item_id", "kind", "indicators_json", "created_at").
		Where("item_id IN ? AND kind IN ? AND indicators_json NOT IN ?", itemIDs, reportKinds, []string{"", "null", "{}"}).
		Order("id").Find(&subs).Error
	for _, sub := range subs {
		out[sub.ItemID] = append(out[sub.ItemID], sub)
	}
	return out, err
}

// IndicatorReadings returns, per item, the indicator values entered by hand, in the order
// they were entered.
func (s *Store) IndicatorReadings(ctx context.Context, itemIDs ...uint64) (map[uint64][]IndicatorReading, error) {
	out := map[uint64][]IndicatorReading{}
	if len(itemIDs) == 0 {
		return out, nil
	}
	var rs []IndicatorReading
	err := s.rdb.WithContext(ctx).Where("item_id IN ?", itemIDs).Order("id").Find(&rs).Error
	for _, r := range rs {
		out[r.ItemID] = append(out[r.ItemID], r)
	}
	return out, err
}

// insertReadings writes hand-entered readings inside a transition. The table has no
// dedupe key, so a reading already stored with the same item, name, date, value and author
// (a retried activity) is skipped.
func insertReadings(tx *gorm.DB, rs []IndicatorReading) error {
	for i := range rs {
		r := rs[i]
		var n int64
		err := tx.Model(&IndicatorReading{}).Where(map[string]any{"item_id": r.ItemID, "name": r.Name,
			"at": r.At, "value": r.Value, "entered_by": r.EnteredBy}).Count(&n).Error
		if err != nil {
			return fmt.Errorf("store: indicator reading %q of item %d: %w", r.Name, r.ItemID, err)
		}
		if n > 0 {
			continue
		}
		if err := tx.Create(&r).Error; err != nil {
			return fmt.Errorf("store: indicator reading %q of item %d: %w", r.Name, r.ItemID, err)
		}
	}
	return nil
}
