package worker

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"google.golang.org/protobuf/types/known/durationpb"
)

// EnsureNamespace checks that the namespace exists; with register set it creates a missing
// one (retention as given), otherwise it fails with the command an operator should run.
func EnsureNamespace(ctx context.Context, c client.Client, namespace string, register bool, retention time.Duration) error {
	_, err := c.WorkflowService().DescribeNamespace(ctx, &workflowservice.DescribeNamespaceRequest{Namespace: namespace})
	var nf *serviceerror.NamespaceNotFound
	if err == nil || !errors.As(err, &nf) {
		if err != nil {
			return fmt.Errorf("temporal: describe namespace %s: %w", namespace, err)
		}
		return nil
	}
	if !register {
		return fmt.Errorf("temporal: namespace %s does not exist; start a worker (it registers it) or run: temporal operator namespace create %s", namespace, namespace)
	}
	_, err = c.WorkflowService().RegisterNamespace(ctx, &workflowservice.RegisterNamespaceRequest{
		Namespace: namespace, WorkflowExecutionRetentionPeriod: durationpb.New(retention),
		Description: "Duban (督办) item workflows",
	})
	var exists *serviceerror.NamespaceAlreadyExists
	if err != nil && !errors.As(err, &exists) {
		return fmt.Errorf("temporal: namespace %s is missing and could not be registered (ask the cluster operator: temporal operator namespace create %s): %w", namespace, namespace, err)
	}
	return nil
}
