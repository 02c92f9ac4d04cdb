package api

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/dubanhq/duban/auth"
	"github.com/dubanhq/duban/calendar"
	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/store"
)

// Satisfaction evaluations (满意度测评): a supervisor opens a round about some departments,
// naming who answers — departments, users, and outside respondents through anonymous
// one-use codes (测评码), returned once when the round opens and kept only as hashes — and
// reads the results per department. An answer names no evaluator: who answered is kept
// apart (a ballot per named evaluator, a used flag per code) and its time only to the day.

func init() {
	routeRegistrars = append(routeRegistrars, func(s *Server) {
		s.Echo.POST("/api/v1/evaluations", s.openEvaluation, s.authn)
		s.Echo.GET("/api/v1/evaluations", s.listEvaluations, s.authn)
		// The form and the answers also serve an outside respondent with a code, unsigned.
		s.Echo.GET("/api/v1/evaluations/:id", s.evaluationForm)
		s.Echo.POST("/api/v1/evaluations/:id/answers", s.answerEvaluation)
		s.Echo.GET("/api/v1/evaluations/:id/results", s.evaluationResults, s.authn)
	})
}

// maxCodes bounds the anonymous codes of one round.
const maxCodes = 2000

// evaluationBody opens a round. The period is given as period {from, to} or as
// period_from / period_to (dates); without it the round covers today to its closing day.
type evaluationBody struct {
	Title      string            `json:"title"`
	PlanID     uint64            `json:"plan_id"`
	Period     *periodBody       `json:"period"`
	PeriodFrom string            `json:"period_from"`
	PeriodTo   string            `json:"period_to"`
	Depts      []json.RawMessage `json:"departments"`
	Evaluators struct {
		Departments    []json.RawMessage `json:"departments"`
		Users          []json.RawMessage `json:"users"`
		AnonymousCodes int               `json:"anonymous_codes"`
	} `json:"evaluators"`
	Questions []domain.Question `json:"questions"`
	ClosesAt  string            `json:"closes_at"`
}

type periodBody struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// EvaluationView is a round as listed and as its form shows it.
type EvaluationView struct {
	ID          uint64            `json:"id"`
	Title       string            `json:"title"`
	PlanID      uint64            `json:"plan_id,omitempty"`
	PeriodFrom  string            `json:"period_from"`
	PeriodTo    string            `json:"period_to"`
	ClosesAt    time.Time         `json:"closes_at"`
	Closed      bool              `json:"closed"`
	Questions   []domain.Question `json:"questions"`
	Departments []DepartmentRef   `json:"departments"`
	Answers     int               `json:"answers"`
	Codes       int               `json:"codes"`
	// Answered are the departments the caller has evaluated in this round (named evaluators).
	Answered []uint64 `json:"answered"`
	// CanAnswer: the caller (or the code given) may answer this round.
	CanAnswer bool `json:"can_answer"`
}

// DepartmentRef is a department's id and name.
type DepartmentRef struct {
	ID   uint64 `json:"id"`
	Name string `json:"name"`
}

func day(v, field string) (time.Time, error) {
	t, err := time.ParseInLocation(time.DateOnly, strings.TrimSpace(v), calendar.Shanghai)
	if err != nil {
		return time.Time{}, domain.Invalidf(field, "日期格式应为 2026-12-31 / %s must be a date like 2026-12-31", field)
	}
	return t, nil
}

// openEvaluation opens a round → 201 {id, codes}: the codes are shown this once.
func (s *Server) openEvaluation(c echo.Context) error {
	p, err := s.mustAuthorize(c, ActOpenEvaluation)
	if err != nil {
		return err
	}
	var b evaluationBody
	if err := bind(c, &b); err != nil {
		return err
	}
	ctx := c.Request().Context()
	if b.PlanID != 0 {
		if _, err := s.deps.Store.GetPlan(ctx, b.PlanID); err != nil {
			return domain.Invalidf("plan_id", "方案不存在 / no such plan")
		}
		if err := s.authorizePlan(c, p, ActOpenEvaluation, b.PlanID); err != nil {
			return err
		}
	}
	e, depts, evs, err := s.evaluationFromBody(c, b)
	if err != nil {
		return err
	}
	codes := make([]string, b.Evaluators.AnonymousCodes)
	hashes := make([]string, len(codes))
	for i := range codes {
		codes[i] = newEvaluationCode()
		hashes[i] = codeHash(codes[i])
	}
	e.CreatedBy, e.CreatedAt = p.UserID, s.deps.Now().UTC()
	if err := s.deps.Store.CreateEvaluation(ctx, e, depts, evs, hashes); err != nil {
		return err
	}
	s.audit(c, p.UserID, p.DisplayName, domain.EvaluationOpened{EvaluationID: e.ID, Title: e.Title, PlanID: e.PlanID,
		Departments: depts, Codes: len(codes)})
	return c.JSON(http.StatusCreated, map[string]any{"id": e.ID, "codes": codes,
		"answer_url": fmt.Sprintf("/evaluate.html?id=%d", e.ID)})
}

// evaluationFromBody validates a round and resolves its departments and evaluators.
func (s *Server) evaluationFromBody(c echo.Context, b evaluationBody) (*store.Evaluation, []uint64, []store.EvaluationEvaluator, error) {
	ctx := c.Request().Context()
	title := strings.TrimSpace(b.Title)
	if title == "" || len(title) > 500 {
		return nil, nil, nil, domain.Invalidf("title", "请填写测评名称（500 字以内） / the round needs a title (up to 500 characters)")
	}
	if err := domain.ValidateQuestions(b.Questions); err != nil {
		return nil, nil, nil, err
	}
	closes, err := parseDeadline(b.ClosesAt)
	if err != nil || !closes.After(s.deps.Now()) {
		return nil, nil, nil, domain.Invalidf("closes_at", "截止时间应为将来的日期或时间 / closes_at must be a future date or time")
	}
	from, to := b.PeriodFrom, b.PeriodTo
	if b.Period != nil {
		from, to = b.Period.From, b.Period.To
	}
	now := s.deps.Now().In(calendar.Shanghai)
	start, end := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, calendar.Shanghai), closes
	if from != "" {
		if start, err = day(from, "period.from"); err != nil {
			return nil, nil, nil, err
		}
	}
	if to != "" {
		if end, err = day(to, "period.to"); err != nil {
			return nil, nil, nil, err
		}
	}
	if end.Before(start) {
		return nil, nil, nil, domain.Invalidf("period.to", "期间结束不能早于开始 / the period ends before it starts")
	}
	if len(b.Depts) == 0 {
		return nil, nil, nil, domain.Invalidf("departments", "请选择被测评单位 / choose the departments evaluated")
	}
	depts, err := s.departmentRefs(ctx, "departments", b.Depts)
	if err != nil {
		return nil, nil, nil, err
	}
	var evs []store.EvaluationEvaluator
	edepts, err := s.departmentRefs(ctx, "evaluators.departments", b.Evaluators.Departments)
	if err != nil {
		return nil, nil, nil, err
	}
	for _, d := range edepts {
		evs = append(evs, store.EvaluationEvaluator{Kind: "department", RefID: d})
	}
	seen := map[uint64]bool{}
	for i, raw := range b.Evaluators.Users {
		u, err := s.userRef(c, fmt.Sprintf("evaluators.users[%d]", i), raw)
		if err != nil {
			return nil, nil, nil, err
		}
		if !seen[u] {
			seen[u] = true
			evs = append(evs, store.EvaluationEvaluator{Kind: "user", RefID: u})
		}
	}
	if n := b.Evaluators.AnonymousCodes; n < 0 || n > maxCodes {
		return nil, nil, nil, domain.Invalidf("evaluators.anonymous_codes", "测评码数量应在 0–%d 之间 / anonymous_codes must be 0–%d", maxCodes, maxCodes)
	}
	if len(evs) == 0 && b.Evaluators.AnonymousCodes == 0 {
		return nil, nil, nil, domain.Invalidf("evaluators", "请指定评价人（单位、用户或匿名测评码） / name the evaluators: departments, users or anonymous codes")
	}
	qs, _ := json.Marshal(b.Questions)
	return &store.Evaluation{Title: title, PlanID: b.PlanID, PeriodFrom: start.UTC(), PeriodTo: end.UTC(),
		QuestionsJSON: string(qs), ClosesAt: closes.UTC()}, depts, evs, nil
}

// userRef resolves a user given by id or username.
func (s *Server) userRef(c echo.Context, field string, raw json.RawMessage) (uint64, error) {
	ctx := c.Request().Context()
	var id uint64
	if err := json.Unmarshal(raw, &id); err == nil && id != 0 {
		if _, err := s.deps.Store.UserByID(ctx, id); err != nil {
			return 0, domain.Invalidf(field, "用户 %d 不存在 / no user %d", id, id)
		}
		return id, nil
	}
	var name string
	if err := json.Unmarshal(raw, &name); err == nil && name != "" {
		if u, err := s.deps.Store.UserByUsername(ctx, strings.TrimSpace(name)); err == nil {
			return u.ID, nil
		}
	}
	return 0, domain.Invalidf(field, "找不到该用户 / no such user")
}

// codeAlphabet leaves out letters and digits read alike (0/O, 1/I/L).
const codeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

// newEvaluationCode is a random 12-character code, grouped by four: ABCD-EFGH-JKMN.
func newEvaluationCode() string {
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	var sb strings.Builder
	for i, x := range b {
		if i > 0 && i%4 == 0 {
			sb.WriteByte('-')
		}
		sb.WriteByte(codeAlphabet[int(x)%len(codeAlphabet)])
	}
	return sb.String()
}

// codeHash is what is stored of a code: typed in any case, with or without dashes.
func codeHash(code string) string {
	norm := strings.ToUpper(strings.NewReplacer("-", "", " ", "").Replace(code))
	return auth.HashToken("evaluation:" + norm)
}

// evaluator is who answers: a user listed by name ("u<id>") or, for a liaison, their
// department ("d<id>"); "" when the caller is not an evaluator of the round.
func evaluator(d *store.EvaluationDetail, p *Principal) (key string, dept uint64) {
	if p == nil {
		return "", 0
	}
	for _, e := range d.Evaluators {
		if e.Kind == "user" && e.RefID == p.UserID {
			return "u" + strconv.FormatUint(p.UserID, 10), p.DepartmentID
		}
	}
	for _, e := range d.Evaluators {
		if e.Kind == "department" && p.DepartmentID != 0 && e.RefID == p.DepartmentID {
			return "d" + strconv.FormatUint(p.DepartmentID, 10), p.DepartmentID
		}
	}
	return "", 0
}

func (s *Server) loadEvaluation(c echo.Context) (*store.EvaluationDetail, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, err
	}
	return s.deps.Store.GetEvaluation(c.Request().Context(), id)
}

func (s *Server) evaluationView(c echo.Context, d store.EvaluationDetail, names map[uint64]string) EvaluationView {
	v := EvaluationView{ID: d.ID, Title: d.Title, PlanID: d.PlanID, ClosesAt: d.ClosesAt,
		PeriodFrom: d.PeriodFrom.In(calendar.Shanghai).Format(time.DateOnly), PeriodTo: d.PeriodTo.In(calendar.Shanghai).Format(time.DateOnly),
		Closed: !s.deps.Now().Before(d.ClosesAt), Questions: d.Questions(), Answers: d.Answers, Codes: d.Codes, Answered: []uint64{}}
	for _, id := range d.Departments {
		v.Departments = append(v.Departments, DepartmentRef{ID: id, Name: names[id]})
	}
	return v
}

// listEvaluations lists every round to those who read results, and to anyone else the
// rounds they are an evaluator of.
func (s *Server) listEvaluations(c echo.Context) error {
	p, err := s.mustAuthorize(c, ActOwnAccount)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	all := s.may(c, ActReadEvaluation, Resource{})
	ds, err := s.deps.Store.Evaluations(ctx)
	if err != nil {
		return err
	}
	names, err := s.deps.Store.DepartmentNames(ctx)
	if err != nil {
		return err
	}
	out := []EvaluationView{}
	for _, d := range ds {
		key, _ := evaluator(&d, p)
		if !all && key == "" {
			continue
		}
		v := s.evaluationView(c, d, names)
		if key != "" {
			if v.Answered, err = s.deps.Store.Answered(ctx, d.ID, key); err != nil {
				return err
			}
			v.CanAnswer = !v.Closed
		}
		out = append(out, v)
	}
	return c.JSON(http.StatusOK, out)
}

// EvaluationResults are a round's results per evaluated department.
type EvaluationResults struct {
	EvaluationView
	Results []domain.SatisfactionResult `json:"results"`
}

// evaluationResults adds up a round's answers per department: mean (percent of full
// marks), count, distribution, per-question means and the comments, sorted.
func (s *Server) evaluationResults(c echo.Context) error {
	if _, err := s.mustAuthorize(c, ActReadEvaluation); err != nil {
		return err
	}
	d, err := s.loadEvaluation(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	names, err := s.deps.Store.DepartmentNames(ctx)
	if err != nil {
		return err
	}
	as, err := s.deps.Store.EvaluationAnswers(ctx, d.ID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, EvaluationResults{EvaluationView: s.evaluationView(c, *d, names),
		Results: domain.Satisfaction(d.Questions(), d.Departments, names, as)})
}
