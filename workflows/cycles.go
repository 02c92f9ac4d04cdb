package workflows

import (
	"fmt"
	"strconv"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/dubanhq/duban/activities"
	"github.com/dubanhq/duban/domain"
)

// Phase 3 and 4: report cycles (进展报送, 协办反馈, 审核) and completion (办结/销号).

// startCycle opens the next report cycle after `after` and sets every signed department's
// deadline for it.
func (w *item) startCycle(ctx workflow.Context, after time.Time) error {
	var cd activities.CycleDue
	req := activities.CycleRequest{Cadence: w.in.Policy.Cadence, After: after, End: w.in.End}
	if err := workflow.ExecuteLocalActivity(summarised(ctx, fmt.Sprintf("第 %d 个报送周期的期限", w.st.Cycle+1)), acts.NextCycle, req).Get(ctx, &cd); err != nil {
		return err
	}
	w.st.Cycle++
	w.cycles++
	if w.v.pacedLadder && !cd.Due.After(workflow.Now(ctx)) {
		// Due already (a plan launched after its window, a cycle opened late): the
		// departments get the grace period, not an overdue mark at once.
		due, err := w.shift(ctx, workflow.Now(ctx), w.in.Policy.Grace, false)
		if err != nil {
			return err
		}
		cd.Due = due
	}
	w.st.CycleDue, w.st.FinalCycle, w.st.Returns = cd.Due, cd.Final, 0
	for _, a := range w.st.Assignments {
		if a.Signed && !a.Removed {
			if err := w.cycleDeadline(ctx, a, cycleKey(w.st.Cycle)); err != nil {
				return err
			}
		}
	}
	return nil
}

// cycleDeadline sets a department's deadline in the current cycle: the lead reports at the
// cycle due date, partners contribute partner_lead earlier.
func (w *item) cycleDeadline(ctx workflow.Context, a *Assignment, key string) error {
	due := w.st.CycleDue
	if a.Role == domain.Partner && !w.in.Policy.PartnerLead.IsZero() {
		d, err := w.shift(ctx, due, w.in.Policy.PartnerLead, true)
		if err != nil {
			return err
		}
		if d.After(workflow.Now(ctx)) {
			due = d
		}
	}
	return w.setDeadline(ctx, a, key, due)
}

// submit stores a report, a contribution or a completion request and meets the
// department's deadline; reports and completion requests wait for review.
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
		a.Satisfied = true
		if len(in.Indicators) > 0 && in.Kind != domain.KindContribution {
			if w.st.Values == nil {
				w.st.Values = map[string]float64{}
			}
			for k, v := range in.Indicators {
				w.st.Values[k] = v
			}
		}
		w.record(domain.Submitted{Kind: in.Kind, SubmissionID: res.ID, Cycle: w.st.Cycle, Late: !now.Before(a.Due),
			LevelAtSubmit: domain.Level(a.Level), Text: in.Text, Attachments: in.Attachments}, a.DepartmentID, 0, in.Actor)
		switch in.Kind {
		case domain.KindContribution:
			if l := w.lead(); l != nil {
				w.notice(domain.NoticeContribution, l.DepartmentID, []string{domain.NotifyLiaison}, "【协办反馈】"+w.st.Title, "配合单位已提交协办反馈。")
			}
		case domain.KindCompletion:
			w.st.Pending = append(w.st.Pending, Pending{SubmissionID: res.ID, Kind: in.Kind, DepartmentID: a.DepartmentID, Cycle: w.st.Cycle})
			w.notice(domain.NoticeReview, a.DepartmentID, []string{domain.NotifySupervisor}, "【待审核·办结申请】"+w.st.Title, "牵头单位申请办结，请审核。")
		default:
			w.st.Pending = append(w.st.Pending, Pending{SubmissionID: res.ID, Kind: in.Kind, DepartmentID: a.DepartmentID, Cycle: w.st.Cycle})
			w.notice(domain.NoticeReview, a.DepartmentID, []string{domain.NotifySupervisor}, "【待审核】"+w.st.Title, "牵头单位已报送进展，请审核。")
		}
		return nil
	})
	return res, err
}

// review approves or returns a pending submission (审核). An approved report opens the next
// cycle (or, after the window's last one, asks for the completion request); an approved
// completion request closes the item.
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
		state := domain.SubmissionApproved
		if in.Decision == "return" {
			state = domain.SubmissionReturned
		}
		w.tr.Submissions = map[uint64]string{p.SubmissionID: string(state)}
		if in.Decision == "return" {
			return w.returnSubmission(ctx, in, p, now, key)
		}
		w.tr.Reviews = append(w.tr.Reviews, reviewRow(in, now, key, time.Time{}))
		w.record(domain.Approved{SubmissionID: p.SubmissionID, Kind: p.Kind, Comment: in.Comment}, p.DepartmentID, 0, in.Actor)
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

// returnSubmission is 退回: the department owes the submission again by a new deadline.
func (w *item) returnSubmission(ctx workflow.Context, in ReviewInput, p Pending, now time.Time, key string) error {
	a := w.assignment(p.DepartmentID)
	var due time.Time
	var err error
	if !in.ResubmitDue.IsZero() {
		err = workflow.ExecuteLocalActivity(summarised(ctx, "退回后重新报送的期限"), acts.AlignDue, in.ResubmitDue).Get(ctx, &due)
	} else {
		due, err = w.shift(ctx, now, w.in.Policy.ResubmitWithin, false)
	}
	if err != nil {
		return err
	}
	w.tr.Reviews = append(w.tr.Reviews, reviewRow(in, now, key, due))
	w.record(domain.Returned{SubmissionID: p.SubmissionID, Comment: in.Comment, ResubmitDue: due}, p.DepartmentID, 0, in.Actor)
	w.notice(domain.NoticeReturned, p.DepartmentID, []string{domain.NotifyLiaison}, "【退回】"+w.st.Title, "退回意见："+in.Comment+"；请于 "+fmtDue(due)+" 前重新报送。")
	if a == nil {
		return nil
	}
	w.st.Returns++
	return w.setDeadline(ctx, a, cycleKey(w.st.Cycle)+"r"+strconv.Itoa(w.st.Returns), due)
}

// complete closes the item out (办结/销号): every department's obligations end.
func (w *item) complete(actor domain.Actor, how string) {
	w.st.Closed, w.st.Status = true, domain.StatusCompleted
	w.record(domain.Completed{How: how}, 0, 0, actor)
	for _, a := range w.st.Assignments {
		if !a.Removed {
			a.Satisfied = true
			w.notice(domain.NoticeCompleted, a.DepartmentID, []string{domain.NotifyLiaison}, "【办结】"+w.st.Title, "该事项已办结销号。")
		}
	}
}

func reviewRow(in ReviewInput, now time.Time, key string, resubmit time.Time) activities.ReviewRecord {
	return activities.ReviewRecord{Key: "review:" + key, SubmissionID: in.SubmissionID, ReviewerID: in.Actor.UserID,
		Decision: in.Decision, Comment: in.Comment, ResubmitDue: resubmit, At: now}
}

func cycleKey(n int) string { return "c" + strconv.Itoa(n) }
