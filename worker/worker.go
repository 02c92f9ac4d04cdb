// Package worker registers Duban's workflows and activities on a Temporal worker and makes
// sure the namespace has the search attributes the workflows upsert.
package worker

import (
	"context"
	"fmt"
	"sort"
	"strings"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/operatorservice/v1"
	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"

	"github.com/dubanhq/duban/activities"
	"github.com/dubanhq/duban/config"
	"github.com/dubanhq/duban/workflows"
)

// SearchAttributes are the custom search attributes item workflows upsert. SQL visibility
// allows Int 3, Keyword 10, KeywordList 3 and Datetime 3 per namespace: all three Ints are
// used here.
var SearchAttributes = map[string]enumspb.IndexedValueType{
	workflows.SAPlanID.GetName():          enumspb.INDEXED_VALUE_TYPE_INT,
	workflows.SALeadDept.GetName():        enumspb.INDEXED_VALUE_TYPE_INT,
	workflows.SADepartments.GetName():     enumspb.INDEXED_VALUE_TYPE_KEYWORD_LIST,
	workflows.SAStatus.GetName():          enumspb.INDEXED_VALUE_TYPE_KEYWORD,
	workflows.SANextDue.GetName():         enumspb.INDEXED_VALUE_TYPE_DATETIME,
	workflows.SAEscalationLevel.GetName(): enumspb.INDEXED_VALUE_TYPE_INT,
	workflows.SAWaiting.GetName():         enumspb.INDEXED_VALUE_TYPE_KEYWORD,
}

// Register adds exactly what Duban's worker owns to a registry.
func Register(r sdkworker.Registry, a *activities.Activities) {
	r.RegisterWorkflow(workflows.ItemWorkflow)
	r.RegisterWorkflow(workflows.SubtaskWorkflow)
	r.RegisterWorkflow(workflows.NotifyDispatcher)
	r.RegisterWorkflow(workflows.AssessmentWorkflow)
	r.RegisterWorkflow(workflows.PublishCircularWorkflow)
	r.RegisterActivity(a)
}

// New creates a worker with the configured tuning; the caller starts and stops it.
func New(c client.Client, taskQueue string, tune config.Worker, a *activities.Activities) sdkworker.Worker {
	// The SDK sizes its one cache when the process's first worker is created.
	sdkworker.SetStickyWorkflowCacheSize(tune.StickyCacheSize)
	w := sdkworker.New(c, taskQueue, sdkworker.Options{
		MaxConcurrentActivityExecutionSize:      tune.MaxConcurrentActivities,
		MaxConcurrentLocalActivityExecutionSize: tune.MaxConcurrentActivities,
		MaxConcurrentWorkflowTaskExecutionSize:  tune.MaxConcurrentWorkflowTasks,
		MaxConcurrentWorkflowTaskPollers:        tune.Pollers,
		MaxConcurrentActivityTaskPollers:        tune.Pollers,
		// See config.Worker.StickyTimeout for the trade-off (burst speed against how long a
		// killed worker holds its items' next tasks).
		StickyScheduleToStartTimeout: tune.StickyTimeout,
	})
	if a.Wake == nil {
		a.Wake = (&waker{c: c, logger: a.Logger}).Wake
	}
	Register(w, a)
	return w
}

// StartDispatcher starts the notification dispatcher unless it is running already: each
// worker process calls it at start, and one dispatcher runs per namespace.
func StartDispatcher(ctx context.Context, c client.Client, taskQueue string) error {
	_, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID: workflows.DispatcherID, TaskQueue: taskQueue,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
		WorkflowIDReusePolicy:    enumspb.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE,
	}, workflows.NotifyDispatcher)
	if err != nil {
		return fmt.Errorf("start the notification dispatcher: %w", err)
	}
	return nil
}

// EnsureSearchAttributes registers missing search attributes on the namespace, and fails
// with a message naming them when the cluster refuses (e.g. no operator permission).
func EnsureSearchAttributes(ctx context.Context, c client.Client, namespace string) error {
	resp, err := c.OperatorService().ListSearchAttributes(ctx, &operatorservice.ListSearchAttributesRequest{Namespace: namespace})
	if err != nil {
		return fmt.Errorf("temporal: list search attributes of namespace %s: %w", namespace, err)
	}
	missing := map[string]enumspb.IndexedValueType{}
	for name, typ := range SearchAttributes {
		got, ok := resp.GetCustomAttributes()[name]
		if !ok {
			missing[name] = typ
		} else if got != typ {
			return fmt.Errorf("temporal: search attribute %s has type %s in namespace %s, Duban needs %s", name, got, namespace, typ)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	_, err = c.OperatorService().AddSearchAttributes(ctx, &operatorservice.AddSearchAttributesRequest{Namespace: namespace, SearchAttributes: missing})
	if err != nil {
		names := make([]string, 0, len(missing))
		for n, t := range missing {
			names = append(names, n+" ("+t.String()+")")
		}
		sort.Strings(names)
		return fmt.Errorf("temporal: namespace %s lacks search attributes %s and they could not be added (ask the cluster operator: temporal operator search-attribute create): %w",
			namespace, strings.Join(names, ", "), err)
	}
	return nil
}
