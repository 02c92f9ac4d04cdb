package api

import (
	"github.com/labstack/echo/v4"

	"github.com/dubanhq/duban/domain"
)

// Action is something a user may be allowed to do. Every authorisation decision of the API
// is made in this file, from the table below; handlers only name the action.
type Action string

// Actions.
const (
	ActManageUsers       Action = "manage_users"
	ActManageDepartments Action = "manage_departments" // departments and department groups (单位组)
	ActManageCalendar    Action = "manage_calendar"
	ActImportPlan        Action = "import_plan"
	ActReadPlan          Action = "read_plan"
	ActReadItem          Action = "read_item"
	ActActAsDepartment   Action = "act_as_department" // sign, report, contribute, request extension or completion
	ActReview            Action = "review"            // approve/return, extension decision, reassign, suspend/resume/cancel
	ActInstruct          Action = "instruct"          // leader instruction (批示)
	ActReadEscalations   Action = "read_escalations"
	ActAckEscalation     Action = "ack_escalation"
	ActReadAudit         Action = "read_audit"
	ActEditTemplates     Action = "edit_templates" // outgoing message templates (消息模板)
	ActRunAssessment     Action = "run_assessment" // run an assessment (考核) on demand
	ActReadAssessment    Action = "read_assessment"
	ActEditCircular      Action = "edit_circular" // draft, edit and publish circulars (通报)
	ActReadDrafts        Action = "read_drafts"   // circulars not yet published
	ActReadRecords       Action = "read_records"  // accountability records (追究责任)
	ActDecideRecord      Action = "decide_record"
)

// matrix lists what each role may do.
//
// Admins administer (users, departments, calendar, imports) and may read everything, but
// they do not supervise: no review, instruction or acknowledging escalations, and they never
// act for a department. Every decision on an item then has an accountable person in the
// role the leadership group appointed, and the one all-powerful account cannot quietly
// approve work. Liaisons read plans (the published document) but only their department's
// items, and act only for it. Viewers read plans and items.
var matrix = map[domain.Role]map[Action]bool{
	domain.RoleAdmin: {ActManageUsers: true, ActManageDepartments: true, ActManageCalendar: true, ActImportPlan: true,
		ActReadPlan: true, ActReadItem: true, ActReadEscalations: true, ActReadAudit: true, ActEditTemplates: true,
		ActReadAssessment: true, ActReadDrafts: true, ActReadRecords: true},
	domain.RoleSupervisor: {ActImportPlan: true, ActReadPlan: true, ActReadItem: true, ActReview: true,
		ActReadEscalations: true, ActAckEscalation: true, ActReadAudit: true, ActEditTemplates: true,
		ActRunAssessment: true, ActReadAssessment: true, ActEditCircular: true, ActReadDrafts: true, ActReadRecords: true},
	domain.RoleLeader: {ActReadPlan: true, ActReadItem: true, ActInstruct: true, ActReadEscalations: true,
		ActAckEscalation: true, ActReadAudit: true, ActReadAssessment: true, ActReadDrafts: true, ActReadRecords: true,
		ActDecideRecord: true},
	domain.RoleLiaison: {ActReadPlan: true, ActReadItem: true, ActActAsDepartment: true, ActReadAssessment: true, ActReadRecords: true},
	domain.RoleViewer:  {ActReadPlan: true, ActReadItem: true, ActReadAssessment: true},
}

// departmentScoped actions need the liaison's own department among the deptIDs passed to
// authorize (for an item: its lead and partner departments).
// Liaisons read the assessment's ranking (it is circulated to every unit) but the evidence
// and accountability records of their own department only.
var departmentScoped = map[Action]bool{ActReadItem: true, ActActAsDepartment: true, ActReadRecords: true}

// actionNames say what was refused, zh-CN then English.
var actionNames = map[Action][2]string{
	ActManageUsers:       {"管理用户", "manage users"},
	ActManageDepartments: {"管理单位和单位组", "manage departments and groups"},
	ActManageCalendar:    {"管理工作日历", "manage the working-day calendar"},
	ActImportPlan:        {"导入方案", "import plans"},
	ActReadPlan:          {"查看方案", "read plans"},
	ActReadItem:          {"查看该事项", "read this item"},
	ActActAsDepartment:   {"以单位身份办理", "act for a department"},
	ActReview:            {"审核或决定", "review or decide"},
	ActInstruct:          {"作出批示", "write instructions"},
	ActReadEscalations:   {"查看督办升级", "read escalations"},
	ActAckEscalation:     {"确认督办升级", "acknowledge escalations"},
	ActReadAudit:         {"查看审计日志", "read the audit log"},
	ActEditTemplates:     {"编辑消息模板", "edit message templates"},
	ActRunAssessment:     {"开展考核", "run assessments"},
	ActReadAssessment:    {"查看考核结果", "read assessments"},
	ActEditCircular:      {"起草和印发通报", "draft and publish circulars"},
	ActReadDrafts:        {"查看通报草稿", "read circular drafts"},
	ActReadRecords:       {"查看追责记录", "read accountability records"},
	ActDecideRecord:      {"作出追责决定", "decide accountability"},
}

// authorize decides whether p may do act on something belonging to deptIDs. It returns nil,
// a KindUnauthenticated error for a nil principal, or a KindForbidden error.
func authorize(p *Principal, act Action, deptIDs ...uint64) error {
	if p == nil {
		return errSignIn
	}
	name, ok := actionNames[act]
	if !ok {
		name = [2]string{string(act), string(act)}
	}
	if !matrix[p.Role][act] {
		return domain.Forbiddenf("无权%s / not allowed to %s", name[0], name[1])
	}
	if p.Role == domain.RoleLiaison && departmentScoped[act] && !contains(deptIDs, p.DepartmentID) {
		return domain.Forbiddenf("无权%s:只能办理本单位的事项 / not allowed to %s: only your own department's items", name[0], name[1])
	}
	return nil
}

func contains(ids []uint64, id uint64) bool {
	for _, d := range ids {
		if d != 0 && d == id {
			return true
		}
	}
	return false
}

// mustAuthorize authorises the request's principal (set by authn) for act and returns it.
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
	if p.Role != domain.RoleSupervisor || (act != ActReview && act != ActRunAssessment && act != ActEditCircular) {
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
