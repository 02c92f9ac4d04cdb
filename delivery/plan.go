package delivery

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/store"
)

// plan lists the deliveries a notice makes beyond the inbox: each audience member's own
// contact points, the department's robots (mentioning the audience) and system-wide
// webhooks, on the channels routed for the notice's level. Leaders' L3/L4 escalations wait
// for the daily digest when one is configured.
func (s *Service) plan(ctx context.Context, itemID uint64, n domain.Notice, users []store.User) ([]store.Delivery, error) {
	nt := s.Notifier
	if nt == nil {
		return nil, nil
	}
	chans := nt.route(int(n.Level))
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
	cps, err := s.Store.ContactPoints(ctx, f)
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
		d := store.Delivery{ItemID: itemID, ContactPointID: cp.ID, Channel: cp.Channel, Kind: string(n.Kind), Level: int(n.Level),
			LevelName: n.RungName, Leadership: n.Leadership,
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
			if u.Role == string(domain.RoleLeader) && n.Kind == domain.NoticeEscalation && n.Leadership && nt.Config.DigestAt != "" {
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

// Claim rolls leaders' held escalations into digests when their time has come,
// then claims up to limit due deliveries for the dispatcher.
func (s *Service) Claim(ctx context.Context, limit int) ([]uint64, error) {
	if err := s.rollDigests(ctx); err != nil {
		return nil, err
	}
	return s.Store.ClaimDueDeliveries(ctx, s.now(), limit)
}

// Release returns deliveries claimed by an earlier dispatcher run to pending.
func (s *Service) Release(ctx context.Context) error {
	return s.Store.ReleaseSending(ctx, nil)
}

func (s *Service) now() time.Time {
	if s.Notifier != nil && s.Notifier.Now != nil {
		return s.Notifier.Now()
	}
	return time.Now()
}
