package bench

// Report is what `duban bench --json` prints. The keys are stable: checks outside the
// repository read them. Top-level API figures are those of the largest scale measured.
type Report struct {
	Cores             int     `json:"cores"`
	Items             int     `json:"items"`
	Database          string  `json:"database"`
	Temporal          string  `json:"temporal"` // "embedded" or the cluster's host:port
	BaselineWfPerS    float64 `json:"baseline_wf_per_s"`
	LaunchItemsPerS   float64 `json:"launch_items_per_s"`
	Launch1kItemsPerS float64 `json:"launch_1k_items_per_s,omitempty"`
	LaunchRatio       float64 `json:"launch_ratio"`
	ImportResponseS   float64 `json:"import_response_s"`
	SignP50Ms         float64 `json:"sign_p50_ms"`
	SignP99Ms         float64 `json:"sign_p99_ms"`
	Reminders         int     `json:"reminders"`
	ReminderP50Ms     float64 `json:"reminder_p50_ms"`
	ReminderP99Ms     float64 `json:"reminder_p99_ms"`
	ReminderMaxMs     float64 `json:"reminder_max_ms"`
	// ReminderSpreadS is the window the reminders fall due in (0: the same second); the
	// lateness above is each one's send time minus its own due time.
	ReminderSpreadS float64 `json:"reminder_spread_s"`
	// ReminderDrainS is from the first reminder's due time to the last one's send time;
	// RemindersPerS is the reminders over it.
	ReminderDrainS float64 `json:"reminder_drain_s"`
	RemindersPerS  float64 `json:"reminders_per_s"`
	// ReminderCPUS is this process's CPU time (user and system) while the reminders are
	// sent, CPUS over the whole run; an external Temporal's is not in them.
	ReminderCPUS    float64               `json:"reminder_cpu_s"`
	CPUS            float64               `json:"cpu_s"`
	APIListP50Ms    float64               `json:"api_list_p50_ms"`
	APIListP99Ms    float64               `json:"api_list_p99_ms"`
	APIItemP50Ms    float64               `json:"api_item_p50_ms"`
	APIItemP99Ms    float64               `json:"api_item_p99_ms"`
	APIActionP50Ms  float64               `json:"api_action_p50_ms"`
	APIActionP99Ms  float64               `json:"api_action_p99_ms"`
	API             map[string]APIFigures `json:"api"`
	PeakRSSMB       float64               `json:"peak_rss_mb"`
	DBBytesPer10k   int64                 `json:"db_bytes_per_10k_items"`
	TemporalDBBytes int64                 `json:"temporal_db_bytes,omitempty"`
	DurationS       float64               `json:"duration_s"`
}

// APIFigures are the API latencies at one scale, in milliseconds.
type APIFigures struct {
	Items     int     `json:"items"`
	ListP50   float64 `json:"list_p50_ms"`
	ListP99   float64 `json:"list_p99_ms"`
	ItemP50   float64 `json:"item_p50_ms"`
	ItemP99   float64 `json:"item_p99_ms"`
	ActionP50 float64 `json:"action_p50_ms"`
	ActionP99 float64 `json:"action_p99_ms"`
	// ListP99ByQuery is the p99 of each kind of list request (light, department_role,
	// level_status, text, status), to tell which one a slow list is.
	ListP99ByQuery map[string]float64 `json:"list_p99_ms_by_query"`
}

const (
	benchDepts     = 50
	benchParallel  = 16 // concurrent clients: the launcher's default start parallelism
	baselineQueue  = "duban-bench-baseline"
	baselineWfName = "duban-bench-timer"
	benchPassword  = "bench-password-1"
)
