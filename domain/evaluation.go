package domain

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// Question is one scored question of a satisfaction evaluation (满意度测评): answered with
// a whole number from 0 to Max (Max 5 for a 1–5 scale, 100 for 0–100).
type Question struct {
	Text string `json:"text"`
	Max  int    `json:"max"`
}

// ValidateQuestions checks a questionnaire: one to twenty questions, each with its text and
// a maximum between 1 and 100.
func ValidateQuestions(qs []Question) error {
	if len(qs) == 0 || len(qs) > 20 {
		return Invalidf("questions", "问卷应有 1–20 个问题 / a questionnaire has 1–20 questions")
	}
	for i, q := range qs {
		f := fmt.Sprintf("questions[%d]", i)
		if strings.TrimSpace(q.Text) == "" {
			return Invalidf(f+".text", "请填写问题 / the question's text is required")
		}
		if q.Max < 1 || q.Max > 100 {
			return Invalidf(f+".max", "满分应在 1–100 之间 / max must be between 1 and 100")
		}
	}
	return nil
}

// ScoreAnswer checks an answer's scores against the questions and returns its overall
// result as a percentage of the full marks (0–100).
func ScoreAnswer(qs []Question, scores []int) (float64, error) {
	if len(scores) != len(qs) {
		return 0, Invalidf("scores", "应为每个问题打分（共 %d 个） / give one score per question (%d)", len(qs), len(qs))
	}
	var sum, full int
	for i, s := range scores {
		if s < 0 || s > qs[i].Max {
			return 0, Invalidf(fmt.Sprintf("scores[%d]", i), "分数应在 0–%d 之间 / a score must be between 0 and %d", qs[i].Max, qs[i].Max)
		}
		sum, full = sum+s, full+qs[i].Max
	}
	return math.Round(10000*float64(sum)/float64(full)) / 100, nil
}

// Answer is one evaluator's answer about one department, with nothing that names the
// evaluator.
type Answer struct {
	DepartmentID uint64
	Scores       []int
	Percent      float64
	Comment      string
}

// SatisfactionBands are the ranges the distribution of results counts, in percent.
var SatisfactionBands = []struct {
	Name     string
	From, To float64 // [From, To), the last band including 100
}{{"<60", 0, 60}, {"60-69", 60, 70}, {"70-79", 70, 80}, {"80-89", 80, 90}, {"90-100", 90, 100.01}}

// SatisfactionResult is what the answers about one department add up to.
type SatisfactionResult struct {
	DepartmentID  uint64         `json:"department_id"`
	Department    string         `json:"department"`
	Count         int            `json:"count"`
	Mean          *float64       `json:"mean"`           // percent of full marks; nil without answers
	QuestionMeans []float64      `json:"question_means"` // per question, on its own scale
	Distribution  map[string]int `json:"distribution"`   // answers per band of SatisfactionBands
	Comments      []string       `json:"comments"`       // sorted, so their order tells nothing
}

// Satisfaction adds up the answers about each evaluated department, in the order given.
func Satisfaction(qs []Question, depts []uint64, names map[uint64]string, answers []Answer) []SatisfactionResult {
	out := make([]SatisfactionResult, 0, len(depts))
	for _, d := range depts {
		r := SatisfactionResult{DepartmentID: d, Department: names[d], QuestionMeans: make([]float64, len(qs)),
			Distribution: map[string]int{}, Comments: []string{}}
		for _, b := range SatisfactionBands {
			r.Distribution[b.Name] = 0
		}
		var total float64
		for _, a := range answers {
			if a.DepartmentID != d {
				continue
			}
			r.Count++
			total += a.Percent
			for i := range qs {
				if i < len(a.Scores) {
					r.QuestionMeans[i] += float64(a.Scores[i])
				}
			}
			for _, b := range SatisfactionBands {
				if a.Percent >= b.From && a.Percent < b.To {
					r.Distribution[b.Name]++
				}
			}
			if c := strings.TrimSpace(a.Comment); c != "" {
				r.Comments = append(r.Comments, c)
			}
		}
		if r.Count > 0 {
			m := round2(total / float64(r.Count))
			r.Mean = &m
			for i := range r.QuestionMeans {
				r.QuestionMeans[i] = round2(r.QuestionMeans[i] / float64(r.Count))
			}
		}
		sort.Strings(r.Comments)
		out = append(out, r)
	}
	return out
}
