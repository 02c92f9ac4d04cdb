package main

import (
	"context"
	"fmt"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"

	"github.com/dubanhq/duban/workflows"
)

// checkEachOnce asserts that every department of every item has exactly one row of each
// ladder event, and every recipient exactly one inbox notice of each, in Duban's tables.
// The rows' unique dedupe keys rule out a retried write twice; a workflow that ran a step
// twice under another key, or never ran it, shows here.
func (c *clusterRun) checkEachOnce() {
	t, n := c.t, 2*clusterItems
	for _, e := range []struct {
		typ   string
		level int
	}{{"assigned", 0}, {"reminder", 0}, {"overdue", 0}, {"escalated", 1}, {"escalated", 2}, {"escalated", 3}, {"escalated", 4}} {
		where := fmt.Sprintf("type = '%s' AND level = %d", e.typ, e.level)
		rows := c.count("events WHERE " + where)
		distinct := c.count("(SELECT DISTINCT item_id, department_id FROM events WHERE " + where + ") d")
		if rows != n || distinct != n {
			t.Errorf("%s L%d: %d events for %d item-departments; want exactly one for each of %d", e.typ, e.level, rows, distinct, n)
		}
	}
	// One liaison per department gets assignments, reminders and L1; the one supervisor
	// L2 and the one leader L3 and L4: two notices per item each, one per department.
	for _, k := range []struct {
		kind  string
		level int
	}{{"assigned", 0}, {"reminder", 0}, {"escalation", 1}, {"escalation", 2}, {"escalation", 3}, {"escalation", 4}} {
		where := fmt.Sprintf("channel = 'inbox' AND kind = '%s' AND level = %d", k.kind, k.level)
		if rows := c.count("notifications WHERE " + where); rows != n {
			t.Errorf("%s L%d: %d inbox notices, want %d", k.kind, k.level, rows, n)
		}
		if odd := c.count("(SELECT item_id FROM notifications WHERE " + where + " GROUP BY item_id HAVING COUNT(*) <> 2) x"); odd != 0 {
			t.Errorf("%s L%d: %d items without exactly two notices", k.kind, k.level, odd)
		}
	}
}

// checkSettled asserts that every item reached the state a user expects (at L4, both
// assignments overdue at L4), that Temporal holds no task in flight for any of them, and
// that every item's history replays on today's workflow code.
func (c *clusterRun) checkSettled() {
	t := c.t
	if n := c.count("items WHERE escalation_level = 4"); n != clusterItems {
		t.Errorf("%d of %d items at L4", n, clusterItems)
	}
	if n := c.count("assignments WHERE escalation_level = 4 AND overdue"); n != 2*clusterItems {
		t.Errorf("%d of %d assignments overdue at L4", n, 2*clusterItems)
	}
	tc, err := client.Dial(client.Options{HostPort: c.nodes[1].addr(), Namespace: "duban", Logger: quietSDK})
	if err != nil {
		t.Fatal(err)
	}
	defer tc.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	r := sdkworker.NewWorkflowReplayer()
	r.RegisterWorkflow(workflows.ItemWorkflow)
	began, events := time.Now(), 0
	for _, id := range c.ids {
		wid := workflows.ItemWorkflowID(id)
		d, err := tc.DescribeWorkflowExecution(ctx, wid, "")
		if err != nil {
			t.Fatalf("describe %s: %v", wid, err)
		}
		if st := d.GetWorkflowExecutionInfo().GetStatus(); st != enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING ||
			len(d.GetPendingActivities()) > 0 || d.GetPendingWorkflowTask() != nil {
			t.Errorf("%s: %v with %d pending activities and workflow task %v; want running and waiting on its timer",
				wid, st, len(d.GetPendingActivities()), d.GetPendingWorkflowTask())
		}
		h := &historypb.History{}
		it := tc.GetWorkflowHistory(ctx, wid, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
		for it.HasNext() {
			e, err := it.Next()
			if err != nil {
				t.Fatalf("history of %s: %v", wid, err)
			}
			h.Events = append(h.Events, e)
		}
		events += len(h.Events)
		if err := r.ReplayWorkflowHistory(quietSDK, h); err != nil {
			t.Errorf("%s does not replay: %v", wid, err)
		}
	}
	t.Logf("%d histories (%d events) described, fetched and replayed in %v", len(c.ids), events, time.Since(began).Round(100*time.Millisecond))
}
