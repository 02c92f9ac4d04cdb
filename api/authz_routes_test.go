package api

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/dubanhq/duban/domain"
)

// routeAuthz is what one route authorises: the actions its handler asks, in that order, and
// the one whose refusal it answers 404 (hiding what the caller may not touch), if any.
type routeAuthz struct {
	acts   []Action
	hidden Action
}

func asks(acts ...Action) routeAuthz { return routeAuthz{acts: acts} }

// public routes answer without sign-in.
var public = routeAuthz{}

// routeActions declares every route's authorisation (paths in the OpenAPI form). A route
// missing here fails TestEveryRouteIsAuthorised, so a new route cannot forget it.
var routeActions = map[string]routeAuthz{
	"GET /healthz": public, "GET /readyz": public, "GET /metrics": public, "GET /api/openapi.json": public,
	"POST /api/v1/auth/login": public,

	"POST /api/v1/auth/logout":               asks(ActOwnAccount),
	"GET /api/v1/auth/me":                    asks(ActOwnAccount),
	"POST /api/v1/auth/tokens":               asks(ActOwnAccount),
	"GET /api/v1/auth/tokens":                asks(ActOwnAccount),
	"DELETE /api/v1/auth/tokens/{tid}":       {acts: []Action{ActRevokeToken}, hidden: ActRevokeToken},
	"GET /api/v1/inbox":                      asks(ActOwnAccount),
	"POST /api/v1/inbox/read":                asks(ActOwnAccount),
	"POST /api/v1/users":                     asks(ActManageUsers),
	"PATCH /api/v1/users/{id}":               asks(ActManageUsers),
	"POST /api/v1/users/{id}/password-reset": asks(ActManageUsers),
	"POST /api/v1/auth/password":             asks(ActOwnAccount),
	"GET /api/v1/users":                      asks(ActManageUsers),
	"POST /api/v1/departments":               asks(ActManageDepartments),
	"GET /api/v1/departments":                asks(ActReadDirectory),
	"POST /api/v1/department-groups":         asks(ActManageDepartments),
	"GET /api/v1/department-groups":          asks(ActReadDirectory),
	"GET /api/v1/departments/ranking":        asks(ActReadEscalations),
	"GET /api/v1/calendar":                   asks(ActReadCalendar),
	"GET /api/v1/settings":                   asks(ActReadDirectory),
	"GET /api/v1/calendar/check":             asks(ActReadCalendar),
	"GET /api/v1/calendar/years/{year}":      asks(ActReadCalendar),
	"PUT /api/v1/calendar/years/{year}":      asks(ActManageCalendar),
	"PUT /api/v1/calendar/overrides":         asks(ActManageCalendar),

	"GET /api/v1/departments/usage":              asks(ActManageDepartments),
	"PATCH /api/v1/departments/{id}":             asks(ActManageDepartments),
	"POST /api/v1/departments/{id}/merge":        asks(ActManageDepartments),
	"PATCH /api/v1/department-groups/{id}":       asks(ActManageDepartments),
	"PUT /api/v1/department-groups/{id}/members": asks(ActManageDepartments),
	"DELETE /api/v1/department-groups/{id}":      asks(ActManageDepartments),

	"POST /api/v1/plans/import":                       asks(ActImportPlan),
	"GET /api/v1/plans":                               asks(ActReadPlan),
	"GET /api/v1/plans/{id}":                          asks(ActReadPlan),
	"GET /api/v1/plans/{id}/overview":                 asks(ActReadEscalations),
	"GET /api/v1/plans/{id}/policy":                   asks(ActReadPlan),
	"PUT /api/v1/plans/{id}/policy":                   asks(ActManagePlan),
	"GET /api/v1/plans/{id}/supervisors":              asks(ActReadPlan),
	"POST /api/v1/plans/{id}/supervisors":             asks(ActManageSupervisors),
	"DELETE /api/v1/plans/{id}/supervisors/{user_id}": asks(ActManageSupervisors),
	"POST /api/v1/plans/{id}/assessments":             asks(ActRunAssessment),

	"GET /api/v1/items":                                         asks(ActReadItem),
	"GET /api/v1/items/export":                                  asks(ActReadItem),
	"GET /api/v1/items/{id}":                                    asks(ActReadItem),
	"GET /api/v1/items/{id}/events":                             asks(ActReadItem),
	"GET /api/v1/items/{id}/indicators":                         asks(ActReadItem),
	"POST /api/v1/items/{id}/indicators/readings":               asks(ActReview),
	"POST /api/v1/items/{id}/sign":                              asks(ActActAsDepartment),
	"POST /api/v1/items/{id}/acknowledge":                       asks(ActActAsDepartment),
	"POST /api/v1/items/{id}/reports":                           asks(ActActAsDepartment),
	"POST /api/v1/items/{id}/contributions":                     asks(ActActAsDepartment),
	"POST /api/v1/items/{id}/completion":                        asks(ActActAsDepartment),
	"POST /api/v1/items/{id}/extension-requests":                asks(ActActAsDepartment),
	"POST /api/v1/items/{id}/reviews":                           asks(ActReview),
	"POST /api/v1/items/{id}/extension-requests/{eid}/decision": asks(ActReview),
	"POST /api/v1/items/{id}/instructions":                      asks(ActInstruct),
	"POST /api/v1/items/{id}/reassign":                          asks(ActReview),
	"POST /api/v1/items/{id}/suspend":                           asks(ActReview),
	"POST /api/v1/items/{id}/urge":                              asks(ActReview),
	"POST /api/v1/items/{id}/lead":                              asks(ActReview),
	"POST /api/v1/items/{id}/resume":                            asks(ActReview),
	"POST /api/v1/items/{id}/cancel":                            asks(ActReview),
	"POST /api/v1/items/{id}/subtasks":                          asks(ActSplitItem),
	"POST /api/v1/items/{id}/subtasks/{sid}/complete":           asks(ActSplitItem),
	"POST /api/v1/evaluations":                                  asks(ActOpenEvaluation),
	"GET /api/v1/evaluations":                                   asks(ActOwnAccount),
	"GET /api/v1/evaluations/{id}":                              public, // an evaluator's or a reader's, or a code's (checked in the handler)
	"POST /api/v1/evaluations/{id}/answers":                     public, // likewise
	"GET /api/v1/evaluations/{id}/results":                      asks(ActReadEvaluation),
	"POST /api/v1/attachments":                                  asks(ActUploadAttachment),
	"POST /api/v1/items":                                        asks(ActCreateCase),
	"PUT /api/v1/items/{id}/reply":                              asks(ActReview),
	"POST /api/v1/meetings":                                     asks(ActCreateCase),
	"GET /api/v1/attachments/{aid}":                             asks(ActReadItem),
	"GET /api/v1/decisions":                                     asks(ActReview),
	"GET /api/v1/escalations":                                   asks(ActReadEscalations),
	"GET /api/v1/escalations/{eid}":                             asks(ActReadEscalations),
	"POST /api/v1/escalations/{eid}/ack":                        asks(ActAckEscalation),
	"GET /api/v1/audit":                                         asks(ActReadAudit),

	"GET /api/v1/assessments":                        asks(ActReadAssessment),
	"GET /api/v1/assessments/{aid}":                  asks(ActReadAssessment),
	"GET /api/v1/assessments/{aid}/evidence":         asks(ActReadAssessment, ActReadEvidence),
	"GET /api/v1/assessments/{aid}/export.xlsx":      asks(ActReadAssessment),
	"POST /api/v1/assessments/{aid}/circulars":       asks(ActReadAssessment, ActEditCircular),
	"GET /api/v1/circulars":                          asks(ActReadAssessment),
	"GET /api/v1/circulars/{cid}":                    {acts: []Action{ActReadAssessment, ActReadDrafts}, hidden: ActReadDrafts},
	"PUT /api/v1/circulars/{cid}":                    {acts: []Action{ActReadAssessment, ActReadDrafts, ActEditCircular}, hidden: ActReadDrafts},
	"POST /api/v1/circulars/{cid}/publish":           {acts: []Action{ActReadAssessment, ActReadDrafts, ActEditCircular}, hidden: ActReadDrafts},
	"GET /api/v1/circulars/{cid}/export.docx":        {acts: []Action{ActReadAssessment, ActReadDrafts}, hidden: ActReadDrafts},
	"GET /api/v1/circulars/{cid}/export.xlsx":        {acts: []Action{ActReadAssessment, ActReadDrafts}, hidden: ActReadDrafts},
	"GET /api/v1/accountability":                     asks(ActReadRecords),
	"POST /api/v1/accountability/{rid}/decision":     asks(ActDecideRecord),
	"GET /api/v1/contact-points":                     asks(ActManageContactPoints),
	"POST /api/v1/contact-points":                    asks(ActManageContactPoints),
	"DELETE /api/v1/contact-points/{cid}":            {acts: []Action{ActManageContactPoints}, hidden: ActManageContactPoints},
	"POST /api/v1/contact-points/{cid}/test":         {acts: []Action{ActManageContactPoints}, hidden: ActManageContactPoints},
	"GET /api/v1/deliveries":                         asks(ActReadDeliveries),
	"GET /api/v1/message-templates":                  asks(ActEditTemplates),
	"PUT /api/v1/message-templates/{kind}/{lang}":    asks(ActEditTemplates),
	"DELETE /api/v1/message-templates/{kind}/{lang}": asks(ActEditTemplates),
	"POST /api/v1/message-templates/preview":         asks(ActEditTemplates),
}

// openAPIPath writes echo's /items/:id as the OpenAPI document's /items/{id}.
func openAPIPath(path string) string {
	for _, seg := range strings.Split(path, "/") {
		if strings.HasPrefix(seg, ":") {
			path = strings.Replace(path, seg, "{"+seg[1:]+"}", 1)
		}
	}
	return path
}

// TestEveryRouteIsAuthorised walks every route the server registers: each must be declared
// in routeActions, must answer 401 without sign-in unless public, and must allow or refuse
// every role on every target exactly as decide does for its actions (TestPolicyMatrix pins
// what decide says). So a handler that forgets its check, checks another action or drops a
// scope fails here.
func TestEveryRouteIsAuthorised(t *testing.T) {
	w := newAuthzWorld(t)
	sv := func(planID, userID uint64, listedOnly bool) (bool, error) {
		if listedOnly {
			return w.st.ListsSupervisor(context.Background(), planID, userID)
		}
		return w.st.Supervises(context.Background(), planID, userID)
	}
	registered := map[string]bool{}
	answers := map[string]int{} // "caller route target" → status, for the named cases below
	for _, r := range w.srv.Config.Handler.(*Server).Echo.Routes() {
		if r.Method == "echo_route_not_found" || strings.HasPrefix(r.Name, "github.com/dubanhq/duban/web.") {
			continue // echo's group catch-alls; the UI's shell and assets, which carry no data
		}
		route := routeKey(r.Method, r.Path)
		registered[route] = true
		want, ok := routeActions[route]
		if !ok {
			t.Errorf("route %s declares no action in routeActions", route)
			continue
		}
		if want.acts == nil || route == "POST /api/v1/auth/logout" {
			continue // public; logout ends the session, so it is called below with a spare one
		}
		if got := w.do(r.Method, w.targets(route, w.users["la"])[0].path(route), "", nil).status; got != 401 {
			t.Errorf("%s without sign-in: %d, want 401", route, got)
		}
		for _, name := range []string{"admin", "sup", "boss", "la", "view"} {
			u := w.users[name]
			p := &Principal{UserID: u.ID, Role: domain.Role(u.Role), DepartmentID: deref(u.DepartmentID)}
			for _, tg := range w.targets(route, u) {
				wantStatus := 0 // allowed: anything but 401, 403 or 404
				for _, act := range want.acts {
					if decide(p, act, tg.on, sv) != nil {
						wantStatus = 403
						if act == want.hidden {
							wantStatus = 404
						}
						break
					}
				}
				got := w.send(r.Method, route, tg, w.sessions[name])
				answers[name+" "+route+" "+tg.name] = got
				if wantStatus == 0 && (got == 401 || got == 403 || got == 404) || wantStatus != 0 && got != wantStatus {
					t.Errorf("%s %s on %s: %d, want %s", name, route, tg.name, got, statusWord(wantStatus))
				}
			}
		}
	}
	for route := range routeActions {
		if !registered[route] {
			t.Errorf("routeActions declares %s, which is not a route", route)
		}
	}
	for _, o := range operations { // the document's security marks say the same
		if a, ok := routeActions[o.Method+" "+o.Path]; ok && (a.acts == nil) != o.Public {
			t.Errorf("%s %s: public in the OpenAPI document %v, in routeActions %v", o.Method, o.Path, o.Public, a.acts == nil)
		}
	}
	for _, name := range []string{"admin", "sup", "boss", "la", "view"} {
		if got := w.do("POST", "/api/v1/auth/logout", w.session(name), nil).status; got != 204 {
			t.Errorf("%s logging out: %d", name, got)
		}
	}
	// The scoped cases, by name: they must have been exercised and decided so.
	for key, want := range map[string]int{
		"la POST /api/v1/items/{id}/sign an item of A on plan 1":                     400, // allowed; the body is not a signature
		"la POST /api/v1/items/{id}/sign an item of B on plan 2":                     403,
		"la GET /api/v1/items/{id} an item of B on plan 3":                           403,
		"la GET /api/v1/assessments/{aid}/evidence the evidence of B":                403,
		"sup POST /api/v1/items/{id}/reviews an item of A on plan 1":                 400, // allowed; the body is not a review
		"sup POST /api/v1/items/{id}/reviews an item of B on plan 2":                 403,
		"sup POST /api/v1/items/{id}/reviews an item of B on plan 3":                 400,
		"sup PUT /api/v1/plans/{id}/policy plan 2":                                   403,
		"sup PUT /api/v1/circulars/{cid} the draft circular of plan 2":               403,
		"admin PUT /api/v1/plans/{id}/policy plan 2":                                 422, // allowed; the body is not a policy
		"la DELETE /api/v1/contact-points/{cid} their own contact point":             204,
		"la DELETE /api/v1/contact-points/{cid} someone else's contact point":        404,
		"la DELETE /api/v1/contact-points/{cid} a department's robot":                404,
		"admin DELETE /api/v1/contact-points/{cid} someone else's contact point":     204,
		"boss POST /api/v1/contact-points a department's robot":                      403,
		"view DELETE /api/v1/auth/tokens/{tid} someone else's token":                 404,
		"view GET /api/v1/circulars/{cid} the draft circular of plan 1":              404,
		"admin POST /api/v1/departments/{id}/merge department A":                     400, // allowed; the body is not a merge
		"la POST /api/v1/departments/{id}/merge department A":                        403,
		"admin DELETE /api/v1/department-groups/{id} a group":                        204,
		"sup DELETE /api/v1/department-groups/{id} a group":                          403,
		"sup POST /api/v1/plans/{id}/supervisors plan 3":                             403, // lists no supervisors: no takeover
		"sup DELETE /api/v1/plans/{id}/supervisors/{user_id} plan 3":                 403,
		"sup DELETE /api/v1/plans/{id}/supervisors/{user_id} plan 1":                 204,
		"admin POST /api/v1/plans/{id}/supervisors plan 3":                           400, // allowed; the body is not a user
		"la POST /api/v1/items/{id}/subtasks an item of A on plan 1":                 400, // the lead's liaison; the body is not a sub-task
		"la POST /api/v1/items/{id}/subtasks an item of B on plan 2":                 403,
		"sup POST /api/v1/items/{id}/subtasks an item of B on plan 2":                403,
		"sup POST /api/v1/items/{id}/subtasks/{sid}/complete an item of A on plan 1": 400,
	} {
		if got, ok := answers[key]; !ok || got != want {
			t.Errorf("%s: %d (exercised: %v), want %d", key, got, ok, want)
		}
	}
}

func routeKey(method, path string) string { return method + " " + openAPIPath(path) }

func statusWord(s int) string {
	if s == 0 {
		return "allowed"
	}
	return fmt.Sprint(s)
}

func deref(id *uint64) uint64 {
	if id == nil {
		return 0
	}
	return *id
}
