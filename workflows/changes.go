package workflows

import (
	"maps"
	"strconv"

	"go.temporal.io/sdk/workflow"

	"github.com/dubanhq/duban/domain"
)

func (w *item) requestExtension(ctx workflow.Context, in ExtensionRequestInput) (IDResult, error) {
	var res IDResult
	err := w.mutate(ctx, func(ctx workflow.Context) error {
		if err := w.validateExtensionRequest(in); err != nil { // see submit: re-checked under the mutex
			return err
		}
		x := Extension{ID: len(w.st.Extensions) + 1, DepartmentID: in.DepartmentID, NewDue: in.NewDue, Reason: in.Reason}
		w.st.Extensions = append(w.st.Extensions, x)
		res.ID = x.ID
		w.record(domain.ExtensionRequested{ExtensionID: x.ID, NewDue: in.NewDue, Reason: in.Reason}, in.DepartmentID, 0, in.Actor)
		w.notice(domain.NoticeExtension, in.DepartmentID, []string{domain.NotifySupervisor}, "【延期申请】"+w.st.Title, "申请延期至 "+fmtDue(in.NewDue)+"："+in.Reason)
		return nil
	})
	return res, err
}

// decideExtension approves or rejects an extension. Approval moves the department's
// deadline and with it every pending reminder and ladder timer; the lead's extension moves
// the whole cycle, so partners' contributions move too.
func (w *item) decideExtension(ctx workflow.Context, in ExtensionDecisionInput) error {
	return w.mutate(ctx, func(ctx workflow.Context) error {
		if err := w.validateExtensionDecision(in); err != nil {
			return err
		}
		x := &w.st.Extensions[in.ExtensionID-1]
		x.Decided, x.Approved = true, in.Approve
		due := x.NewDue
		if !in.NewDue.IsZero() {
			due = in.NewDue
		}
		if in.Approve {
			if err := workflow.ExecuteLocalActivity(summarised(ctx, "对齐期限到工作日 "+fmtDue(due)), acts.AlignDue, due).Get(ctx, &due); err != nil {
				return err
			}
		}
		w.record(domain.ExtensionDecided{ExtensionID: x.ID, Approved: in.Approve, NewDue: due, Comment: in.Comment}, x.DepartmentID, 0, in.Actor)
		verdict := "未获批准"
		if in.Approve {
			verdict = "已批准，新期限 " + fmtDue(due)
		}
		w.notice(domain.NoticeExtension, x.DepartmentID, []string{domain.NotifyLiaison}, "【延期审批】"+w.st.Title, "延期申请"+verdict+"。"+in.Comment)
		a := w.assignment(x.DepartmentID)
		if !in.Approve || a == nil {
			return nil
		}
		key := cycleKey(w.st.Cycle) + "x" + strconv.Itoa(x.ID)
		if a.Role != domain.Lead || !a.Signed {
			return w.setDeadline(ctx, a, key, due)
		}
		w.st.CycleDue = due
		for _, b := range w.st.Assignments {
			if b.Removed || !b.Signed || (b.Satisfied && b != a) {
				continue
			}
			if err := w.cycleDeadline(ctx, b, key); err != nil {
				return err
			}
		}
		return nil
	})
}

// reassign replaces the lead and partners (调整责任单位): departments removed stop their
// ladders, new ones must sign.
func (w *item) reassign(ctx workflow.Context, in ReassignInput) error {
	return w.mutate(ctx, func(ctx workflow.Context) error {
		want := map[uint64]domain.AssignmentRole{}
		var order []uint64
		for _, id := range in.Lead {
			want[id] = domain.Lead
			order = append(order, id)
		}
		for _, id := range in.Partners {
			want[id] = domain.Partner
			order = append(order, id)
		}
		for _, a := range w.st.Assignments {
			role, keep := want[a.DepartmentID]
			if !keep && !a.Removed {
				a.Removed = true
			} else if keep {
				a.Role = role
			}
		}
		w.record(domain.Reassigned{Lead: in.Lead, Partners: in.Partners, Reason: in.Reason}, 0, 0, in.Actor)
		if len(in.Names) > 0 {
			if w.st.Names == nil {
				w.st.Names = map[uint64]string{}
			}
			maps.Copy(w.st.Names, in.Names) // the same result in any order
		}
		now := workflow.Now(ctx)
		for _, id := range order {
			if a := w.assignment(id); a != nil {
				continue
			}
			var a *Assignment
			for _, old := range w.st.Assignments {
				if old.DepartmentID == id { // re-added after removal
					a = old
					*a = Assignment{DepartmentID: id}
				}
			}
			if a == nil {
				a = &Assignment{DepartmentID: id}
				w.st.Assignments = append(w.st.Assignments, a)
			}
			a.Role = want[id]
			if err := w.assign(ctx, a, now); err != nil {
				return err
			}
		}
		return nil
	})
}

// instruct records a leader's instruction (批示); one with a deadline becomes the lead's
// deadline when it is sooner, or a new obligation when the lead has already reported.
func (w *item) instruct(ctx workflow.Context, in InstructionInput) error {
	return w.mutate(ctx, func(ctx workflow.Context) error {
		due := in.Due
		if !due.IsZero() {
			if err := workflow.ExecuteLocalActivity(summarised(ctx, "对齐期限到工作日 "+fmtDue(due)), acts.AlignDue, due).Get(ctx, &due); err != nil {
				return err
			}
		}
		lead := w.lead()
		var dept uint64
		if lead != nil {
			dept = lead.DepartmentID
		}
		w.record(domain.Instruction{Text: in.Text, Due: due}, dept, 0, in.Actor)
		body := in.Text
		if !due.IsZero() {
			body += "（请于 " + fmtDue(due) + " 前落实并报送）"
		}
		w.notice(domain.NoticeInstruction, dept, []string{domain.NotifyLiaison, domain.NotifyDepartmentHead, domain.NotifySupervisor}, "【领导批示】"+w.st.Title, body)
		if due.IsZero() || lead == nil || !lead.Signed || w.st.Suspended {
			return nil
		}
		if lead.Satisfied || due.Before(lead.Due) {
			return w.setDeadline(ctx, lead, "i"+strconv.Itoa(w.st.Seq), due)
		}
		return nil
	})
}

func (w *item) suspend(ctx workflow.Context, in ReasonInput) error {
	return w.mutate(ctx, func(ctx workflow.Context) error {
		if err := w.validateSuspend(in); err != nil {
			return err
		}
		w.st.Suspended, w.st.SuspendedAt = true, workflow.Now(ctx)
		w.record(domain.Suspended{Reason: in.Reason}, 0, 0, in.Actor)
		return nil
	})
}

// resume moves every pending deadline, reminder and rung later by the time suspended.
func (w *item) resume(ctx workflow.Context, in ReasonInput) error {
	return w.mutate(ctx, func(ctx workflow.Context) error {
		if err := w.validateResume(in); err != nil {
			return err
		}
		now := workflow.Now(ctx)
		d := now.Sub(w.st.SuspendedAt)
		w.st.Suspended = false
		if !w.st.CycleDue.IsZero() {
			w.st.CycleDue = w.st.CycleDue.Add(d)
		}
		for _, a := range w.st.Assignments {
			if a.Removed || a.Satisfied || a.Due.IsZero() {
				continue
			}
			a.Due = a.Due.Add(d)
			for i := range a.Reminders {
				a.Reminders[i] = a.Reminders[i].Add(d)
			}
			for i := range a.Rungs {
				a.Rungs[i] = a.Rungs[i].Add(d)
			}
		}
		w.record(domain.Resumed{Reason: in.Reason, SuspendedSeconds: int64(d.Seconds())}, 0, 0, in.Actor)
		return nil
	})
}

func (w *item) cancel(ctx workflow.Context, in ReasonInput) error {
	return w.mutate(ctx, func(ctx workflow.Context) error {
		if err := w.validateCancel(in); err != nil {
			return err
		}
		w.st.Closed, w.st.Status = true, domain.StatusCancelled
		w.record(domain.Cancelled{Reason: in.Reason}, 0, 0, in.Actor)
		for _, a := range w.st.Assignments {
			if !a.Removed {
				w.notice(domain.NoticeCancelled, a.DepartmentID, []string{domain.NotifyLiaison}, "【撤销】"+w.st.Title, "该事项已撤销："+in.Reason)
			}
		}
		return nil
	})
}
