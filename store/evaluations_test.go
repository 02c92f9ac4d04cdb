package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/store"
	"github.com/dubanhq/duban/store/storetest"
)

// TestEvaluationAnswersOnceAndUntraceably: a code answers once, a named evaluator once per
// department; the answer rows keep neither, and their time only to the day.
func TestEvaluationAnswersOnceAndUntraceably(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		a, _ := st.CreateDepartment(ctx, "市甲局", nil, "")
		e := &store.Evaluation{Title: "测评", QuestionsJSON: `[{"text":"效率","max":5}]`, PeriodFrom: time.Now().Add(-time.Hour),
			PeriodTo: time.Now().Add(time.Hour), ClosesAt: time.Now().Add(time.Hour)}
		if err := st.CreateEvaluation(ctx, e, []uint64{a.ID}, []store.EvaluationEvaluator{{Kind: "user", RefID: 9}}, []string{"h1", "h2"}); err != nil {
			t.Fatal(err)
		}
		at := time.Date(2026, 12, 6, 15, 4, 5, 0, time.UTC)
		ans := domain.Answer{DepartmentID: a.ID, Scores: []int{4}, Percent: 80, Comment: "好"}
		for i, c := range []struct {
			w    store.AnswerWrite
			want domain.Kind
		}{
			{store.AnswerWrite{EvaluationID: e.ID, CodeHash: "h1", Answer: ans, At: at}, ""},
			{store.AnswerWrite{EvaluationID: e.ID, CodeHash: "h1", Answer: ans, At: at}, domain.KindConflict},
			{store.AnswerWrite{EvaluationID: e.ID, CodeHash: "nope", Answer: ans, At: at}, domain.KindForbidden},
			{store.AnswerWrite{EvaluationID: e.ID, Evaluator: "u9", Answer: ans, At: at}, ""},
			{store.AnswerWrite{EvaluationID: e.ID, Evaluator: "u9", Answer: ans, At: at}, domain.KindConflict},
		} {
			err := st.AnswerEvaluation(ctx, c.w)
			if (c.want == "" && err != nil) || (c.want != "" && domain.KindOf(err) != c.want) {
				t.Errorf("answer %d: %v, want %q", i, err, c.want)
			}
		}
		if ok, _ := st.ValidCode(ctx, e.ID, "h1"); ok {
			t.Error("a used code is still valid")
		}
		if ok, _ := st.ValidCode(ctx, e.ID, "h2"); !ok {
			t.Error("an unused code is not valid")
		}
		rows, err := st.EvaluationRows(ctx, e.ID)
		if err != nil || len(rows) != 2 {
			t.Fatalf("rows %+v, %v", rows, err)
		}
		for _, r := range rows {
			if r.Day != "2026-12-06" {
				t.Errorf("answer kept its time as %q, want the day only", r.Day)
			}
		}
		got, err := st.Satisfaction(ctx, 0, time.Now().Add(-24*time.Hour), time.Now().Add(24*time.Hour))
		if err != nil || got[a.ID] != 0.8 {
			t.Errorf("satisfaction %v, %v", got, err)
		}
		d, err := st.GetEvaluation(ctx, e.ID)
		if err != nil || d.Codes != 2 || d.Answers != 2 || len(d.Departments) != 1 {
			t.Errorf("detail %+v, %v", d, err)
		}
	})
}

// TestSubtaskStatusMovesOnlyForward: created once per item and number; late only from open;
// done or closed only while unfinished.
func TestSubtaskStatusMovesOnlyForward(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		due := time.Now().Add(time.Hour).UTC().Truncate(time.Second)
		first, err := st.CreateSubtask(ctx, domain.Subtask{ItemID: 7, Seq: 1, Title: "摸底", DepartmentID: 3, Deadline: due}, 1)
		if err != nil {
			t.Fatal(err)
		}
		again, err := st.CreateSubtask(ctx, domain.Subtask{ItemID: 7, Seq: 1, Title: "摸底", DepartmentID: 3, Deadline: due}, 1)
		if err != nil || again.ID != first.ID {
			t.Fatalf("a retried create made %d (first %d): %v", again.ID, first.ID, err)
		}
		for _, s := range []domain.SubtaskStatus{domain.SubtaskLate, domain.SubtaskDone, domain.SubtaskClosed, domain.SubtaskLate} {
			if err := st.SetSubtaskStatus(ctx, 7, 1, s, time.Now()); err != nil {
				t.Fatal(err)
			}
		}
		ts, err := st.Subtasks(ctx, 7)
		if err != nil || len(ts) != 1 || ts[0].Status != domain.SubtaskDone || ts[0].CompletedAt == nil {
			t.Errorf("sub-tasks %+v, %v", ts, err)
		}
		if _, err := st.GetSubtask(ctx, 8, first.ID); domain.KindOf(err) != domain.KindNotFound {
			t.Errorf("another item's sub-task: %v", err)
		}
	})
}
