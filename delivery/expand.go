package delivery

import (
	"context"
	"fmt"

	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/store"
)

// Expand turns a notice into its inbox rows (one per user of its audience) and its
// deliveries on the other channels, each with a key that makes a retried write harmless.
func (s *Service) Expand(ctx context.Context, planID, itemID uint64, n domain.Notice) ([]store.Notification, []store.Delivery, error) {
	users, err := s.audience(ctx, planID, itemID, n)
	if err != nil {
		return nil, nil, err
	}
	var ns []store.Notification
	for _, u := range users {
		ns = append(ns, store.Notification{
			UserID: u.ID, ItemID: itemID, Kind: string(n.Kind), Level: int(n.Level), Title: n.Title,
			Body: n.Body, Channel: "inbox", State: "sent",
			DedupeKey: fmt.Sprintf("%s:u%d:inbox", n.Key, u.ID),
		})
	}
	ds, err := s.plan(ctx, itemID, n, users)
	if err != nil {
		return nil, nil, fmt.Errorf("delivery: deliveries of %s: %w", n.Key, err)
	}
	return ns, ds, nil
}

// audience expands a notice to users: liaisons and heads of its department, the plan's
// supervisors (every supervisor when the plan lists none), and the leadership group.
func (s *Service) audience(ctx context.Context, planID, itemID uint64, n domain.Notice) ([]store.User, error) {
	seen := map[uint64]bool{}
	var out []store.User
	add := func(us []store.User, err error) error {
		if err != nil {
			return err
		}
		for _, u := range us {
			if !seen[u.ID] {
				seen[u.ID] = true
				out = append(out, u)
			}
		}
		return nil
	}
	for _, who := range n.Audience {
		var err error
		switch who {
		case domain.NotifyLiaison:
			err = add(s.Store.UsersForDepartment(ctx, n.DepartmentID, false))
		case domain.NotifyDepartmentHead:
			err = add(s.Store.UsersForDepartment(ctx, n.DepartmentID, true))
		case domain.NotifySupervisor:
			sups, serr := s.Store.PlanSupervisors(ctx, planID)
			if serr == nil && len(sups) == 0 {
				sups, serr = s.Store.UsersByRole(ctx, domain.RoleSupervisor)
			}
			err = add(sups, serr)
		case domain.NotifyLeadership:
			err = add(s.Store.UsersByRole(ctx, domain.RoleLeader))
		}
		if err != nil {
			return nil, fmt.Errorf("delivery: audience %s of item %d: %w", who, itemID, err)
		}
	}
	return out, nil
}
