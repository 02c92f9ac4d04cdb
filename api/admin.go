package api

import (
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/dubanhq/duban/auth"
	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/store"
)

func init() {
	routeRegistrars = append(routeRegistrars, func(s *Server) {
		g := s.Echo.Group("/api/v1", s.authn)
		g.POST("/users", s.createUser)
		g.GET("/users", s.listUsers)
		g.POST("/departments", s.createDepartment)
		g.GET("/departments", s.listDepartments)
		g.POST("/department-groups", s.createGroup)
		g.GET("/department-groups", s.listGroups)
	})
}

func (s *Server) createUser(c echo.Context) error {
	p, err := s.mustAuthorize(c, ActManageUsers)
	if err != nil {
		return err
	}
	var b struct {
		Username     string  `json:"username"`
		Password     string  `json:"password"`
		DisplayName  string  `json:"display_name"`
		Role         string  `json:"role"`
		DepartmentID *uint64 `json:"department_id"`
		IsHead       bool    `json:"is_head"`
	}
	if err := bind(c, &b); err != nil {
		return err
	}
	b.Username = strings.TrimSpace(b.Username)
	if err := domain.CheckUsername(b.Username); err != nil {
		return err
	}
	role := domain.Role(b.Role)
	if !role.Valid() {
		return domain.Invalidf("role", "角色应为 admin、supervisor、leader、liaison 或 viewer / role must be admin, supervisor, leader, liaison or viewer")
	}
	ctx := c.Request().Context()
	if b.DepartmentID != nil && *b.DepartmentID == 0 {
		b.DepartmentID = nil
	}
	if b.DepartmentID != nil {
		if _, err := s.deps.Store.DepartmentByID(ctx, *b.DepartmentID); err != nil {
			return domain.Invalidf("department_id", "单位不存在 / no such department")
		}
	} else if role == domain.RoleLiaison {
		return domain.Invalidf("department_id", "联络员须属于一个单位 / a liaison needs a department")
	}
	if b.DisplayName == "" {
		b.DisplayName = b.Username
	}
	if utf8.RuneCountInString(b.DisplayName) > 128 || domain.HasHiddenChars(b.DisplayName) {
		return domain.Invalidf("display_name", "显示名称不超过 128 个字，不含控制字符 / display_name has at most 128 characters and no control characters")
	}
	if err := auth.CheckPolicy("password", b.Username, b.Password); err != nil {
		return err
	}
	hash, err := auth.HashPassword(b.Password)
	if err != nil {
		return err
	}
	u := &store.User{Username: b.Username, DisplayName: b.DisplayName, PasswordHash: hash, Role: string(role), DepartmentID: b.DepartmentID, IsHead: b.IsHead}
	if err := s.deps.Store.CreateUser(ctx, u); err != nil {
		return err
	}
	s.audit(c, p.UserID, p.DisplayName, domain.UserCreated{UserID: u.ID, Username: u.Username, Role: domain.Role(u.Role)})
	return created(c, viewUser(u))
}

func (s *Server) listUsers(c echo.Context) error {
	if _, err := s.mustAuthorize(c, ActManageUsers); err != nil {
		return err
	}
	us, err := s.deps.Store.ListUsers(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, viewUsers(us))
}

func (s *Server) createDepartment(c echo.Context) error {
	p, err := s.mustAuthorize(c, ActManageDepartments)
	if err != nil {
		return err
	}
	var b struct {
		Name    string   `json:"name"`
		Aliases []string `json:"aliases"`
		Kind    string   `json:"kind"`
	}
	if err := bind(c, &b); err != nil {
		return err
	}
	if b.Name, err = adminName(b.Name, aDepartment); err != nil {
		return err
	}
	if b.Aliases, err = departmentAliases(b.Aliases); err != nil {
		return err
	}
	if err := departmentKind(b.Kind); err != nil {
		return err
	}
	d, err := s.deps.Store.CreateDepartment(c.Request().Context(), b.Name, b.Aliases, b.Kind)
	if err != nil {
		return err
	}
	s.audit(c, p.UserID, p.DisplayName, domain.DepartmentCreated{DepartmentID: d.ID, Name: d.Name})
	return created(c, departmentView(*d))
}

func departmentView(d store.Department) map[string]any {
	aliases := d.AliasList()
	if aliases == nil {
		aliases = []string{}
	}
	return map[string]any{"id": d.ID, "name": d.Name, "aliases": aliases, "kind": d.Kind}
}

func (s *Server) listDepartments(c echo.Context) error {
	if _, err := s.mustAuthorize(c, ActReadDirectory); err != nil {
		return err
	}
	ds, err := s.deps.Store.ListDepartments(c.Request().Context())
	if err != nil {
		return err
	}
	out := make([]map[string]any, len(ds))
	for i, d := range ds {
		out[i] = departmentView(d)
	}
	return c.JSON(http.StatusOK, out)
}

func (s *Server) createGroup(c echo.Context) error {
	p, err := s.mustAuthorize(c, ActManageDepartments)
	if err != nil {
		return err
	}
	var b struct {
		Name    string   `json:"name"`
		Members []uint64 `json:"members"`
	}
	if err := bind(c, &b); err != nil {
		return err
	}
	if b.Name, err = adminName(b.Name, aGroup); err != nil {
		return err
	}
	ctx := c.Request().Context()
	if b.Members, err = s.groupMembers(ctx, b.Members); err != nil {
		return err
	}
	g, err := s.deps.Store.CreateGroup(ctx, b.Name, b.Members)
	if err != nil {
		return err
	}
	s.audit(c, p.UserID, p.DisplayName, domain.GroupCreated{GroupID: g.ID, Name: g.Name})
	return created(c, store.GroupView{ID: g.ID, Name: g.Name, Members: b.Members})
}

// distinct returns ids without repeats, in first-seen order.
func distinct(ids []uint64) []uint64 {
	seen := make(map[uint64]bool, len(ids))
	out := ids[:0:0]
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

func (s *Server) listGroups(c echo.Context) error {
	if _, err := s.mustAuthorize(c, ActReadDirectory); err != nil {
		return err
	}
	gs, err := s.deps.Store.ListGroups(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, gs)
}
