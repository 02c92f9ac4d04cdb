package api

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/dubanhq/duban/calendar"
	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/store"
)

// Answering a satisfaction round: the form and the answer, for a signed-in evaluator or,
// unsigned, for an outside respondent with a code.

// evaluationForm is the round as the answer page shows it: to an evaluator or a reader
// signed in, or to anyone with a valid unused code (?code=).
func (s *Server) evaluationForm(c echo.Context) error {
	if code := c.QueryParam("code"); code != "" {
		d, err := s.loadEvaluation(c)
		if err != nil {
			return err
		}
		ok, err := s.deps.Store.ValidCode(c.Request().Context(), d.ID, codeHash(code))
		if err != nil {
			return err
		}
		if !ok {
			return domain.Forbiddenf("测评码无效或已使用 / the code is not valid for this evaluation, or was used")
		}
		names, err := s.deps.Store.DepartmentNames(c.Request().Context())
		if err != nil {
			return err
		}
		v := s.evaluationView(c, *d, names)
		v.CanAnswer = !v.Closed
		v.Answers, v.Codes = 0, 0 // how many took part is the office's to know
		return c.JSON(http.StatusOK, v)
	}
	return s.authn(func(c echo.Context) error {
		p := principal(c)
		d, err := s.loadEvaluation(c)
		if err != nil {
			return err
		}
		key, _ := evaluator(d, p)
		if key == "" {
			if err := authorize(p, ActReadEvaluation); err != nil {
				return domain.Forbiddenf("您不是该测评的评价人 / you are not an evaluator of this round")
			}
		}
		names, err := s.deps.Store.DepartmentNames(c.Request().Context())
		if err != nil {
			return err
		}
		v := s.evaluationView(c, *d, names)
		if key != "" {
			if v.Answered, err = s.deps.Store.Answered(c.Request().Context(), d.ID, key); err != nil {
				return err
			}
			v.CanAnswer = !v.Closed
		}
		return c.JSON(http.StatusOK, v)
	})(c)
}

// answerBody is one answer: about a department, a score per question and a comment; code
// for an outside respondent.
type answerBody struct {
	Department json.RawMessage `json:"department"`
	Scores     []int           `json:"scores"`
	Comment    string          `json:"comment"`
	Code       string          `json:"code"`
}

// answerEvaluation records an answer once: with a code, unsigned; otherwise by a signed-in
// evaluator. A second answer is 409, an answer after the round closed 422.
func (s *Server) answerEvaluation(c echo.Context) error {
	var b answerBody
	if err := bind(c, &b); err != nil {
		return err
	}
	if strings.TrimSpace(b.Code) != "" {
		return s.recordAnswer(c, b, nil)
	}
	return s.authn(func(c echo.Context) error { return s.recordAnswer(c, b, principal(c)) })(c)
}

func (s *Server) recordAnswer(c echo.Context, b answerBody, p *Principal) error {
	ctx := c.Request().Context()
	d, err := s.loadEvaluation(c)
	if err != nil {
		return err
	}
	w := store.AnswerWrite{EvaluationID: d.ID, At: s.deps.Now().In(calendar.Shanghai)}
	var own uint64
	if p == nil {
		w.CodeHash = codeHash(b.Code)
	} else if w.Evaluator, own = evaluator(d, p); w.Evaluator == "" {
		return domain.Forbiddenf("您不是该测评的评价人 / you are not an evaluator of this round")
	}
	if !s.deps.Now().Before(d.ClosesAt) {
		at := d.ClosesAt.In(calendar.Shanghai).Format("2006-01-02 15:04")
		return domain.Invalidf("", "测评已于 %s 截止，不再接受评价 / the evaluation closed at %s; answers are no longer accepted", at, at)
	}
	dept, err := s.departmentRef(ctx, "department", b.Department)
	if err != nil {
		return err
	}
	if !slices.Contains(d.Departments, dept) {
		return domain.Invalidf("department", "该单位不在本次测评范围内 / this department is not evaluated in this round")
	}
	if own != 0 && own == dept {
		return domain.Invalidf("department", "不能评价本单位 / you cannot evaluate your own department")
	}
	if len(b.Comment) > 2000 {
		return domain.Invalidf("comment", "意见不超过 2000 字节 / the comment is at most 2000 bytes")
	}
	pct, err := domain.ScoreAnswer(d.Questions(), b.Scores)
	if err != nil {
		return err
	}
	w.Answer = domain.Answer{DepartmentID: dept, Scores: b.Scores, Percent: pct, Comment: strings.TrimSpace(b.Comment)}
	if err := s.deps.Store.AnswerEvaluation(ctx, w); err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, map[string]any{"status": "answered"})
}
