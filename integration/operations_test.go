package integration

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"go.temporal.io/api/workflowservice/v1"

	"github.com/dubanhq/duban/store/storetest"
)

// operatorQueries are the visibility queries of docs/operations.md, with %s for a time
// and %d for a department or level: the same strings the Temporal CLI sends
// (`temporal workflow list --query '…'`).
var operatorQueries = map[string]string{
	"overdue for a department": `WorkflowType = 'ItemWorkflow' AND DubanDepartments = 'd%d' AND DubanNextDue < '%s'`,
	"at a rung or above":       `WorkflowType = 'ItemWorkflow' AND DubanEscalationLevel >= %d`,
	"waiting at the top rung":  `WorkflowType = 'ItemWorkflow' AND DubanWaiting = 'top_rung'`,
	"running without a reason": `WorkflowType = 'ItemWorkflow' AND ExecutionStatus = 'Running' AND DubanNextDue IS NULL AND DubanWaiting IS NULL`,
	"closed items have no due": `WorkflowType = 'ItemWorkflow' AND ExecutionStatus = 'Completed' AND DubanNextDue IS NOT NULL`,
	"a plan's items in review": `DubanPlanID = %d AND DubanStatus = 'review'`,
}

// TestOperatorQueriesFindTheItems runs docs/operations.md's queries against a real server:
// a partner that misses its deadline is found under its own department, the lead's item
// at the last rung is found waiting there, and nothing is running without a reason.
func TestOperatorQueriesFindTheItems(t *testing.T) {
	s := start(t, storetest.SQLite(t))
	_, deptB, _ := s.people(map[string]string{"sup": "supervisor", "la": "liaison", "lb": "liaison"})
	sup := s.login("sup", "password-1")
	var policy map[string]any
	_ = jsonUnmarshal(`{"sign_within":"2s","cadence":"every 1h","remind_before":["1s"],
	 "ladder":[{"level":1,"name":"催办","after":"0s","notify":["liaison"]},
	           {"level":2,"name":"追究责任","after":"1s","notify":["leadership"],"leadership":true,"accountability":true}]}`, &policy)
	var out struct {
		Items []struct{ ID uint64 } `json:"items"`
	}
	s.must(201, sup, "POST", "/api/v1/plans/import", map[string]any{"text": planText, "policy": policy}, &out)
	list := func(q string) []string {
		resp, err := s.tc.ListWorkflow(ctx(t), &workflowservice.ListWorkflowExecutionsRequest{Namespace: "duban", Query: q})
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		var ids []string
		for _, e := range resp.GetExecutions() {
			ids = append(ids, e.GetExecution().GetWorkflowId())
		}
		return ids
	}
	item := "duban-item-" + itoa(out.Items[0].ID)
	// Neither department signs: both climb to 追究责任 (level 2) within seconds.
	eventually(t, 30*time.Second, "the item waiting at the top rung", func() bool {
		return strings.Join(list(operatorQueries["waiting at the top rung"]), ",") == item
	})
	now := time.Now().UTC().Format(time.RFC3339)
	if got := list(fmt.Sprintf(operatorQueries["overdue for a department"], deptB.ID, now)); len(got) != 1 || got[0] != item {
		t.Errorf("overdue for the partner 市乙局: %v, want %s", got, item)
	}
	if got := list(fmt.Sprintf(operatorQueries["overdue for a department"], deptB.ID+100, now)); len(got) != 0 {
		t.Errorf("overdue for a department not on the item: %v", got)
	}
	if got := list(fmt.Sprintf(operatorQueries["at a rung or above"], 2)); len(got) != 1 {
		t.Errorf("items at level 2: %v", got)
	}
	if got := list(fmt.Sprintf(operatorQueries["a plan's items in review"], 1)); len(got) != 0 {
		t.Errorf("nothing was reported, yet in review: %v", got)
	}
	if got := list(operatorQueries["running without a reason"]); len(got) != 0 {
		t.Errorf("running items with no due date and no reason: %v", got)
	}
	s.must(200, sup, "POST", "/api/v1/items/"+itoa(out.Items[0].ID)+"/cancel", map[string]any{"reason": "测试结束"}, nil)
	eventually(t, 20*time.Second, "the cancelled item leaves the overdue list", func() bool {
		return len(list(fmt.Sprintf(operatorQueries["overdue for a department"], deptB.ID, time.Now().UTC().Format(time.RFC3339)))) == 0 &&
			len(list(fmt.Sprintf(operatorQueries["at a rung or above"], 1))) == 0 &&
			len(list(operatorQueries["closed items have no due"])) == 0 &&
			len(list(`WorkflowType = 'ItemWorkflow' AND ExecutionStatus = 'Completed'`)) == 1
	})
}

// TestOperatorQueriesAreTheDocs: every query the test above runs is written in
// docs/operations.md as an operator would paste it (a department, level or plan number for
// %d, a shell-made time for %s), so the document and the test cannot drift apart.
func TestOperatorQueriesAreTheDocs(t *testing.T) {
	doc, err := os.ReadFile("../docs/operations.md")
	if err != nil {
		t.Fatal(err)
	}
	for name, q := range operatorQueries {
		if name == "closed items have no due" { // the test's own check, not an operator's query
			continue
		}
		pattern := regexp.QuoteMeta(q)
		pattern = strings.ReplaceAll(pattern, "%d", `\d+`)
		pattern = strings.ReplaceAll(pattern, "%s", `[^']+`)
		if !regexp.MustCompile(`--query "` + pattern + `"`).Match(doc) {
			t.Errorf("docs/operations.md lacks the query %q (%s)", q, name)
		}
	}
}
