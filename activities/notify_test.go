package activities

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dubanhq/duban/calendar"
	"github.com/dubanhq/duban/config"
	"github.com/dubanhq/duban/delivery"
	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/notify"
	"github.com/dubanhq/duban/store"
	"github.com/dubanhq/duban/store/storetest"
)

// notifyFixture is a store with one item, its lead department's liaison and a leader, and
// activities with the default notification routing.
type notifyFixture struct {
	st      *store.Store
	a       *Activities
	item    *domain.Item
	dept    uint64
	liaison uint64
	leader  uint64
	now     time.Time
}

func newNotifyFixture(t *testing.T) *notifyFixture {
	ctx := context.Background()
	st := storetest.SQLite(t)
	d, err := st.CreateDepartment(ctx, "市甲局", nil, "")
	if err != nil {
		t.Fatal(err)
	}
	f := &notifyFixture{st: st, dept: d.ID, now: time.Date(2026, 11, 27, 23, 0, 0, 0, calendar.Shanghai)} // a Friday night
	li := store.User{Username: "la", DisplayName: "甲局联络员", Role: "liaison", DepartmentID: &d.ID}
	boss := store.User{Username: "boss", DisplayName: "王组长", Role: "leader"}
	for _, u := range []*store.User{&li, &boss} {
		if err := st.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	f.liaison, f.leader = li.ID, boss.ID
	_, _, err = st.CreatePlan(ctx, &store.Plan{SourceHash: "n", Title: "优化营商环境工作方案"},
		[]domain.Item{storetest.Item("1", "推进知识产权保护", []uint64{d.ID})})
	if err != nil {
		t.Fatal(err)
	}
	items, _ := st.ListItems(ctx, store.ItemFilter{})
	f.item = &items[0]
	cal, _ := calendar.New()
	nt, err := delivery.NewNotifier(testNotifyConfig(), "https://duban.example.gov.cn")
	if err != nil {
		t.Fatal(err)
	}
	nt.Now = func() time.Time { return f.now }
	f.a = &Activities{Store: st, Calendar: cal, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Notify: nt}
	return f
}

func (f *notifyFixture) point(t *testing.T, cp store.ContactPoint) uint64 {
	cp.Enabled = true
	if err := f.st.SaveContactPoint(context.Background(), &cp); err != nil {
		t.Fatal(err)
	}
	return cp.ID
}

func (f *notifyFixture) apply(t *testing.T, n Notice) {
	t.Helper()
	if err := f.a.Apply(context.Background(), Transition{ItemID: f.item.ID, PlanID: f.item.PlanID, Notices: []Notice{n}}); err != nil {
		t.Fatal(err)
	}
}

func (f *notifyFixture) deliveries(t *testing.T) []store.Delivery {
	ds, err := f.st.Deliveries(context.Background(), store.DeliveryFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

// The generic webhook gets one delivery per (event, point) however often Apply is retried,
// carries the event id, and a second Deliver after success sends nothing.
func TestWebhookDeliveryOnceWithStableID(t *testing.T) {
	f := newNotifyFixture(t)
	var mu sync.Mutex
	var ids []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := notify.VerifyWebhook(r, "s3cret", 5*time.Minute, time.Now())
		if err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		var p struct{ Title, Body string }
		_ = json.Unmarshal(body, &p)
		if !strings.Contains(p.Title, "推进知识产权保护") {
			t.Errorf("title %q does not name the item", p.Title)
		}
		mu.Lock()
		ids = append(ids, r.Header.Get(notify.HeaderEventID))
		mu.Unlock()
	}))
	defer srv.Close()
	f.point(t, store.ContactPoint{Channel: "webhook", Address: srv.URL, Secret: "s3cret"})
	n := Notice{Key: "item1:e5", Kind: "reminder", DepartmentID: f.dept, Audience: []string{"liaison"}, Title: "【提醒】推进知识产权保护", Body: "进展报送将于 2026-11-30 到期。"}
	f.apply(t, n)
	f.apply(t, n) // a retried or replayed Apply
	ds := f.deliveries(t)
	if len(ds) != 1 {
		t.Fatalf("%d deliveries, want 1: %+v", len(ds), ds)
	}
	for i := 0; i < 2; i++ {
		res, err := f.a.Deliver(context.Background(), ds[0].ID)
		if err != nil || res.State != store.DeliverySent || res.PossiblyDuplicated {
			t.Fatalf("deliver #%d: %+v %v", i+1, res, err)
		}
	}
	if len(ids) != 1 || ids[0] != ds[0].DedupeKey {
		t.Fatalf("receiver saw %v, want one message with id %s", ids, ds[0].DedupeKey)
	}
}

// An attempt that died between sending and recording leaves its marker; the next attempt
// sends again with the same id and flags the delivery.
func TestCrashBetweenSendAndRecordIsFlagged(t *testing.T) {
	f := newNotifyFixture(t)
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = append(got, r.Header.Get(notify.HeaderEventID))
	}))
	defer srv.Close()
	f.point(t, store.ContactPoint{Channel: "webhook", Address: srv.URL, Secret: "k"})
	f.apply(t, Notice{Key: "item1:e9", Kind: "escalation", Level: 1, DepartmentID: f.dept, Audience: []string{"liaison"}, Title: "【催办】推进知识产权保护", Body: "逾期"})
	d := f.deliveries(t)[0]
	if _, err := f.st.StartAttempt(context.Background(), d.ID, delivery.InFlight); err != nil { // the attempt that died
		t.Fatal(err)
	}
	res, err := f.a.Deliver(context.Background(), d.ID)
	if err != nil || res.State != store.DeliverySent || !res.PossiblyDuplicated {
		t.Fatalf("deliver after a crash: %+v %v", res, err)
	}
	after, _ := f.st.GetDelivery(context.Background(), d.ID)
	if !after.PossiblyDuplicated || after.Attempts != 2 || len(got) != 1 || got[0] != d.DedupeKey {
		t.Fatalf("delivery %+v, receiver saw %v", after, got)
	}
}

// SMS at 23:00 on a Friday waits for Monday 08:30; a permanent robot error fails at once
// with the platform's message kept.
func TestQuietHoursAndPermanentErrors(t *testing.T) {
	f := newNotifyFixture(t)
	f.a.Notify.Channels.Register(&notify.SMS{Provider: &notify.AliyunSMS{AccessKeyID: "id", AccessKeySecret: "sec", SignName: "督办", TemplateCode: "SMS_1", Endpoint: "http://127.0.0.1:1/"}})
	f.point(t, store.ContactPoint{UserID: &f.liaison, Channel: "sms", Address: "13800000000"})
	robot := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, `{"errcode":310000,"errmsg":"keywords not in content"}`)
	}))
	defer robot.Close()
	f.point(t, store.ContactPoint{DepartmentID: &f.dept, Channel: "dingtalk", Address: robot.URL + "/robot/send?access_token=x"})
	f.apply(t, Notice{Key: "item1:e2", Kind: "escalation", Level: 1, DepartmentID: f.dept, Audience: []string{"liaison"}, Title: "【催办】推进知识产权保护", Body: "逾期"})
	ds := f.deliveries(t)
	if len(ds) != 2 {
		t.Fatalf("want an SMS and a DingTalk delivery, got %+v", ds)
	}
	for _, d := range ds {
		res, err := f.a.Deliver(context.Background(), d.ID)
		if err != nil {
			t.Fatalf("%s: %v", d.Channel, err)
		}
		after, _ := f.st.GetDelivery(context.Background(), d.ID)
		switch d.Channel {
		case "sms":
			want := time.Date(2026, 11, 30, 8, 30, 0, 0, calendar.Shanghai)
			if res.State != store.DeliveryPending || after.ScheduledFor == nil || !after.ScheduledFor.Equal(want) {
				t.Errorf("sms at night: %+v scheduled %v, want pending until %v", res, after.ScheduledFor, want)
			}
		case "dingtalk":
			if res.State != store.DeliveryFailed || !strings.Contains(after.LastError, "310000") {
				t.Errorf("dingtalk config error: %+v last error %q", res, after.LastError)
			}
		}
	}
	// Claiming before Monday morning finds nothing; after it, the SMS.
	if ids, _ := f.st.ClaimDueDeliveries(context.Background(), f.now.Add(time.Hour), 10); len(ids) != 0 {
		t.Errorf("claimed %v during quiet hours", ids)
	}
	if ids, _ := f.st.ClaimDueDeliveries(context.Background(), time.Date(2026, 11, 30, 8, 31, 0, 0, calendar.Shanghai), 10); len(ids) != 1 {
		t.Errorf("claimed %v on Monday morning, want the SMS", ids)
	}
}

// Leaders get the escalations whose rung goes to the leadership group in one daily digest;
// liaisons get theirs at once.
func TestLeaderDigest(t *testing.T) {
	f := newNotifyFixture(t)
	// The webhook channel is already there; email is what leaders use:
	f.a.Notify.Config.Routes["3"] = []string{"email", "webhook"}
	f.a.Notify.Channels.Register(fakeEmail{})
	f.point(t, store.ContactPoint{UserID: &f.leader, Channel: "email", Address: "boss@example.gov.cn"})
	f.point(t, store.ContactPoint{UserID: &f.liaison, Channel: "email", Address: "la@example.gov.cn"})
	for i, key := range []string{"item1:e20", "item1:e21"} {
		f.apply(t, Notice{Key: key, Kind: domain.NoticeEscalation, Level: 3, RungName: "通报", Leadership: true, DepartmentID: f.dept,
			Audience: []string{"leadership", "liaison"}, Title: "【通报】推进知识产权保护", Body: fmt.Sprintf("逾期第%d次", i+1)})
	}
	var held, now int
	for _, d := range f.deliveries(t) {
		switch {
		case d.State == store.DeliveryHeld && *d.UserID == f.leader:
			held++
		case d.State == store.DeliveryPending && *d.UserID == f.liaison:
			now++
		default:
			t.Errorf("unexpected delivery %+v", d)
		}
	}
	if held != 2 || now != 2 {
		t.Fatalf("held %d for the leader, %d at once for the liaison", held, now)
	}
	f.now = time.Date(2026, 11, 28, 8, 1, 0, 0, calendar.Shanghai)
	for i := 0; i < 2; i++ { // a retried claim makes no second digest
		if _, err := f.a.ClaimDeliveries(context.Background(), 50); err != nil {
			t.Fatal(err)
		}
	}
	var digests []store.Delivery
	for _, d := range f.deliveries(t) {
		if d.Kind == "digest" {
			digests = append(digests, d)
		} else if *d.UserID == f.leader && (d.State != store.DeliverySent || !strings.Contains(d.LastError, "digest")) {
			t.Errorf("held delivery not closed by the digest: %+v", d)
		}
	}
	if len(digests) != 1 || !strings.Contains(digests[0].Title, "2 项") {
		t.Fatalf("digests %+v", digests)
	}
	res, err := f.a.Deliver(context.Background(), digests[0].ID)
	if err != nil || res.State != store.DeliverySent {
		t.Fatalf("digest: %+v %v", res, err)
	}
	if body := lastFakeEmail; !strings.Contains(body, "推进知识产权保护") || strings.Count(body, "推进知识产权保护") < 2 {
		t.Errorf("digest body lists the items: %q", body)
	}
}

var lastFakeEmail string

// fakeEmail stands in for SMTP here; notify's own tests send through a real SMTP server.
type fakeEmail struct{}

func (fakeEmail) Name() string { return "email" }
func (fakeEmail) Send(_ context.Context, m notify.Message, t notify.Target) error {
	if len(t.Recipients) == 0 || t.Recipients[0].Email == "" {
		return notify.Permanent(domain.Invalidf("email", "no address"))
	}
	lastFakeEmail = m.Title + "\n" + m.Body
	return nil
}

// testNotifyConfig is the default notification setup with the test servers' loopback
// address allowed past the SSRF guard, as an admin would allow an intranet host.
func testNotifyConfig() config.Notify {
	n := config.Default().Notify
	n.AllowedHosts = []string{"127.0.0.1"}
	return n
}
