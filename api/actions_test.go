package api

import (
	"context"
	"testing"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/dubanhq/duban/workflows"
)

// updateRecorder is a Temporal client that starts nothing and accepts every Update with a
// zero result, recording what it was asked: the item actions answer as if a worker had run
// them.
type updateRecorder struct {
	startRecorder
	updates []client.UpdateWorkflowOptions
}

func (r *updateRecorder) UpdateWorkflow(_ context.Context, o client.UpdateWorkflowOptions) (client.WorkflowUpdateHandle, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.updates = append(r.updates, o)
	return acceptedUpdate{}, nil
}

// last is the latest Update asked for.
func (r *updateRecorder) last() client.UpdateWorkflowOptions {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.updates) == 0 {
		return client.UpdateWorkflowOptions{}
	}
	return r.updates[len(r.updates)-1]
}

// acceptedUpdate is an Update that completed with a zero result.
type acceptedUpdate struct{ client.WorkflowUpdateHandle }

func (acceptedUpdate) Get(context.Context, any) error { return nil }

// TestActionBodies sends each action on an item with the body the web UI sends (the item
// page, the batch on the decisions page) to a workflow that accepts every Update. The test
// client checks each accepted body and each answer against the OpenAPI document; the test
// checks that the handler passed the fields on to the Update.
func TestActionBodies(t *testing.T) {
	rec := &updateRecorder{}
	f := temporalFixture(t, rec)
	sup, la, lb, boss := f.login("sup"), f.login("la"), f.login("lb"), f.login("boss")
	r := f.do("POST", "/api/v1/items", sup, map[string]any{"source_type": "instruction", "title": "研究老旧小区加装电梯",
		"lead": []any{f.deptA}, "partners": []any{f.deptB}})
	if r.status != 201 {
		t.Fatalf("create: %d %s", r.status, r.raw)
	}
	path := "/api/v1/items/" + jsonNum(r.body["id"])
	file := f.upload(la, "统计表.csv", []byte("专利申请统计表\n3 件\n"))
	due := "2026-04-30T18:00:00+08:00"
	steps := []struct {
		token, action string
		body          any
		status        int
		update        string
	}{
		{la, "/sign", nil, 200, workflows.UpdateSign},
		{la, "/acknowledge", nil, 200, workflows.UpdateAcknowledge},
		{la, "/reports", map[string]any{"text": "已完成12家企业诊断", "indicators": map[string]float64{"诊断企业": 12},
			"attachments": []any{map[string]any{"name": "统计表.csv", "url": file.body["url"]}}}, 201, workflows.UpdateSubmit},
		{lb, "/contributions", map[string]any{"text": "乙局已提供专利数据"}, 201, workflows.UpdateSubmit},
		{la, "/completion", map[string]any{"text": "全年目标已完成"}, 201, workflows.UpdateSubmit},
		{sup, "/reviews", map[string]any{"report_id": 1, "decision": "return", "comment": "请附诊断报告", "resubmit_due": due}, 200, workflows.UpdateReview},
		{la, "/extension-requests", map[string]any{"new_due": due, "reason": "企业诊断需补充材料"}, 201, workflows.UpdateExtensionRequest},
		{sup, "/extension-requests/1/decision", map[string]any{"approve": true, "comment": "同意"}, 200, workflows.UpdateExtensionDecision},
		{sup, "/extension-requests/2/decision", map[string]any{"approve": false, "new_due": due}, 200, workflows.UpdateExtensionDecision},
		{boss, "/instructions", map[string]any{"text": "请加快推进", "due": due}, 201, workflows.UpdateInstruction},
		{sup, "/reassign", map[string]any{"lead": []uint64{f.deptB}, "partners": []uint64{f.deptA}, "reason": "职能划转"}, 200, workflows.UpdateReassign},
		{sup, "/reassign", map[string]any{"lead": []uint64{f.deptA}, "reason": "划回"}, 200, workflows.UpdateReassign}, // partners: null
		{sup, "/urge", map[string]any{"message": "请于本周内报送"}, 202, workflows.UpdateUrge},
		{sup, "/suspend", map[string]any{"reason": "等待上级意见"}, 200, workflows.UpdateSuspend},
		{sup, "/resume", map[string]any{"reason": "上级已答复"}, 200, workflows.UpdateResume},
		{sup, "/cancel", map[string]any{"reason": "任务取消"}, 200, workflows.UpdateCancel},
	}
	for _, s := range steps {
		r := f.do("POST", path+s.action, s.token, s.body)
		if r.status != s.status {
			t.Errorf("%s: %d %s", s.action, r.status, r.raw)
			continue
		}
		if got := rec.last().UpdateName; got != s.update {
			t.Errorf("%s sent the Update %q, want %q", s.action, got, s.update)
		}
		checkUpdateArgs(t, s.action, rec.last().Args, f)
	}
}

// checkUpdateArgs checks what a few actions' Updates carry from their bodies.
func checkUpdateArgs(t *testing.T, action string, args []any, f *fixture) {
	t.Helper()
	due := time.Date(2026, 4, 30, 18, 0, 0, 0, time.FixedZone("", 8*3600))
	switch in := args[0].(type) {
	case workflows.ExtensionDecisionInput:
		if action == "/extension-requests/1/decision" && (!in.Approve || in.ExtensionID != 1 || in.Comment != "同意" || !in.NewDue.IsZero()) ||
			action == "/extension-requests/2/decision" && (in.Approve || in.ExtensionID != 2 || !in.NewDue.Equal(due)) {
			t.Errorf("%s: %+v", action, in)
		}
	case workflows.InstructionInput:
		if in.Text != "请加快推进" || !in.Due.Equal(due) {
			t.Errorf("%s: %+v", action, in)
		}
	case workflows.ReassignInput:
		if len(in.Lead) != 1 || in.Reason == "" || len(in.Names) != len(in.Lead)+len(in.Partners) ||
			in.Reason == "职能划转" && (in.Lead[0] != f.deptB || len(in.Partners) != 1 || in.Partners[0] != f.deptA) {
			t.Errorf("%s: %+v", action, in)
		}
	case workflows.ExtensionRequestInput:
		if in.DepartmentID != f.deptA || in.Reason == "" || !in.NewDue.Equal(due) {
			t.Errorf("%s: %+v", action, in)
		}
	case workflows.SubmitInput:
		if action == "/reports" && (len(in.Attachments) != 1 || in.Attachments[0].Size == 0 || in.Indicators["诊断企业"] != 12) {
			t.Errorf("%s: %+v", action, in)
		}
	}
}
