package api

// assessOperations document assessment (考核), circulars (通报) and accountability (追究责任).
var assessOperations = []op{
	{"POST", "/api/v1/plans/{id}/assessments", "assessment", "Assess a plan now: period year, half (with half 1|2) or custom (start, end)", "AssessmentRequest", "Assessment", 201, false, false},
	{"GET", "/api/v1/assessments", "assessment", "Assessment runs (filter plan_id), without results", "", "Assessment", 200, true, false},
	{"GET", "/api/v1/assessments/{aid}", "assessment", "An assessment: formula, per-department metrics, rates, score, rank, commended and criticised", "", "Assessment", 200, false, false},
	{"GET", "/api/v1/assessments/{aid}/evidence", "assessment", "The rows behind a department's numbers (?department_id=, optional ?metric=)", "", "Evidence", 200, false, false},
	{"GET", "/api/v1/assessments/{aid}/export.xlsx", "assessment", "The ranking table as XLSX", "", "", 200, false, false},
	{"POST", "/api/v1/assessments/{aid}/circulars", "circulars", "Draft a circular (通报) from the assessment", "", "Circular", 201, false, false},
	{"GET", "/api/v1/circulars", "circulars", "Circulars (drafts only for supervisors, leaders and admins)", "", "Circular", 200, true, false},
	{"GET", "/api/v1/circulars/{cid}", "circulars", "A circular with its content (ETag)", "", "Circular", 200, false, false},
	{"PUT", "/api/v1/circulars/{cid}", "circulars", "Edit a draft (If-Match: its ETag); a published circular never changes", "CircularEdit", "Circular", 200, false, false},
	{"POST", "/api/v1/circulars/{cid}/publish", "circulars", "Number, freeze and send the circular to every department and the leadership group", "", "PublishResult", 200, false, false},
	{"GET", "/api/v1/circulars/{cid}/export.docx", "circulars", "The circular as a DOCX laid out like a government document", "", "", 200, false, false},
	{"GET", "/api/v1/circulars/{cid}/export.xlsx", "circulars", "The circular's ranking table as XLSX", "", "", 200, false, false},
	{"GET", "/api/v1/accountability", "accountability", "Accountability records opened by L4 escalations (filter plan_id, department_id, undecided)", "", "AccountabilityRecord", 200, true, false},
	{"POST", "/api/v1/accountability/{rid}/decision", "accountability", "The leadership group's decision (interview, criticism, referral, waived), once", "Decision", "AccountabilityRecord", 200, false, false},
}

func init() { operations = append(operations, assessOperations...) }

// assessSchemas are the components of the operations above.
func assessSchemas() schema {
	metrics := anyObject()
	texts := nullable(arr(str()))
	unit := obj(schema{"department_id": integer(), "department": str(), "score": nullable(number()), "rank": integer(),
		"reasons": texts, "handlers": texts, "late_items": texts}, "department")
	return schema{
		"AssessmentRequest": obj(schema{"period": schema{"type": "string", "enum": []string{"year", "half", "custom"}},
			"year": integer(), "half": integer(), "start": str(), "end": str()}, "period"),
		"Assessment": obj(schema{"id": integer(), "plan_id": integer(), "period": str(), "label": str(), "start": dateTime(),
			"end": dateTime(), "trigger": str(), "created_at": dateTime(), "formula": anyObject(), "levels": arr(str()),
			"departments": arr(obj(schema{"department_id": integer(), "department": str(), "lead": metrics, "partner": metrics,
				"sign_rate": nullable(number()), "report_rate": nullable(number()), "completion_rate": nullable(number()),
				"indicator_rate": nullable(number()), "satisfaction_rate": nullable(number()), "base": number(), "deducted": number(), "score": nullable(number()),
				"rank": integer(), "max_level": integer(), "commended": boolean(), "criticised": boolean(), "reasons": arr(str()),
				"evidence": nullable(anyObject())}, "department_id", "department", "score", "rank"))},
			"id", "plan_id", "period", "label"),
		"Evidence": obj(schema{"department_id": integer(), "department": str(), "evidence": anyObject()}, "department_id", "evidence"),
		"Circular": obj(schema{"id": integer(), "plan_id": integer(), "assessment_id": integer(), "number": str(), "title": str(),
			"status": schema{"type": "string", "enum": []string{"draft", "published"}}, "version": integer(),
			"published_at": nullable(dateTime()), "content_sha256": str(), "content": ref("CircularContent")},
			"id", "title", "status", "version"),
		// CircularContent is domain.CircularContent: what a supervisor edits in a draft.
		"CircularContent": obj(schema{"issuer": str(), "recipients": str(), "intro": str(), "commended": nullable(arr(unit)),
			"criticised": nullable(arr(unit)), "escalated": nullable(arr(obj(schema{"item_id": integer(), "ref": str(), "title": str(),
				"department_id": integer(), "department": str(), "level": integer(), "level_name": str(), "facts": str()}))),
			"requirements": str(), "signature": str(), "date": str()}),
		"CircularEdit":  obj(schema{"title": str(), "content": ref("CircularContent")}, "title", "content"),
		"PublishResult": obj(schema{"circular": ref("Circular"), "notified": integer()}, "circular"),
		"AccountabilityRecord": obj(schema{"id": integer(), "plan_id": integer(), "item_id": integer(), "item_ref": str(),
			"item_title": str(), "department_id": integer(), "department": str(), "reason": str(), "opened_at": dateTime(),
			"decision": str(), "outcome": str(), "decided_at": nullable(dateTime()), "decided_by": integer()}, "id", "decision"),
		"Decision": obj(schema{"decision": schema{"type": "string", "enum": []string{"interview", "criticism", "referral", "waived"}},
			"outcome": str(), "decided_on": str()}, "decision", "outcome"),
	}
}
