package activities

import (
	"context"
	"encoding/json"

	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/store"
)

// SubmissionInput is a report, contribution or completion request to store.
type SubmissionInput struct {
	ItemID       uint64
	DepartmentID uint64
	Kind         string
	Cycle        int
	Text         string
	Indicators   map[string]float64
	Attachments  []domain.Attachment
	SubmittedBy  uint64
	RequestKey   string // the Update ID: a retried request stores one row
}

// SaveSubmission stores a submission once per request key and returns its id.
func (a *Activities) SaveSubmission(ctx context.Context, in SubmissionInput) (uint64, error) {
	ind, _ := json.Marshal(in.Indicators)
	att, _ := json.Marshal(in.Attachments)
	s := store.Submission{
		ItemID: in.ItemID, DepartmentID: in.DepartmentID, Kind: in.Kind, Cycle: in.Cycle,
		Text: in.Text, IndicatorsJSON: string(ind), Attachments: string(att), State: string(domain.SubmissionSubmitted),
		SubmittedBy: in.SubmittedBy, RequestKey: in.RequestKey,
	}
	id, err := a.Store.SaveSubmission(ctx, &s)
	a.observe("SaveSubmission", nil, err)
	return id, err
}
