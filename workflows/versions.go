package workflows

import "go.temporal.io/sdk/workflow"

// Versioning policy (workflow.GetVersion).
//
// An item's workflow lives for months, so every change to the commands it issues (timers,
// activities, markers, search-attribute upserts) is guarded by a change id, and
// workflows/testdata/histories holds recorded histories that TestReplayRecordedHistories
// replays in CI: an unguarded change fails there before it ships.
//
//   - New runs record one marker, "features" (version 3 since the paced ladder), which turns
//     every change listed in changes on at once (each GetVersion of its own costs a marker and a visibility write at
//     start: six of them were most of a launch's visibility work).
//   - Runs recorded before "features" ask each change by its own id, as they did then.
//   - Folded (December 2026): "wake-past-due" (a deadline that passed during a step is
//     handled at once) and "indicator-forecast" (an indicator that cannot be met turns the
//     light red) are no longer asked: every run behaves the new way. They were asked only
//     when old and new answers differed, no recorded history took the old branch, and a
//     version marker left in a history is skipped on replay. The four pre-"features" ids
//     below stay: lifecycle-before-features.json took their old branches.
//   - A change id may be dropped when no open run can still take its old branch: every run
//     started before it has closed or continued as new (an item continues as new every
//     cyclesPerRun report cycles, with "features"). Check with
//     `temporal workflow list --query 'ExecutionStatus="Running" AND StartTime < "<date>"'`
//     and keep a recorded history of the old branch until then.
//   - A new change adds a field to changes, asked under its own id for runs that already
//     have "features" 1 (or raises "features" to 2 when several ship together), and a new
//     recorded history beside the old ones.
//   - "subtasks" (任务分解, subtasks.go) is asked only inside the add_subtask Update, the
//     first command a run issues for a sub-task: a run that never splits its item records
//     nothing new and replays as before. Closing the sub-tasks when the item closes issues
//     signals only for sub-tasks a run has.
type changes struct {
	// features: the run started with "features" version 1 or later: every change below is
	// on, and every write runs as a local activity in the workflow task that produced it
	// (the assignment's and the timer-driven ones too): a reminder is one workflow task.
	features bool
	// hygiene: "features" version 2. The wait for the next deadline is a timer of its own,
	// with a summary, cancelled when an Update wins the race (AwaitWithTimeout left it
	// running to fire later for nothing); the search attributes name every responsible
	// department and why an item without a timer waits, and a closed or suspended item has
	// no next due date or level in them.
	hygiene bool
	// pacedLadder: "features" version 3. A deadline already past when it is given (a plan
	// launched late, a cycle opened after its due date) gets the policy's grace instead of
	// being overdue at once, and the ladder climbs at most one rung per interval: when rungs
	// are found due together (late launch, a long outage, a resume), the next one fires and
	// the later ones move so their intervals are kept.
	pacedLadder bool
	// indicatorLight: indicators behind pace turn the light yellow ("indicator-light").
	indicatorLight bool
	// skipPastReminders: a reminder already due when its deadline is set is not sent (the
	// assignment or return notice says the same) ("skip-past-reminders").
	skipPastReminders bool
	// localApply: an Update's write runs as a local activity inside the workflow task that
	// accepted it ("local-apply").
	localApply bool
	// searchOnChange: search attributes are upserted only when one of them changed
	// ("search-on-change"): each upsert is a history event and a visibility write.
	searchOnChange bool
}

// versions asks the run's change versions once, at its start, in the order they were
// always asked.
func versions(ctx workflow.Context) changes {
	if v := workflow.GetVersion(ctx, "features", workflow.DefaultVersion, 3); v >= 1 {
		return changes{features: true, hygiene: v >= 2, pacedLadder: v >= 3,
			indicatorLight: true, skipPastReminders: true, localApply: true, searchOnChange: true}
	}
	return changes{
		indicatorLight:    workflow.GetVersion(ctx, "indicator-light", workflow.DefaultVersion, 1) >= 1,
		skipPastReminders: workflow.GetVersion(ctx, "skip-past-reminders", workflow.DefaultVersion, 1) >= 1,
		localApply:        workflow.GetVersion(ctx, "local-apply", workflow.DefaultVersion, 1) >= 1,
		searchOnChange:    workflow.GetVersion(ctx, "search-on-change", workflow.DefaultVersion, 1) >= 1,
	}
}
