package activities

import (
	"context"
	"time"

	"github.com/dubanhq/duban/domain"
)

// SubtaskRecord is a sub-task (任务分解) to store, numbered Seq within its item.
type SubtaskRecord struct {
	ItemID       uint64
	Seq          int
	Title        string
	DepartmentID uint64
	Office       string
	Deadline     time.Time
	CreatedBy    uint64
}

// SubtaskStatusRecord moves a sub-task to Status as of At.
type SubtaskStatusRecord struct {
	ItemID uint64
	Seq    int
	Status domain.SubtaskStatus
	At     time.Time
}

// CreateSubtask stores a sub-task once (a retry returns the same row) and returns its id.
func (a *Activities) CreateSubtask(ctx context.Context, in SubtaskRecord) (uint64, error) {
	t, err := a.Store.CreateSubtask(ctx, domain.Subtask{ItemID: in.ItemID, Seq: in.Seq, Title: in.Title,
		DepartmentID: in.DepartmentID, Office: in.Office, Deadline: in.Deadline}, in.CreatedBy)
	a.observe("CreateSubtask", nil, err)
	return t.ID, err
}

// SetSubtaskStatus records a sub-task's new status; a finished one is left as it is.
func (a *Activities) SetSubtaskStatus(ctx context.Context, in SubtaskStatusRecord) error {
	err := a.Store.SetSubtaskStatus(ctx, in.ItemID, in.Seq, in.Status, in.At)
	a.observe("SetSubtaskStatus", nil, err)
	return err
}
