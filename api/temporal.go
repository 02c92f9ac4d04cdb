package api

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/dubanhq/duban/domain"
)

// actor describes the caller for the workflow's audit events.
func actor(c echo.Context, p *Principal) domain.Actor {
	return domain.Actor{UserID: p.UserID, Name: p.DisplayName, Role: string(p.Role),
		DepartmentID: p.DepartmentID, RequestID: requestIDOf(c), SourceIP: c.RealIP()}
}

// update sends a workflow Update and waits for its result. The Idempotency-Key header
// becomes the Update ID, so a retried request acts once; without one, each request is its
// own action (the server-made request ID: a client's X-Request-ID is only a label, and two
// different actions sent under the same one must both act).
func (s *Server) update(c echo.Context, it *domain.Item, p *Principal, name string, arg, out any) error {
	if it.Status == domain.StatusPending {
		return domain.Conflictf("事项尚未启动 / the item has not been launched")
	}
	// If-Match with the ETag of GET /items/{id}: act only on the version the user saw.
	if m := c.Request().Header.Get("If-Match"); m != "" && m != "*" && m != etag(it) {
		return domain.E(domain.KindPrecondition, "If-Match", "事项已被他人更新，请刷新后重试 / the item changed since you loaded it; reload and retry", nil)
	}
	key := c.Request().Header.Get("Idempotency-Key")
	if key == "" {
		key = serverIDOf(c)
	} else if len(key) > 100 {
		return domain.Invalidf("Idempotency-Key", "过长 / longer than 100 characters")
	} else if err := s.deps.Store.ClaimIdempotencyKey(c.Request().Context(), p.UserID, key, requestHash(c), s.deps.Now().UTC()); err != nil {
		return err // the key sent before with another request: 422, not the first one's answer
	}
	return s.updateAs(c, it, p, name, key, arg, out)
}

// requestHash identifies what a request asks: its method, path and JSON body (hex SHA-256).
func requestHash(c echo.Context) string {
	h := sha256.New()
	body, _ := c.Get(rawBodyKey).([]byte)
	fmt.Fprintf(h, "%s %s\n", c.Request().Method, c.Request().URL.Path)
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

// updateAs sends an Update to a launched item's workflow under an Update ID made of the
// caller, the Update's name and key. An action that sends Updates to many items (a
// department merge) keys each by what it does, so any retry of it acts once.
func (s *Server) updateAs(c echo.Context, it *domain.Item, p *Principal, name, key string, arg, out any) error {
	if s.deps.Temporal == nil {
		return domain.E(domain.KindUnavailable, "", "工作流服务不可用 / Temporal is not configured", nil)
	}
	// A cluster that is down answers 503 at once rather than after the SDK's retries: the
	// client's connection says so, with no RPC of its own.
	if s.deps.TemporalConn != nil && s.deps.TemporalConn.Down() {
		return domain.E(domain.KindUnavailable, "", "工作流服务暂不可用，请稍后重试 / Temporal is unavailable, retry later", nil)
	}
	wait := s.deps.ActionWait
	if wait <= 0 {
		wait = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(c.Request().Context(), wait)
	defer cancel()
	h, err := s.deps.Temporal.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
		WorkflowID:   it.WorkflowID,
		UpdateName:   name,
		UpdateID:     fmt.Sprintf("u%d:%s:%s", p.UserID, name, key),
		Args:         []any{arg},
		WaitForStage: client.WorkflowUpdateStageCompleted,
	})
	if err == nil {
		err = h.Get(ctx, out)
	}
	// The SDK's own gRPC deadline can fire a moment before ctx's: it reports either as a
	// WorkflowUpdateServiceTimeoutOrCanceledError, sometimes while ctx.Err() is still nil.
	var waited *client.WorkflowUpdateServiceTimeoutOrCanceledError
	if err != nil && (ctx.Err() != nil || errors.As(err, &waited)) {
		// The Update stays admitted: the same request again attaches to it (the Update ID is
		// the same) and returns its result once a worker runs it. Retry-After tells clients
		// (the web UI does) that a retry is safe and expected.
		c.Response().Header().Set("Retry-After", "1")
		return domain.E(domain.KindUnavailable, "", "操作已提交但尚未完成，请用相同的 Idempotency-Key 重试 / the action is still being processed; retry with the same Idempotency-Key", err)
	}
	if err != nil {
		return temporalError(err)
	}
	return nil
}

// temporalError maps an Update or Query failure to a domain error: a validator's rejection
// keeps its kind and message; a missing or finished workflow is a conflict; an unreachable
// cluster is 503.
func temporalError(err error) error {
	var ae *temporal.ApplicationError
	if errors.As(err, &ae) {
		kind := domain.Kind(ae.Type())
		if _, ok := kindStatus[kind]; !ok {
			return domain.E(domain.KindInternal, "", "", err)
		}
		var field string
		if ae.HasDetails() {
			_ = ae.Details(&field)
		}
		return domain.E(kind, field, ae.Message(), err)
	}
	var nf *serviceerror.NotFound
	if errors.As(err, &nf) {
		return domain.E(domain.KindConflict, "", "事项流程已结束 / the item's workflow is no longer running", err)
	}
	var unavailable *serviceerror.Unavailable
	if errors.As(err, &unavailable) || errors.Is(err, context.DeadlineExceeded) {
		return domain.E(domain.KindUnavailable, "", "工作流服务暂不可用，请稍后重试 / Temporal is unavailable, retry later", err)
	}
	return domain.E(domain.KindInternal, "", "", err)
}

// etag is the item's version as an HTTP entity tag.
func etag(it *domain.Item) string { return `"` + strconv.FormatInt(it.Version, 10) + `"` }
