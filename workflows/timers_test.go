package workflows

import (
	"os"
	"path/filepath"
	"testing"

	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"google.golang.org/protobuf/encoding/protojson"
)

// timerAccount reads a recorded history and returns the timers started that neither fired
// nor were cancelled, and those that fired before they were due.
func timerAccount(t *testing.T, name string) (started, fired, leftRunning, early int) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "histories", name))
	if err != nil {
		t.Fatal(err)
	}
	var h historypb.History
	if err := protojson.Unmarshal(raw, &h); err != nil {
		t.Fatal(err)
	}
	open := map[string]*historypb.HistoryEvent{}
	for _, e := range h.GetEvents() {
		switch e.GetEventType() {
		case enumspb.EVENT_TYPE_TIMER_STARTED:
			started++
			open[e.GetTimerStartedEventAttributes().GetTimerId()] = e
		case enumspb.EVENT_TYPE_TIMER_FIRED:
			fired++
			id := e.GetTimerFiredEventAttributes().GetTimerId()
			if s := open[id]; s != nil {
				due := s.GetEventTime().AsTime().Add(s.GetTimerStartedEventAttributes().GetStartToFireTimeout().AsDuration())
				if e.GetEventTime().AsTime().Before(due) {
					early++
				}
			}
			delete(open, id)
		case enumspb.EVENT_TYPE_TIMER_CANCELED:
			delete(open, e.GetTimerCanceledEventAttributes().GetTimerId())
		}
	}
	return started, fired, len(open), early
}

// TestEveryTimerFiresOrIsCancelled counts the timers in a recorded sign → reminder → report
// → return → resubmit → approve → completion cycle: each timer the item started either
// fired when due (the signing reminder) or was cancelled when an action made it moot. The
// same cycle recorded before the change (cycle.json, AwaitWithTimeout) left every timer
// running, to fire later for nothing.
func TestEveryTimerFiresOrIsCancelled(t *testing.T) {
	started, fired, left, early := timerAccount(t, "cycle-features2.json")
	if started < 5 || fired == 0 || left != 0 || early != 0 {
		t.Errorf("cycle-features2.json: %d timers started, %d fired, %d left running, %d fired early", started, fired, left, early)
	}
	if started, _, left, _ := timerAccount(t, "cycle.json"); left != started || started == 0 {
		t.Errorf("cycle.json (before): %d started, %d left running; the old wait left them all", started, left)
	}
}
