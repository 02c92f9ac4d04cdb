package delivery

import (
	"context"
	"fmt"

	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/store"
)

// TestSend sends a test message to one contact point at once, outside the dispatcher, and
// records it as a delivery so the result shows beside the others.
func (s *Service) TestSend(ctx context.Context, cpID, byUser uint64) (*store.Delivery, error) {
	if s.Notifier == nil {
		return nil, domain.E(domain.KindUnavailable, "", "通知渠道未配置 / notification channels are not configured", nil)
	}
	cp, err := s.Store.ContactPoint(ctx, cpID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	d := store.Delivery{DedupeKey: fmt.Sprintf("test:cp%d:%d", cpID, now.UnixNano()), ContactPointID: cp.ID, Channel: cp.Channel,
		Kind: "test", Title: "督办系统测试消息 / Duban test message", Body: fmt.Sprintf("这是一条测试消息。 / This is a test message. (#%d)", byUser),
		State: store.DeliverySending, UserID: cp.UserID, DepartmentID: cp.DepartmentID}
	if cp.UserID != nil {
		d.Mentions = fmt.Sprintf("[%d]", *cp.UserID)
	}
	if _, err := s.Store.CreateDelivery(ctx, &d); err != nil {
		return nil, err
	}
	sendErr := s.send(ctx, &d)
	state, msg := store.DeliverySent, ""
	if sendErr != nil {
		state, msg = store.DeliveryFailed, sendErr.Error()
	}
	if err := s.Store.FinishDelivery(ctx, d.ID, state, msg, s.now(), nil, false); err != nil {
		return nil, err
	}
	return s.Store.GetDelivery(ctx, d.ID)
}
