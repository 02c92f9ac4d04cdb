package api

import "github.com/dubanhq/duban/domain"

// caseOperations document single supervision items (督办件) and meetings (会议纪要).
var caseOperations = []op{
	{"POST", "/api/v1/items", "cases", "Create a 督办件: numbered (督办〔2026〕15号), stored in its year's container plan and started; lead and partners are department ids or names", "CaseRequest", "CaseCreated", 201, false, false},
	{"PUT", "/api/v1/items/{id}/reply", "cases", "Record the reply to a 督办件's source (回复), printed with its 办结报告", "CaseReply", "Case", 200, false, false},
	{"POST", "/api/v1/meetings", "cases", "Paste a meeting's minutes (会议纪要): dry_run previews one 督办件 per decision; without, launches them under one meeting", "MeetingRequest", "MeetingResult", 201, false, false},
}

func init() { operations = append(operations, caseOperations...) }

// caseSchemas are the components of the operations above.
func caseSchemas() schema {
	sources := enum(domain.SourceTypes...)
	urgency := enum(domain.UrgencySpecial, domain.UrgencyUrgent, domain.UrgencyNormal)
	dept := schema{"oneOf": []any{integer(), str()}}
	return schema{
		"CaseRequest": obj(schema{"source_type": str(), "source_text": str(), "attachments": arr(integer()), "title": str(),
			"requirement": str(), "lead": arr(dept), "partners": arr(dept), "deadline": str(), "cadence": str(), "urgency": str()},
			"source_type", "title", "lead"),
		"CaseCreated": obj(schema{"id": integer(), "number": str(), "warnings": arr(str())}, "id", "number"),
		"CaseReply":   obj(schema{"reply": str()}, "reply"),
		"Case": obj(schema{"number": str(), "source_type": sources, "source_label": str(), "source_text": str(), "urgency": urgency,
			"attachments": arr(obj(schema{"id": integer(), "name": str(), "size": integer(), "url": str()}, "id", "name")),
			"meeting":     obj(schema{"id": integer(), "title": str(), "date": str()}, "id", "title"),
			"report":      obj(schema{"submission_id": integer(), "text": str(), "at": dateTime()}, "submission_id", "text"),
			"reply":       str(), "replied_at": dateTime(), "created_at": dateTime()},
			"number", "source_type", "source_text", "attachments", "reply"),
		"MeetingRequest": obj(schema{"title": str(), "date": str(), "minutes": str(), "urgency": str(), "dry_run": boolean(),
			"items": arr(ref("ImportItem"))}),
		"MeetingResult": obj(schema{"meeting_id": integer(), "title": str(), "date": str(), "items": arr(anyObject()),
			"warnings": arr(anyObject()), "departments": arr(anyObject())}, "title", "items", "warnings"),
	}
}
