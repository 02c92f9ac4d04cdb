package api

import (
	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/notify"
)

// Small constructors keep the OpenAPI document readable.

type schema = map[string]any

func ref(name string) schema { return schema{"$ref": "#/components/schemas/" + name} }
func str() schema            { return schema{"type": "string"} }
func integer() schema        { return schema{"type": "integer"} }
func number() schema         { return schema{"type": "number"} }
func boolean() schema        { return schema{"type": "boolean"} }
func dateTime() schema       { return schema{"type": "string", "format": "date-time"} }
func arr(items schema) schema {
	return schema{"type": "array", "items": items}
}
func nullable(s schema) schema {
	c := schema{}
	for k, v := range s {
		c[k] = v
	}
	c["nullable"] = true
	return c
}
func anyObject() schema { return schema{"type": "object", "additionalProperties": true} }

// enum is a string schema listing a typed value's constants (statuses, lights, roles).
func enum[T ~string](vs ...T) schema {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return schema{"type": "string", "enum": out}
}

func obj(props schema, required ...string) schema {
	s := schema{"type": "object", "properties": props}
	if len(required) > 0 {
		s["required"] = required
	}
	return s
}

// components are the schemas the API returns and accepts. Field names are stable.
func components() schema {
	indicator := obj(schema{"name": str(), "target": number(), "unit": str(), "comparator": str(), "deadline": str()}, "name", "target")
	return schema{
		"Problem": obj(schema{"type": str(), "title": str(), "status": integer(), "detail": str(), "field": str(), "request_id": str()}, "type", "title", "status"),
		"Assignment": obj(schema{"department_id": integer(), "department": str(), "role": enum(domain.Lead, domain.Partner),
			"status": enum(domain.AssignmentAssigned, domain.AssignmentSigned, domain.AssignmentRemoved), "level_name": str(), "signed_at": nullable(dateTime()), "next_due": nullable(dateTime()), "escalation_level": integer(), "overdue": boolean()},
			"department_id", "role", "status"),
		"Indicator": indicator,
		"Item": obj(schema{"id": integer(), "plan_id": integer(), "ref": str(), "title": str(), "content": str(),
			"status": enum(domain.StatusPending, domain.StatusAssigned, domain.StatusActive, domain.StatusReview, domain.StatusSuspended, domain.StatusCompleted, domain.StatusCancelled),
			"light":  enum(domain.Green, domain.Yellow, domain.Red), "escalation_level": integer(), "level_name": str(),
			"next_due": nullable(dateTime()), "due_workdays": integer(),
			"window":     obj(schema{"start": str(), "end": str(), "ongoing": boolean()}, "start", "end", "ongoing"),
			"indicators": arr(ref("Indicator")), "assignments": arr(ref("Assignment")),
			"pending": nullable(arr(obj(schema{"submission_id": integer(), "kind": enum(domain.KindReport, domain.KindContribution, domain.KindCompletion),
				"department_id": integer(), "cycle": integer()}, "submission_id", "kind", "department_id", "cycle"))),
			"extensions": nullable(arr(obj(schema{"id": integer(), "department_id": integer(), "new_due": dateTime(), "reason": str(),
				"decided": boolean(), "approved": boolean()}, "id", "department_id", "new_due", "reason", "decided", "approved"))),
			"submissions": arr(ref("SubmissionView")), "subtasks": arr(ref("SubtaskView")), "needs_lead": boolean(), "case": ref("Case")},
			"id", "plan_id", "ref", "title", "status", "light", "escalation_level", "next_due", "window", "indicators", "assignments", "needs_lead"),
		"Decisions": obj(schema{
			"submissions": arr(schema{"allOf": []any{ref("SubmissionView"), obj(schema{"item_id": integer(), "ref": str(), "title": str()}, "item_id", "ref", "title")}}),
			"extensions": arr(obj(schema{"item_id": integer(), "ref": str(), "title": str(), "id": integer(), "department_id": integer(), "department": str(),
				"new_due": dateTime(), "reason": str(), "requested_at": dateTime()}, "item_id", "ref", "title", "id", "department_id", "department", "new_due", "reason", "requested_at"))},
			"submissions", "extensions"),
		"SubmissionView": obj(schema{"id": integer(), "kind": enum(domain.KindReport, domain.KindContribution, domain.KindCompletion),
			"department_id": integer(), "department": str(), "cycle": integer(), "text": str(),
			"attachments": arr(obj(schema{"name": str(), "size": integer(), "sha256": str(), "url": str()}, "name")),
			"indicators":  schema{"type": "object", "additionalProperties": number()},
			"status":      enum(domain.SubmissionSubmitted, domain.SubmissionApproved, domain.SubmissionReturned), "comment": str(), "submitted_at": dateTime(),
			"reviewed_at": dateTime(), "resubmit_due": dateTime()},
			"id", "kind", "department", "text", "attachments", "indicators", "status", "comment"),
		"ItemList": obj(schema{"items": arr(ref("Item")), "next_cursor": str()}, "items", "next_cursor"),
		"Event": obj(schema{"id": integer(), "type": str(), "level": integer(), "department_id": integer(), "department": str(),
			"actor": str(), "at": dateTime(), "payload": anyObject()}, "type", "at"),
		"AuditEvent": obj(schema{"id": integer(), "item_id": integer(), "type": str(), "level": integer(), "department_id": integer(),
			"actor_id": integer(), "actor": str(), "at": dateTime(), "request_id": str(), "source_ip": str(), "payload": anyObject()}, "type", "at"),
		"Notification": obj(schema{"id": integer(), "item_id": integer(), "kind": str(), "level": integer(), "title": str(), "body": str(),
			"read_at": nullable(dateTime()), "created_at": dateTime()}, "id", "title"),
		"Inbox": obj(schema{"unread": integer(), "notifications": arr(ref("Notification"))}, "unread", "notifications"),
		"Escalation": obj(schema{"id": integer(), "item_id": integer(), "item_title": str(), "department_id": integer(), "department": str(), "level": integer(), "name": str(), "reason": str(), "due_at": dateTime(), "at": dateTime(), "acked_at": nullable(dateTime()),
			"leadership": boolean(), "circular": boolean(), "accountability": boolean()}, "id", "level", "name"),
		"User": obj(schema{"id": integer(), "username": str(), "display_name": str(), "role": schema{"type": "string", "enum": []string{"admin", "supervisor", "leader", "liaison", "viewer"}},
			"department_id": nullable(integer()), "is_head": boolean(), "disabled": boolean()}, "id", "username", "role"),
		"NewUser":             obj(schema{"username": str(), "password": str(), "display_name": str(), "role": str(), "department_id": nullable(integer()), "is_head": boolean()}, "username", "password", "role"),
		"Login":               obj(schema{"username": str(), "password": str()}, "username", "password"),
		"Session":             obj(schema{"token": str(), "expires_at": dateTime(), "user": ref("User"), "must_change_password": boolean()}, "token", "expires_at", "user"),
		"Me":                  obj(schema{"id": integer(), "username": str(), "display_name": str(), "role": str(), "department_id": nullable(integer()), "is_head": boolean(), "must_change_password": boolean()}, "id", "username", "role"),
		"PasswordChange":      obj(schema{"current_password": str(), "new_password": str()}, "current_password", "new_password"),
		"PasswordChanged":     obj(schema{"tokens_revoked": integer()}, "tokens_revoked"),
		"PasswordResetResult": obj(schema{"temporary_password": str(), "must_change_password": boolean(), "tokens_revoked": integer()}, "temporary_password", "must_change_password"),
		"UserPatch":           obj(schema{"disabled": boolean(), "role": str(), "department_id": nullable(integer()), "is_head": boolean(), "display_name": str()}),
		"TokenRequest":        obj(schema{"name": str(), "expires_in": schema{"type": "string", "description": "a Go duration of at least 1m, such as 720h"}}, "name"),
		"NewToken":            obj(schema{"id": integer(), "token": str(), "name": str(), "expires_at": nullable(dateTime())}, "id", "token", "name"),
		"TokenInfo":           obj(schema{"id": integer(), "name": str(), "expires_at": nullable(dateTime()), "revoked_at": nullable(dateTime()), "last_used_at": nullable(dateTime())}, "id", "name"),
		"Plan":                obj(schema{"id": integer(), "title": str(), "doc_number": str(), "issuer": str(), "date": str(), "created_at": dateTime(), "policy": ref("Policy")}, "id", "title"),
		"Policy":              policySchema(),
		"Rung":                rungSchema(),
		"ImportRequest": obj(schema{"text": str(), "format": str(), "filename": str(), "dry_run": boolean(), "list": integer(),
			"policy": ref("Policy"), "create_departments": boolean(), "first_listed_leads": boolean(), "items": arr(ref("ImportedItem")),
			"departments": arr(obj(schema{"name": str(), "id": integer(), "alias": boolean(), "create": boolean()}, "name")),
			"plan":        obj(schema{"title": str(), "doc_number": str(), "issuer": str(), "date": str()})}, "text"),
		"ImportResult": obj(schema{"plan": anyObject(), "lists": arr(anyObject()), "items": arr(anyObject()), "warnings": arr(obj(schema{"line": integer(), "message": str()})),
			"departments": arr(obj(schema{"name": str(), "match": nullable(integer()), "how": str(),
				"suggestions": arr(obj(schema{"id": integer(), "name": str()}, "id", "name"))}, "name", "match", "suggestions")),
			"plan_id": integer(), "created": boolean(), "started": integer()}, "plan", "lists", "items", "warnings", "departments"),
		"ImportItem":   importItem(obj(indicatorProps(str()))),
		"ImportedItem": importedItemSchema(),
		"Submission": obj(schema{"text": str(), "indicators": schema{"type": "object", "additionalProperties": number()},
			"attachments": schema{"type": "array", "maxItems": maxReportAttachments, "items": ref("AttachmentRef")}}, "text"),
		"AttachmentRef":     obj(schema{"name": str(), "size": integer(), "sha256": str(), "url": str()}, "url"),
		"MarkRead":          obj(schema{"ids": schema{"type": "array", "maxItems": maxMarkRead, "items": integer()}}),
		"MarkedRead":        obj(schema{"marked": integer()}, "marked"),
		"EscalationAcked":   obj(schema{"id": integer(), "acknowledged": boolean()}, "id", "acknowledged"),
		"Review":            obj(schema{"report_id": integer(), "decision": reviewDecision(), "comment": str(), "resubmit_due": dateTime()}, "report_id", "decision"),
		"Reason":            obj(schema{"reason": str()}),
		"Urge":              obj(schema{"message": str()}),
		"Settings":          obj(schema{"office": str(), "circular_prefix": str(), "levels": arr(obj(schema{"level": integer(), "name": str()}, "level", "name"))}, "office", "circular_prefix", "levels"),
		"SetLead":           obj(schema{"department_id": integer()}, "department_id"),
		"LeadSet":           obj(schema{"lead": integer(), "started": integer()}, "lead", "started"),
		"Created":           obj(schema{"id": integer()}, "id"),
		"PlanSupervisorAdd": obj(schema{"user_id": integer()}, "user_id"),
		"ContactPoint": obj(schema{"id": integer(), "user_id": nullable(integer()), "department_id": nullable(integer()), "channel": str(),
			"address": str(), "chat_id": str(), "label": str(), "has_secret": boolean(), "enabled": boolean(), "created_at": dateTime()}, "id", "channel", "has_secret"),
		"NewContactPoint": obj(schema{"user_id": nullable(integer()), "department_id": nullable(integer()), "channel": str(),
			"address": str(), "chat_id": str(), "secret": str(), "label": str(), "enabled": boolean()}, "channel"),
		"Delivery": obj(schema{"id": integer(), "item_id": integer(), "user_id": nullable(integer()), "department_id": nullable(integer()),
			"contact_point_id": integer(), "channel": str(), "kind": str(), "level": integer(), "title": str(), "state": str(),
			"attempts": integer(), "last_error": str(), "possibly_duplicated": boolean(), "scheduled_for": nullable(dateTime()),
			"sent_at": nullable(dateTime()), "created_at": dateTime()}, "id", "channel", "state", "attempts"),
		"MessageTemplate": obj(schema{"kind": str(), "lang": str(), "text": str(), "default": str(), "edited": boolean()}, "kind", "lang", "text"),
		"TemplateText":    obj(schema{"text": str()}, "text"),
		"TemplatePreviewRequest": obj(schema{"kind": str(), "lang": schema{"type": "string", "enum": []string{notify.LangZH, notify.LangEN}},
			"text": str()}, "kind"),
		"TemplatePreview": obj(schema{"title": str(), "body": str()}, "title", "body"),
		"Health":          anyObject(),
		"OpenAPI":         obj(schema{"openapi": str(), "info": anyObject(), "servers": arr(anyObject()), "paths": anyObject(), "components": anyObject()}, "openapi", "info", "paths"),
		"AttachmentInfo":  obj(schema{"id": integer(), "name": str(), "size": integer(), "sha256": str(), "url": str()}, "id", "name", "url"),
		"Overview": obj(schema{"plan_id": integer(), "sections": arr(obj(schema{"section": str(), "total": integer(), "green": integer(), "yellow": integer(), "red": integer(), "completed": integer()})),
			"indicators": arr(obj(schema{"item_id": integer(), "ref": str(), "name": str(), "target": number(), "unit": str(), "comparator": str(), "value": nullable(number()), "expected": number(), "behind": boolean(),
				"attainment": nullable(number()), "forecast": nullable(number()), "at_risk": boolean()}))}, "sections", "indicators"),
		"Ranking": obj(schema{"department_id": integer(), "department": str(), "assignments": integer(), "overdue_now": integer(),
			"signed": integer(), "signed_on_time": integer(), "reports": integer(), "reports_on_time": integer(), "returns": integer(),
			"escalations": integer(), "max_level": integer(), "on_time_rate": nullable(number())}, "department_id", "department", "on_time_rate"),
		"IndicatorReading": obj(schema{"name": str(), "value": number(), "at": str(), "note": str()}, "name", "value"),
		"ItemIndicators": obj(schema{"item_id": integer(), "as_of": dateTime(), "can_record": boolean(), "indicators": arr(obj(schema{
			"name": str(), "target": number(), "unit": str(), "comparator": str(), "deadline": str(),
			"start": nullable(dateTime()), "end": nullable(dateTime()),
			"series": arr(obj(schema{"at": dateTime(), "value": number(), "source": schema{"type": "string", "enum": []string{"report", "completion", "manual"}},
				"submission_id": integer(), "note": str(), "recorded_at": dateTime()}, "at", "value", "source")),
			"status": obj(schema{"value": nullable(number()), "share": number(), "expected": number(), "attainment": nullable(number()),
				"forecast": nullable(number()), "behind": boolean(), "at_risk": boolean()}, "value", "expected", "behind", "at_risk"),
		}, "name", "target", "series", "status"))}, "item_id", "indicators"),
	}
}
