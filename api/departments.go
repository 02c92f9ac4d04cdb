package api

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"
	"go.temporal.io/api/serviceerror"

	"github.com/dubanhq/duban/calendar"
	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/store"
	"github.com/dubanhq/duban/workflows"
)

// The department routes beyond create and list (admin.go): rename and aliases (别名), what a
// department holds, and merging a duplicate into another (单位合并).

func init() {
	routeRegistrars = append(routeRegistrars, func(s *Server) {
		g := s.Echo.Group("/api/v1/departments", s.authn)
		g.GET("/usage", s.departmentsUsage)
		g.PATCH("/:id", s.updateDepartment)
		g.POST("/:id/merge", s.mergeDepartment)
	})
}

// adminName trims and checks the name of a department or group (what, zh then en).
func adminName(name string, what [2]string) (string, error) {
	name = strings.TrimSpace(name)
	if n := utf8.RuneCountInString(name); n == 0 || n > 100 {
		return "", domain.Invalidf("name", "%s名称为 1–100 个字 / name must be 1–100 characters", what[0])
	}
	if domain.HasHiddenChars(name) {
		return "", domain.Invalidf("name", "%s名称不能含控制字符或双向文本控制符 / the name must not contain control or bidi characters", what[0])
	}
	return name, nil
}

// departmentAliases trims and checks a department's aliases; the store folds them and drops
// repeats.
func departmentAliases(aliases []string) ([]string, error) {
	if len(aliases) > 50 {
		return nil, domain.Invalidf("aliases", "别名不超过 50 个 / at most 50 aliases")
	}
	out := make([]string, len(aliases))
	for i, a := range aliases {
		if err := domain.CheckDepartmentName(fmt.Sprintf("aliases[%d]", i), a); err != nil {
			return nil, err
		}
		out[i] = strings.TrimSpace(a)
	}
	return out, nil
}

func departmentKind(kind string) error {
	if utf8.RuneCountInString(kind) > 32 {
		return domain.Invalidf("kind", "类别不超过 32 个字 / kind has at most 32 characters")
	}
	return nil
}

// manageTarget authorises the caller to manage departments and groups and reads the id of
// the department or group (what, zh then en) in the path.
func (s *Server) manageTarget(c echo.Context, what [2]string) (*Principal, uint64, error) {
	p, err := s.mustAuthorize(c, ActManageDepartments)
	if err != nil {
		return nil, 0, err
	}
	id, err := pathID(c, "id")
	if err != nil {
		return nil, 0, err
	}
	return p, id, nil
}

var (
	aDepartment = [2]string{"单位", "department"}
	aGroup      = [2]string{"单位组", "group"}
)

// updateDepartment renames a department or replaces its aliases or kind: PATCH {name, aliases,
// kind}, each optional. A name or alias another department has is a 409 naming it.
func (s *Server) updateDepartment(c echo.Context) error {
	p, id, err := s.manageTarget(c, aDepartment)
	if err != nil {
		return err
	}
	var b struct {
		Name    *string   `json:"name"`
		Aliases *[]string `json:"aliases"`
		Kind    *string   `json:"kind"`
	}
	if err := bind(c, &b); err != nil {
		return err
	}
	ch := store.DepartmentChange{Kind: b.Kind}
	if b.Name != nil {
		name, err := adminName(*b.Name, aDepartment)
		if err != nil {
			return err
		}
		ch.Name = &name
	}
	if b.Aliases != nil {
		aliases, err := departmentAliases(*b.Aliases)
		if err != nil {
			return err
		}
		ch.Aliases = &aliases
	}
	if b.Kind != nil {
		if err := departmentKind(*b.Kind); err != nil {
			return err
		}
	}
	before, after, err := s.deps.Store.UpdateDepartment(c.Request().Context(), id, ch)
	if errors.Is(err, domain.ErrNotFound) {
		return domain.NotFoundf("没有这个单位 / no such department")
	}
	if err != nil {
		return err
	}
	if *before != *after {
		ev := domain.DepartmentUpdated{DepartmentID: id, Name: after.Name, Aliases: after.AliasList()}
		if before.Name != after.Name {
			ev.OldName = before.Name
		}
		s.audit(c, p.UserID, p.DisplayName, ev)
	}
	return c.JSON(http.StatusOK, departmentView(*after))
}

// departmentsUsage answers what each department holds (items, users, groups), for an admin
// deciding a merge.
func (s *Server) departmentsUsage(c echo.Context) error {
	if _, err := s.mustAuthorize(c, ActManageDepartments); err != nil {
		return err
	}
	ctx := c.Request().Context()
	ds, err := s.deps.Store.ListDepartments(ctx)
	if err != nil {
		return err
	}
	usage, err := s.deps.Store.DepartmentsUsage(ctx)
	if err != nil {
		return err
	}
	type row struct {
		DepartmentID uint64 `json:"department_id"`
		store.DepartmentUsage
	}
	out := make([]row, len(ds))
	for i, d := range ds {
		out[i] = row{DepartmentID: d.ID, DepartmentUsage: usage[d.ID]}
	}
	return c.JSON(http.StatusOK, out)
}

// mergeView is the answer of a merge, first or retried.
type mergeView struct {
	Department struct {
		ID   uint64 `json:"id"`
		Name string `json:"name"`
	} `json:"department"`
	Into       map[string]any `json:"into"`
	Items      int            `json:"items"`
	Reassigned int            `json:"reassigned"`
	Users      int            `json:"users"`
	MergedAt   time.Time      `json:"merged_at"`
	MergedBy   string         `json:"merged_by"`
}

// mergeDepartment merges the path's department, a duplicate, into another: POST {into}. The
// items it has a share in whose workflows run get their parties changed first, by the
// workflow's reassign Update as the admin, with the reason "单位合并：A 并入 B"; then every
// row naming it moves to the target in one transaction (store.MergeDepartment), audited. A
// retried merge answers the first one's result and does nothing more. Suspended items and
// items without a lead cannot be reassigned: the merge is refused, naming them, before
// anything changes.
func (s *Server) mergeDepartment(c echo.Context) error {
	p, id, err := s.manageTarget(c, aDepartment)
	if err != nil {
		return err
	}
	var b struct {
		Into uint64 `json:"into"`
	}
	if err := bind(c, &b); err != nil {
		return err
	}
	if b.Into == 0 {
		return domain.Invalidf("into", "请选择要并入的单位 / into (a department id) is required")
	}
	if b.Into == id {
		return domain.Invalidf("into", "不能并入自身 / a department cannot be merged into itself")
	}
	ctx := c.Request().Context()
	if prior, err := s.deps.Store.DepartmentMergeOf(ctx, id); err == nil {
		return s.mergeAnswer(c, prior, b.Into)
	} else if !errors.Is(err, domain.ErrNotFound) {
		return err
	}
	from, err := s.deps.Store.DepartmentByID(ctx, id)
	if errors.Is(err, domain.ErrNotFound) {
		return domain.NotFoundf("没有这个单位 / no such department")
	} else if err != nil {
		return err
	}
	into, err := s.deps.Store.DepartmentByID(ctx, b.Into)
	if errors.Is(err, domain.ErrNotFound) {
		return domain.Invalidf("into", "单位 %d 不存在 / department %d does not exist", b.Into, b.Into)
	} else if err != nil {
		return err
	}
	items, err := s.deps.Store.DepartmentItems(ctx, id)
	if err != nil {
		return err
	}
	if err := mergeBlockers(items, from.ID, into.ID); err != nil {
		return err
	}
	reason := fmt.Sprintf("单位合并：%s 并入 %s", from.Name, into.Name)
	reassigned := 0
	for i := range items {
		it := &items[i]
		if it.Status == domain.StatusPending || !it.Status.Open() {
			continue // not started or closed: its rows are all there is
		}
		lead, partners := domain.MergedParties(it.Assignments, from.ID, into.ID)
		in := workflows.ReassignInput{Acting: workflows.Acting{Actor: actor(c, p)}, Lead: lead, Partners: partners,
			Reason: reason, Names: map[uint64]string{into.ID: into.Name}}
		err := s.updateAs(c, it, p, workflows.UpdateReassign, fmt.Sprintf("merge-%d-%d", from.ID, into.ID), in, nil)
		var gone *serviceerror.NotFound
		if errors.As(err, &gone) {
			continue // its workflow ended meanwhile: its rows are all there is
		}
		if err != nil {
			return fmt.Errorf("reassigning item %d: %w", it.ID, err)
		}
		reassigned++
	}
	// Whole seconds: a retry answers the stored time, which every database keeps exactly.
	m := store.DepartmentMerge{FromID: from.ID, IntoID: into.ID, Reassigned: reassigned, ActorID: p.UserID, Actor: p.DisplayName,
		At: s.deps.Now().UTC().Truncate(time.Second)}
	done, _, err := s.deps.Store.MergeDepartment(ctx, m, s.auditEntry(c, p.UserID, p.DisplayName))
	if err != nil {
		return err
	}
	return s.mergeAnswer(c, done, b.Into)
}

// mergeBlockers refuses a merge that would have to reassign a suspended item (its workflow
// takes no reassignment until resumed) or an item left without a lead.
func mergeBlockers(items []domain.Item, from, into uint64) error {
	var suspended, leadless []string
	for _, it := range items {
		name := strings.TrimSpace(it.Ref + " " + it.Title)
		if it.Status == domain.StatusSuspended {
			suspended = append(suspended, name)
		} else if lead, _ := domain.MergedParties(it.Assignments, from, into); len(lead) == 0 && it.Status != domain.StatusPending && it.Status.Open() {
			leadless = append(leadless, name)
		}
	}
	if len(suspended) > 0 {
		return domain.Conflictf("以下事项已暂停，须由督办员恢复后才能合并：%s / these items are suspended; a supervisor must resume them before the merge: %s",
			strings.Join(suspended, "、"), strings.Join(suspended, ", "))
	}
	if len(leadless) > 0 {
		return domain.Conflictf("以下事项没有牵头单位，须由督办员指定后才能合并：%s / these items have no lead department; a supervisor must pick one before the merge: %s",
			strings.Join(leadless, "、"), strings.Join(leadless, ", "))
	}
	return nil
}

// mergeAnswer answers a merge's record: 200, or 409 when the department was merged into
// another department than the one asked now.
func (s *Server) mergeAnswer(c echo.Context, m *store.DepartmentMerge, asked uint64) error {
	into, err := s.deps.Store.DepartmentByID(c.Request().Context(), m.IntoID)
	if err != nil && !errors.Is(err, domain.ErrNotFound) {
		return err
	}
	if into == nil { // merged on since
		into = &store.Department{ID: m.IntoID, Aliases: "[]"}
	}
	if m.IntoID != asked {
		day := m.At.In(calendar.Shanghai).Format(time.DateOnly)
		return domain.Conflictf("单位「%s」已于 %s 并入「%s」 / %s was already merged into %s on %s", m.FromName, day, into.Name, m.FromName, into.Name, day)
	}
	v := mergeView{Into: departmentView(*into), Items: m.Items, Reassigned: m.Reassigned, Users: m.Users,
		MergedAt: m.At.UTC(), MergedBy: m.Actor}
	v.Department.ID, v.Department.Name = m.FromID, m.FromName
	return c.JSON(http.StatusOK, v)
}
