package bench

import (
	"context"
	"encoding/json"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestBenchSmall runs the bench at a small scale, as `duban bench --json` prints it, and
// checks that every stable key is there with a figure that could only come from a real run.
// The reminders are spread over 8 s (four plans of ten, due 2 s apart), so the last is sent
// at least 6 s after the first falls due.
func TestBenchSmall(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Temporal and launches items")
	}
	r, err := Run(context.Background(), Options{Items: 40, APIItems: 300, ReminderMargin: 25 * time.Second, Spread: 8 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	out, _ := json.Marshal(r)
	var rep map[string]any
	if err := json.Unmarshal(out, &rep); err != nil {
		t.Fatalf("not one JSON object: %v\n%s", err, out)
	}
	for _, k := range []string{"cores", "items", "baseline_wf_per_s", "launch_items_per_s", "launch_ratio",
		"reminder_p50_ms", "reminder_p99_ms", "reminder_max_ms", "api_list_p50_ms", "api_list_p99_ms",
		"api_item_p99_ms", "api_action_p99_ms", "peak_rss_mb", "db_bytes_per_10k_items",
		"reminder_spread_s", "reminder_drain_s", "reminders_per_s", "reminder_cpu_s", "cpu_s"} {
		v, ok := rep[k].(float64)
		if !ok {
			t.Errorf("key %s missing or not a number: %v", k, rep[k])
			continue
		}
		if v <= 0 && k != "reminder_p50_ms" {
			t.Errorf("%s = %v, want a measured positive figure", k, v)
		}
	}
	if rep["cores"] != float64(runtime.NumCPU()) || rep["items"] != float64(40) || rep["reminders"] != float64(40) {
		t.Errorf("cores/items/reminders = %v/%v/%v", rep["cores"], rep["items"], rep["reminders"])
	}
	api, _ := rep["api"].(map[string]any)
	if _, ok := api["300"]; !ok || len(api) != 2 {
		t.Errorf("API figures at two scales (40 and 300 items): %v", api)
	}
	if d, _ := rep["reminder_drain_s"].(float64); d < 6 || rep["reminder_spread_s"] != float64(8) {
		t.Errorf("reminders due over %v s drained in %v s: the last plan's are due 6 s after the first's", rep["reminder_spread_s"], d)
	}
	if r := rep["reminder_max_ms"].(float64); r < rep["reminder_p99_ms"].(float64) {
		t.Errorf("max %v below p99 %v", r, rep["reminder_p99_ms"])
	}
}

// The bench's worker is tuned from the same settings as `duban worker`: a bad one is refused
// by name before anything starts.
func TestBenchReadsTheWorkerTuning(t *testing.T) {
	t.Setenv("DUBAN_WORKER_STICKY_TIMEOUT", "0s")
	_, err := Run(context.Background(), Options{Items: 40})
	if err == nil || !strings.Contains(err.Error(), "DUBAN_WORKER_STICKY_TIMEOUT") {
		t.Fatalf("err = %v, want the sticky timeout refused by name", err)
	}
}
