package api

import (
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	enumspb "go.temporal.io/api/enums/v1"
	taskqueuepb "go.temporal.io/api/taskqueue/v1"
	"go.temporal.io/api/workflowservice/v1"
)

// healthz answers 200 while the process is up.
func (s *Server) healthz(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

// readyz answers 200 only when the database, Temporal and a worker are usable, and 503 with
// a body naming each check that failed.
func (s *Server) readyz(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 3*time.Second)
	defer cancel()
	checks := map[string]string{}
	failed := false
	set := func(name string, err error) {
		if err != nil {
			checks[name] = err.Error()
			failed = true
		} else {
			checks[name] = "ok"
		}
	}
	set("database", s.deps.Store.Ping(ctx))
	if s.deps.Temporal == nil {
		set("temporal", errString("no Temporal client"))
		set("worker", errString("no Temporal client"))
	} else {
		_, err := s.deps.Temporal.CheckHealth(ctx, nil)
		set("temporal", err)
		if err == nil {
			set("worker", s.workerReady(ctx))
		} else {
			set("worker", errString("temporal unavailable"))
		}
	}
	status := http.StatusOK
	if failed {
		status = http.StatusServiceUnavailable
	}
	return c.JSON(status, map[string]any{"ready": !failed, "checks": checks})
}

// workerReady checks that at least one worker polls Duban's task queue.
func (s *Server) workerReady(ctx context.Context) error {
	if s.deps.WorkerCheck != nil {
		return s.deps.WorkerCheck(ctx)
	}
	resp, err := s.deps.Temporal.WorkflowService().DescribeTaskQueue(ctx, &workflowservice.DescribeTaskQueueRequest{
		Namespace:     s.deps.Namespace,
		TaskQueue:     &taskqueuepb.TaskQueue{Name: s.deps.TaskQueue, Kind: enumspb.TASK_QUEUE_KIND_NORMAL},
		TaskQueueType: enumspb.TASK_QUEUE_TYPE_WORKFLOW,
	})
	if err != nil {
		return err
	}
	if len(resp.GetPollers()) == 0 {
		return errString("no worker is polling task queue " + s.deps.TaskQueue)
	}
	return nil
}

type errString string

func (e errString) Error() string { return string(e) }
