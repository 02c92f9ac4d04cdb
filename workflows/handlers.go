package workflows

import (
	"errors"
	"strconv"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/dubanhq/duban/activities"
	"github.com/dubanhq/duban/domain"
)

// guard turns a validator's domain error into an ApplicationError whose type is the error
// kind and whose details carry the field, so the API can map it to 403/409/422.
func guard[T any](v func(T) error) func(T) error {
	return func(in T) error { return toApplicationError(v(in)) }
}

func toApplicationError(err error) error {
	var de *domain.Error
	if err == nil || !errors.As(err, &de) {
		return err
	}
	return temporal.NewApplicationErrorWithOptions(de.Message, string(de.Kind),
		temporal.ApplicationErrorOptions{NonRetryable: true, Details: []any{de.Field}})
}

func (w *item) sign(ctx workflow.Context, in SignInput) error {
	return w.mutate(ctx, func(ctx workflow.Context) error {
		a := w.assignment(in.DepartmentID)
		if a == nil || a.Signed {
			return nil // raced with a reassignment or a duplicate: nothing to do
		}
		now := workflow.Now(ctx)
		a.Signed, a.SignedAt, a.SignedBy = true, now, in.Actor.UserID
		w.event(domain.EventSigned, a.DepartmentID, 0, in.Actor, map[string]any{"late": !now.Before(a.Due)})
		return w.cycleDeadline(ctx, a, cycleKey(w.st.Cycle))
	})
}

func (w *item) submit(ctx workflow.Context, in SubmitInput) (SubmitResult, error) {
	var res SubmitResult
	err := w.mutate(ctx, func(ctx workflow.Context) error {
		// Validators see the state before any accepted Update has run; two submissions
		// validated together must be checked again here, under the mutex.
		if err := w.validateSubmit(in); err != nil {
			return err
		}
		a := w.assignment(in.DepartmentID)
		sub := activities.SubmissionInput{
			ItemID: w.st.ItemID, DepartmentID: in.DepartmentID, Kind: string(in.Kind), Cycle: w.st.Cycle,
			Text: in.Text, Indicators: in.Indicators, Attachments: in.Attachments,
			SubmittedBy: in.Actor.UserID, RequestKey: workflow.GetCurrentUpdateInfo(ctx).ID,
		}
		if err := workflow.ExecuteActivity(ctx, acts.SaveSubmission, sub).Get(ctx, &res.ID); err != nil {
			return err
		}
		now := workflow.Now(ctx)
		late := !now.Before(a.Due)
		a.Satisfied = true
		if len(in.Indicators) > 0 && in.Kind != domain.KindContribution {
			if w.st.Values == nil {
				w.st.Values = map[string]float64{}
			}
			for k, v := range in.Indicators {
				w.st.Values[k] = v
			}
		}
		payload := map[string]any{"submission_id": res.ID, "cycle": w.st.Cycle, "late": late, "level_at_submit": a.Level}
		if len(in.Attachments) > 0 {
			payload["attachments"] = in.Attachments
		}
		switch in.Kind {
		case domain.KindContribution:
			w.event(domain.EventContributionSubmitted, a.DepartmentID, 0, in.Actor, payload)
			if l := w.lead(); l != nil {
				w.notice("contribution", l.DepartmentID, 0, []string{domain.NotifyLiaison}, "【协办反馈】"+w.st.Title, "配合单位已提交协办反馈。")
			}
		case domain.KindCompletion:
			w.st.Pending = append(w.st.Pending, Pending{SubmissionID: res.ID, Kind: in.Kind, DepartmentID: a.DepartmentID, Cycle: w.st.Cycle})
			w.event(domain.EventCompletionRequested, a.DepartmentID, 0, in.Actor, payload)
			w.notice("review", a.DepartmentID, 0, []string{domain.NotifySupervisor}, "【待审核·办结申请】"+w.st.Title, "牵头单位申请办结,请审核。")
		default:
			w.st.Pending = append(w.st.Pending, Pending{SubmissionID: res.ID, Kind: in.Kind, DepartmentID: a.DepartmentID, Cycle: w.st.Cycle})
			w.event(domain.EventReportSubmitted, a.DepartmentID, 0, in.Actor, payload)
			w.notice("review", a.DepartmentID, 0, []string{domain.NotifySupervisor}, "【待审核】"+w.st.Title, "牵头单位已报送进展,请审核。")
		}
		return nil
	})
	return res, err
}

func (w *item) review(ctx workflow.Context, in ReviewInput) error {
	return w.mutate(ctx, func(ctx workflow.Context) error {
		var p Pending
		for i, x := range w.st.Pending {
			if x.SubmissionID == in.SubmissionID {
				p = x
				w.st.Pending = append(w.st.Pending[:i:i], w.st.Pending[i+1:]...)
				break
			}
		}
		if p.SubmissionID == 0 {
			return domain.Conflictf("该报送不在待审核状态 / that submission is not waiting for review")
		}
		now := workflow.Now(ctx)
		key := workflow.GetCurrentUpdateInfo(ctx).ID
		w.tr.Submissions = map[uint64]string{p.SubmissionID: map[string]string{"approve": "approved", "return": "returned"}[in.Decision]}
		if in.Decision == "return" {
			return w.returnSubmission(ctx, in, p, now, key)
		}
		w.tr.Reviews = append(w.tr.Reviews, reviewRow(in, now, key, time.Time{}))
		w.event(domain.EventApproved, p.DepartmentID, 0, in.Actor, map[string]any{"submission_id": p.SubmissionID, "kind": p.Kind, "comment": in.Comment})
		switch {
		case p.Kind == domain.KindCompletion || (w.st.FinalCycle && w.in.Ongoing):
			w.complete(in.Actor, "approved")
			return nil
		case w.st.FinalCycle:
			// The window has ended: the lead now owes a completion request (申请办结).
			lead := w.lead()
			due, err := w.shift(ctx, now, w.in.Policy.ResubmitWithin, false)
			if err != nil || lead == nil {
				return err
			}
			return w.setDeadline(ctx, lead, cycleKey(w.st.Cycle)+"f", due)
		default:
			return w.startCycle(ctx, w.st.CycleDue)
		}
	})
}

func (w *item) returnSubmission(ctx workflow.Context, in ReviewInput, p Pending, now time.Time, key string) error {
	a := w.assignment(p.DepartmentID)
	var due time.Time
	var err error
	if !in.ResubmitDue.IsZero() {
		err = workflow.ExecuteLocalActivity(ctx, acts.AlignDue, in.ResubmitDue).Get(ctx, &due)
	} else {
		due, err = w.shift(ctx, now, w.in.Policy.ResubmitWithin, false)
	}
	if err != nil {
		return err
	}
	w.tr.Reviews = append(w.tr.Reviews, reviewRow(in, now, key, due))
	w.event(domain.EventReturned, p.DepartmentID, 0, in.Actor, map[string]any{"submission_id": p.SubmissionID, "comment": in.Comment, "resubmit_due": due})
	w.notice("returned", p.DepartmentID, 0, []string{domain.NotifyLiaison}, "【退回】"+w.st.Title, "退回意见:"+in.Comment+";请于 "+fmtDue(due)+" 前重新报送。")
	if a == nil {
		return nil
	}
	w.st.Returns++
	return w.setDeadline(ctx, a, cycleKey(w.st.Cycle)+"r"+strconv.Itoa(w.st.Returns), due)
}

func (w *item) complete(actor activities.Actor, how string) {
	w.st.Closed, w.st.Status = true, domain.StatusCompleted
	w.event(domain.EventCompleted, 0, 0, actor, map[string]any{"how": how})
	for _, a := range w.st.Assignments {
		if !a.Removed {
			a.Satisfied = true
			w.notice("completed", a.DepartmentID, 0, []string{domain.NotifyLiaison}, "【办结】"+w.st.Title, "该事项已办结销号。")
		}
	}
}

func reviewRow(in ReviewInput, now time.Time, key string, resubmit time.Time) activities.ReviewRecord {
	return activities.ReviewRecord{Key: "review:" + key, SubmissionID: in.SubmissionID, ReviewerID: in.Actor.UserID,
		Decision: in.Decision, Comment: in.Comment, ResubmitDue: resubmit, At: now}
}
