package api

import (
	"strings"
	"testing"

	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/store/storetest"
)

// viaWorkflow marks a route whose change is an item's workflow Update: the workflow writes
// the item's event (with actor, request ID and source IP) in the same append-only log.
const viaWorkflow = "workflow"

// routeAudit declares, for every route that changes state, the audit event its handler
// writes, viaWorkflow, or why it writes none ("-" and a reason). A route missing here
// fails TestEveryChangeIsAudited; tests beside each area check the event is written.
var routeAudit = map[string]string{
	"POST /api/v1/auth/login":                         string(domain.EventLogin),
	"POST /api/v1/auth/logout":                        string(domain.EventLogout),
	"POST /api/v1/auth/tokens":                        string(domain.EventTokenCreated),
	"DELETE /api/v1/auth/tokens/{tid}":                string(domain.EventTokenRevoked),
	"POST /api/v1/auth/password":                      string(domain.EventPasswordChanged),
	"POST /api/v1/users":                              string(domain.EventUserCreated),
	"PATCH /api/v1/users/{id}":                        string(domain.EventUserUpdated),
	"POST /api/v1/users/{id}/password-reset":          string(domain.EventPasswordReset),
	"POST /api/v1/departments":                        string(domain.EventDepartmentCreated),
	"PATCH /api/v1/departments/{id}":                  string(domain.EventDepartmentUpdated),
	"POST /api/v1/departments/{id}/merge":             string(domain.EventDepartmentMerged),
	"POST /api/v1/department-groups":                  string(domain.EventGroupCreated),
	"PATCH /api/v1/department-groups/{id}":            string(domain.EventGroupUpdated),
	"PUT /api/v1/department-groups/{id}/members":      string(domain.EventGroupUpdated),
	"DELETE /api/v1/department-groups/{id}":           string(domain.EventGroupDeleted),
	"PUT /api/v1/calendar/years/{year}":               string(domain.EventCalendarYearSet),
	"PUT /api/v1/calendar/overrides":                  string(domain.EventCalendarOverridesSet),
	"POST /api/v1/plans/import":                       string(domain.EventPlanLaunched), // a dry run changes nothing
	"PUT /api/v1/plans/{id}/policy":                   string(domain.EventPlanPolicySet),
	"POST /api/v1/plans/{id}/supervisors":             string(domain.EventPlanSupervisorAdded),
	"DELETE /api/v1/plans/{id}/supervisors/{user_id}": string(domain.EventPlanSupervisorRemoved),
	"POST /api/v1/plans/{id}/assessments":             string(domain.EventAssessmentRun),
	"POST /api/v1/assessments/{aid}/circulars":        string(domain.EventCircularDrafted),
	"PUT /api/v1/circulars/{cid}":                     string(domain.EventCircularEdited),
	"POST /api/v1/circulars/{cid}/publish":            string(domain.EventCircularPublished),
	"POST /api/v1/accountability/{rid}/decision":      string(domain.EventRecordDecided),
	"POST /api/v1/escalations/{eid}/ack":              "escalation_acknowledged",
	"POST /api/v1/contact-points":                     string(domain.EventContactPointCreated),
	"DELETE /api/v1/contact-points/{cid}":             string(domain.EventContactPointDeleted),
	"POST /api/v1/contact-points/{cid}/test":          string(domain.EventContactPointTested),
	"PUT /api/v1/message-templates/{kind}/{lang}":     string(domain.EventTemplateEdited),
	"DELETE /api/v1/message-templates/{kind}/{lang}":  string(domain.EventTemplateReset),
	"POST /api/v1/attachments":                        string(domain.EventAttachmentUploaded),
	"POST /api/v1/items/{id}/lead":                    string(domain.EventLeadSet),
	"POST /api/v1/message-templates/preview":          "- renders sample text, changes nothing",
	"POST /api/v1/inbox/read":                         "- the caller's own read marks, not a change to shared data",
	"POST /api/v1/items":                              string(domain.EventCaseCreated),
	"PUT /api/v1/items/{id}/reply":                    string(domain.EventCaseReplied),
	"POST /api/v1/meetings":                           string(domain.EventMeetingLaunched), // a dry run changes nothing
	"POST /api/v1/evaluations":                        string(domain.EventEvaluationOpened),
	"POST /api/v1/evaluations/{id}/answers":           "- an answer must not be traceable to its evaluator; the ballot table records who (named evaluators) has answered",
	"POST /api/v1/items/{id}/subtasks":                viaWorkflow, "POST /api/v1/items/{id}/subtasks/{sid}/complete": viaWorkflow,

	"POST /api/v1/items/{id}/sign": viaWorkflow, "POST /api/v1/items/{id}/acknowledge": viaWorkflow,
	"POST /api/v1/items/{id}/urge": viaWorkflow, "POST /api/v1/items/{id}/reports": viaWorkflow,
	"POST /api/v1/items/{id}/contributions": viaWorkflow, "POST /api/v1/items/{id}/completion": viaWorkflow,
	"POST /api/v1/items/{id}/reviews": viaWorkflow, "POST /api/v1/items/{id}/extension-requests": viaWorkflow,
	"POST /api/v1/items/{id}/extension-requests/{eid}/decision": viaWorkflow,
	"POST /api/v1/items/{id}/instructions":                      viaWorkflow, "POST /api/v1/items/{id}/reassign": viaWorkflow,
	"POST /api/v1/items/{id}/suspend": viaWorkflow, "POST /api/v1/items/{id}/resume": viaWorkflow,
	"POST /api/v1/items/{id}/cancel": viaWorkflow, "POST /api/v1/items/{id}/indicators/readings": viaWorkflow,
}

// TestEveryChangeIsAudited walks every route the server registers: each one that may change
// state (any method but GET and HEAD) must declare its audit event, which must be a type
// the event registry decodes, or say why it writes none. Tests beside each area check the
// event is written (TestChangePassword, TestAdminUpdatesUser, TestPasswordReset,
// TestAssessmentCircularAndAccountability, TestDepartmentRoutes, …).
func TestEveryChangeIsAudited(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	seen := map[string]bool{}
	for _, r := range f.srv.Config.Handler.(*Server).Echo.Routes() {
		if r.Method == "GET" || r.Method == "HEAD" || r.Method == "echo_route_not_found" || strings.HasPrefix(r.Name, "github.com/dubanhq/duban/web.") {
			continue
		}
		route := routeKey(r.Method, r.Path)
		seen[route] = true
		want, ok := routeAudit[route]
		switch {
		case !ok:
			t.Errorf("%s changes state but declares no audit event in routeAudit", route)
		case want == viaWorkflow || strings.HasPrefix(want, "- "):
		default:
			if _, err := domain.DecodeEvent(domain.EventType(want), []byte(`{"v":1}`)); err != nil && want != "escalation_acknowledged" {
				t.Errorf("%s: %s is not a registered event type: %v", route, want, err)
			}
		}
	}
	for route := range routeAudit {
		if !seen[route] {
			t.Errorf("routeAudit declares %s, which is not a route", route)
		}
	}
}
