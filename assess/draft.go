package assess

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/dubanhq/duban/calendar"
	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/store"
)

// Draft writes a circular draft from an assessment: the commended units, the criticised
// units with the handlers (经办人) on record for their late items, and every item whose
// escalation in the period reached a rung that lists it in the circular (通报 and 追究责任
// on the default ladder) with the facts. A supervisor edits it before publishing.
func (s *Service) Draft(ctx context.Context, a *store.Assessment, by uint64, now time.Time) (*store.Circular, error) {
	res, err := Decode(a)
	if err != nil {
		return nil, err
	}
	plan, err := s.Store.GetPlan(ctx, a.PlanID)
	if err != nil {
		return nil, err
	}
	items, err := s.Store.PlanItems(ctx, a.PlanID)
	if err != nil {
		return nil, err
	}
	byID := map[uint64]domain.Item{}
	ids := make([]uint64, 0, len(items))
	for _, it := range items {
		byID[it.ID] = it
		ids = append(ids, it.ID)
	}
	h, err := s.handlers(ctx, ids)
	if err != nil {
		return nil, err
	}
	issuer := s.Issuer
	if issuer == "" {
		issuer = DefaultIssuer
	}
	c := domain.CircularContent{
		Issuer: issuer, Recipients: "各责任单位：", Signature: issuer, Date: now.In(calendar.Shanghai).Format(time.DateOnly),
		Intro: fmt.Sprintf("根据《%s》有关要求，%s对%s各责任单位重点任务落实情况进行了考核。现将有关情况通报如下：", plan.Title, issuer, res.Period.Label),
		Requirements: "各责任单位要对照考核结果，认真查找差距，于本通报印发之日起 15 个工作日内将整改情况书面报送" + issuer +
			"。受到通报批评的单位要向分管领导作出说明，经办人员要切实改进工作作风，确保各项任务按期保质完成。",
		Commended: []domain.CircularUnit{}, Criticised: []domain.CircularUnit{}, Escalated: []domain.CircularItem{},
	}
	for _, r := range res.Departments {
		u := domain.CircularUnit{DepartmentID: r.DepartmentID, Department: r.Department, Score: r.Score, Rank: r.Rank,
			Reasons: zhOnly(r.Reasons), Handlers: []string{}, LateItems: []string{}}
		if r.Commended {
			c.Commended = append(c.Commended, u)
		}
		if r.Criticised {
			for _, id := range lateItems(r) {
				it := byID[id]
				u.LateItems = append(u.LateItems, strings.TrimSpace(it.Ref+" "+it.Title))
				for _, name := range h.of(id, r.DepartmentID) {
					if !slices.Contains(u.Handlers, name) {
						u.Handlers = append(u.Handlers, name)
					}
				}
			}
			c.Criticised = append(c.Criticised, u)
		}
	}
	es, err := s.Store.CircularEscalations(ctx, ids, a.Start, a.End)
	if err != nil {
		return nil, err
	}
	names := map[uint64]string{}
	for _, r := range res.Departments {
		names[r.DepartmentID] = r.Department
	}
	for _, e := range es {
		it := byID[e.ItemID]
		c.Escalated = append(c.Escalated, domain.CircularItem{ItemID: e.ItemID, Ref: it.Ref, Title: it.Title,
			DepartmentID: e.DepartmentID, Department: names[e.DepartmentID], Level: e.Level, LevelName: e.Name,
			Facts: fmt.Sprintf("%s；%s 升级为「%s」。", e.Reason, e.At.In(calendar.Shanghai).Format("2006年1月2日"), e.Name)})
	}
	body, _ := json.Marshal(c)
	circ := &store.Circular{AssessmentID: a.ID, PlanID: a.PlanID, CreatedBy: by, ContentJSON: string(body),
		Title: fmt.Sprintf("关于%s重点任务落实情况的通报", res.Period.Label)}
	return circ, s.Store.CreateCircular(ctx, circ)
}

// lateItems are the items behind a department's misses, overdue days and escalations.
func lateItems(r domain.DepartmentResult) []uint64 {
	var out []uint64
	for metric, refs := range r.Evidence {
		name := metric[strings.IndexByte(metric, '.')+1:]
		if name != "signs_missed" && name != "reports_missed" && !strings.HasPrefix(name, "escalations_") && name != "accountability" {
			continue
		}
		for _, ref := range refs {
			if id := ref.ItemID; id != 0 && !slices.Contains(out, id) {
				out = append(out, id)
			}
		}
	}
	slices.Sort(out)
	return out
}

// zhOnly keeps the Chinese half of "中文 / English" reasons: a circular is in Chinese.
func zhOnly(rs []string) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		zh, _, _ := strings.Cut(r, " / ")
		out[i] = zh
	}
	return out
}
