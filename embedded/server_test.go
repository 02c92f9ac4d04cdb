package embedded

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"
)

// sleeper waits on a durable timer, then returns.
func sleeper(ctx workflow.Context, d time.Duration) (string, error) {
	if err := workflow.Sleep(ctx, d); err != nil {
		return "", err
	}
	return "woke", nil
}

func start(t *testing.T, dbFile string) (*Server, client.Client, worker.Worker) {
	t.Helper()
	srv, err := Start(Options{DBFile: dbFile, Namespace: "duban-test",
		SearchAttributes: map[string]enumspb.IndexedValueType{"DubanStatus": enumspb.INDEXED_VALUE_TYPE_KEYWORD}})
	if err != nil {
		t.Fatal(err)
	}
	c, err := client.Dial(client.Options{HostPort: srv.HostPort(), Namespace: "duban-test"})
	if err != nil {
		t.Fatal(err)
	}
	w := worker.New(c, "q", worker.Options{})
	w.RegisterWorkflow(sleeper)
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	return srv, c, w
}

// TestStateSurvivesRestart starts a workflow with a timer, stops the whole server before the
// timer fires, starts a new server on the same file, and sees the workflow finish.
func TestStateSurvivesRestart(t *testing.T) {
	db := filepath.Join(t.TempDir(), "temporal.db")
	srv, c, w := start(t, db)
	run, err := c.ExecuteWorkflow(context.Background(), client.StartWorkflowOptions{ID: "survivor", TaskQueue: "q"}, sleeper, 3*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	w.Stop()
	c.Close()
	if err := srv.Stop(); err != nil {
		t.Fatal(err)
	}
	// A stopped server leaves its logs copied into the files and empty.
	for _, f := range []string{db, filepath.Join(filepath.Dir(db), "temporal-visibility.db")} {
		if n := size(t, f+"-wal"); n != 0 {
			t.Fatalf("%s-wal is %d bytes after stop", filepath.Base(f), n)
		}
	}

	srv2, c2, w2 := start(t, db)
	defer func() { w2.Stop(); c2.Close(); _ = srv2.Stop() }()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var out string
	if err := c2.GetWorkflow(ctx, "survivor", run.GetRunID()).Get(ctx, &out); err != nil || out != "woke" {
		t.Fatalf("workflow after restart: %q, %v", out, err)
	}
	// The namespace and its search attribute were kept, not recreated.
	d, err := c2.DescribeWorkflowExecution(ctx, "survivor", "")
	if err != nil || d.GetWorkflowExecutionInfo().GetStatus() != enumspb.WORKFLOW_EXECUTION_STATUS_COMPLETED {
		t.Fatalf("describe: %v %v", d, err)
	}
}

func TestPortInUseIsReported(t *testing.T) {
	srv, err := Start(Options{Namespace: "x", DBFile: filepath.Join(t.TempDir(), "a.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Stop()
	_, port := splitPort(srv.HostPort())
	if _, err := Start(Options{Namespace: "x", Port: port, DBFile: filepath.Join(t.TempDir(), "b.db")}); err == nil {
		t.Fatal("a second server on the same port must fail")
	}
}

// TestVisibilityInItsOwnFile: a new data directory keeps Temporal's visibility records in
// temporal-visibility.db beside temporal.db, and listing workflows works from it across a
// restart.
func TestVisibilityInItsOwnFile(t *testing.T) {
	db := filepath.Join(t.TempDir(), "temporal.db")
	srv, c, w := start(t, db)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: "listed", TaskQueue: "q",
		TypedSearchAttributes: temporal.NewSearchAttributes(temporal.NewSearchAttributeKeyKeyword("DubanStatus").ValueSet("done"))}, sleeper, time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if err := run.Get(ctx, nil); err != nil {
		t.Fatal(err)
	}
	w.Stop()
	c.Close()
	if err := srv.Stop(); err != nil {
		t.Fatal(err)
	}
	vis := filepath.Join(filepath.Dir(db), "temporal-visibility.db")
	if _, err := os.Stat(vis); err != nil {
		t.Fatalf("visibility file: %v", err)
	}
	// The indexes nothing filters on are gone; those the lists and Duban's own search
	// attributes use are there.
	conn, err := sql.Open("sqlite", "file:"+vis)
	if err != nil {
		t.Fatal(err)
	}
	indexes := map[string]bool{}
	rows, err := conn.Query("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'executions_visibility'")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		indexes[n] = true
	}
	rows.Close()
	conn.Close()
	for _, ix := range []string{"default_idx", "by_workflow_id", "by_status", "by_keyword_01", "by_int_01", "by_datetime_01", "by_temporal_scheduled_by_id"} {
		if !indexes[ix] {
			t.Errorf("index %s is missing", ix)
		}
	}
	for _, ix := range unusedVisibilityIndexes {
		if indexes[ix] {
			t.Errorf("index %s is still there", ix)
		}
	}
	srv2, c2, w2 := start(t, db)
	defer func() { w2.Stop(); c2.Close(); _ = srv2.Stop() }()
	for {
		resp, err := c2.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{Query: "WorkflowId = 'listed' AND DubanStatus = 'done'"})
		if err != nil {
			t.Fatal(err)
		}
		if len(resp.Executions) == 1 && resp.Executions[0].GetStatus() == enumspb.WORKFLOW_EXECUTION_STATUS_COMPLETED {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("the completed workflow is not listed after the restart: %v", resp.Executions)
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// TestOldDataDirKeepsVisibility: a data directory from before the split (temporal.db only)
// keeps its visibility records where they are.
func TestOldDataDirKeepsVisibility(t *testing.T) {
	o := Options{DBFile: filepath.Join(t.TempDir(), "temporal.db"), Namespace: "duban-test"}
	main, err := sqlConfig(o)
	if err != nil {
		t.Fatal(err)
	}
	vis, err := visibilityConfig(o, main, false)
	if err != nil {
		t.Fatal(err)
	}
	if vis.DatabaseName != o.DBFile {
		t.Errorf("visibility moved to %s in an existing data directory", vis.DatabaseName)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(o.DBFile), "temporal-visibility.db")); !os.IsNotExist(err) {
		t.Errorf("a visibility file was created: %v", err)
	}
}
