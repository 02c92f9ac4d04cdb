package api

import (
	"github.com/labstack/echo/v4"

	"github.com/dubanhq/duban/domain"
)

// Action is something a user may be allowed to do. All authorisation is decided here.
type Action string

// Actions.
const (
	ActManageUsers       Action = "manage_users"
	ActManageDepartments Action = "manage_departments"
	ActManageCalendar    Action = "manage_calendar"
	ActImportPlan        Action = "import_plan"
	ActReadPlan          Action = "read_plan"
	ActReadItem          Action = "read_item"
	ActActAsDepartment   Action = "act_as_department" // sign, report, contribute, request extension or completion
	ActReview            Action = "review"            // approve/return, extension decision, reassign, suspend/resume/cancel
	ActInstruct          Action = "instruct"          // 批示
	ActReadEscalations   Action = "read_escalations"
	ActAckEscalation     Action = "ack_escalation"
	ActReadAudit         Action = "read_audit"
)

// matrix lists what each role may do. Admins administer; they do not supervise or act for
// departments, so that every review and instruction has an accountable person in that role.
var matrix = map[domain.Role]map[Action]bool{
	domain.RoleAdmin: {ActManageUsers: true, ActManageDepartments: true, ActManageCalendar: true, ActImportPlan: true,
		ActReadPlan: true, ActReadItem: true, ActReadEscalations: true, ActReadAudit: true},
	domain.RoleSupervisor: {ActImportPlan: true, ActReadPlan: true, ActReadItem: true, ActReview: true,
		ActReadEscalations: true, ActAckEscalation: true, ActReadAudit: true},
	domain.RoleLeader: {ActReadPlan: true, ActReadItem: true, ActInstruct: true, ActReadEscalations: true,
		ActAckEscalation: true, ActReadAudit: true},
	domain.RoleLiaison: {ActReadPlan: true, ActReadItem: true, ActActAsDepartment: true},
	domain.RoleViewer:  {ActReadPlan: true, ActReadItem: true},
}

// departmentScoped actions need the liaison's department among deptIDs.
var departmentScoped = map[Action]bool{ActReadItem: true, ActActAsDepartment: true}

// authorize decides whether p may do act on something belonging to deptIDs.
func authorize(p *Principal, act Action, deptIDs ...uint64) error {
	if p == nil {
		return domain.E(domain.KindUnauthenticated, "", "请先登录 / sign in first", nil)
	}
	if !matrix[p.Role][act] {
		return domain.Forbiddenf("无权进行此操作 / your role may not %s", act)
	}
	if p.Role == domain.RoleLiaison && departmentScoped[act] {
		for _, d := range deptIDs {
			if d != 0 && d == p.DepartmentID {
				return nil
			}
		}
		return domain.Forbiddenf("只能办理本单位的事项 / only your own department's items")
	}
	return nil
}

// mustAuthorize authorises the request's principal.
func (s *Server) mustAuthorize(c echo.Context, act Action, deptIDs ...uint64) (*Principal, error) {
	p := principal(c)
	return p, authorize(p, act, deptIDs...)
}

// authorizePlan adds the plan scope for supervisors: reviewing and deciding happen only on
// the plans they supervise (a plan that lists none is open to every supervisor).
func (s *Server) authorizePlan(c echo.Context, p *Principal, act Action, planID uint64) error {
	if err := authorize(p, act); err != nil {
		return err
	}
	if p.Role != domain.RoleSupervisor || act != ActReview {
		return nil
	}
	ok, err := s.deps.Store.Supervises(c.Request().Context(), planID, p.UserID)
	if err != nil {
		return err
	}
	if !ok {
		return domain.Forbiddenf("您不是该方案的督办员 / you do not supervise this plan")
	}
	return nil
}
