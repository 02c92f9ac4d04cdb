package domain

import (
	"slices"
	"testing"
)

func TestScoreAnswerAndSatisfaction(t *testing.T) {
	qs := []Question{{Text: "办事效率", Max: 5}, {Text: "服务态度", Max: 100}}
	if err := ValidateQuestions(qs); err != nil {
		t.Fatal(err)
	}
	if ValidateQuestions(nil) == nil || ValidateQuestions([]Question{{Text: "x", Max: 0}}) == nil {
		t.Error("an empty questionnaire or a max of 0 was accepted")
	}
	if _, err := ScoreAnswer(qs, []int{6, 50}); KindOf(err) != KindInvalid {
		t.Errorf("a score above max: %v", err)
	}
	p, err := ScoreAnswer(qs, []int{5, 85}) // 90 of 105
	if err != nil || p != 85.71 {
		t.Fatalf("percent %v, %v", p, err)
	}
	rs := Satisfaction(qs, []uint64{1, 2}, map[uint64]string{1: "市甲局"}, []Answer{
		{DepartmentID: 1, Scores: []int{5, 85}, Percent: p, Comment: "很好"},
		{DepartmentID: 1, Scores: []int{3, 55}, Percent: 55.25, Comment: " 一般 "},
	})
	r := rs[0]
	if r.Count != 2 || r.Mean == nil || *r.Mean != 70.48 || !slices.Equal(r.QuestionMeans, []float64{4, 70}) ||
		r.Distribution["<60"] != 1 || r.Distribution["80-89"] != 1 || !slices.Equal(r.Comments, []string{"一般", "很好"}) {
		t.Errorf("result %+v", r)
	}
	if rs[1].Count != 0 || rs[1].Mean != nil {
		t.Errorf("a department nobody evaluated: %+v", rs[1])
	}
}

// TestSatisfactionWeighsInTheScore: a department's satisfaction counts with its weight; one
// not evaluated is scored on the other rates as before.
func TestSatisfactionWeighsInTheScore(t *testing.T) {
	fm := DefaultFormula()
	fm.Weights = Weights{ReportOnTime: 1, Satisfaction: 1}
	r := DepartmentResult{Lead: Metrics{ReportsOnTime: 1}}
	score(&r, fm)
	if *r.Score != 100 {
		t.Fatalf("without satisfaction: %v", *r.Score)
	}
	half := 0.5
	r = DepartmentResult{Lead: Metrics{ReportsOnTime: 1}, Satisfaction: &half}
	score(&r, fm)
	if *r.Score != 75 {
		t.Errorf("with satisfaction 50%%: %v, want 75", *r.Score)
	}
}
