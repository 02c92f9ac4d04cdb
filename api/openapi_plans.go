package api

import "github.com/dubanhq/duban/domain"

// span is domain.Span in its JSON form.
func span() schema {
	return schema{"type": "string", "description": "working days such as 3wd, or a duration such as 90s, 24h, 2d"}
}

// policySchema is domain.Policy: a plan's supervision policy, sent whole or in part (fields
// left out keep the defaults) and answered whole.
func policySchema() schema {
	cadence := schema{"description": "monthly, quarterly, once, every <duration>, or the list of due dates (2006-01-02, 2006-01-02 15:04 or RFC 3339)",
		"oneOf": []any{str(), schema{"type": "array", "items": str(), "minItems": 1}}}
	return obj(schema{"sign_within": span(), "cadence": cadence, "remind_before": nullable(arr(span())), "partner_lead": span(),
		"resubmit_within": span(), "grace": span(), "ladder": schema{"type": "array", "items": ref("Rung"), "minItems": 1}})
}

// rungSchema is domain.Rung: one level of the escalation ladder, with what reaching it does.
func rungSchema() schema {
	recipient := enum(domain.NotifyLiaison, domain.NotifyDepartmentHead, domain.NotifySupervisor, domain.NotifyLeadership)
	return obj(schema{"level": integer(), "name": str(), "after": span(), "notify": nullable(arr(recipient)),
		"leadership": boolean(), "circular": boolean(), "accountability": boolean()}, "level", "name")
}

// importItem is importer.Item, one row of a parsed list, with indicators described by
// indicator.
func importItem(indicator schema) schema {
	return obj(schema{"ref": str(), "title": str(), "content": str(), "lead": arr(str()), "partners": arr(str()),
		"groups": arr(str()), "window": obj(schema{"start": str(), "end": str(), "ongoing": boolean()}),
		"indicators": arr(indicator), "source_lines": arr(integer())})
}

// indicatorProps are the properties of importer.Indicator.
func indicatorProps(comparator schema) schema {
	return schema{"name": str(), "target": number(), "target_max": number(), "unit": str(), "comparator": comparator, "deadline": str()}
}

// importedItemSchema is importedItem: a row of the import preview sent back as the person edited it: its title
// and each indicator's name and comparator are checked (checkEditedItems); id and flags are
// the preview's and ignored.
func importedItemSchema() schema {
	comparator := schema{"type": "string", "enum": []string{">=", "<=", "="}}
	s := importItem(obj(indicatorProps(comparator), "name", "comparator"))
	props := s["properties"].(schema)
	props["id"], props["flags"] = integer(), arr(str())
	s["required"] = []string{"title"}
	return s
}
