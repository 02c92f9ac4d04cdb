package delivery

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/dubanhq/duban/calendar"
	"github.com/dubanhq/duban/config"
	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/notify"
	"github.com/dubanhq/duban/store"
)

// Attempts is how many times a delivery is tried before it is marked failed; the
// dispatcher's retry policy uses the same number.
const Attempts = 8

// InFlight marks a delivery whose attempt started and has not recorded its outcome. An
// attempt that finds it knows its predecessor died between sending and recording.
const InFlight = "attempt in progress"

// Result is what one attempt did.
type Result struct {
	State              string
	PossiblyDuplicated bool
}

// Deliver sends one delivery. It records the attempt before sending, so a retry that
// finds a sent delivery sends nothing, and one that finds an attempt that never recorded
// its outcome sends again with the same message id and flags the delivery as possibly
// duplicated. Permanent errors (a wrong address, a robot's configuration error) fail the
// delivery at once; transient ones are retried with backoff, Attempts times.
func (s *Service) Deliver(ctx context.Context, id uint64, attempt int) (Result, error) {
	d, err := s.Store.StartAttempt(ctx, id, InFlight)
	if err != nil {
		return Result{}, err
	}
	if d.State == store.DeliverySent || d.State == store.DeliveryFailed || d.State == store.DeliveryHeld {
		return Result{State: d.State, PossiblyDuplicated: d.PossiblyDuplicated}, nil
	}
	possiblyDup := d.PreviousInFlight
	now := s.now()
	if d.Channel == "sms" && s.Notifier != nil {
		if next, quiet := s.quietUntil(ctx, now); quiet {
			msg := "免打扰时段，顺延至 " + next.In(calendar.Shanghai).Format("2006-01-02 15:04") + " / quiet hours: queued to the next working morning"
			err := s.Store.FinishDelivery(ctx, id, store.DeliveryPending, msg, now, &next, false)
			return Result{State: store.DeliveryPending}, err
		}
	}
	sendErr := s.send(ctx, &d.Delivery)
	if sendErr == nil {
		if possiblyDup {
			s.Logger.Warn("delivery possibly duplicated: an earlier attempt died between sending and recording",
				"delivery", id, "channel", d.Channel, "message_id", d.DedupeKey)
		}
		err := s.Store.FinishDelivery(ctx, id, store.DeliverySent, "", s.now(), nil, possiblyDup)
		return Result{State: store.DeliverySent, PossiblyDuplicated: possiblyDup}, err
	}
	if notify.IsPermanent(sendErr) || attempt >= Attempts {
		s.Logger.Warn("delivery failed", "delivery", id, "channel", d.Channel, "error", sendErr)
		err := s.Store.FinishDelivery(ctx, id, store.DeliveryFailed, sendErr.Error(), s.now(), nil, false)
		return Result{State: store.DeliveryFailed}, err
	}
	if err := s.Store.NoteDeliveryError(ctx, id, sendErr.Error()); err != nil {
		return Result{}, err
	}
	return Result{}, sendErr
}

// send renders and sends one delivery.
func (s *Service) send(ctx context.Context, d *store.Delivery) error {
	if s.Notifier == nil {
		return notify.Permanent(errors.New("notification channels are not configured"))
	}
	ch, ok := s.Notifier.Channels.Get(d.Channel)
	if !ok {
		return notify.Permanent(fmt.Errorf("channel %s is not configured on this installation", d.Channel))
	}
	cp, err := s.Store.ContactPoint(ctx, d.ContactPointID)
	if errors.Is(err, domain.ErrNotFound) {
		return notify.Permanent(fmt.Errorf("contact point %d was removed", d.ContactPointID))
	} else if err != nil {
		return err
	}
	m, target, err := s.message(ctx, d, cp)
	if err != nil {
		return err
	}
	return ch.Send(ctx, m, target)
}

// message renders a delivery with its template and builds the channel's target.
func (s *Service) message(ctx context.Context, d *store.Delivery, cp *store.ContactPoint) (notify.Message, notify.Target, error) {
	data := notify.TemplateData{Title: d.Title, Body: d.Body, Reason: d.Body, At: d.CreatedAt}
	if d.Level > 0 {
		data.Level, data.LevelName, data.Leadership = fmt.Sprintf("L%d", d.Level), d.LevelName, d.Leadership
	}
	if d.ItemID != 0 {
		if it, err := s.Store.GetItem(ctx, d.ItemID); err == nil {
			data.Item = it.Title
			if _, err := s.Store.GetCase(ctx, it.ID); err == nil {
				data.Item = it.Ref + " " + it.Title // a 督办件 is named by its number (督办〔2026〕15号)
			}
			if s.Notifier.BaseURL != "" {
				data.URL = fmt.Sprintf("%s/#/items/%d", s.Notifier.BaseURL, it.ID)
			}
			if p, err := s.Store.GetPlan(ctx, it.PlanID); err == nil {
				data.Plan = p.Title
			}
			for _, x := range it.Assignments {
				if d.DepartmentID != nil && x.DepartmentID == *d.DepartmentID || d.DepartmentID == nil && x.Role == domain.Lead {
					data.Obligation, data.Due = obligation(x), x.NextDue
					if dep, err := s.Store.DepartmentByID(ctx, x.DepartmentID); err == nil {
						data.Department = dep.Name
					}
					break
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
	points, err := s.Store.ContactPoints(ctx, store.ContactPointFilter{UserIDs: append(ids, 0), EnabledOnly: true})
	if err != nil {
		return notify.Message{}, notify.Target{}, err
	}
	for _, uid := range ids {
		u, err := s.Store.UserByID(ctx, uid)
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
	tpls, err := s.Notifier.Templates(ctx, s.Store)
	if err != nil {
		return notify.Message{}, notify.Target{}, err
	}
	title, body, err := tpls.Render(d.Kind, s.Notifier.Config.Lang, data)
	if err != nil {
		return notify.Message{}, notify.Target{}, notify.Permanent(fmt.Errorf("template %s: %w", d.Kind, err))
	}
	m := notify.Message{ID: d.DedupeKey, Kind: d.Kind, Title: title, Body: body, URL: data.URL, At: d.CreatedAt}
	if d.Level > 0 {
		m.Level = data.Level
	}
	return m, target, nil
}

func obligation(x domain.Assignment) string {
	switch {
	case x.Status == domain.AssignmentAssigned:
		return "签收"
	case x.Role == domain.Partner:
		return "协办反馈"
	default:
		return "进展报送"
	}
}

// quietUntil reports whether now is in the quiet hours and, if so, the next working
// morning at MorningAt.
func (s *Service) quietUntil(ctx context.Context, now time.Time) (time.Time, bool) {
	cfg := s.Notifier.Config
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
		work, err := s.IsWorkday(ctx, day)
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
