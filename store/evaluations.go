package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/dubanhq/duban/domain"
)

// Evaluation is a satisfaction-evaluation round (满意度测评): what is asked, about which
// departments, of whom, until when.
type Evaluation struct {
	ID            uint64 `gorm:"primaryKey"`
	Title         string `gorm:"size:500"`
	PlanID        uint64 `gorm:"index"` // 0: a round of a period, not of one plan
	PeriodFrom    time.Time
	PeriodTo      time.Time
	QuestionsJSON string `gorm:"type:text"`
	ClosesAt      time.Time
	CreatedBy     uint64
	CreatedAt     time.Time
}

// Questions decodes the questionnaire.
func (e Evaluation) Questions() []domain.Question {
	var qs []domain.Question
	_ = json.Unmarshal([]byte(e.QuestionsJSON), &qs)
	return qs
}

// EvaluationTarget is a department a round evaluates.
type EvaluationTarget struct {
	EvaluationID uint64 `gorm:"primaryKey;autoIncrement:false"`
	DepartmentID uint64 `gorm:"primaryKey;autoIncrement:false"`
}

// EvaluationEvaluator is a department (any of its liaisons answers for it) or a user who
// may answer a round.
type EvaluationEvaluator struct {
	EvaluationID uint64 `gorm:"primaryKey;autoIncrement:false"`
	Kind         string `gorm:"primaryKey;size:16"` // department | user
	RefID        uint64 `gorm:"primaryKey;autoIncrement:false"`
}

// EvaluationBallot records that a named evaluator answered about a department, so they
// cannot answer twice. The answer itself is a separate row that does not name them.
type EvaluationBallot struct {
	EvaluationID uint64 `gorm:"primaryKey;autoIncrement:false"`
	Evaluator    string `gorm:"primaryKey;size:32"` // d<id> or u<id>
	DepartmentID uint64 `gorm:"primaryKey;autoIncrement:false"`
}

// EvaluationCode is an anonymous one-use code (测评码) for an outside respondent: only its
// hash is kept, with whether it was used; nothing links it to the answer given with it.
type EvaluationCode struct {
	ID           uint64 `gorm:"primaryKey"`
	EvaluationID uint64 `gorm:"index"`
	Hash         string `gorm:"size:64;uniqueIndex"`
	Used         bool
}

// EvaluationAnswer is one answer about one department. It names no evaluator or code, and
// its time is kept to the day, so supervisors cannot trace it to whoever gave it.
type EvaluationAnswer struct {
	ID           uint64 `gorm:"primaryKey"`
	EvaluationID uint64 `gorm:"index"`
	DepartmentID uint64
	ScoresJSON   string `gorm:"size:1000"`
	Percent      float64
	Comment      string `gorm:"type:text"`
	Day          string `gorm:"size:10"` // 2026-12-06
	Anonymous    bool
}

// EvaluationDetail is a round with whom it evaluates and who may answer.
type EvaluationDetail struct {
	Evaluation
	Departments []uint64
	Evaluators  []EvaluationEvaluator
	Codes       int
	Answers     int
}

// CreateEvaluation stores a round with its departments, evaluators and code hashes in one
// transaction.
func (s *Store) CreateEvaluation(ctx context.Context, e *Evaluation, depts []uint64, evaluators []EvaluationEvaluator, codeHashes []string) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(e).Error; err != nil {
			return fmt.Errorf("store: evaluation: %w", err)
		}
		for _, d := range depts {
			if err := tx.Create(&EvaluationTarget{EvaluationID: e.ID, DepartmentID: d}).Error; err != nil {
				return fmt.Errorf("store: evaluation department %d: %w", d, err)
			}
		}
		for _, ev := range evaluators {
			ev.EvaluationID = e.ID
			if err := tx.Create(&ev).Error; err != nil {
				return fmt.Errorf("store: evaluator: %w", err)
			}
		}
		for _, h := range codeHashes {
			if err := tx.Create(&EvaluationCode{EvaluationID: e.ID, Hash: h}).Error; err != nil {
				return fmt.Errorf("store: evaluation code: %w", err)
			}
		}
		return nil
	})
}

// Evaluations lists rounds, newest first.
func (s *Store) Evaluations(ctx context.Context) ([]EvaluationDetail, error) {
	var es []Evaluation
	if err := s.rdb.WithContext(ctx).Order("id DESC").Limit(500).Find(&es).Error; err != nil {
		return nil, err
	}
	out := make([]EvaluationDetail, 0, len(es))
	for _, e := range es {
		d, err := s.detail(ctx, e)
		if err != nil {
			return nil, err
		}
		out = append(out, *d)
	}
	return out, nil
}

// GetEvaluation returns one round.
func (s *Store) GetEvaluation(ctx context.Context, id uint64) (*EvaluationDetail, error) {
	var e Evaluation
	err := s.rdb.WithContext(ctx).First(&e, id).Error
	if notFound(err) {
		return nil, domain.NotFoundf("测评不存在 / no such evaluation")
	}
	if err != nil {
		return nil, err
	}
	return s.detail(ctx, e)
}

func (s *Store) detail(ctx context.Context, e Evaluation) (*EvaluationDetail, error) {
	d := &EvaluationDetail{Evaluation: e}
	db := s.rdb.WithContext(ctx)
	if err := db.Model(&EvaluationTarget{}).Where("evaluation_id = ?", e.ID).Order("department_id").Pluck("department_id", &d.Departments).Error; err != nil {
		return nil, err
	}
	if err := db.Where("evaluation_id = ?", e.ID).Order("kind, ref_id").Find(&d.Evaluators).Error; err != nil {
		return nil, err
	}
	var codes, answers int64
	if err := db.Model(&EvaluationCode{}).Where("evaluation_id = ?", e.ID).Count(&codes).Error; err != nil {
		return nil, err
	}
	if err := db.Model(&EvaluationAnswer{}).Where("evaluation_id = ?", e.ID).Count(&answers).Error; err != nil {
		return nil, err
	}
	d.Codes, d.Answers = int(codes), int(answers)
	return d, nil
}

// AnswerWrite is one answer to store: by a named evaluator (Evaluator "d<id>" or "u<id>")
// or with an anonymous code's hash.
type AnswerWrite struct {
	EvaluationID uint64
	Evaluator    string
	CodeHash     string
	Answer       domain.Answer
	At           time.Time
}

// ValidCode reports whether an unused code of the round has this hash.
func (s *Store) ValidCode(ctx context.Context, evaluationID uint64, hash string) (bool, error) {
	var n int64
	err := s.rdb.WithContext(ctx).Model(&EvaluationCode{}).Where("evaluation_id = ? AND hash = ? AND used = ?", evaluationID, hash, false).Count(&n).Error
	return n > 0, err
}

// AnswerEvaluation stores an answer once: a code is used up (a second answer with it is a
// conflict, an unknown code refused), a named evaluator answers once per department.
func (s *Store) AnswerEvaluation(ctx context.Context, w AnswerWrite) error {
	scores, _ := json.Marshal(w.Answer.Scores)
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if w.CodeHash != "" {
			res := tx.Model(&EvaluationCode{}).Where("evaluation_id = ? AND hash = ? AND used = ?", w.EvaluationID, w.CodeHash, false).Update("used", true)
			if res.Error != nil {
				return res.Error
			}
			if res.RowsAffected == 0 {
				var n int64
				if err := tx.Model(&EvaluationCode{}).Where("evaluation_id = ? AND hash = ?", w.EvaluationID, w.CodeHash).Count(&n).Error; err != nil {
					return err
				}
				if n > 0 {
					return domain.Conflictf("该测评码已使用，每个测评码只能提交一次 / this code has already been used: each code answers once")
				}
				return domain.Forbiddenf("测评码无效 / the evaluation code is not valid for this evaluation")
			}
		} else {
			err := tx.Create(&EvaluationBallot{EvaluationID: w.EvaluationID, Evaluator: w.Evaluator, DepartmentID: w.Answer.DepartmentID}).Error
			if isDuplicate(err) {
				return domain.Conflictf("您已评价过该单位，不能重复提交 / you have already evaluated this department")
			}
			if err != nil {
				return err
			}
		}
		return tx.Create(&EvaluationAnswer{EvaluationID: w.EvaluationID, DepartmentID: w.Answer.DepartmentID, ScoresJSON: string(scores),
			Percent: w.Answer.Percent, Comment: w.Answer.Comment, Day: w.At.Format("2006-01-02"), Anonymous: w.CodeHash != ""}).Error
	})
}

// Answered lists the departments a named evaluator has answered about in a round.
func (s *Store) Answered(ctx context.Context, evaluationID uint64, evaluator string) ([]uint64, error) {
	var ids []uint64
	err := s.rdb.WithContext(ctx).Model(&EvaluationBallot{}).Where("evaluation_id = ? AND evaluator = ?", evaluationID, evaluator).
		Pluck("department_id", &ids).Error
	return ids, err
}

// EvaluationAnswers returns a round's answers (without anything that names their givers).
func (s *Store) EvaluationAnswers(ctx context.Context, evaluationID uint64) ([]domain.Answer, error) {
	var rows []EvaluationAnswer
	if err := s.rdb.WithContext(ctx).Where("evaluation_id = ?", evaluationID).Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]domain.Answer, len(rows))
	for i, r := range rows {
		out[i] = domain.Answer{DepartmentID: r.DepartmentID, Percent: r.Percent, Comment: r.Comment}
		_ = json.Unmarshal([]byte(r.ScoresJSON), &out[i].Scores)
	}
	return out, nil
}

// Satisfaction is each department's mean satisfaction (0–1) over the answers of rounds of
// the plan, or of no plan, whose period overlaps [start, end): the assessment's
// satisfaction rate.
func (s *Store) Satisfaction(ctx context.Context, planID uint64, start, end time.Time) (map[uint64]float64, error) {
	var rows []struct {
		DepartmentID uint64
		Mean         float64
	}
	err := s.rdb.WithContext(ctx).Table("evaluation_answers AS a").
		Select("a.department_id AS department_id, AVG(a.percent) AS mean").
		Joins("JOIN evaluations AS e ON e.id = a.evaluation_id").
		Where("(e.plan_id = ? OR e.plan_id = 0) AND e.period_from < ? AND e.period_to >= ?", planID, end, start).
		Group("a.department_id").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("store: satisfaction: %w", err)
	}
	out := make(map[uint64]float64, len(rows))
	for _, r := range rows {
		out[r.DepartmentID] = r.Mean / 100
	}
	return out, nil
}

// EvaluationRows returns a round's answer rows as stored, for checks that they carry
// nothing that names their givers.
func (s *Store) EvaluationRows(ctx context.Context, evaluationID uint64) ([]EvaluationAnswer, error) {
	var rows []EvaluationAnswer
	err := s.rdb.WithContext(ctx).Where("evaluation_id = ?", evaluationID).Order("day").Find(&rows).Error
	return rows, err
}
