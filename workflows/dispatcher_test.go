package workflows

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/converter"
	tlog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/dubanhq/duban/activities"
	"github.com/dubanhq/duban/calendar"
	"github.com/dubanhq/duban/config"
	"github.com/dubanhq/duban/delivery"
	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/notify"
	"github.com/dubanhq/duban/store"
	"github.com/dubanhq/duban/store/storetest"
)

// A webhook that fails twice and then accepts: the dispatcher retries the Deliver activity
// with backoff, the receiver accepts exactly one message, exactly one delivery is recorded
// as sent after three attempts, and a later Deliver of it sends nothing.
func TestDispatcherRetriesUntilDeliveredOnce(t *testing.T) {
	ctx := context.Background()
	st := storetest.SQLite(t)
	d, _ := st.CreateDepartment(ctx, "市甲局", nil, "")
	if err := st.CreateUser(ctx, &store.User{Username: "la", Role: "liaison", DepartmentID: &d.ID}); err != nil {
		t.Fatal(err)
	}
	_, _, err := st.CreatePlan(ctx, &store.Plan{SourceHash: "d", Title: "方案"},
		[]domain.Item{storetest.Item("1", "推进知识产权保护", []uint64{d.ID})})
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	calls, accepted := 0, map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		calls++
		if calls <= 2 {
			http.Error(w, "upstream busy", http.StatusBadGateway)
			return
		}
		if _, err := notify.VerifyWebhook(r, "k", time.Hour, time.Now()); err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		accepted[r.Header.Get(notify.HeaderEventID)]++
	}))
	defer srv.Close()
	if err := st.SaveContactPoint(ctx, &store.ContactPoint{Channel: "webhook", Address: srv.URL, Secret: "k", Enabled: true}); err != nil {
		t.Fatal(err)
	}
	cal, _ := calendar.New()
	nt, _ := delivery.NewNotifier(testNotifyConfig(), "")
	a := &activities.Activities{Store: st, Calendar: cal, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Notify: nt}
	items, _ := st.ListItems(ctx, store.ItemFilter{})
	err = a.Apply(ctx, activities.Transition{ItemID: items[0].ID, PlanID: items[0].PlanID, Notices: []activities.Notice{{
		Key: "item1:e3", Kind: "reminder", DepartmentID: d.ID, Audience: []string{"liaison"}, Title: "【提醒】推进知识产权保护", Body: "将于明日到期。"}}})
	if err != nil {
		t.Fatal(err)
	}

	var s testsuite.WorkflowTestSuite
	s.SetLogger(tlog.NewStructuredLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
	env := s.NewTestWorkflowEnvironment()
	env.SetTestTimeout(2 * time.Minute) // 500 polls of real SQLite on a loaded machine
	env.RegisterWorkflow(NotifyDispatcher)
	env.RegisterActivity(a)
	env.ExecuteWorkflow(NotifyDispatcher) // runs its polls, then continues as new
	if !env.IsWorkflowCompleted() {
		t.Fatal("dispatcher did not reach continue-as-new")
	}
	ds, _ := st.Deliveries(ctx, store.DeliveryFilter{})
	if len(ds) != 1 || ds[0].State != store.DeliverySent || ds[0].Attempts != 3 || ds[0].LastError != "" {
		t.Fatalf("deliveries %+v, want one sent after 3 attempts", ds)
	}
	if calls != 3 || len(accepted) != 1 || accepted[ds[0].DedupeKey] != 1 {
		t.Fatalf("receiver: %d calls, accepted %v", calls, accepted)
	}
	if res, err := a.Deliver(ctx, ds[0].ID); err != nil || res.State != store.DeliverySent || calls != 3 {
		t.Fatalf("a retried Deliver after the record sent again: %+v %v, %d calls", res, err, calls)
	}
}

// dispatcherHour runs the dispatcher for an hour of skipped time with no deliveries but
// those a test queues, and counts its claims and the timers it started.
func dispatcherHour(t *testing.T, quiet bool, during func(*testsuite.TestWorkflowEnvironment, *activities.Activities)) (claims []time.Duration, timers int) {
	t.Helper()
	st := storetest.SQLite(t)
	cal, _ := calendar.New()
	a := &activities.Activities{Store: st, Calendar: cal, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	var s testsuite.WorkflowTestSuite
	s.SetLogger(tlog.NewStructuredLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
	env := s.NewTestWorkflowEnvironment()
	env.SetTestTimeout(2 * time.Minute) // 500 polls of real SQLite on a loaded machine
	env.RegisterWorkflow(NotifyDispatcher)
	env.RegisterActivity(a)
	if !quiet {
		env.OnGetVersion("quiet-dispatcher", workflow.DefaultVersion, 1).Return(workflow.DefaultVersion)
	}
	start := env.Now()
	env.SetOnActivityStartedListener(func(info *activity.Info, _ context.Context, _ converter.EncodedValues) {
		if info.ActivityType.Name == "ClaimDue" || info.ActivityType.Name == "ClaimDeliveries" {
			claims = append(claims, env.Now().Sub(start).Round(time.Second))
		}
	})
	env.SetOnTimerScheduledListener(func(string, time.Duration) { timers++ })
	if during != nil {
		during(env, a)
	}
	env.RegisterDelayedCallback(env.CancelWorkflow, time.Hour)
	env.ExecuteWorkflow(NotifyDispatcher)
	return claims, timers
}

// TestQuietDispatcherHistoryFollowsDeliveries: idle for an hour, the dispatcher claims a
// handful of times (its safety net), where it used to poll every 5 s; a signal after
// deliveries are queued makes it claim at once. Its history grows with the deliveries, not
// with the time.
func TestQuietDispatcherHistoryFollowsDeliveries(t *testing.T) {
	oldClaims, _ := dispatcherHour(t, false, nil)
	idleClaims, idleTimers := dispatcherHour(t, true, nil)
	if len(oldClaims) < 400 || len(idleClaims) > 1+int(time.Hour/dispatchSafety) || idleTimers > int(time.Hour/dispatchSafety) {
		t.Fatalf("an idle hour: %d claims before, %d claims and %d timers now", len(oldClaims), len(idleClaims), idleTimers)
	}
	wakes := []time.Duration{10 * time.Minute, 20 * time.Minute, 40 * time.Minute}
	busyClaims, _ := dispatcherHour(t, true, func(env *testsuite.TestWorkflowEnvironment, _ *activities.Activities) {
		for _, at := range wakes {
			env.RegisterDelayedCallback(func() { env.SignalWorkflow(DispatchWake, nil) }, at)
		}
	})
	for _, at := range wakes {
		if !slices.Contains(busyClaims, at) {
			t.Errorf("no claim when woken at %v: claims at %v", at, busyClaims)
		}
	}
	if len(busyClaims) > len(idleClaims)+len(wakes) {
		t.Errorf("%d claims with %d wakes, more than the idle hour's %d plus one per wake", len(busyClaims), len(wakes), len(idleClaims))
	}
}

// testNotifyConfig is the default notification setup with the test servers' loopback
// address allowed past the SSRF guard, as an admin would allow an intranet host.
func testNotifyConfig() config.Notify {
	n := config.Default().Notify
	n.AllowedHosts = []string{"127.0.0.1"}
	return n
}
