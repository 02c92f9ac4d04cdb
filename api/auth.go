package api

import (
	"crypto/subtle"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/dubanhq/duban/auth"
	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/store"
)

const (
	sessionCookie = "duban_session"
	csrfCookie    = "duban_csrf"
	principalKey  = "principal"
)

// Principal is the authenticated caller.
type Principal struct {
	UserID       uint64
	Username     string
	DisplayName  string
	Role         domain.Role
	DepartmentID uint64
	TokenID      uint64
	ViaCookie    bool
}

// principal returns the caller, or nil before authn.
func principal(c echo.Context) *Principal {
	p, _ := c.Get(principalKey).(*Principal)
	return p
}

var loginLimiter = auth.NewLoginLimiter()

func init() {
	routeRegistrars = append(routeRegistrars, func(s *Server) {
		s.Echo.POST("/api/v1/auth/login", s.login)
		g := s.Echo.Group("/api/v1/auth", s.authn)
		g.POST("/logout", s.logout)
		g.GET("/me", s.me)
		g.POST("/tokens", s.createToken)
		g.GET("/tokens", s.listTokens)
		g.DELETE("/tokens/:tid", s.revokeToken)
	})
}

// authn accepts a Bearer token (login or API token) or the session cookie; cookie requests
// that change state must carry the CSRF header matching the CSRF cookie.
func (s *Server) authn(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		plain, viaCookie := "", false
		if h := r.Header.Get(echo.HeaderAuthorization); strings.HasPrefix(h, "Bearer ") {
			plain = strings.TrimSpace(strings.TrimPrefix(h, "Bearer "))
		} else if ck, err := r.Cookie(sessionCookie); err == nil {
			plain, viaCookie = ck.Value, true
		}
		if plain == "" {
			return domain.E(domain.KindUnauthenticated, "", "请先登录 / sign in first", nil)
		}
		u, tok, err := s.deps.Store.TokenUser(r.Context(), auth.HashToken(plain), s.deps.Now().UTC())
		if err != nil {
			if domain.KindOf(err) == domain.KindNotFound {
				return domain.E(domain.KindUnauthenticated, "", "登录已失效,请重新登录 / the token is invalid or expired", nil)
			}
			return domain.E(domain.KindUnavailable, "", "数据库暂不可用 / the database is unavailable", err)
		}
		if viaCookie && r.Method != http.MethodGet && r.Method != http.MethodHead {
			ck, err := r.Cookie(csrfCookie)
			h := r.Header.Get("X-CSRF-Token")
			if err != nil || h == "" || subtle.ConstantTimeCompare([]byte(ck.Value), []byte(h)) != 1 {
				return domain.Forbiddenf("缺少或错误的 CSRF 令牌 / missing or wrong CSRF token")
			}
		}
		p := &Principal{UserID: u.ID, Username: u.Username, DisplayName: u.DisplayName, Role: domain.Role(u.Role), TokenID: tok.ID, ViaCookie: viaCookie}
		if u.DepartmentID != nil {
			p.DepartmentID = *u.DepartmentID
		}
		c.Set(principalKey, p)
		return next(c)
	}
}

// userView is what the API shows of a user; never the hash.
type userView struct {
	ID           uint64  `json:"id"`
	Username     string  `json:"username"`
	DisplayName  string  `json:"display_name"`
	Role         string  `json:"role"`
	DepartmentID *uint64 `json:"department_id"`
	IsHead       bool    `json:"is_head"`
	Disabled     bool    `json:"disabled,omitempty"`
}

func viewUser(u *store.User) userView {
	return userView{ID: u.ID, Username: u.Username, DisplayName: u.DisplayName, Role: u.Role, DepartmentID: u.DepartmentID, IsHead: u.IsHead, Disabled: u.Disabled}
}

// viewUsers renders a list of users.
func viewUsers(us []store.User) []userView {
	out := make([]userView, len(us))
	for i := range us {
		out[i] = viewUser(&us[i])
	}
	return out
}

func (s *Server) login(c echo.Context) error {
	var b struct {
		Username string `json:"username"`
		Password string `json:"password"`
	}
	if err := bind(c, &b); err != nil {
		return err
	}
	now, ip := s.deps.Now().UTC(), c.RealIP()
	if !loginLimiter.Allow(b.Username, ip, now) {
		return domain.E(domain.KindRateLimited, "", "登录失败次数过多,请 15 分钟后再试 / too many failed logins, try again in 15 minutes", nil)
	}
	ctx := c.Request().Context()
	u, err := s.deps.Store.UserByUsername(ctx, b.Username)
	if err != nil && domain.KindOf(err) != domain.KindNotFound {
		return err
	}
	if u == nil {
		auth.CheckUnknown(b.Password)
	}
	if u == nil || u.Disabled || !auth.CheckPassword(u.PasswordHash, b.Password) {
		loginLimiter.Fail(b.Username, ip, now)
		return domain.E(domain.KindUnauthenticated, "", "用户名或密码错误 / wrong username or password", nil)
	}
	loginLimiter.Succeed(b.Username, ip)
	plain, hash := auth.NewToken()
	exp := now.Add(s.deps.TokenTTL)
	if err := s.deps.Store.CreateToken(ctx, &store.Token{UserID: u.ID, Hash: hash, Kind: "session", ExpiresAt: &exp}); err != nil {
		return err
	}
	csrf, _ := auth.NewToken()
	secure := c.IsTLS() || c.Scheme() == "https"
	c.SetCookie(&http.Cookie{Name: sessionCookie, Value: plain, Path: "/", HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode, Expires: exp})
	c.SetCookie(&http.Cookie{Name: csrfCookie, Value: csrf, Path: "/", Secure: secure, SameSite: http.SameSiteLaxMode, Expires: exp})
	s.audit(c, u.ID, u.DisplayName, "login", nil)
	return c.JSON(http.StatusOK, map[string]any{"token": plain, "expires_at": exp, "user": viewUser(u)})
}

func (s *Server) logout(c echo.Context) error {
	p := principal(c)
	if err := s.deps.Store.RevokeToken(c.Request().Context(), p.TokenID, s.deps.Now().UTC()); err != nil {
		return err
	}
	for _, n := range []string{sessionCookie, csrfCookie} {
		c.SetCookie(&http.Cookie{Name: n, Value: "", Path: "/", MaxAge: -1})
	}
	s.audit(c, p.UserID, p.DisplayName, "logout", nil)
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) me(c echo.Context) error {
	u, err := s.deps.Store.UserByID(c.Request().Context(), principal(c).UserID)
	if err != nil {
		return err
	}
	v := viewUser(u)
	out := map[string]any{"id": v.ID, "username": v.Username, "display_name": v.DisplayName, "role": v.Role, "department_id": v.DepartmentID, "is_head": v.IsHead}
	return c.JSON(http.StatusOK, out)
}

// createToken issues an API token for integrations; the secret is shown once.
func (s *Server) createToken(c echo.Context) error {
	p := principal(c)
	var b struct {
		Name      string `json:"name"`
		ExpiresIn string `json:"expires_in"`
	}
	if err := bind(c, &b); err != nil {
		return err
	}
	if strings.TrimSpace(b.Name) == "" {
		return domain.Invalidf("name", "请为令牌命名 / name the token")
	}
	t := &store.Token{UserID: p.UserID, Kind: "api", Name: b.Name}
	if b.ExpiresIn != "" {
		d, err := time.ParseDuration(b.ExpiresIn)
		if err != nil || d < time.Minute {
			return domain.Invalidf("expires_in", "应为时长,如 720h / a duration such as 720h")
		}
		exp := s.deps.Now().UTC().Add(d)
		t.ExpiresAt = &exp
	}
	plain, hash := auth.NewToken()
	t.Hash = hash
	if err := s.deps.Store.CreateToken(c.Request().Context(), t); err != nil {
		return err
	}
	s.audit(c, p.UserID, p.DisplayName, "token_created", map[string]any{"token_id": t.ID, "name": b.Name})
	return created(c, map[string]any{"id": t.ID, "token": plain, "name": t.Name, "expires_at": t.ExpiresAt})
}

func (s *Server) listTokens(c echo.Context) error {
	ts, err := s.deps.Store.ListTokens(c.Request().Context(), principal(c).UserID)
	if err != nil {
		return err
	}
	out := []map[string]any{}
	for _, t := range ts {
		if t.Kind == "api" {
			out = append(out, map[string]any{"id": t.ID, "name": t.Name, "expires_at": t.ExpiresAt, "revoked_at": t.RevokedAt, "last_used_at": t.LastUsedAt})
		}
	}
	return c.JSON(http.StatusOK, out)
}

func (s *Server) revokeToken(c echo.Context) error {
	p := principal(c)
	id, err := strconv.ParseUint(c.Param("tid"), 10, 64)
	if err != nil {
		return domain.Invalidf("id", "应为数字 / must be a number")
	}
	t, err := s.deps.Store.TokenByID(c.Request().Context(), id)
	if err != nil || (t.UserID != p.UserID && p.Role != domain.RoleAdmin) {
		return domain.NotFoundf("没有这个令牌 / no such token")
	}
	if err := s.deps.Store.RevokeToken(c.Request().Context(), id, s.deps.Now().UTC()); err != nil {
		return err
	}
	s.audit(c, p.UserID, p.DisplayName, "token_revoked", map[string]any{"token_id": id})
	return c.NoContent(http.StatusNoContent)
}
