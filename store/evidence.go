package store

import (
	"context"
	"time"

	"github.com/dubanhq/duban/domain"
)

// EvidenceRow is one row behind an assessment's number, described for a person.
type EvidenceRow struct {
	Kind      string    `json:"kind"` // event, escalation, accountability, item
	ID        uint64    `json:"id"`
	ItemID    uint64    `json:"item_id"`
	ItemRef   string    `json:"item_ref"`
	ItemTitle string    `json:"item_title"`
	At        time.Time `json:"at"`
	What      string    `json:"what"` // the event type, the rung's name, the decision, or the item's status
	Level     int       `json:"level,omitempty"`
	Detail    string    `json:"detail,omitempty"`
}

// Evidence loads the rows refs point at, in the refs' order.
func (s *Store) Evidence(ctx context.Context, refs []domain.Ref) ([]EvidenceRow, error) {
	ids := map[string][]uint64{}
	var items []uint64
	for _, r := range refs {
		ids[r.Kind] = append(ids[r.Kind], r.ID)
		items = append(items, r.ItemID)
	}
	db := s.rdb.WithContext(ctx)
	rows := map[domain.Ref]EvidenceRow{}
	if len(ids["event"]) > 0 {
		var es []Event
		if err := db.Where("id IN ?", ids["event"]).Find(&es).Error; err != nil {
			return nil, err
		}
		for _, e := range es {
			rows[domain.Ref{Kind: "event", ID: e.ID, ItemID: e.ItemID}] = EvidenceRow{Kind: "event", ID: e.ID, At: e.At, What: e.Type, Level: e.Level, Detail: e.Payload}
		}
	}
	if len(ids["escalation"]) > 0 {
		var es []Escalation
		if err := db.Where("id IN ?", ids["escalation"]).Find(&es).Error; err != nil {
			return nil, err
		}
		for _, e := range es {
			rows[domain.Ref{Kind: "escalation", ID: e.ID, ItemID: e.ItemID}] = EvidenceRow{Kind: "escalation", ID: e.ID, At: e.At, What: e.Name, Level: e.Level, Detail: e.Reason}
		}
	}
	if len(ids["accountability"]) > 0 {
		var as []Accountability
		if err := db.Where("id IN ?", ids["accountability"]).Find(&as).Error; err != nil {
			return nil, err
		}
		for _, a := range as {
			rows[domain.Ref{Kind: "accountability", ID: a.ID, ItemID: a.ItemID}] = EvidenceRow{Kind: "accountability", ID: a.ID, At: a.OpenedAt, What: a.Decision, Detail: a.Reason}
		}
	}
	byItem := map[uint64]Item{}
	if len(items) > 0 {
		var its []Item
		if err := db.Select("id", "ref", "title", "status", "updated_at").Where("id IN ?", items).Find(&its).Error; err != nil {
			return nil, err
		}
		for _, it := range its {
			byItem[it.ID] = it
			rows[domain.Ref{Kind: "item", ID: it.ID, ItemID: it.ID}] = EvidenceRow{Kind: "item", ID: it.ID, At: it.UpdatedAt, What: it.Status}
		}
	}
	out := make([]EvidenceRow, 0, len(refs))
	for _, r := range refs {
		row, ok := rows[r]
		if !ok {
			continue
		}
		it := byItem[r.ItemID]
		row.ItemID, row.ItemRef, row.ItemTitle = r.ItemID, it.Ref, it.Title
		out = append(out, row)
	}
	return out, nil
}
