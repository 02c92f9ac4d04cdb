package api

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/dubanhq/duban/domain"
)

func init() {
	routeRegistrars = append(routeRegistrars, func(s *Server) {
		g := s.Echo.Group("/api/v1", s.authn)
		g.GET("/plans/:id/policy", s.getPolicy)
		g.PUT("/plans/:id/policy", s.putPolicy)
	})
}

// maxPolicyBytes is what the policy column holds (a MySQL TEXT).
const maxPolicyBytes = 65535

func policyETag(policyJSON string) string {
	h := sha256.Sum256([]byte(policyJSON))
	return `"` + hex.EncodeToString(h[:8]) + `"`
}

// getPolicy returns a plan's supervision policy with its ETag.
func (s *Server) getPolicy(c echo.Context) error {
	if _, err := s.mustAuthorize(c, ActReadPlan); err != nil {
		return err
	}
	id, err := s.planParam(c)
	if err != nil {
		return err
	}
	p, err := s.deps.Store.GetPlan(c.Request().Context(), id)
	if err != nil {
		return err
	}
	c.Response().Header().Set("ETag", policyETag(p.PolicyJSON))
	return c.JSONBlob(http.StatusOK, []byte(p.PolicyJSON))
}

// putPolicy replaces a plan's policy (fields left out keep the defaults). It applies to items
// started from now on; running item workflows keep the policy they started with.
func (s *Server) putPolicy(c echo.Context) error {
	id, err := s.planParam(c)
	if err != nil {
		return err
	}
	p, err := s.authorizeOn(c, ActManagePlan, Resource{Plan: id})
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	plan, err := s.deps.Store.GetPlan(ctx, id)
	if err != nil {
		return err
	}
	if m := c.Request().Header.Get("If-Match"); m != "" && m != "*" && m != policyETag(plan.PolicyJSON) {
		return domain.E(domain.KindPrecondition, "If-Match", "策略已被他人修改，请刷新后重试 / the policy changed since you loaded it; reload and retry", nil)
	}
	raw, err := readJSON(c)
	if err != nil {
		return err
	}
	if len(bytes.TrimSpace(raw)) == 0 { // not "reset to the defaults": say so with {}
		return domain.E(domain.KindMalformed, "", "请求体为空 / the body is empty", nil)
	}
	if !json.Valid(raw) {
		return domain.E(domain.KindMalformed, "", "JSON 格式错误 / malformed JSON", nil)
	}
	policy, err := domain.ParsePolicy(domain.DefaultPolicy(), raw)
	if err != nil {
		return err
	}
	b, _ := json.Marshal(policy)
	if len(b) > maxPolicyBytes {
		return domain.Invalidf("policy", "策略过长（超过 %d 字节） / the policy is longer than %d bytes", maxPolicyBytes, maxPolicyBytes)
	}
	if err := s.deps.Store.SetPlanPolicy(ctx, id, string(b)); err != nil {
		return err
	}
	s.audit(c, p.UserID, p.DisplayName, domain.PlanPolicySet{PlanID: id})
	c.Response().Header().Set("ETag", policyETag(string(b)))
	return c.JSONBlob(http.StatusOK, b)
}
