package api

import (
	"context"
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/store"
)

// The department group (单位组) routes beyond create and list (admin.go): rename, set the
// members, delete. A group names its members at import: 各县(区)人民政府 → each county.

func init() {
	routeRegistrars = append(routeRegistrars, func(s *Server) {
		g := s.Echo.Group("/api/v1/department-groups/:id", s.authn)
		g.PATCH("", s.renameGroup)
		g.PUT("/members", s.setGroupMembers)
		g.DELETE("", s.deleteGroup)
	})
}

// groupMembers checks that every member is a department and drops repeats (a member listed
// twice is one membership, not a 500), keeping the first-seen order.
func (s *Server) groupMembers(ctx context.Context, ids []uint64) ([]uint64, error) {
	out := append([]uint64{}, distinct(ids)...)
	for _, id := range out {
		if _, err := s.deps.Store.DepartmentByID(ctx, id); errors.Is(err, domain.ErrNotFound) {
			return nil, domain.Invalidf("members", "单位 %d 不存在 / department %d does not exist", id, id)
		} else if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// renameGroup: PATCH {name}.
func (s *Server) renameGroup(c echo.Context) error {
	var b struct {
		Name string `json:"name"`
	}
	return s.changeGroup(c, &b, func() (store.GroupChange, error) {
		name, err := adminName(b.Name, aGroup)
		return store.GroupChange{Name: &name}, err
	})
}

// setGroupMembers: PUT {members}, the whole list.
func (s *Server) setGroupMembers(c echo.Context) error {
	var b struct {
		Members *[]uint64 `json:"members"`
	}
	return s.changeGroup(c, &b, func() (store.GroupChange, error) {
		if b.Members == nil {
			return store.GroupChange{}, domain.Invalidf("members", "请列出成员单位（可为空） / members (a list, possibly empty) is required")
		}
		ids, err := s.groupMembers(c.Request().Context(), *b.Members)
		return store.GroupChange{Members: &ids}, err
	})
}

// changeGroup authorises, reads the body into b, turns it into a change, applies and audits it.
func (s *Server) changeGroup(c echo.Context, b any, change func() (store.GroupChange, error)) error {
	p, id, err := s.manageTarget(c, aGroup)
	if err != nil {
		return err
	}
	if err := bind(c, b); err != nil {
		return err
	}
	ch, err := change()
	if err != nil {
		return err
	}
	g, err := s.deps.Store.UpdateGroup(c.Request().Context(), id, ch)
	if errors.Is(err, domain.ErrNotFound) {
		return domain.NotFoundf("没有这个单位组 / no such group")
	} else if err != nil {
		return err
	}
	s.audit(c, p.UserID, p.DisplayName, domain.GroupUpdated{GroupID: g.ID, Name: g.Name, Members: g.Members})
	return c.JSON(http.StatusOK, g)
}

// deleteGroup removes a group; its departments stay. 204.
func (s *Server) deleteGroup(c echo.Context) error {
	p, id, err := s.manageTarget(c, aGroup)
	if err != nil {
		return err
	}
	g, err := s.deps.Store.DeleteGroup(c.Request().Context(), id)
	if errors.Is(err, domain.ErrNotFound) {
		return domain.NotFoundf("没有这个单位组 / no such group")
	} else if err != nil {
		return err
	}
	s.audit(c, p.UserID, p.DisplayName, domain.GroupDeleted{GroupID: g.ID, Name: g.Name})
	return c.NoContent(http.StatusNoContent)
}
