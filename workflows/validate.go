package workflows

import (
	"strings"

	"github.com/dubanhq/duban/domain"
)

// Validators reject an Update before it is recorded in history. Their errors carry a kind
// (wrong department → forbidden, wrong state → conflict, missing field → invalid) and a
// "中文 / English" message that the API returns as is.

func (w *item) open() error {
	if w.st.Closed {
		return domain.Conflictf("事项已%s / the item is %s", map[bool]string{true: "办结", false: "撤销"}[w.st.Status == domain.StatusCompleted], w.st.Status)
	}
	return nil
}

func (w *item) active() error {
	if err := w.open(); err != nil {
		return err
	}
	if w.st.Suspended {
		return domain.Conflictf("事项已暂停 / the item is suspended")
	}
	return nil
}

func (w *item) party(dept uint64) (*Assignment, error) {
	a := w.assignment(dept)
	if a == nil {
		return nil, domain.Forbiddenf("本单位不是该事项的承办单位 / your department is not assigned to this item")
	}
	return a, nil
}

func (w *item) validateSign(in SignInput) error {
	if err := w.open(); err != nil {
		return err
	}
	a, err := w.party(in.DepartmentID)
	if err != nil {
		return err
	}
	if a.Signed {
		return domain.Conflictf("本单位已签收 / already signed")
	}
	return nil
}

func (w *item) validateSubmit(in SubmitInput) error {
	if err := w.active(); err != nil {
		return err
	}
	a, err := w.party(in.DepartmentID)
	if err != nil {
		return err
	}
	if strings.TrimSpace(in.Text) == "" {
		return domain.Invalidf("text", "请填写内容 / text is required")
	}
	if !a.Signed {
		return domain.Conflictf("请先签收 / sign the assignment first")
	}
	switch in.Kind {
	case domain.KindContribution:
		if a.Role != domain.Partner {
			return domain.Forbiddenf("协办反馈由配合单位提交 / contributions come from partner departments")
		}
	case domain.KindReport, domain.KindCompletion:
		if a.Role != domain.Lead {
			return domain.Forbiddenf("进展报送和办结申请由牵头单位提交 / reports and completion requests come from the lead department")
		}
		if w.leadPending() {
			return domain.Conflictf("已有报送待审核 / a submission is already waiting for review")
		}
	default:
		return domain.Invalidf("kind", "未知的报送类型 / unknown submission kind %q", in.Kind)
	}
	return nil
}

func (w *item) validateReview(in ReviewInput) error {
	if err := w.active(); err != nil {
		return err
	}
	if in.Decision != "approve" && in.Decision != "return" {
		return domain.Invalidf("decision", "审核结论应为 approve 或 return / decision must be approve or return")
	}
	if in.Decision == "return" && strings.TrimSpace(in.Comment) == "" {
		return domain.Invalidf("comment", "退回须说明理由 / a return needs a comment")
	}
	for _, p := range w.st.Pending {
		if p.SubmissionID == in.SubmissionID {
			return nil
		}
	}
	return domain.E(domain.KindConflict, "report_id", "该报送不在待审核状态 / that submission is not waiting for review", nil)
}

func (w *item) validateExtensionRequest(in ExtensionRequestInput) error {
	if err := w.active(); err != nil {
		return err
	}
	a, err := w.party(in.DepartmentID)
	if err != nil {
		return err
	}
	if strings.TrimSpace(in.Reason) == "" {
		return domain.Invalidf("reason", "请说明延期理由 / a reason is required")
	}
	if in.NewDue.IsZero() || !in.NewDue.After(a.Due) {
		return domain.Invalidf("new_due", "新期限须晚于当前期限 / the new deadline must be after the current one")
	}
	for _, x := range w.st.Extensions {
		if x.DepartmentID == in.DepartmentID && !x.Decided {
			return domain.Conflictf("已有延期申请待审批 / an extension request is already pending")
		}
	}
	return nil
}

func (w *item) validateExtensionDecision(in ExtensionDecisionInput) error {
	if err := w.active(); err != nil {
		return err
	}
	if in.ExtensionID < 1 || in.ExtensionID > len(w.st.Extensions) {
		return domain.NotFoundf("没有这个延期申请 / no such extension request")
	}
	if w.st.Extensions[in.ExtensionID-1].Decided {
		return domain.Conflictf("该延期申请已审批 / already decided")
	}
	return nil
}

func (w *item) validateReassign(in ReassignInput) error {
	if err := w.active(); err != nil {
		return err
	}
	if len(in.Lead) == 0 {
		return domain.Invalidf("lead", "至少需要一个牵头单位 / at least one lead department")
	}
	if strings.TrimSpace(in.Reason) == "" {
		return domain.Invalidf("reason", "请说明调整理由 / a reason is required")
	}
	seen := map[uint64]bool{}
	for _, id := range append(append([]uint64{}, in.Lead...), in.Partners...) {
		if id == 0 || seen[id] {
			return domain.Invalidf("partners", "单位重复或无效 / a department is repeated or invalid")
		}
		seen[id] = true
	}
	return nil
}

func (w *item) validateInstruction(in InstructionInput) error {
	if err := w.open(); err != nil {
		return err
	}
	if strings.TrimSpace(in.Text) == "" {
		return domain.Invalidf("text", "请填写批示内容 / text is required")
	}
	return nil
}

func (w *item) validateSuspend(in ReasonInput) error {
	if err := w.active(); err != nil {
		return err
	}
	return reasonRequired(in)
}

func (w *item) validateResume(in ReasonInput) error {
	if err := w.open(); err != nil {
		return err
	}
	if !w.st.Suspended {
		return domain.Conflictf("事项未暂停 / the item is not suspended")
	}
	return nil
}

func (w *item) validateCancel(in ReasonInput) error {
	if err := w.open(); err != nil {
		return err
	}
	return reasonRequired(in)
}

func reasonRequired(in ReasonInput) error {
	if strings.TrimSpace(in.Reason) == "" {
		return domain.Invalidf("reason", "请说明理由 / a reason is required")
	}
	return nil
}
