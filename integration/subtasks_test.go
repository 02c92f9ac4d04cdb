package integration

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

type subtaskRow struct {
	ID          uint64     `json:"id"`
	Title       string     `json:"title"`
	Department  string     `json:"department"`
	Status      string     `json:"status"`
	CompletedAt *time.Time `json:"completed_at"`
}

func (s *system) subtasks(token, path string) map[string]subtaskRow {
	var it struct {
		Subtasks        []subtaskRow `json:"subtasks"`
		EscalationLevel int          `json:"escalation_level"`
	}
	s.must(200, token, "GET", path, nil, &it)
	out := map[string]subtaskRow{}
	for _, t := range it.Subtasks {
		out[t.Title] = t
	}
	return out
}

func (s *system) inboxTitles(token string) string {
	var inbox struct {
		Notifications []struct{ Kind, Title string }
	}
	s.must(200, token, "GET", "/api/v1/inbox", nil, &inbox)
	var out []string
	for _, n := range inbox.Notifications {
		if n.Kind == "subtask" {
			out = append(out, n.Title)
		}
	}
	return strings.Join(out, "|")
}

// TestSubtasksOnTheEmbeddedServer: the lead splits off two sub-tasks (a partner's, by name,
// and one of its own offices); a partner may not; one goes late, which tells its owner and
// the lead and leaves the item unescalated; its owner completes it; cancelling the item
// closes the other. With -update-histories the item's history is recorded for replay.
func TestSubtasksOnTheEmbeddedServer(t *testing.T) {
	s, sup, la, path := signedItem(t)
	lb := s.login("lb", "password-1")
	soon := time.Now().Add(4 * time.Second).Format(time.RFC3339)
	var created struct{ ID uint64 }
	s.must(201, la, "POST", path+"/subtasks", map[string]any{"title": "摸底调查", "department": "市乙局", "deadline": soon}, &created)
	s.must(201, la, "POST", path+"/subtasks", map[string]any{"title": "起草方案", "department": "市甲局", "office": "综合处",
		"deadline": time.Now().Add(time.Hour).Format(time.RFC3339)}, nil)
	if code := s.call(la, "POST", path+"/subtasks", map[string]any{"title": "太晚", "department": "市乙局", "deadline": "2099-01-01"}, nil); code != 422 {
		t.Errorf("a sub-task due after the item: %d, want 422", code)
	}
	if code := s.call(lb, "POST", path+"/subtasks", map[string]any{"title": "配合", "department": "市乙局", "deadline": soon}, nil); code != 403 {
		t.Errorf("a partner splitting the item: %d, want 403", code)
	}
	if st := s.subtasks(sup, path); st["摸底调查"].Status != "open" || st["起草方案"].Department != "市甲局" {
		t.Fatalf("sub-tasks %+v", st)
	}
	eventually(t, 30*time.Second, "the sub-task going late", func() bool { return s.subtasks(la, path)["摸底调查"].Status == "late" })
	eventually(t, 10*time.Second, "the late notices", func() bool {
		return strings.Contains(s.inboxTitles(lb), "【子任务逾期】") && strings.Contains(s.inboxTitles(la), "【子任务逾期】")
	})
	var item struct {
		EscalationLevel int `json:"escalation_level"`
	}
	s.must(200, sup, "GET", path, nil, &item)
	if item.EscalationLevel != 0 {
		t.Errorf("a late sub-task escalated the item to %d", item.EscalationLevel)
	}
	s.must(200, lb, "POST", fmt.Sprintf("%s/subtasks/%d/complete", path, created.ID), nil, nil)
	if code := s.call(lb, "POST", fmt.Sprintf("%s/subtasks/%d/complete", path, created.ID), nil, nil); code != 409 {
		t.Errorf("completing twice: %d, want 409", code)
	}
	eventually(t, 10*time.Second, "the sub-task done", func() bool {
		d := s.subtasks(la, path)["摸底调查"]
		return d.Status == "done" && d.CompletedAt != nil
	})
	s.must(200, sup, "POST", path+"/cancel", map[string]any{"reason": "演练结束"}, nil)
	eventually(t, 10*time.Second, "the open sub-task closed with the item", func() bool {
		return s.subtasks(la, path)["起草方案"].Status == "closed"
	})
	if s.eventCount(sup, path, "subtask_created") != 2 || s.eventCount(sup, path, "subtask_completed") != 1 {
		t.Errorf("the item's timeline lacks the sub-task events")
	}
	if *updateHistories {
		s.saveHistory(t, "duban-item-"+strings.TrimPrefix(path, "/api/v1/items/"), "subtasks.json")
	}
}
