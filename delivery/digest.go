package delivery

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/dubanhq/duban/calendar"
	"github.com/dubanhq/duban/notify"
	"github.com/dubanhq/duban/store"
)

// rollDigests turns each leader's held escalations that are due into one digest delivery
// per contact point; the digest's dedupe key (day, user, point) makes a retry a no-op.
func (s *Service) rollDigests(ctx context.Context) error {
	now := s.now()
	held, err := s.Store.HeldDigests(ctx, now)
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
				it := notify.DigestItem{Title: d.Title, Status: d.LevelName}
				if it.Status == "" {
					it.Status = fmt.Sprintf("第%d级", d.Level)
				}
				if x, err := s.Store.GetItem(ctx, d.ItemID); err == nil {
					it.Title = x.Title
					if !x.NextDue.IsZero() {
						it.Due, it.Overdue = x.NextDue, x.NextDue.Before(now)
					}
					if s.Notifier.BaseURL != "" {
						it.URL = fmt.Sprintf("%s/#/items/%d", s.Notifier.BaseURL, x.ID)
					}
				}
				items = append(items, it)
				ids = append(ids, d.ID)
			}
			body, _ := json.Marshal(items)
			u := uid
			day := group[0].ScheduledFor.In(calendar.Shanghai).Format(time.DateOnly)
			dg := store.Delivery{DedupeKey: fmt.Sprintf("digest:%s:u%d:cp%d", day, uid, cp), UserID: &u, ContactPointID: cp,
				Channel: group[0].Channel, Kind: "digest", Title: fmt.Sprintf("每日督办摘要 %s（%d 项）", day, len(items)),
				Body: string(body), State: store.DeliveryPending}
			if _, err := s.Store.CreateDelivery(ctx, &dg); err != nil {
				return err
			}
			if err := s.Store.CloseDigest(ctx, ids, dg.ID, now); err != nil {
				return err
			}
		}
	}
	return nil
}
