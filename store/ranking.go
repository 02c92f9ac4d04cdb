package store

import (
	"context"
	"sort"

	"github.com/dubanhq/duban/domain"
)

// DepartmentStat is one department's record for the ranking (排名).
type DepartmentStat struct {
	DepartmentID  uint64 `json:"department_id"`
	Department    string `json:"department"`
	Assignments   int64  `json:"assignments"`
	OverdueNow    int64  `json:"overdue_now"`
	Signed        int64  `json:"signed"`
	SignedOnTime  int64  `json:"signed_on_time"`
	Reports       int64  `json:"reports"`
	ReportsOnTime int64  `json:"reports_on_time"`
	Returns       int64  `json:"returns"`
	Escalations   int64  `json:"escalations"`
	MaxLevel      int64  `json:"max_level"`
	// OnTimeRate is (signed on time + reported on time) / (signed + reported + overdue
	// now): work done late, and work not done whose deadline has passed (an item overdue or
	// escalated now), count as not on time. Nil when nothing was due yet ("—").
	OnTimeRate *float64 `json:"on_time_rate"`
}

// DepartmentRanking computes each department's record from assignments and the audit log,
// best on-time rate first (departments with nothing due last), then fewest overdue.
func (s *Store) DepartmentRanking(ctx context.Context) ([]DepartmentStat, error) {
	ds, err := s.ListDepartments(ctx)
	if err != nil {
		return nil, err
	}
	stats := map[uint64]*DepartmentStat{}
	for _, d := range ds {
		stats[d.ID] = &DepartmentStat{DepartmentID: d.ID, Department: d.Name}
	}
	type row struct {
		DepartmentID uint64
		N            int64
		M            int64
	}
	var rows []row
	db := s.db.WithContext(ctx)
	if err := db.Model(&Assignment{}).Select("department_id, COUNT(*) AS n, SUM(CASE WHEN overdue THEN 1 ELSE 0 END) AS m").
		Where("status <> ?", string(domain.AssignmentRemoved)).Group("department_id").Scan(&rows).Error; err != nil {
		return nil, err
	}
	for _, r := range rows {
		if st := stats[r.DepartmentID]; st != nil {
			st.Assignments, st.OverdueNow = r.N, r.M
		}
	}
	count := func(typ domain.EventType, onTime bool, set func(*DepartmentStat, int64)) error {
		var rs []row
		q := db.Model(&Event{}).Select("department_id, COUNT(*) AS n").Where("type = ?", string(typ))
		if onTime {
			q = q.Where("late = ?", false)
		}
		if err := q.Group("department_id").Scan(&rs).Error; err != nil {
			return err
		}
		for _, r := range rs {
			if st := stats[r.DepartmentID]; st != nil {
				set(st, r.N)
			}
		}
		return nil
	}
	steps := []struct {
		typ    domain.EventType
		onTime bool
		set    func(*DepartmentStat, int64)
	}{
		{domain.EventSigned, false, func(s *DepartmentStat, n int64) { s.Signed = n }},
		{domain.EventSigned, true, func(s *DepartmentStat, n int64) { s.SignedOnTime = n }},
		{domain.EventReportSubmitted, false, func(s *DepartmentStat, n int64) { s.Reports = n }},
		{domain.EventReportSubmitted, true, func(s *DepartmentStat, n int64) { s.ReportsOnTime = n }},
		{domain.EventReturned, false, func(s *DepartmentStat, n int64) { s.Returns = n }},
	}
	for _, st := range steps {
		if err := count(st.typ, st.onTime, st.set); err != nil {
			return nil, err
		}
	}
	var esc []row
	if err := db.Model(&Escalation{}).Select("department_id, COUNT(*) AS n, MAX(level) AS m").Group("department_id").Scan(&esc).Error; err != nil {
		return nil, err
	}
	for _, r := range esc {
		if st := stats[r.DepartmentID]; st != nil {
			st.Escalations, st.MaxLevel = r.N, r.M
		}
	}
	out := make([]DepartmentStat, 0, len(stats))
	for _, st := range stats {
		if due := st.Signed + st.Reports + st.OverdueNow; due > 0 {
			r := float64(st.SignedOnTime+st.ReportsOnTime) / float64(due)
			st.OnTimeRate = &r
		}
		out = append(out, *st)
	}
	rate := func(s DepartmentStat) float64 {
		if s.OnTimeRate == nil {
			return -1
		}
		return *s.OnTimeRate
	}
	sort.Slice(out, func(i, j int) bool {
		if a, b := rate(out[i]), rate(out[j]); a != b {
			return a > b
		}
		if out[i].OverdueNow != out[j].OverdueNow {
			return out[i].OverdueNow < out[j].OverdueNow
		}
		return out[i].DepartmentID < out[j].DepartmentID
	})
	return out, nil
}
