package activities

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"go.temporal.io/sdk/activity"

	"github.com/dubanhq/duban/calendar"
	"github.com/dubanhq/duban/config"
	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/notify"
	"github.com/dubanhq/duban/store"
)

// DeliverAttempts is how many times a delivery is tried before it is marked failed; the
// dispatcher's retry policy uses the same number.
const DeliverAttempts = 8

// inFlight marks a delivery whose attempt started and has not recorded its outcome. An
// attempt that finds it knows its predecessor died between sending and recording.
const inFlight = "attempt in progress"

// Notifier turns inbox notices into deliveries on the configured channels and sends them.
type Notifier struct {
	Channels *notify.Registry
	Config   config.Notify
	// BaseURL of the web UI, for links in messages.
	BaseURL string
	// Now is the clock (tests set it).
	Now func() time.Time

	mu        sync.Mutex
	templates *notify.Templates
	loadedAt  time.Time
}

// NewNotifier builds the channels the configuration enables: email with an SMTP host, SMS
// with a provider; robots and webhooks are always available (their addresses are contact
// points).
func NewNotifier(cfg config.Notify, baseURL string) (*Notifier, error) {
	reg := notify.NewRegistry(&notify.DingTalk{}, &notify.WeCom{}, &notify.Feishu{}, &notify.Webhook{})
	if cfg.SMTP.Host != "" {
		e, err := notify.NewEmail(notify.EmailConfig{Host: cfg.SMTP.Host, Port: cfg.SMTP.Port, Username: cfg.SMTP.Username,
			Password: cfg.SMTP.Password, From: cfg.SMTP.From, TLS: cfg.SMTP.TLS})
		if err != nil {
			return nil, fmt.Errorf("config: notify.smtp: %w", err)
		}
		reg.Register(e)
	}
	if cfg.SMS.Provider == "aliyun" {
		reg.Register(&notify.SMS{Provider: &notify.AliyunSMS{AccessKeyID: cfg.SMS.AccessKeyID, AccessKeySecret: cfg.SMS.AccessKeySecret,
			SignName: cfg.SMS.SignName, TemplateCode: cfg.SMS.TemplateCode, Endpoint: cfg.SMS.Endpoint}})
	}
	return &Notifier{Channels: reg, Config: cfg, BaseURL: strings.TrimRight(baseURL, "/"), Now: time.Now}, nil
}

// route is the channels used at a level that this installation can send on.
func (n *Notifier) route(level int) []string {
	var out []string
	for _, ch := range n.Config.Routes[strconv.Itoa(level)] {
		if _, ok := n.Channels.Get(ch); ok {
			out = append(out, ch)
		}
	}
	return out
}

// Templates returns the built-in templates with the supervisors' stored edits, reloaded
// at most every 30 seconds.
func (n *Notifier) Templates(ctx context.Context, st *store.Store) (*notify.Templates, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.templates != nil && time.Since(n.loadedAt) < 30*time.Second {
		return n.templates, nil
	}
	edits, err := st.MessageTemplates(ctx)
	if err != nil {
		return nil, err
	}
	t := notify.Defaults()
	for _, e := range edits {
		if err := t.Set(e.Kind, e.Lang, e.Text); err != nil {
			return nil, fmt.Errorf("stored template %s/%s: %w", e.Kind, e.Lang, err)
		}
	}
	n.templates, n.loadedAt = t, time.Now()
	return t, nil
}

// Invalidate drops the cached templates after an edit.
func (n *Notifier) Invalidate() {
	n.mu.Lock()
	n.templates = nil
	n.mu.Unlock()
}

// plan lists the deliveries a notice makes beyond the inbox: each audience member's own
// contact points, the department's robots (mentioning the audience) and system-wide
// webhooks, on the channels routed for the notice's level. Leaders' L3/L4 escalations wait
// for the daily digest when one is configured.
func (a *Activities) planDeliveries(ctx context.Context, itemID uint64, n Notice, users []store.User) ([]store.Delivery, error) {
	nt := a.Notify
	if nt == nil {
		return nil, nil
	}
	chans := nt.route(n.Level)
	if len(chans) == 0 {
		return nil, nil
	}
	ids := make([]uint64, len(users))
	byID := map[uint64]store.User{}
	for i, u := range users {
		ids[i], byID[u.ID] = u.ID, u
	}
	f := store.ContactPointFilter{UserIDs: ids, Global: true, EnabledOnly: true}
	if n.DepartmentID != 0 {
		f.DepartmentIDs = []uint64{n.DepartmentID}
	}
	if len(ids) == 0 {
		f.UserIDs = []uint64{0}
	}
	cps, err := a.Store.ContactPoints(ctx, f)
	if err != nil {
		return nil, err
	}
	mentions, _ := json.Marshal(ids)
	now := nt.Now()
	var out []store.Delivery
	for _, cp := range cps {
		if !slices.Contains(chans, cp.Channel) {
			continue
		}
		d := store.Delivery{ItemID: itemID, ContactPointID: cp.ID, Channel: cp.Channel, Kind: n.Kind, Level: n.Level,
			Title: n.Title, Body: n.Body, State: store.DeliveryPending}
		switch {
		case cp.UserID != nil:
			if cp.Channel != "email" && cp.Channel != "sms" {
				continue // a user's chat id is used for @-mentions by the department's robot
			}
			u, ok := byID[*cp.UserID]
			if !ok {
				continue
			}
			uid := u.ID
			d.UserID, d.DedupeKey = &uid, fmt.Sprintf("%s:u%d:%s:cp%d", n.Key, uid, cp.Channel, cp.ID)
			if u.Role == string(domain.RoleLeader) && n.Kind == "escalation" && n.Level >= 3 && nt.Config.DigestAt != "" {
				at := nextClock(now, nt.Config.DigestAt).UTC()
				d.State, d.ScheduledFor = store.DeliveryHeld, &at
			}
		case cp.DepartmentID != nil:
			dept := *cp.DepartmentID
			d.DepartmentID, d.Mentions = &dept, string(mentions)
			d.DedupeKey = fmt.Sprintf("%s:d%d:%s:cp%d", n.Key, dept, cp.Channel, cp.ID)
		default:
			if cp.Channel != "webhook" {
				continue
			}
			d.Mentions = string(mentions)
			d.DedupeKey = fmt.Sprintf("%s:g:%s:cp%d", n.Key, cp.Channel, cp.ID)
		}
		out = append(out, d)
	}
	return out, nil
}

// ClaimDeliveries rolls leaders' held escalations into digests when their time has come,
// then claims up to limit due deliveries for the dispatcher.
func (a *Activities) ClaimDeliveries(ctx context.Context, limit int) ([]uint64, error) {
	if err := a.rollDigests(ctx); err != nil {
		return nil, err
	}
	return a.Store.ClaimDueDeliveries(ctx, a.now(), limit)
}

// ReleaseDeliveries returns deliveries claimed by an earlier dispatcher run to pending.
func (a *Activities) ReleaseDeliveries(ctx context.Context) error {
	return a.Store.ReleaseSending(ctx, nil)
}

func (a *Activities) now() time.Time {
	if a.Notify != nil && a.Notify.Now != nil {
		return a.Notify.Now()
	}
	return time.Now()
}

// DeliverResult is what one attempt did.
type DeliverResult struct {
	State              string
	PossiblyDuplicated bool
}

// Deliver sends one delivery. It records the attempt before sending, so a retry that
// finds a sent delivery sends nothing, and one that finds an attempt that never recorded
// its outcome sends again with the same message id and flags the delivery as possibly
// duplicated. Permanent errors (a wrong address, a robot's configuration error) fail the
// delivery at once; transient ones are retried with backoff, DeliverAttempts times.
func (a *Activities) Deliver(ctx context.Context, id uint64) (DeliverResult, error) {
	d, err := a.Store.StartAttempt(ctx, id, inFlight)
	if err != nil {
		return DeliverResult{}, err
	}
	if d.State == store.DeliverySent || d.State == store.DeliveryFailed || d.State == store.DeliveryHeld {
		return DeliverResult{State: d.State, PossiblyDuplicated: d.PossiblyDuplicated}, nil
	}
	possiblyDup := d.PreviousInFlight
	now := a.now()
	if d.Channel == "sms" && a.Notify != nil {
		if next, quiet := a.quietUntil(ctx, now); quiet {
			msg := "免打扰时段,顺延至 " + next.In(calendar.Shanghai).Format("2006-01-02 15:04") + " / quiet hours: queued to the next working morning"
			err := a.Store.FinishDelivery(ctx, id, store.DeliveryPending, msg, now, &next, false)
			return DeliverResult{State: store.DeliveryPending}, err
		}
	}
	sendErr := a.send(ctx, &d.Delivery)
	if sendErr == nil {
		if possiblyDup {
			a.Logger.Warn("delivery possibly duplicated: an earlier attempt died between sending and recording",
				"delivery", id, "channel", d.Channel, "message_id", d.DedupeKey)
		}
		err := a.Store.FinishDelivery(ctx, id, store.DeliverySent, "", a.now(), nil, possiblyDup)
		return DeliverResult{State: store.DeliverySent, PossiblyDuplicated: possiblyDup}, err
	}
	attempt := int32(1)
	if activity.IsActivity(ctx) {
		attempt = activity.GetInfo(ctx).Attempt
	}
	if notify.IsPermanent(sendErr) || attempt >= DeliverAttempts {
		a.Logger.Warn("delivery failed", "delivery", id, "channel", d.Channel, "error", sendErr)
		err := a.Store.FinishDelivery(ctx, id, store.DeliveryFailed, sendErr.Error(), a.now(), nil, false)
		return DeliverResult{State: store.DeliveryFailed}, err
	}
	if err := a.Store.NoteDeliveryError(ctx, id, sendErr.Error()); err != nil {
		return DeliverResult{}, err
	}
	return DeliverResult{}, sendErr
}

// send renders and sends one delivery.
func (a *Activities) send(ctx context.Context, d *store.Delivery) error {
	if a.Notify == nil {
		return notify.Permanent(errors.New("notification channels are not configured"))
	}
	ch, ok := a.Notify.Channels.Get(d.Channel)
	if !ok {
		return notify.Permanent(fmt.Errorf("channel %s is not configured on this installation", d.Channel))
	}
	cp, err := a.Store.ContactPoint(ctx, d.ContactPointID)
	if errors.Is(err, domain.ErrNotFound) {
		return notify.Permanent(fmt.Errorf("contact point %d was removed", d.ContactPointID))
	} else if err != nil {
		return err
	}
	m, target, err := a.message(ctx, d, cp)
	if err != nil {
		return err
	}
	return ch.Send(ctx, m, target)
}

// message renders a delivery with its template and builds the channel's target.
func (a *Activities) message(ctx context.Context, d *store.Delivery, cp *store.ContactPoint) (notify.Message, notify.Target, error) {
	data := notify.TemplateData{Title: d.Title, Body: d.Body, Reason: d.Body, At: d.CreatedAt}
	if d.Level > 0 {
		data.Level = fmt.Sprintf("L%d", d.Level)
		if name, _, ok := strings.Cut(strings.TrimPrefix(d.Title, "【"), "】"); ok {
			data.LevelName = name
		}
	}
	if d.ItemID != 0 {
		if it, err := a.Store.GetItem(ctx, d.ItemID); err == nil {
			data.Item = it.Title
			if a.Notify.BaseURL != "" {
				data.URL = fmt.Sprintf("%s/#/items/%d", a.Notify.BaseURL, it.ID)
			}
			if p, err := a.Store.GetPlan(ctx, it.PlanID); err == nil {
				data.Plan = p.Title
			}
			if as, err := a.Store.ItemAssignments(ctx, it.ID); err == nil {
				for _, x := range as[it.ID] {
					if d.DepartmentID != nil && x.DepartmentID == *d.DepartmentID || d.DepartmentID == nil && x.Role == string(domain.Lead) {
						data.Obligation = obligation(x)
						if x.NextDue != nil {
							data.Due = *x.NextDue
						}
						if dep, err := a.Store.DepartmentByID(ctx, x.DepartmentID); err == nil {
							data.Department = dep.Name
						}
						break
					}
				}
			}
		}
	}
	if data.Due.IsZero() {
		data.Due = d.CreatedAt
	}
	target := notify.Target{Channel: d.Channel, Endpoint: cp.Address, Secret: cp.Secret}
	var ids []uint64
	if d.UserID != nil {
		ids = []uint64{*d.UserID}
	} else if d.Mentions != "" {
		_ = json.Unmarshal([]byte(d.Mentions), &ids)
	}
	points, err := a.Store.ContactPoints(ctx, store.ContactPointFilter{UserIDs: append(ids, 0), EnabledOnly: true})
	if err != nil {
		return notify.Message{}, notify.Target{}, err
	}
	for _, uid := range ids {
		u, err := a.Store.UserByID(ctx, uid)
		if err != nil {
			continue
		}
		r := notify.Recipient{UserID: int64(u.ID), Name: u.DisplayName}
		for _, p := range points {
			if p.UserID == nil || *p.UserID != uid {
				continue
			}
			switch {
			case p.Channel == "email" && (d.UserID == nil || p.ID == cp.ID):
				r.Email = p.Address
			case p.Channel == "sms" && (d.UserID == nil || p.ID == cp.ID):
				r.Mobile = p.Address
			case p.Channel == d.Channel && p.ChatID != "":
				r.ChatID = p.ChatID
			}
		}
		if d.UserID != nil {
			data.Recipient = r.Name
		}
		target.Recipients = append(target.Recipients, r)
	}
	if d.Kind == "digest" {
		_ = json.Unmarshal([]byte(d.Body), &data.Items)
		data.Body = ""
	}
	tpls, err := a.Notify.Templates(ctx, a.Store)
	if err != nil {
		return notify.Message{}, notify.Target{}, err
	}
	title, body, err := tpls.Render(d.Kind, a.Notify.Config.Lang, data)
	if err != nil {
		return notify.Message{}, notify.Target{}, notify.Permanent(fmt.Errorf("template %s: %w", d.Kind, err))
	}
	m := notify.Message{ID: d.DedupeKey, Kind: d.Kind, Title: title, Body: body, URL: data.URL, At: d.CreatedAt}
	if d.Level > 0 {
		m.Level = data.Level
	}
	return m, target, nil
}

func obligation(x store.Assignment) string {
	switch {
	case x.SignedAt == nil:
		return "签收"
	case x.Role == string(domain.Partner):
		return "协办反馈"
	default:
		return "进展报送"
	}
}

// quietUntil reports whether now is in the quiet hours and, if so, the next working
// morning at MorningAt.
func (a *Activities) quietUntil(ctx context.Context, now time.Time) (time.Time, bool) {
	cfg := a.Notify.Config
	if cfg.QuietHours == "" {
		return time.Time{}, false
	}
	from, to, err := config.ParseQuietHours(cfg.QuietHours)
	if err != nil {
		return time.Time{}, false
	}
	local := now.In(calendar.Shanghai)
	m := local.Hour()*60 + local.Minute()
	quiet := from < to && m >= from && m < to || from > to && (m >= from || m < to)
	if !quiet {
		return time.Time{}, false
	}
	morning, _ := config.ParseClock(cfg.MorningAt)
	day := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, calendar.Shanghai)
	if m >= morning {
		day = day.AddDate(0, 0, 1)
	}
	for i := 0; i < 40; i++ {
		var work bool
		err := a.withCalendar(ctx, func() error {
			var err error
			work, err = a.Calendar.IsWorkday(day)
			return err
		})
		if err != nil || work {
			break
		}
		day = day.AddDate(0, 0, 1)
	}
	return day.Add(time.Duration(morning) * time.Minute), true
}

// nextClock is the next time of day hh:mm (China Standard Time) after now.
func nextClock(now time.Time, hhmm string) time.Time {
	mins, _ := config.ParseClock(hhmm)
	local := now.In(calendar.Shanghai)
	t := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, calendar.Shanghai).Add(time.Duration(mins) * time.Minute)
	if !t.After(now) {
		t = t.AddDate(0, 0, 1)
	}
	return t
}

// rollDigests turns each leader's held escalations that are due into one digest delivery
// per contact point; the digest's dedupe key (day, user, point) makes a retry a no-op.
func (a *Activities) rollDigests(ctx context.Context) error {
	now := a.now()
	held, err := a.Store.HeldDigests(ctx, now)
	if err != nil {
		return err
	}
	for uid, ds := range held {
		byPoint := map[uint64][]store.Delivery{}
		for _, d := range ds {
			byPoint[d.ContactPointID] = append(byPoint[d.ContactPointID], d)
		}
		for cp, group := range byPoint {
			var items []notify.DigestItem
			var ids []uint64
			for _, d := range group {
				it := notify.DigestItem{Title: d.Title, Status: fmt.Sprintf("L%d", d.Level)}
				if x, err := a.Store.GetItem(ctx, d.ItemID); err == nil {
					it.Title = x.Title
					if x.NextDue != nil {
						it.Due, it.Overdue = *x.NextDue, x.NextDue.Before(now)
					}
					if a.Notify.BaseURL != "" {
						it.URL = fmt.Sprintf("%s/#/items/%d", a.Notify.BaseURL, x.ID)
					}
				}
				items = append(items, it)
				ids = append(ids, d.ID)
			}
			body, _ := json.Marshal(items)
			u := uid
			day := group[0].ScheduledFor.In(calendar.Shanghai).Format(time.DateOnly)
			dg := store.Delivery{DedupeKey: fmt.Sprintf("digest:%s:u%d:cp%d", day, uid, cp), UserID: &u, ContactPointID: cp,
				Channel: group[0].Channel, Kind: "digest", Title: fmt.Sprintf("每日督办摘要 %s(%d 项)", day, len(items)),
				Body: string(body), State: store.DeliveryPending}
			if _, err := a.Store.CreateDelivery(ctx, &dg); err != nil {
				return err
			}
			if err := a.Store.CloseDigest(ctx, ids, dg.ID, now); err != nil {
				return err
			}
		}
	}
	return nil
}

// TestSend sends a test message to one contact point at once, outside the dispatcher, and
// records it as a delivery so the result shows beside the others.
func (a *Activities) TestSend(ctx context.Context, cpID, byUser uint64) (*store.Delivery, error) {
	if a.Notify == nil {
		return nil, domain.E(domain.KindUnavailable, "", "通知渠道未配置 / notification channels are not configured", nil)
	}
	cp, err := a.Store.ContactPoint(ctx, cpID)
	if err != nil {
		return nil, err
	}
	now := a.now()
	d := store.Delivery{DedupeKey: fmt.Sprintf("test:cp%d:%d", cpID, now.UnixNano()), ContactPointID: cp.ID, Channel: cp.Channel,
		Kind: "test", Title: "督办系统测试消息 / Duban test message", Body: fmt.Sprintf("这是一条测试消息。/ This is a test message. (#%d)", byUser),
		State: store.DeliverySending, UserID: cp.UserID, DepartmentID: cp.DepartmentID}
	if cp.UserID != nil {
		d.Mentions = fmt.Sprintf("[%d]", *cp.UserID)
	}
	if _, err := a.Store.CreateDelivery(ctx, &d); err != nil {
		return nil, err
	}
	sendErr := a.send(ctx, &d)
	state, msg := store.DeliverySent, ""
	if sendErr != nil {
		state, msg = store.DeliveryFailed, sendErr.Error()
	}
	if err := a.Store.FinishDelivery(ctx, d.ID, state, msg, a.now(), nil, false); err != nil {
		return nil, err
	}
	return a.Store.GetDelivery(ctx, d.ID)
}
