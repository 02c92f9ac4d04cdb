package api

import (
	"crypto/subtle"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/dubanhq/duban/auth"
	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/store"
)

const (
	sessionCookie = "duban_session" // the login token, HttpOnly
	csrfCookie    = "duban_csrf"    // readable by scripts, echoed in csrfHeader
	csrfHeader    = "X-CSRF-Token"
	principalKey  = "principal"
)

// Principal is the authenticated caller, set by authn.
type Principal struct {
	UserID       uint64
	Username     string
	DisplayName  string
	Role         domain.Role
	DepartmentID uint64 // 0 when the user belongs to no department
	TokenID      uint64 // the login or API token the request came with
	ViaCookie    bool   // authenticated by the session cookie (so CSRF-checked)
}

// principal returns the caller, or nil on a route without authn.
func principal(c echo.Context) *Principal {
	p, _ := c.Get(principalKey).(*Principal)
	return p
}

// loginLimiter is process-wide: each API replica limits the logins it sees.
var loginLimiter = auth.NewLoginLimiter()

func init() {
	routeRegistrars = append(routeRegistrars, func(s *Server) {
		v1 := s.Echo.Group("/api/v1") // authn per route: a group middleware would also answer 401 for unknown paths
		v1.POST("/auth/login", s.login)
		v1.POST("/auth/logout", s.logout, s.authn)
		v1.GET("/auth/me", s.me, s.authn)
		v1.POST("/auth/tokens", s.createToken, s.authn)
		v1.GET("/auth/tokens", s.listTokens, s.authn)
		v1.DELETE("/auth/tokens/:tid", s.revokeToken, s.authn)
	})
}

var errSignIn = domain.E(domain.KindUnauthenticated, "", "请先登录 / sign in first", nil)

// authn authenticates the request by `Authorization: Bearer <token>` (a login or an API
// token) or by the session cookie, and sets the Principal; otherwise it answers 401. A
// cookie request that may change state must echo the CSRF cookie in X-CSRF-Token (403
// otherwise): a cross-site page can make the browser send the cookie, not read it. Bearer
// requests need no CSRF check, since browsers never attach them by themselves.
func (s *Server) authn(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		plain, viaCookie := bearerToken(r), false
		if plain == "" {
			if ck, err := r.Cookie(sessionCookie); err == nil && ck.Value != "" {
				plain, viaCookie = ck.Value, true
			}
		}
		if plain == "" {
			return errSignIn
		}
		u, tok, err := s.deps.Store.TokenUser(r.Context(), auth.HashToken(plain), s.deps.Now().UTC())
		if domain.KindOf(err) == domain.KindNotFound {
			return domain.E(domain.KindUnauthenticated, "", "登录已失效，请重新登录 / the token is invalid, expired or revoked; sign in again", nil)
		}
		if err != nil {
			return fmt.Errorf("authenticate: %w", err) // 503 when the database is down
		}
		if viaCookie && !safeMethod(r.Method) && !csrfValid(r, plain) {
			return domain.Forbiddenf("缺少或错误的 CSRF 令牌，请刷新页面 / missing or wrong CSRF token; reload the page")
		}
		if u.MustChangePassword && !changeAllowed[r.Method+" "+c.Path()] {
			return errMustChange
		}
		p := &Principal{UserID: u.ID, Username: u.Username, DisplayName: u.DisplayName, Role: domain.Role(u.Role),
			TokenID: tok.ID, ViaCookie: viaCookie}
		if u.DepartmentID != nil {
			p.DepartmentID = *u.DepartmentID
		}
		c.Set(principalKey, p)
		return next(c)
	}
}

// bearerToken returns the token of an `Authorization: Bearer` header (scheme in any case).
func bearerToken(r *http.Request) string {
	scheme, tok, ok := strings.Cut(r.Header.Get(echo.HeaderAuthorization), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(tok)
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// csrfValid is the double-submit check: header equals cookie, and both equal the value
// derived from this session, so a planted cookie cannot match.
func csrfValid(r *http.Request, session string) bool {
	h := r.Header.Get(csrfHeader)
	ck, err := r.Cookie(csrfCookie)
	if err != nil || h == "" {
		return false
	}
	want := auth.CSRFToken(session)
	return subtle.ConstantTimeCompare([]byte(h), []byte(ck.Value)) == 1 &&
		subtle.ConstantTimeCompare([]byte(h), []byte(want)) == 1
}

// login checks a username and password and starts a session: the token in the body (for
// scripts) and in an HttpOnly cookie (for the UI), with the CSRF cookie beside it. Wrong
// username and wrong password look the same; repeated failures are rate-limited.
func (s *Server) login(c echo.Context) error {
	var b struct {
		Username string `json:"username"`
		Password string `json:"password"`
	}
	if err := bind(c, &b); err != nil {
		return err
	}
	ctx, now, ip := c.Request().Context(), s.deps.Now().UTC(), c.RealIP()
	u, err := s.deps.Store.UserByUsername(ctx, b.Username)
	if err != nil && domain.KindOf(err) != domain.KindNotFound {
		return err // the database is down: no attempt counted
	}
	name := b.Username
	if u != nil {
		name = u.Username // the stored spelling, whatever collation matched it
	}
	if !loginLimiter.Attempt(name, ip, now) {
		return domain.E(domain.KindRateLimited, "", "登录失败次数过多，请 15 分钟后再试 / too many failed logins, try again in 15 minutes", nil)
	}
	if u == nil {
		auth.CheckUnknown(b.Password)
	}
	if u == nil || u.Disabled || !auth.CheckPassword(u.PasswordHash, b.Password) {
		s.deps.Logger.Info("login refused", "request_id", requestIDOf(c), "ip", ip, "known_user", u != nil)
		// Audited for a known account (等保: records say whether an attempt succeeded); the
		// limiter above bounds how many rows a guesser can cause. Unknown names only go to
		// the log, so typos of passwords typed into the username box are not kept.
		if u != nil {
			s.audit(c, 0, "", domain.LoginFailed{UserID: u.ID, Username: u.Username, Disabled: u.Disabled})
		}
		return domain.E(domain.KindUnauthenticated, "", "用户名或密码错误 / wrong username or password", nil)
	}
	loginLimiter.Succeed(name, ip)
	plain, hash := auth.NewToken()
	exp := now.Add(s.deps.TokenTTL)
	if err := s.deps.Store.CreateToken(ctx, &store.Token{UserID: u.ID, Hash: hash, Kind: "session", ExpiresAt: &exp}); err != nil {
		return fmt.Errorf("login: %w", err)
	}
	secure := c.IsTLS() || c.Scheme() == "https"
	maxAge := int(s.deps.TokenTTL.Seconds())
	c.SetCookie(&http.Cookie{Name: sessionCookie, Value: plain, Path: "/", HttpOnly: true, Secure: secure,
		SameSite: http.SameSiteLaxMode, Expires: exp, MaxAge: maxAge})
	c.SetCookie(&http.Cookie{Name: csrfCookie, Value: auth.CSRFToken(plain), Path: "/", Secure: secure,
		SameSite: http.SameSiteLaxMode, Expires: exp, MaxAge: maxAge})
	s.audit(c, u.ID, u.DisplayName, domain.Login{})
	return c.JSON(http.StatusOK, map[string]any{"token": plain, "expires_at": exp, "user": viewUser(u), "must_change_password": u.MustChangePassword})
}

// logout revokes the token the request came with and clears the cookies.
func (s *Server) logout(c echo.Context) error {
	p, err := s.mustAuthorize(c, ActOwnAccount)
	if err != nil {
		return err
	}
	if err := s.deps.Store.RevokeToken(c.Request().Context(), p.TokenID, s.deps.Now().UTC()); err != nil {
		return err
	}
	secure := c.IsTLS() || c.Scheme() == "https"
	for _, n := range []string{sessionCookie, csrfCookie} {
		c.SetCookie(&http.Cookie{Name: n, Value: "", Path: "/", MaxAge: -1, HttpOnly: n == sessionCookie,
			Secure: secure, SameSite: http.SameSiteLaxMode})
	}
	s.audit(c, p.UserID, p.DisplayName, domain.Logout{TokenID: p.TokenID})
	return c.NoContent(http.StatusNoContent)
}

// me returns the signed-in user.
func (s *Server) me(c echo.Context) error {
	p, err := s.mustAuthorize(c, ActOwnAccount)
	if err != nil {
		return err
	}
	u, err := s.deps.Store.UserByID(c.Request().Context(), p.UserID)
	if err != nil {
		return err
	}
	v := viewUser(u)
	return c.JSON(http.StatusOK, map[string]any{"id": v.ID, "username": v.Username, "display_name": v.DisplayName,
		"role": v.Role, "department_id": v.DepartmentID, "is_head": v.IsHead, "must_change_password": u.MustChangePassword})
}

// MaxAPITokenTTL is the longest an API token may live: a forgotten integration's token
// stops working within a year.
const MaxAPITokenTTL = 366 * 24 * time.Hour

// maxTokenName is the stored width of a token's name (characters).
const maxTokenName = 128

// createToken issues an API token for an integration; the secret is in this answer only.
// It expires after expires_in (at most MaxAPITokenTTL) or, by default, Deps.APITokenTTL.
// Only a signed-in person may create one: an API token cannot mint another, so revoking a
// leaked token ends the access it gave.
func (s *Server) createToken(c echo.Context) error {
	p, err := s.mustAuthorize(c, ActOwnAccount)
	if err != nil {
		return err
	}
	var b struct {
		Name      string `json:"name"`
		ExpiresIn string `json:"expires_in"`
	}
	if err := bind(c, &b); err != nil {
		return err
	}
	ctx := c.Request().Context()
	cur, err := s.deps.Store.TokenByID(ctx, p.TokenID)
	if err != nil {
		return err
	}
	if cur.Kind == "api" {
		return domain.Forbiddenf("API 令牌不能创建令牌，请登录后创建 / an API token cannot create tokens; sign in to create one")
	}
	b.Name = strings.TrimSpace(b.Name)
	if b.Name == "" || utf8.RuneCountInString(b.Name) > maxTokenName {
		return domain.Invalidf("name", "令牌名称为 1–128 个字 / name the token in 1–128 characters")
	}
	t := &store.Token{UserID: p.UserID, Kind: "api", Name: b.Name}
	d := s.deps.APITokenTTL
	if b.ExpiresIn != "" {
		if d, err = time.ParseDuration(b.ExpiresIn); err != nil || d < time.Minute {
			return domain.Invalidf("expires_in", "应为至少一分钟的时长，如 720h / a duration of at least a minute, such as 720h")
		}
		if d > MaxAPITokenTTL {
			return domain.Invalidf("expires_in", "API 令牌有效期最长一年（8760h） / an API token lives at most a year (8760h)")
		}
	}
	exp := s.deps.Now().UTC().Add(d)
	t.ExpiresAt = &exp
	plain, hash := auth.NewToken()
	t.Hash = hash
	if err := s.deps.Store.CreateToken(ctx, t); err != nil {
		return fmt.Errorf("create token: %w", err)
	}
	s.audit(c, p.UserID, p.DisplayName, domain.TokenCreated{TokenID: t.ID, Name: t.Name, ExpiresAt: t.ExpiresAt})
	return created(c, map[string]any{"id": t.ID, "token": plain, "name": t.Name, "expires_at": t.ExpiresAt})
}

// listTokens lists the caller's API tokens, never their secrets (only hashes are stored).
func (s *Server) listTokens(c echo.Context) error {
	p, err := s.mustAuthorize(c, ActOwnAccount)
	if err != nil {
		return err
	}
	ts, err := s.deps.Store.ListTokens(c.Request().Context(), p.UserID)
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

// revokeToken revokes one of the caller's tokens (an admin may revoke anyone's). Someone
// else's token is "not found", so ids reveal nothing; revoking twice is harmless.
func (s *Server) revokeToken(c echo.Context) error {
	p := principal(c)
	id, err := pathID(c, "tid")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	t, err := s.deps.Store.TokenByID(ctx, id)
	if err != nil && domain.KindOf(err) != domain.KindNotFound {
		return err
	}
	if t == nil || !s.may(c, ActRevokeToken, Resource{Owner: t.UserID}) {
		return domain.NotFoundf("没有这个令牌 / no such token")
	}
	if err := s.deps.Store.RevokeToken(ctx, id, s.deps.Now().UTC()); err != nil {
		return err
	}
	s.audit(c, p.UserID, p.DisplayName, domain.TokenRevoked{TokenID: id, OwnerID: t.UserID})
	return c.NoContent(http.StatusNoContent)
}
