package embedded

import (
	"database/sql"
	"fmt"
)

// unusedVisibilityIndexes are indexes of Temporal's SQLite visibility schema over columns
// nothing here filters on: the custom search attribute slots of types Duban does not use
// (its own are Int, Keyword and Datetime), and system columns that only Temporal features
// Duban does not run (worker deployments, batches, pausing, parent and root workflows)
// or ad-hoc operator queries read. Every visibility write (a workflow's start, each search
// attribute upsert, its close) replaces the row and so updates every index: the schema has
// 58, and with them a visibility write was the largest single cost of launching a plan.
// Queries on a column left without an index still answer, by a scan of the namespace.
var unusedVisibilityIndexes = []string{
	"by_history_length", "by_history_size_bytes", "by_execution_duration", "by_state_transition_count",
	"by_parent_workflow_id", "by_parent_run_id", "by_root_workflow_id", "by_root_run_id",
	"by_batcher_user", "by_temporal_pause_info", "by_temporal_worker_deployment_version",
	"by_temporal_workflow_versioning_behavior", "by_temporal_worker_deployment",
	"by_bool_01", "by_bool_02", "by_bool_03", "by_double_01", "by_double_02", "by_double_03",
	"by_keyword_04", "by_keyword_05", "by_keyword_06", "by_keyword_07", "by_keyword_08", "by_keyword_09", "by_keyword_10",
	"by_temporal_bool_01", "by_temporal_bool_02", "by_temporal_datetime_01", "by_temporal_datetime_02",
	"by_temporal_double_01", "by_temporal_double_02", "by_temporal_int_01", "by_temporal_int_02",
	"by_temporal_keyword_01", "by_temporal_keyword_02", "by_temporal_keyword_03", "by_temporal_keyword_04",
	"by_temporal_low_cardinality_keyword_01",
}

// pruneVisibilityIndexes drops unusedVisibilityIndexes from the file holding visibility,
// before the server opens it. Idempotent: a data directory pruned before is left as it is.
func pruneVisibilityIndexes(file string) error {
	db, err := sql.Open("sqlite", "file:"+file+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return fmt.Errorf("embedded temporal: visibility indexes: %w", err)
	}
	defer db.Close()
	for _, ix := range unusedVisibilityIndexes {
		if _, err := db.Exec("DROP INDEX IF EXISTS " + ix); err != nil {
			return fmt.Errorf("embedded temporal: drop visibility index %s: %w", ix, err)
		}
	}
	return nil
}
