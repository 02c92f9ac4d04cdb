package api

// actionSchemas are the bodies and answers of the actions on an item (actions.go) that the
// document once left untyped. Each body mirrors the struct its handler binds, whose decoder
// refuses unknown fields; required names what the handler or the workflow's validator
// refuses to go without.
func actionSchemas() schema {
	ids := arr(integer())
	return schema{
		// 申请延期: the department asks for a deadline after its current one, with a reason.
		"ExtensionRequest": obj(schema{"new_due": dateTime(), "reason": str()}, "new_due", "reason"),
		// The supervisor's decision on one extension request, alone or from the batch on
		// the decisions page; new_due, when given, replaces the date asked for.
		"ExtensionDecision": obj(schema{"approve": boolean(), "new_due": dateTime(), "comment": str()}, "approve"),
		"ExtensionDecided":  obj(schema{"id": integer(), "approved": boolean()}, "id", "approved"),
		// 批示: a leader's instruction, with its own deadline for the lead when due is given.
		"Instruction": obj(schema{"text": str(), "due": dateTime()}, "text"),
		// 改派: the lead and partner departments (ids) replace the current ones.
		"Reassign": obj(schema{"lead": schema{"type": "array", "items": integer(), "minItems": 1}, "partners": ids, "reason": str()},
			"lead", "reason"),
		"Reassigned": obj(schema{"lead": ids, "partners": nullable(ids)}, "lead", "partners"),
		"Reviewed":   obj(schema{"report_id": integer(), "decision": reviewDecision()}, "report_id", "decision"),
		// Status is the answer of an action with nothing to return but what it did
		// (signed, acknowledged, urged, recorded, suspend, resume, cancel, done, answered).
		"Status": obj(schema{"status": str()}, "status"),
	}
}

// reviewDecision is what a supervisor does with a submission (审核).
func reviewDecision() schema {
	return schema{"type": "string", "enum": []string{"approve", "return"}}
}
