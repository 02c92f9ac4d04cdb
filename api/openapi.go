package api

import (
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"
)

// op documents one route. Body and Resp name component schemas; List wraps Resp in an
// array; Status is the success status (204 has no body).
type op struct {
	Method, Path, Tag, Summary string
	Body, Resp                 string
	Status                     int
	List, Public               bool
}

// operations is every route the API serves. A test fails when a registered route is
// missing here, and API tests validate their responses against the document.
var operations = []op{
	{"GET", "/healthz", "health", "Process is up", "", "Health", 200, false, true},
	{"GET", "/readyz", "health", "Database, Temporal and a worker are usable (503 names what is not)", "", "Health", 200, false, true},
	{"GET", "/api/openapi.json", "meta", "This document", "", "OpenAPI", 200, false, true},
	{"POST", "/api/v1/auth/login", "auth", "Sign in (rate-limited)", "Login", "Session", 200, false, true},
	{"POST", "/api/v1/auth/logout", "auth", "Revoke the current token", "", "", 204, false, false},
	{"GET", "/api/v1/auth/me", "auth", "The signed-in user", "", "Me", 200, false, false},
	{"POST", "/api/v1/auth/tokens", "auth", "Create an API token (shown once); expires_in defaults to auth.api_token_ttl (90 days), at most 8784h", "TokenRequest", "NewToken", 201, false, false},
	{"GET", "/api/v1/auth/tokens", "auth", "My API tokens", "", "TokenInfo", 200, true, false},
	{"DELETE", "/api/v1/auth/tokens/{tid}", "auth", "Revoke an API token", "", "", 204, false, false},
	{"POST", "/api/v1/auth/password", "auth", "Change my password (the current one needed; policy: ≥10 characters, letters and digits, not the username); my other sessions and API tokens are revoked", "PasswordChange", "PasswordChanged", 200, false, false},
	{"POST", "/api/v1/users", "admin", "Create a user (username unique by case, width and look-alike letters; password policy as above)", "NewUser", "User", 201, false, false},
	{"PATCH", "/api/v1/users/{id}", "admin", "Disable or enable an account, change its role, department, head flag or display name (effective on the user's next request)", "UserPatch", "User", 200, false, false},
	{"POST", "/api/v1/users/{id}/password-reset", "admin", "Set a temporary password (shown once) that must be changed at next sign-in; revokes the user's sessions and API tokens", "", "PasswordResetResult", 200, false, false},
	{"GET", "/api/v1/users", "admin", "List users", "", "User", 200, true, false},
	{"GET", "/api/v1/departments/ranking", "admin", "Departments by on-time rate, overdue, returns and escalations", "", "Ranking", 200, true, false},
	{"POST", "/api/v1/plans/import", "plans", "Preview (dry_run) or launch a plan; JSON or multipart file", "ImportRequest", "ImportResult", 201, false, false},
	{"GET", "/api/v1/plans", "plans", "List plans", "", "Plan", 200, true, false},
	{"GET", "/api/v1/plans/{id}", "plans", "A plan with its policy", "", "Plan", 200, false, false},
	{"GET", "/api/v1/plans/{id}/overview", "plans", "Progress by section and indicators against the pro-rata expectation (序时进度)", "", "Overview", 200, false, false},
	{"GET", "/api/v1/plans/{id}/policy", "plans", "The plan's supervision policy (ETag)", "", "Policy", 200, false, false},
	{"PUT", "/api/v1/plans/{id}/policy", "plans", "Replace the policy for items started from now on (If-Match)", "Policy", "Policy", 200, false, false},
	{"GET", "/api/v1/plans/{id}/supervisors", "plans", "The plan's supervisors (督办员)", "", "User", 200, true, false},
	{"POST", "/api/v1/plans/{id}/supervisors", "plans", "Add a supervisor to the plan (admin, or a supervisor the plan lists); answers the added supervisor", "PlanSupervisorAdd", "User", 201, false, false},
	{"DELETE", "/api/v1/plans/{id}/supervisors/{user_id}", "plans", "Take a supervisor off the plan (admin, or a supervisor the plan lists)", "", "", 204, false, false},
	{"GET", "/api/v1/settings", "meta", "What printed forms need: the issuing office and the circular number prefix; the default ladder's levels", "", "Settings", 200, false, false},
	{"GET", "/api/v1/items", "items", "Items with filters and cursor pagination", "", "ItemList", 200, false, false},
	{"GET", "/api/v1/items/export", "items", "The filtered list as the ledger (台账): ?format=xlsx (default), csv, or json (header and rows, for the printed page)", "", "", 200, false, false},
	{"GET", "/api/v1/items/{id}", "items", "An item with its submissions waiting for review and extension requests (ETag)", "", "Item", 200, false, false},
	{"GET", "/api/v1/items/{id}/events", "items", "The item's audit timeline", "", "Event", 200, true, false},
	{"POST", "/api/v1/items/{id}/sign", "actions", "Sign for the assignment (签收)", "", "Status", 200, false, false},
	{"POST", "/api/v1/items/{id}/lead", "actions", "Pick the lead of an item whose list named none (待指定牵头单位) and start it", "SetLead", "LeadSet", 200, false, false},
	{"POST", "/api/v1/items/{id}/urge", "actions", "催办 by hand: sent now to every department that owes something (an urged event; not a rung)", "Urge", "Status", 202, false, false},
	{"POST", "/api/v1/items/{id}/acknowledge", "actions", "Acknowledge the reminder of the department's current deadline (收到提醒)", "", "Status", 200, false, false},
	{"POST", "/api/v1/items/{id}/reports", "actions", "Report progress (进展报送)", "Submission", "Created", 201, false, false},
	{"POST", "/api/v1/items/{id}/contributions", "actions", "Partner contribution (协办反馈)", "Submission", "Created", 201, false, false},
	{"POST", "/api/v1/items/{id}/completion", "actions", "Request completion (申请办结)", "Submission", "Created", 201, false, false},
	{"POST", "/api/v1/items/{id}/reviews", "actions", "Approve or return a submission (审核)", "Review", "Reviewed", 200, false, false},
	{"POST", "/api/v1/items/{id}/extension-requests", "actions", "Request an extension (申请延期)", "ExtensionRequest", "Created", 201, false, false},
	{"POST", "/api/v1/items/{id}/extension-requests/{eid}/decision", "actions", "Decide an extension (延期审批): approve or not, optionally with another new deadline", "ExtensionDecision", "ExtensionDecided", 200, false, false},
	{"POST", "/api/v1/items/{id}/instructions", "actions", "Leader instruction (批示)", "Instruction", "Status", 201, false, false},
	{"POST", "/api/v1/items/{id}/reassign", "actions", "Replace lead and partners (改派)", "Reassign", "Reassigned", 200, false, false},
	{"POST", "/api/v1/items/{id}/suspend", "actions", "Suspend (暂停)", "Reason", "Status", 200, false, false},
	{"POST", "/api/v1/items/{id}/resume", "actions", "Resume (恢复)", "Reason", "Status", 200, false, false},
	{"POST", "/api/v1/items/{id}/cancel", "actions", "Cancel (撤销)", "Reason", "Status", 200, false, false},
	{"POST", "/api/v1/attachments", "actions", "Upload a report attachment (multipart file, ≤10 MB)", "", "AttachmentInfo", 201, false, false},
	{"GET", "/api/v1/attachments/{aid}", "actions", "Download an attachment", "", "", 200, false, false},
	{"GET", "/api/v1/inbox", "inbox", "My notifications", "", "Inbox", 200, false, false},
	{"POST", "/api/v1/inbox/read", "inbox", "Mark notifications read (all when ids is empty)", "MarkRead", "MarkedRead", 200, false, false},
	{"GET", "/api/v1/decisions", "items", "What waits for my decision: reports and completion requests to review, extension requests (the plans I supervise)", "", "Decisions", 200, false, false},
	{"GET", "/api/v1/escalations", "escalations", "Escalations (filter level, department, unacked)", "", "Escalation", 200, true, false},
	{"GET", "/api/v1/escalations/{eid}", "escalations", "One escalation, for its printed 督办通知", "", "Escalation", 200, false, false},
	{"POST", "/api/v1/escalations/{eid}/ack", "escalations", "Acknowledge an escalation", "", "EscalationAcked", 200, false, false},
	{"GET", "/api/v1/audit", "audit", "The audit log (actor, time, source IP, request ID)", "", "AuditEvent", 200, true, false},
	{"GET", "/api/v1/contact-points", "notify", "Contact points (admin: all; others: their own); secrets never shown", "", "ContactPoint", 200, true, false},
	{"POST", "/api/v1/contact-points", "notify", "Add a contact point: a user's email, mobile or chat id; a department's robot; a system webhook", "NewContactPoint", "ContactPoint", 201, false, false},
	{"DELETE", "/api/v1/contact-points/{cid}", "notify", "Remove a contact point", "", "", 204, false, false},
	{"POST", "/api/v1/contact-points/{cid}/test", "notify", "Send a test message now; answers the recorded delivery", "", "Delivery", 200, false, false},
	{"GET", "/api/v1/deliveries", "notify", "Deliveries with status and last error (filter item_id, state, channel)", "", "Delivery", 200, true, false},
	{"GET", "/api/v1/message-templates", "notify", "Message templates per kind and language, with the built-in default", "", "MessageTemplate", 200, true, false},
	{"PUT", "/api/v1/message-templates/{kind}/{lang}", "notify", "Edit a message template (checked before it is saved)", "TemplateText", "MessageTemplate", 200, false, false},
	{"DELETE", "/api/v1/message-templates/{kind}/{lang}", "notify", "Restore the built-in template", "", "", 204, false, false},
	{"POST", "/api/v1/message-templates/preview", "notify", "Render a template text with sample data", "TemplatePreviewRequest", "TemplatePreview", 200, false, false},
	{"GET", "/api/v1/items/{id}/indicators", "items", "Indicators (指标) with their values over time, pro-rata expectation, forecast and status", "", "ItemIndicators", 200, false, false},
	{"POST", "/api/v1/items/{id}/indicators/readings", "actions", "Record an indicator value by hand (supervisor); answers the updated indicators", "IndicatorReading", "ItemIndicators", 201, false, false},
}

var (
	docOnce sync.Once
	doc     map[string]any
)

// OpenAPI returns the OpenAPI 3 document of the API.
func OpenAPI() map[string]any {
	docOnce.Do(func() {
		paths := map[string]any{}
		for _, o := range operations {
			item, _ := paths[o.Path].(map[string]any)
			if item == nil {
				item = map[string]any{}
				paths[o.Path] = item
			}
			item[strings.ToLower(o.Method)] = o.operation()
		}
		doc = map[string]any{
			"openapi": "3.0.3",
			"info": map[string]any{"title": "Duban (督办) API", "version": "1",
				"description": "Inter-department task supervision. Errors are application/problem+json; detail follows Accept-Language (zh-CN or en). After an admin's password reset every route but POST /api/v1/auth/password, GET /api/v1/auth/me and POST /api/v1/auth/logout answers 403 with type https://duban.dev/problems/password-change-required."},
			"servers": []any{map[string]any{"url": "/"}},
			"paths":   paths,
			"components": map[string]any{
				"schemas": mergeSchemas(components(), actionSchemas(), assessSchemas(), adminSchemas(), workSchemas(), caseSchemas()),
				"securitySchemes": map[string]any{
					"bearer": map[string]any{"type": "http", "scheme": "bearer"},
					"cookie": map[string]any{"type": "apiKey", "in": "cookie", "name": sessionCookie},
				},
			},
		}
	})
	return doc
}

func (o op) operation() map[string]any {
	problem := map[string]any{"description": "problem", "content": map[string]any{"application/problem+json": map[string]any{"schema": ref("Problem")}}}
	ok := map[string]any{"description": "success"}
	if o.Resp != "" {
		s := ref(o.Resp)
		if o.List {
			s = arr(s)
		}
		ok["content"] = map[string]any{"application/json": map[string]any{"schema": s}}
	}
	if o.Path == "/api/v1/attachments/{aid}" {
		ok["content"] = map[string]any{"application/octet-stream": map[string]any{"schema": map[string]any{"type": "string", "format": "binary"}}}
	}
	if o.Path == "/api/v1/items/export" {
		file := map[string]any{"schema": map[string]any{"type": "string", "format": "binary"}}
		ok["content"] = map[string]any{"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": file, "text/csv": file,
			"application/json": map[string]any{"schema": obj(schema{"header": arr(str()), "rows": arr(anyObject())}, "header", "rows")}}
	}
	responses := map[string]any{strconv.Itoa(o.Status): ok, "default": problem}
	if o.Path == "/api/v1/plans/import" || o.Path == "/api/v1/meetings" {
		responses["200"] = ok // dry run, or the same document launched again
	}
	if o.Path == "/readyz" {
		responses["503"] = map[string]any{"description": "not ready", "content": map[string]any{"application/json": map[string]any{"schema": ref("Health")}}}
	}
	m := map[string]any{"tags": []string{o.Tag}, "summary": o.Summary, "responses": responses}
	var params []any
	for _, seg := range strings.Split(o.Path, "/") {
		if strings.HasPrefix(seg, "{") {
			params = append(params, map[string]any{"name": strings.Trim(seg, "{}"), "in": "path", "required": true, "schema": str()})
		}
	}
	if o.Method == "POST" && strings.HasPrefix(o.Path, "/api/v1/items/{id}/") {
		params = append(params,
			map[string]any{"name": "Idempotency-Key", "in": "header", "schema": str(), "description": "a retried request with the same key acts once; send it again on 503 with Retry-After (accepted, not yet run by a worker); the key sent with a different method, path or body answers 422"},
			map[string]any{"name": "If-Match", "in": "header", "schema": str(), "description": "the ETag of GET /items/{id}; 412 when the item changed"})
	}
	if params != nil {
		m["parameters"] = params
	}
	if o.Body != "" {
		m["requestBody"] = map[string]any{"content": map[string]any{"application/json": map[string]any{"schema": ref(o.Body)}}}
	}
	if !o.Public {
		m["security"] = []any{map[string]any{"bearer": []any{}}, map[string]any{"cookie": []any{}}}
	}
	return m
}

func init() {
	routeRegistrars = append(routeRegistrars, func(s *Server) {
		s.Echo.GET("/api/openapi.json", func(c echo.Context) error { return c.JSON(http.StatusOK, OpenAPI()) })
	})
}

// mergeSchemas joins component sets defined in separate files.
func mergeSchemas(sets ...schema) schema {
	out := schema{}
	for _, set := range sets {
		for k, v := range set {
			out[k] = v
		}
	}
	return out
}
