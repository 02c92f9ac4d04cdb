package workflows

import (
	"io"
	"log/slog"
	"path/filepath"
	"testing"

	tlog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/worker"
)

// TestReplayRecordedHistories replays histories recorded from real runs (the integration
// test writes them with -update-histories). A change to ItemWorkflow that is not
// compatible with running workflows fails here with a non-determinism error; guard such
// changes with workflow.GetVersion.
func TestReplayRecordedHistories(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "histories", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no recorded histories under testdata/histories (%v)", err)
	}
	r := worker.NewWorkflowReplayer()
	r.RegisterWorkflow(ItemWorkflow)
	logger := tlog.NewStructuredLogger(slog.New(slog.NewTextHandler(io.Discard, nil)))
	for _, f := range files {
		if err := r.ReplayWorkflowHistoryFromJSONFile(logger, f); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
}
