package api

import (
	"github.com/labstack/echo/v4"

	"github.com/dubanhq/duban/domain"
)

// Action is something a user may be allowed to do. Every authorisation decision of the API
// is made in this file, from the policy table below; handlers only name the action and the
// scope facts of what they act on (a Resource), or ask which part of a list they may show.
type Action string

// Actions.
const (
	ActManageUsers       Action = "manage_users"
	ActManageDepartments Action = "manage_departments" // departments and department groups (单位组)
	ActManageCalendar    Action = "manage_calendar"
	ActImportPlan        Action = "import_plan"
	ActManagePlan        Action = "manage_plan" // a plan's supervision policy
	// ActManageSupervisors adds and removes a plan's supervisors (督办员): only its own
	// listed supervisors may, never any supervisor on a plan that lists none (a takeover).
	ActManageSupervisors   Action = "manage_supervisors"
	ActReadPlan            Action = "read_plan"
	ActReadItem            Action = "read_item"
	ActActAsDepartment     Action = "act_as_department" // sign, report, contribute, request extension or completion
	ActReview              Action = "review"            // approve/return, extension decision, reassign, suspend/resume/cancel
	ActInstruct            Action = "instruct"          // leader instruction (批示)
	ActReadEscalations     Action = "read_escalations"
	ActAckEscalation       Action = "ack_escalation"
	ActReadAudit           Action = "read_audit"
	ActEditTemplates       Action = "edit_templates" // outgoing message templates (消息模板)
	ActRunAssessment       Action = "run_assessment" // run an assessment (考核) on demand
	ActReadAssessment      Action = "read_assessment"
	ActReadEvidence        Action = "read_evidence" // the rows behind a department's assessment numbers (考核依据)
	ActEditCircular        Action = "edit_circular" // draft, edit and publish circulars (通报)
	ActReadDrafts          Action = "read_drafts"   // circulars not yet published
	ActReadRecords         Action = "read_records"  // accountability records (追究责任)
	ActDecideRecord        Action = "decide_record"
	ActManageContactPoints Action = "manage_contact_points" // where notices reach someone (联系方式)
	ActReadDeliveries      Action = "read_deliveries"       // sent and failed notices
	ActRevokeToken         Action = "revoke_token"
	ActOwnAccount          Action = "own_account" // the caller's profile, session, API tokens and inbox
	ActReadDirectory       Action = "read_directory"
	ActReadCalendar        Action = "read_calendar"
	// ActSplitItem splits an item into sub-tasks (任务分解) and marks them done: the lead
	// department's liaison (a sub-task's owner too, when completing it) or a supervisor of
	// the plan. Handlers pass the lead (and owner) departments as the resource's.
	ActSplitItem Action = "split_item"
	// ActOpenEvaluation opens a satisfaction-evaluation round (满意度测评), of a plan the
	// supervisor supervises or of a period.
	ActOpenEvaluation Action = "open_evaluation"
	// ActReadEvaluation reads every round and its results (answering needs no action: an
	// evaluator answers a round that names them, an outside respondent with a code).
	ActReadEvaluation   Action = "read_evaluation"
	ActCreateCase       Action = "create_case"       // a single supervision item (督办件) or a meeting's decisions
	ActUploadAttachment Action = "upload_attachment" // a report's files, or a 督办件's scanned original
)

// Scope is how far a role's permission for an action reaches.
type Scope uint8

// Scopes. The zero value refuses, so an action missing from a role's row is refused.
const (
	Nowhere  Scope = iota // not allowed
	Anywhere              // on anything
	// OwnDepartment reaches what belongs to the caller's department (本单位): an item whose
	// lead or partner departments include it, that department's records and attachments.
	OwnDepartment
	// OwnUser reaches what belongs to the caller: their contact points, tokens, deliveries.
	OwnUser
	// SupervisedPlan reaches what belongs to a plan the caller supervises, or to a plan that
	// lists no supervisors (open to every supervisor, as before supervisors are appointed).
	SupervisedPlan
	// ListedPlan reaches only a plan that lists the caller among its supervisors.
	ListedPlan
)

// everyone is what any signed-in user may do, whatever their role; a role's row in policy
// overrides it (admins manage every contact point and token, supervisors read every
// delivery).
var everyone = map[Action]Scope{ActOwnAccount: Anywhere, ActReadDirectory: Anywhere, ActReadCalendar: Anywhere,
	ActManageContactPoints: OwnUser, ActReadDeliveries: OwnUser, ActRevokeToken: OwnUser}

// policy says how far each role's permission for each action reaches.
//
// Admins administer (users, departments, calendar, imports, every contact point and token)
// and may read everything, but they do not supervise: no review, instruction or
// acknowledging escalations, and they never act for a department. Every decision on an item
// then has an accountable person in the role the leadership group appointed, and the one
// all-powerful account cannot quietly approve work. Supervisors review, assess and write
// circulars on the plans they supervise. Liaisons read plans (the published document) and
// the assessment's ranking (it is circulated to every unit), but only their department's
// items, evidence and accountability records, and act only for it. Viewers read plans,
// items and rankings.
var policy = map[domain.Role]map[Action]Scope{
	domain.RoleAdmin: {ActManageUsers: Anywhere, ActManageDepartments: Anywhere, ActManageCalendar: Anywhere,
		ActImportPlan: Anywhere, ActManagePlan: Anywhere, ActManageSupervisors: Anywhere, ActReadPlan: Anywhere, ActReadItem: Anywhere,
		ActReadEscalations: Anywhere, ActReadAudit: Anywhere, ActEditTemplates: Anywhere, ActReadAssessment: Anywhere,
		ActReadEvidence: Anywhere, ActReadDrafts: Anywhere, ActReadRecords: Anywhere,
		ActManageContactPoints: Anywhere, ActReadDeliveries: Anywhere, ActRevokeToken: Anywhere, ActReadEvaluation: Anywhere},
	domain.RoleSupervisor: {ActImportPlan: Anywhere, ActManagePlan: SupervisedPlan, ActManageSupervisors: ListedPlan, ActReadPlan: Anywhere,
		ActReadItem: Anywhere, ActReview: SupervisedPlan, ActReadEscalations: Anywhere, ActAckEscalation: Anywhere,
		ActReadAudit: Anywhere, ActEditTemplates: Anywhere, ActRunAssessment: SupervisedPlan, ActReadAssessment: Anywhere,
		ActReadEvidence: Anywhere, ActEditCircular: SupervisedPlan, ActReadDrafts: Anywhere, ActReadRecords: Anywhere,
		ActReadDeliveries: Anywhere, ActSplitItem: SupervisedPlan, ActOpenEvaluation: SupervisedPlan, ActReadEvaluation: Anywhere, ActCreateCase: Anywhere, ActUploadAttachment: Anywhere},
	domain.RoleLeader: {ActReadPlan: Anywhere, ActReadItem: Anywhere, ActInstruct: Anywhere, ActReadEscalations: Anywhere,
		ActAckEscalation: Anywhere, ActReadAudit: Anywhere, ActReadAssessment: Anywhere, ActReadEvidence: Anywhere,
		ActReadDrafts: Anywhere, ActReadRecords: Anywhere, ActDecideRecord: Anywhere, ActReadEvaluation: Anywhere},
	domain.RoleLiaison: {ActReadPlan: Anywhere, ActReadItem: OwnDepartment, ActActAsDepartment: OwnDepartment, ActUploadAttachment: OwnDepartment,
		ActReadAssessment: Anywhere, ActReadEvidence: OwnDepartment, ActReadRecords: OwnDepartment, ActSplitItem: OwnDepartment},
	domain.RoleViewer: {ActReadPlan: Anywhere, ActReadItem: Anywhere, ActReadAssessment: Anywhere},
}

// actionNames say what was refused, zh-CN then English.
var actionNames = map[Action][2]string{
	ActManageUsers:         {"管理用户", "manage users"},
	ActManageDepartments:   {"管理单位和单位组", "manage departments and groups"},
	ActManageCalendar:      {"管理工作日历", "manage the working-day calendar"},
	ActImportPlan:          {"导入方案", "import plans"},
	ActManagePlan:          {"管理方案的督办策略", "manage a plan's policy"},
	ActManageSupervisors:   {"管理方案的督办员", "manage a plan's supervisors"},
	ActReadPlan:            {"查看方案", "read plans"},
	ActReadItem:            {"查看该事项", "read this item"},
	ActActAsDepartment:     {"以单位身份办理", "act for a department"},
	ActReview:              {"审核或决定", "review or decide"},
	ActInstruct:            {"作出批示", "write instructions"},
	ActReadEscalations:     {"查看督办升级", "read escalations"},
	ActAckEscalation:       {"确认督办升级", "acknowledge escalations"},
	ActReadAudit:           {"查看审计日志", "read the audit log"},
	ActEditTemplates:       {"编辑消息模板", "edit message templates"},
	ActRunAssessment:       {"开展考核", "run assessments"},
	ActReadAssessment:      {"查看考核结果", "read assessments"},
	ActReadEvidence:        {"查看考核依据", "read assessment evidence"},
	ActEditCircular:        {"起草和印发通报", "draft and publish circulars"},
	ActReadDrafts:          {"查看通报草稿", "read circular drafts"},
	ActReadRecords:         {"查看追责记录", "read accountability records"},
	ActDecideRecord:        {"作出追责决定", "decide accountability"},
	ActManageContactPoints: {"管理联系方式", "manage contact points"},
	ActReadDeliveries:      {"查看消息投递记录", "read deliveries"},
	ActRevokeToken:         {"撤销令牌", "revoke tokens"},
	ActOwnAccount:          {"使用本人账号", "use your own account"},
	ActReadDirectory:       {"查看单位目录", "read the department directory"},
	ActReadCalendar:        {"查看工作日历", "read the working-day calendar"},
	ActSplitItem:           {"分解任务（限牵头单位）", "split an item into sub-tasks (its lead only)"},
	ActOpenEvaluation:      {"发起满意度测评", "open satisfaction evaluations"},
	ActReadEvaluation:      {"查看满意度测评结果", "read satisfaction evaluations"},
	ActCreateCase:          {"交办督办件", "create supervision items"},
	ActUploadAttachment:    {"上传附件", "upload attachments"},
}

// Resource holds the scope facts of what an action is done on; a decision reads only the
// facts its scope needs.
type Resource struct {
	Departments []uint64 // the departments it belongs to: an item's lead and partners, a record's department
	Owner       uint64   // the user it belongs to (0: nobody's, e.g. a department's robot)
	Plan        uint64   // the plan it belongs to (0: none, which no supervisor list narrows)
}

// Grant is the policy's answer for one caller and action: its scope, bound to the caller's
// department or user. A list asks for it to know which part to show.
type Grant struct {
	Scope      Scope
	Department uint64 // OwnDepartment: the caller's department (0 when they have none)
	User       uint64 // OwnUser, SupervisedPlan, ListedPlan: the caller
}

// All reports whether the grant reaches everything, so a list needs no narrowing.
func (g Grant) All() bool { return g.Scope == Anywhere }

// None reports whether the grant reaches nothing at all.
func (g Grant) None() bool {
	return g.Scope == Nowhere || g.Scope == OwnDepartment && g.Department == 0
}

// supervision answers whether a user supervises a plan: listed among its supervisors, or,
// unless listedOnly, the plan lists none.
type supervision func(planID, userID uint64, listedOnly bool) (bool, error)

// grant reads the policy for p and act; every decision starts here.
func grant(p *Principal, act Action) Grant {
	sc, ok := policy[p.Role][act]
	if !ok {
		sc = everyone[act]
	}
	g := Grant{Scope: sc}
	switch sc {
	case OwnDepartment:
		g.Department = p.DepartmentID
	case OwnUser, SupervisedPlan, ListedPlan:
		g.User = p.UserID
	}
	return g
}

// decide is the API's one authorisation decision: may p do act on the thing described by
// on? It returns nil, errSignIn for no principal, or a KindForbidden error saying what was
// refused. sv is asked only when a supervised-plan scope meets a plan, so callers whose
// resource names no plan may pass nil.
func decide(p *Principal, act Action, on Resource, sv supervision) error {
	if p == nil {
		return errSignIn
	}
	g := grant(p, act)
	ok := false
	switch g.Scope {
	case Anywhere:
		ok = true
	case OwnDepartment:
		ok = contains(on.Departments, g.Department)
	case OwnUser:
		ok = on.Owner != 0 && on.Owner == g.User
	case SupervisedPlan:
		ok = on.Plan == 0 // of no plan: like a plan that lists no supervisors, no list narrows it
		if !ok {
			var err error
			if ok, err = sv(on.Plan, g.User, false); err != nil {
				return err
			}
		}
	case ListedPlan:
		if on.Plan != 0 {
			var err error
			if ok, err = sv(on.Plan, g.User, true); err != nil {
				return err
			}
		}
	}
	if !ok {
		return refusal(act, g.Scope)
	}
	return nil
}

// refusal says what was refused and, for a scoped permission, where it would reach.
func refusal(act Action, sc Scope) error {
	name, ok := actionNames[act]
	if !ok {
		name = [2]string{string(act), string(act)}
	}
	switch sc {
	case OwnDepartment:
		return domain.Forbiddenf("无权%s：只能办理本单位的事项 / not allowed to %s: only your own department's items", name[0], name[1])
	case OwnUser:
		return domain.Forbiddenf("无权%s：只限本人的 / not allowed to %s: only your own", name[0], name[1])
	case SupervisedPlan, ListedPlan:
		return domain.Forbiddenf("您不是该方案的督办员 / you do not supervise this plan")
	}
	return domain.Forbiddenf("无权%s / not allowed to %s", name[0], name[1])
}

func contains(ids []uint64, id uint64) bool {
	for _, d := range ids {
		if d != 0 && d == id {
			return true
		}
	}
	return false
}

// authorize decides act on something that belongs to deptIDs and to no plan or user. For an
// action a role has everywhere or on supervised plans, no deptIDs asks about the role alone.
func authorize(p *Principal, act Action, deptIDs ...uint64) error {
	return decide(p, act, Resource{Departments: deptIDs}, nil)
}

// supervision asks the store, in the request's context.
func (s *Server) supervision(c echo.Context) supervision {
	return func(planID, userID uint64, listedOnly bool) (bool, error) {
		if listedOnly {
			return s.deps.Store.ListsSupervisor(c.Request().Context(), planID, userID)
		}
		return s.deps.Store.Supervises(c.Request().Context(), planID, userID)
	}
}

// authorizeOn authorises the request's principal (set by authn) for act on the resource on
// and returns it.
func (s *Server) authorizeOn(c echo.Context, act Action, on Resource) (*Principal, error) {
	p := principal(c)
	return p, decide(p, act, on, s.supervision(c))
}

// may reports whether the request's principal may do act on on, for answers that hide what
// the caller may not touch (404 rather than 403) or only shape a response. An error asking
// the store counts as a refusal.
func (s *Server) may(c echo.Context, act Action, on Resource) bool {
	return decide(principal(c), act, on, s.supervision(c)) == nil
}

// mustAuthorize authorises the request's principal for act on something of deptIDs.
func (s *Server) mustAuthorize(c echo.Context, act Action, deptIDs ...uint64) (*Principal, error) {
	return s.authorizeOn(c, act, Resource{Departments: deptIDs})
}

// authorizePlan authorises p for act on something of a plan: for a supervisor, reviewing,
// assessing and writing circulars happen only on the plans they supervise.
func (s *Server) authorizePlan(c echo.Context, p *Principal, act Action, planID uint64) error {
	return decide(p, act, Resource{Plan: planID}, s.supervision(c))
}

// listScope authorises a list of act's resources and says which part of it the caller may
// see: all, one department's or one user's entries. A caller it reaches nowhere is refused
// as decide would refuse them.
func (s *Server) listScope(c echo.Context, act Action) (*Principal, Grant, error) {
	p := principal(c)
	if p == nil {
		return nil, Grant{}, errSignIn
	}
	g := grant(p, act)
	if g.None() {
		return p, g, refusal(act, g.Scope)
	}
	return p, g, nil
}
