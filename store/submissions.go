package store

import (
	"context"
	"encoding/json"
	"time"

	"github.com/dubanhq/duban/domain"
)

// SubmissionRecord is a submission as a reviewer reads it: what the department wrote,
// attached and reported, where it stands, and the reviewer's last word on it.
type SubmissionRecord struct {
	ID           uint64
	ItemID       uint64
	DepartmentID uint64
	Kind         domain.SubmissionKind
	Cycle        int
	Text         string
	Indicators   map[string]float64
	Attachments  []domain.Attachment
	State        domain.SubmissionState
	SubmittedBy  uint64
	SubmittedAt  time.Time
	// Comment, ReviewedAt and ResubmitDue are the last review's, empty before a review.
	Comment     string
	ReviewedAt  time.Time
	ResubmitDue time.Time
}

// ItemSubmissions returns every submission of an item (pending and past), oldest first,
// each with its last review.
func (s *Store) ItemSubmissions(ctx context.Context, itemID uint64) ([]SubmissionRecord, error) {
	var subs []Submission
	if err := s.rdb.WithContext(ctx).Where("item_id = ?", itemID).Order("id").Find(&subs).Error; err != nil {
		return nil, err
	}
	var reviews []Review
	if err := s.rdb.WithContext(ctx).Where("item_id = ?", itemID).Order("id").Find(&reviews).Error; err != nil {
		return nil, err
	}
	last := map[uint64]Review{}
	for _, r := range reviews {
		last[r.SubmissionID] = r
	}
	out := make([]SubmissionRecord, len(subs))
	for i, sub := range subs {
		var r *Review
		if rv, ok := last[sub.ID]; ok {
			r = &rv
		}
		out[i] = submissionRecord(sub, r)
	}
	return out, nil
}

// submissionRecord reads a submission row and its last review (nil before one).
func submissionRecord(sub Submission, r *Review) SubmissionRecord {
	rec := SubmissionRecord{ID: sub.ID, ItemID: sub.ItemID, DepartmentID: sub.DepartmentID, Kind: domain.SubmissionKind(sub.Kind),
		Cycle: sub.Cycle, Text: sub.Text, Indicators: map[string]float64{}, Attachments: []domain.Attachment{},
		State: domain.SubmissionState(sub.State), SubmittedBy: sub.SubmittedBy, SubmittedAt: sub.CreatedAt}
	if sub.IndicatorsJSON != "" && sub.IndicatorsJSON != "null" {
		_ = json.Unmarshal([]byte(sub.IndicatorsJSON), &rec.Indicators)
	}
	if sub.Attachments != "" && sub.Attachments != "null" {
		_ = json.Unmarshal([]byte(sub.Attachments), &rec.Attachments)
	}
	if r != nil {
		rec.Comment, rec.ReviewedAt, rec.ResubmitDue = r.Comment, r.CreatedAt, timeOf(r.ResubmitDue)
	}
	return rec
}
