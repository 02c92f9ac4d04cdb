package api

// workOperations document sub-tasks (任务分解) and satisfaction evaluations (满意度测评).
var workOperations = []op{
	{"POST", "/api/v1/items/{id}/subtasks", "actions", "Split off a sub-task (任务分解) for a department or one of its offices, due before the item (lead or supervisor)", "NewSubtask", "Created", 201, false, false},
	{"POST", "/api/v1/items/{id}/subtasks/{sid}/complete", "actions", "Mark a sub-task done (its owner, the lead or a supervisor)", "", "Status", 200, false, false},
	{"POST", "/api/v1/evaluations", "evaluations", "Open a satisfaction-evaluation round (满意度测评); anonymous codes are returned this once", "NewEvaluation", "EvaluationOpened", 201, false, false},
	{"GET", "/api/v1/evaluations", "evaluations", "Rounds: all for supervisors, leaders and admins; for others the rounds they evaluate in", "", "Evaluation", 200, true, false},
	{"GET", "/api/v1/evaluations/{id}", "evaluations", "A round's form: signed in as an evaluator or reader, or unsigned with ?code=", "", "Evaluation", 200, false, true},
	{"POST", "/api/v1/evaluations/{id}/answers", "evaluations", "Answer once per department (signed-in evaluator) or once per code (unsigned); 409 twice, 422 after closing", "Answer", "Status", 201, false, true},
	{"GET", "/api/v1/evaluations/{id}/results", "evaluations", "Results per department: mean, count, distribution, per-question means, comments", "", "EvaluationResults", 200, false, false},
}

func init() { operations = append(operations, workOperations...) }

// workSchemas are the components of the operations above.
func workSchemas() schema {
	idOrName := schema{"oneOf": []any{integer(), str()}}
	question := obj(schema{"text": str(), "max": integer()}, "text", "max")
	evaluation := schema{"id": integer(), "title": str(), "plan_id": integer(), "period_from": str(), "period_to": str(),
		"closes_at": dateTime(), "closed": boolean(), "questions": arr(question),
		"departments": arr(obj(schema{"id": integer(), "name": str()}, "id", "name")),
		"answers":     integer(), "codes": integer(), "answered": arr(integer()), "can_answer": boolean()}
	results := schema{}
	for k, v := range evaluation {
		results[k] = v
	}
	results["results"] = arr(obj(schema{"department_id": integer(), "department": str(), "count": integer(),
		"mean": nullable(number()), "question_means": arr(number()), "distribution": schema{"type": "object", "additionalProperties": integer()},
		"comments": arr(str())}, "department_id", "count", "mean", "distribution", "comments"))
	return schema{
		"NewSubtask": obj(schema{"title": str(), "department": idOrName, "office": str(), "deadline": str()}, "title", "department", "deadline"),
		"SubtaskView": obj(schema{"id": integer(), "title": str(), "department_id": integer(), "department": str(), "office": str(),
			"deadline": dateTime(), "status": schema{"type": "string", "enum": []string{"open", "late", "done", "closed"}},
			"completed_at": nullable(dateTime())}, "id", "title", "department", "deadline", "status", "completed_at"),
		"NewEvaluation": obj(schema{"title": str(), "plan_id": integer(), "period": obj(schema{"from": str(), "to": str()}),
			"period_from": str(), "period_to": str(), "departments": arr(idOrName),
			"evaluators": obj(schema{"departments": arr(idOrName), "users": arr(idOrName), "anonymous_codes": integer()}),
			"questions":  arr(question), "closes_at": str()}, "title", "departments", "evaluators", "questions", "closes_at"),
		"EvaluationOpened":  obj(schema{"id": integer(), "codes": arr(str()), "answer_url": str()}, "id", "codes"),
		"Evaluation":        obj(evaluation, "id", "title", "closes_at", "closed", "questions", "departments"),
		"EvaluationResults": obj(results, "id", "title", "results"),
		"Answer":            obj(schema{"department": idOrName, "scores": arr(integer()), "comment": str(), "code": str()}, "department", "scores"),
	}
}
