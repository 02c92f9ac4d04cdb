package api

import (
	"encoding/json"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/dubanhq/duban/auth"
	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/store"
)

// Account administration (账号管理): a user changes their own password; an admin disables or
// enables an account, changes its role or department, or resets its password to a temporary
// one that must be changed at next sign-in. Every change is audited.

func init() {
	routeRegistrars = append(routeRegistrars, func(s *Server) {
		s.Echo.POST("/api/v1/auth/password", s.changePassword, s.authn)
		s.Echo.PATCH("/api/v1/users/:id", s.updateUser, s.authn)
		s.Echo.POST("/api/v1/users/:id/password-reset", s.resetPassword, s.authn)
	})
}

// changeAllowed are the routes a user whose password was reset may still call.
var changeAllowed = map[string]bool{
	"POST /api/v1/auth/password": true, "GET /api/v1/auth/me": true, "POST /api/v1/auth/logout": true,
}

var errMustChange = domain.E(domain.KindPasswordChange, "",
	"管理员已重置您的密码，请先修改密码 / an admin reset your password: change it before anything else", nil)

// changePassword sets the caller's password after checking the current one. Every other
// session and API token of the user is revoked, so a password changed because it leaked
// also ends what the leak gave; the session the change came from stays signed in.
func (s *Server) changePassword(c echo.Context) error {
	p, err := s.mustAuthorize(c, ActOwnAccount)
	if err != nil {
		return err
	}
	var b struct {
		CurrentPassword string `json:"current_password"`
		NewPassword     string `json:"new_password"`
	}
	if err := bind(c, &b); err != nil {
		return err
	}
	ctx, now, ip := c.Request().Context(), s.deps.Now().UTC(), c.RealIP()
	u, err := s.deps.Store.UserByID(ctx, p.UserID)
	if err != nil {
		return err
	}
	// Guessing the current password through this route is limited like logins.
	if !loginLimiter.Attempt(u.Username, ip, now) {
		return domain.E(domain.KindRateLimited, "", "失败次数过多，请 15 分钟后再试 / too many failed attempts, try again in 15 minutes", nil)
	}
	if !auth.CheckPassword(u.PasswordHash, b.CurrentPassword) {
		return domain.Invalidf("current_password", "当前密码不正确 / the current password is wrong")
	}
	loginLimiter.Succeed(u.Username, ip)
	if err := auth.CheckPolicy("new_password", u.Username, b.NewPassword); err != nil {
		return err
	}
	if b.NewPassword == b.CurrentPassword {
		return domain.Invalidf("new_password", "新密码不能与当前密码相同 / the new password must differ from the current one")
	}
	hash, err := auth.HashPassword(b.NewPassword)
	if err != nil {
		return err
	}
	n, err := s.deps.Store.SetPassword(ctx, u.ID, hash, false, p.TokenID, now)
	if err != nil {
		return err
	}
	s.audit(c, p.UserID, p.DisplayName, domain.PasswordChanged{UserID: u.ID, TokensRevoked: n})
	return c.JSON(http.StatusOK, map[string]any{"tokens_revoked": n})
}

// userID reads the :id of a user route.
func userID(c echo.Context) (uint64, error) { return pathID(c, "id") }

// updateUser is an admin's change to an account. It takes effect on the user's next request,
// since authentication reads the user each time: a disabled user is signed out everywhere.
// An admin cannot disable their own account or change their own role, so the last admin
// cannot lock everyone out by a slip.
func (s *Server) updateUser(c echo.Context) error {
	p, err := s.mustAuthorize(c, ActManageUsers)
	if err != nil {
		return err
	}
	id, err := userID(c)
	if err != nil {
		return err
	}
	var b struct {
		Disabled     *bool      `json:"disabled"`
		Role         *string    `json:"role"`
		DepartmentID optionalID `json:"department_id"`
		IsHead       *bool      `json:"is_head"`
		DisplayName  *string    `json:"display_name"`
	}
	if err := bind(c, &b); err != nil {
		return err
	}
	ctx := c.Request().Context()
	cur, err := s.deps.Store.UserByID(ctx, id)
	if err != nil {
		return err
	}
	var ch store.UserChange
	ev := domain.UserUpdated{UserID: id, Username: cur.Username}
	if b.Disabled != nil {
		if id == p.UserID && *b.Disabled {
			return domain.Conflictf("不能停用自己的账号 / you cannot disable your own account")
		}
		ch.Disabled, ev.Disabled = b.Disabled, b.Disabled
	}
	role := domain.Role(cur.Role)
	if b.Role != nil {
		role = domain.Role(*b.Role)
		if !role.Valid() {
			return domain.Invalidf("role", "角色应为 admin、supervisor、leader、liaison 或 viewer / role must be admin, supervisor, leader, liaison or viewer")
		}
		if id == p.UserID && role != domain.Role(cur.Role) {
			return domain.Conflictf("不能修改自己的角色 / you cannot change your own role")
		}
		ch.Role, ev.Role, ev.OldRole = b.Role, role, domain.Role(cur.Role)
	}
	dept := cur.DepartmentID
	if b.DepartmentID.Set {
		dept = b.DepartmentID.ID
		if dept != nil && *dept == 0 {
			dept = nil
		}
		if dept != nil {
			if _, err := s.deps.Store.DepartmentByID(ctx, *dept); err != nil {
				return domain.Invalidf("department_id", "单位不存在 / no such department")
			}
		}
		ch.DepartmentID, ev.DepartmentID, ev.NoDepartment = &dept, dept, dept == nil
	}
	if role == domain.RoleLiaison && dept == nil {
		return domain.Invalidf("department_id", "联络员须属于一个单位 / a liaison needs a department")
	}
	if b.IsHead != nil {
		ch.IsHead, ev.IsHead = b.IsHead, b.IsHead
	}
	if b.DisplayName != nil {
		name := strings.TrimSpace(*b.DisplayName)
		if name == "" || utf8.RuneCountInString(name) > 128 || domain.HasHiddenChars(name) {
			return domain.Invalidf("display_name", "显示名称为 1–128 个字，不含控制字符 / display_name has 1–128 characters and no control characters")
		}
		ch.DisplayName, ev.DisplayName = &name, name
	}
	_, after, err := s.deps.Store.UpdateUser(ctx, id, ch)
	if err != nil {
		return err
	}
	s.audit(c, p.UserID, p.DisplayName, ev)
	return c.JSON(http.StatusOK, viewUser(after))
}

// resetPassword sets a random temporary password, shown in this answer only, that the user
// must change at next sign-in; every session and API token of the user is revoked.
func (s *Server) resetPassword(c echo.Context) error {
	p, err := s.mustAuthorize(c, ActManageUsers)
	if err != nil {
		return err
	}
	id, err := userID(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	u, err := s.deps.Store.UserByID(ctx, id)
	if err != nil {
		return err
	}
	pw := auth.TemporaryPassword()
	hash, err := auth.HashPassword(pw)
	if err != nil {
		return err
	}
	n, err := s.deps.Store.SetPassword(ctx, id, hash, true, 0, s.deps.Now().UTC())
	if err != nil {
		return err
	}
	s.audit(c, p.UserID, p.DisplayName, domain.PasswordReset{UserID: id, Username: u.Username, TokensRevoked: n})
	return c.JSON(http.StatusOK, map[string]any{"temporary_password": pw, "must_change_password": true, "tokens_revoked": n})
}

// optionalID is a JSON field that may be absent (Set false), null or 0 (no department), or
// an id.
type optionalID struct {
	Set bool
	ID  *uint64
}

// UnmarshalJSON records that the field was sent.
func (o *optionalID) UnmarshalJSON(b []byte) error {
	o.Set = true
	if string(b) == "null" {
		return nil
	}
	return json.Unmarshal(b, &o.ID)
}
