package store_test

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/store"
	"github.com/dubanhq/duban/store/storetest"
)

// TestDepartmentNamesAreOneNamespace: a name or alias names one department, matched folded
// (full-width, spaces); a clash is a conflict naming the department that has it.
func TestDepartmentNamesAreOneNamespace(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		gx, err := s.CreateDepartment(ctx, "市工业和信息化局", []string{"市工信局（大数据局）", " 市工信局 (大数据局) ", "市工业和信息化局"}, "")
		if err != nil {
			t.Fatal(err)
		}
		if got := gx.AliasList(); !slices.Equal(got, []string{"市工信局(大数据局)"}) {
			t.Errorf("aliases stored folded, once, without the own name: %q", got)
		}
		for _, c := range []struct {
			name    string
			aliases []string
			field   string
		}{
			{"市工信局(大数据局)", nil, "name"},
			{"市 工业和信息化局", nil, "name"},
			{"市科技局", []string{"科技局", "市工信局（大数据局）"}, "aliases[1]"},
		} {
			_, err := s.CreateDepartment(ctx, c.name, c.aliases, "")
			var e *domain.Error
			if domain.KindOf(err) != domain.KindConflict || !errors.As(err, &e) || e.Field != c.field || !strings.Contains(e.Message, "市工业和信息化局") {
				t.Errorf("create %s %v: %v, want a conflict on %s naming 市工业和信息化局", c.name, c.aliases, err, c.field)
			}
		}
		kj, err := s.CreateDepartment(ctx, "市科学技术局", []string{"市科技局"}, "")
		if err != nil {
			t.Fatal(err)
		}
		name, aliases := "市科技局", []string{"市科学技术局", "科技局"}
		before, after, err := s.UpdateDepartment(ctx, kj.ID, store.DepartmentChange{Name: &name, Aliases: &aliases})
		if err != nil || before.Name != "市科学技术局" || after.Name != "市科技局" || !slices.Equal(after.AliasList(), aliases) {
			t.Fatalf("rename, the old name kept as an alias: %+v %+v %v", before, after, err)
		}
		taken := []string{"科技局", "市工信局(大数据局)"}
		if _, _, err := s.UpdateDepartment(ctx, kj.ID, store.DepartmentChange{Aliases: &taken}); domain.KindOf(err) != domain.KindConflict {
			t.Errorf("an alias of another department: %v", err)
		}
		// The import wizard's "add as alias" goes through the same check.
		if err := s.AddDepartmentAlias(ctx, kj.ID, "市工信局（大数据局）"); domain.KindOf(err) != domain.KindConflict {
			t.Errorf("the wizard adding another department's alias: %v", err)
		}
		if err := s.AddDepartmentAlias(ctx, kj.ID, "科技 局"); err != nil {
			t.Errorf("adding an alias it has (folded): %v", err)
		}
		if err := s.AddDepartmentAlias(ctx, kj.ID, "市科委"); err != nil {
			t.Error(err)
		} else if _, d, err := s.UpdateDepartment(ctx, kj.ID, store.DepartmentChange{}); err != nil || !slices.Contains(d.AliasList(), "市科委") || len(d.AliasList()) != 3 {
			t.Errorf("aliases after the wizard added one: %v %v", d, err)
		}
		if _, _, err := s.UpdateDepartment(ctx, 999, store.DepartmentChange{Name: &name}); err != domain.ErrNotFound {
			t.Errorf("a missing department: %v", err)
		}
	})
}

// TestDepartmentNamesFoldCaseAndLookAlikes: names that differ only in case, width or a
// Cyrillic look-alike letter are one department, on every write path (create, rename, the
// wizard's alias); a name or alias hiding control or bidi characters is refused naming the
// field, whichever path writes it.
func TestDepartmentNamesFoldCaseAndLookAlikes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		abc, err := s.CreateDepartment(ctx, "ABC局", nil, "")
		if err != nil {
			t.Fatal(err)
		}
		other, err := s.CreateDepartment(ctx, "市丁局", nil, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, look := range []string{"abc局", "ＡＢＣ局", "\u0410\u0412\u0421局"} { // the last is Cyrillic А В С
			if _, err := s.CreateDepartment(ctx, look, nil, ""); domain.KindOf(err) != domain.KindConflict {
				t.Errorf("create %q beside ABC局: %v, want a conflict", look, err)
			}
			if err := s.AddDepartmentAlias(ctx, other.ID, look); domain.KindOf(err) != domain.KindConflict {
				t.Errorf("alias %q of 市丁局 beside ABC局: %v, want a conflict", look, err)
			}
		}
		if err := s.AddDepartmentAlias(ctx, abc.ID, "abc局"); err != nil {
			t.Errorf("its own name in another case is no new alias: %v", err)
		}
		for _, c := range []struct {
			name    string
			aliases []string
			field   string
		}{
			{"市\u202e局乙", nil, "name"},
			{"市乙局", []string{"乙局", "乙\u200b局"}, "aliases[1]"},
			{"市乙局\x07", nil, "name"},
		} {
			_, err := s.CreateDepartment(ctx, c.name, c.aliases, "")
			var e *domain.Error
			if domain.KindOf(err) != domain.KindInvalid || !errors.As(err, &e) || e.Field != c.field {
				t.Errorf("create %q %q: %v, want invalid %s", c.name, c.aliases, err, c.field)
			}
		}
		if err := s.AddDepartmentAlias(ctx, other.ID, "丁\u2066局"); domain.KindOf(err) != domain.KindInvalid {
			t.Errorf("the wizard's alias with a bidi isolate: %v", err)
		}
		ds, err := s.ListDepartments(ctx)
		if err != nil || len(ds) != 2 {
			t.Errorf("departments after the refused writes: %d %v", len(ds), err)
		}
	})
}

// TestGroupsEditAndDelete: a group is renamed, given a new member list and deleted; its
// departments stay.
func TestGroupsEditAndDelete(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, _ := s.CreateDepartment(ctx, "渭滨区人民政府", nil, "county")
		b, _ := s.CreateDepartment(ctx, "金台区人民政府", nil, "county")
		c, _ := s.CreateDepartment(ctx, "陈仓区人民政府", nil, "county")
		g, err := s.CreateGroup(ctx, "各区政府", []uint64{a.ID, b.ID})
		if err != nil {
			t.Fatal(err)
		}
		other, _ := s.CreateGroup(ctx, "各县政府", nil)
		name, members := "各县(区)人民政府", []uint64{c.ID, a.ID}
		v, err := s.UpdateGroup(ctx, g.ID, store.GroupChange{Name: &name, Members: &members})
		if err != nil || v.Name != name || !slices.Equal(v.Members, []uint64{a.ID, c.ID}) {
			t.Fatalf("update: %+v %v", v, err)
		}
		if _, err := s.UpdateGroup(ctx, other.ID, store.GroupChange{Name: &name}); domain.KindOf(err) != domain.KindConflict {
			t.Errorf("a name another group has: %v", err)
		}
		if _, err := s.UpdateGroup(ctx, 999, store.GroupChange{Name: &name}); err != domain.ErrNotFound {
			t.Errorf("a missing group: %v", err)
		}
		if d, err := s.DeleteGroup(ctx, g.ID); err != nil || d.Name != name {
			t.Fatalf("delete: %+v %v", d, err)
		}
		if m, _ := s.GroupMembers(ctx); len(m[name]) != 0 {
			t.Errorf("members of a deleted group: %v", m)
		}
		if ds, _ := s.ListDepartments(ctx); len(ds) != 3 {
			t.Errorf("deleting a group removed departments: %d left", len(ds))
		}
		if _, err := s.DeleteGroup(ctx, g.ID); err != domain.ErrNotFound {
			t.Errorf("deleted twice: %v", err)
		}
	})
}

// TestMergeDepartment merges 市工信局 (the duplicate) into 市工业和信息化局: every row naming it
// moves; an item that names both keeps one share with the stronger role (or the one still in
// force); the duplicate's names become aliases; the merge is audited once, a retry finds
// the first record and changes nothing, and a workflow's later write of the duplicate's
// removed share does not bring its row back.
func TestMergeDepartment(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		db := store.RawDB(s).WithContext(ctx)
		into, _ := s.CreateDepartment(ctx, "市工业和信息化局", []string{"工信局"}, "bureau")
		dup, _ := s.CreateDepartment(ctx, "市工信局", []string{"市工信局（大数据局）"}, "imported")
		other, _ := s.CreateDepartment(ctx, "市科技局", nil, "")
		plan, _, err := s.CreatePlan(ctx, &store.Plan{SourceHash: "merge", Title: "方案", PolicyJSON: "{}"}, []domain.Item{
			storetest.Item("1", "duplicate leads alone", []uint64{dup.ID}, other.ID),
			storetest.Item("2", "duplicate leads, target partners", []uint64{dup.ID}, into.ID),
			storetest.Item("3", "target leads, duplicate partners", []uint64{into.ID}, dup.ID),
			storetest.Item("4", "duplicate removed, target in force", []uint64{other.ID}, dup.ID, into.ID),
			storetest.Item("5", "target removed, duplicate in force", []uint64{other.ID}, dup.ID, into.ID),
			storetest.Item("6", "not the duplicate's", []uint64{other.ID}),
		})
		if err != nil {
			t.Fatal(err)
		}
		items, _ := s.PlanItems(ctx, plan.ID)
		removed := func(item, dept uint64) {
			if err := db.Model(&store.Assignment{}).Where("item_id = ? AND department_id = ?", item, dept).Update("status", "removed").Error; err != nil {
				t.Fatal(err)
			}
		}
		removed(items[3].ID, dup.ID)
		removed(items[4].ID, into.ID)
		la := store.User{Username: "gxj", DisplayName: "工信局联络员", Role: "liaison", DepartmentID: &dup.ID, PasswordHash: "x"}
		if err := s.CreateUser(ctx, &la); err != nil {
			t.Fatal(err)
		}
		both, _ := s.CreateGroup(ctx, "市直部门", []uint64{dup.ID, into.ID, other.ID})
		onlyDup, _ := s.CreateGroup(ctx, "数字政府成员单位", []uint64{dup.ID})
		robot := store.ContactPoint{DepartmentID: &dup.ID, Channel: "webhook", Address: "https://example.gov.cn/hook", Enabled: true}
		if err := s.SaveContactPoint(ctx, &robot); err != nil {
			t.Fatal(err)
		}
		late := true
		at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		if err := s.WriteTransition(ctx, store.TransitionWrite{ItemID: items[0].ID,
			Events:      []store.Event{{ItemID: items[0].ID, PlanID: plan.ID, DepartmentID: dup.ID, Type: "signed", Payload: `{"late":true}`, Late: &late, At: at, DedupeKey: "m-e1"}},
			Escalations: []store.Escalation{{ItemID: items[0].ID, DepartmentID: dup.ID, Level: 1, Name: "催办", At: at, DedupeKey: "m-l1"}},
		}); err != nil {
			t.Fatal(err)
		}
		usage, err := s.DepartmentsUsage(ctx)
		if err != nil || usage[dup.ID] != (store.DepartmentUsage{Items: 4, Users: 1, Groups: 2}) {
			t.Errorf("the duplicate's usage before the merge: %+v %v", usage[dup.ID], err)
		}

		m := store.DepartmentMerge{FromID: dup.ID, IntoID: into.ID, Reassigned: 0, ActorID: 1, Actor: "admin", At: at}
		done, again, err := s.MergeDepartment(ctx, m, store.Event{ActorID: 1, Actor: "admin", At: at, RequestID: "req-merge"})
		if err != nil || again || done.FromName != "市工信局" || done.Items != 5 || done.Users != 1 {
			t.Fatalf("merge: %+v again=%v %v", done, again, err)
		}

		shares := func(item uint64) map[uint64]string {
			var as []store.Assignment
			db.Where("item_id = ?", item).Find(&as)
			out := map[uint64]string{}
			for _, a := range as {
				out[a.DepartmentID] = a.Role + "/" + a.Status
			}
			return out
		}
		for i, want := range []map[uint64]string{
			{into.ID: "lead/assigned", other.ID: "partner/assigned"},
			{into.ID: "lead/assigned"},
			{into.ID: "lead/assigned"},
			{other.ID: "lead/assigned", into.ID: "partner/assigned"},
			{other.ID: "lead/assigned", into.ID: "partner/assigned"},
			{other.ID: "lead/assigned"},
		} {
			if got := shares(items[i].ID); !maps.Equal(got, want) {
				t.Errorf("item %s (%s): shares %v, want %v", items[i].Ref, items[i].Title, got, want)
			}
		}
		if it, _ := s.GetItem(ctx, items[0].ID); it.Version != items[0].Version+1 {
			t.Errorf("a merged item's ETag must change: version %d, was %d", it.Version, items[0].Version)
		}
		var lead uint64
		db.Model(&store.Item{}).Where("id = ?", items[1].ID).Pluck("lead_dept_id", &lead)
		if lead != into.ID {
			t.Errorf("the item row's lead: %d", lead)
		}
		if u, _ := s.UserByID(ctx, la.ID); *u.DepartmentID != into.ID {
			t.Errorf("the duplicate's liaison is now in %d", *u.DepartmentID)
		}
		m2, _ := s.GroupMembers(ctx)
		if !slices.Equal(m2[both.Name], []uint64{into.ID, other.ID}) || !slices.Equal(m2[onlyDup.Name], []uint64{into.ID}) {
			t.Errorf("groups after the merge: %v", m2)
		}
		if cp, _ := s.ContactPoint(ctx, robot.ID); *cp.DepartmentID != into.ID {
			t.Errorf("the robot belongs to %d", *cp.DepartmentID)
		}
		for _, model := range []any{&store.Event{}, &store.Escalation{}, &store.Assignment{}, &store.User{}, &store.GroupMember{}, &store.ContactPoint{}} {
			var n int64
			db.Model(model).Where("department_id = ?", dup.ID).Count(&n)
			if n != 0 {
				t.Errorf("%T: %d rows still name the duplicate", model, n)
			}
		}
		ds, _ := s.ListDepartments(ctx)
		if len(ds) != 2 || ds[0].ID != into.ID || !slices.Equal(ds[0].AliasList(), []string{"工信局", "市工信局", "市工信局(大数据局)"}) {
			t.Errorf("departments after the merge: %+v", ds)
		}
		audit, _ := s.AuditEvents(ctx, 0, 10)
		var merged []store.Event
		for _, e := range audit {
			if e.Type == string(domain.EventDepartmentMerged) {
				merged = append(merged, e)
			}
		}
		if len(merged) != 1 || merged[0].RequestID != "req-merge" || merged[0].DepartmentID != into.ID {
			t.Fatalf("merge audit: %+v", merged)
		}
		if ev, err := domain.DecodeEvent(domain.EventDepartmentMerged, []byte(merged[0].Payload)); err != nil ||
			ev.(domain.DepartmentMerged) != (domain.DepartmentMerged{DepartmentID: dup.ID, Name: "市工信局", IntoID: into.ID, IntoName: "市工业和信息化局", Items: 5, Users: 1}) {
			t.Errorf("merge audit payload: %+v %v", ev, err)
		}

		// A retry: the first record, nothing more.
		retry, again, err := s.MergeDepartment(ctx, m, store.Event{ActorID: 1, Actor: "admin", At: at.Add(time.Minute), RequestID: "req-retry"})
		if err != nil || !again || retry.Items != 5 || !retry.At.Equal(at) {
			t.Errorf("retried merge: %+v again=%v %v", retry, again, err)
		}
		if after, _ := s.AuditEvents(ctx, 0, 10); len(after) != len(audit) {
			t.Errorf("a retried merge audited again: %d events, was %d", len(after), len(audit))
		}
		if rec, err := s.DepartmentMergeOf(ctx, dup.ID); err != nil || rec.IntoID != into.ID {
			t.Errorf("merge record: %+v %v", rec, err)
		}
		if _, err := s.DepartmentMergeOf(ctx, into.ID); err != domain.ErrNotFound {
			t.Errorf("a department never merged: %v", err)
		}
		if _, _, err := s.MergeDepartment(ctx, store.DepartmentMerge{FromID: into.ID, IntoID: dup.ID}, store.Event{}); domain.KindOf(err) != domain.KindInvalid {
			t.Errorf("merging into a merged (missing) department: %v", err)
		}
		if _, _, err := s.MergeDepartment(ctx, store.DepartmentMerge{FromID: into.ID, IntoID: into.ID}, store.Event{}); domain.KindOf(err) != domain.KindInvalid {
			t.Errorf("merging a department into itself: %v", err)
		}

		// The running workflow of item 1 still knows the duplicate as a removed share.
		if err := s.WriteTransition(ctx, store.TransitionWrite{ItemID: items[0].ID, Progress: &domain.Progress{Status: domain.StatusActive, Light: domain.Green,
			Assignments: []domain.Assignment{{DepartmentID: into.ID, Role: domain.Lead, Status: domain.AssignmentSigned}, {DepartmentID: dup.ID, Role: domain.Lead, Status: domain.AssignmentRemoved}}}}); err != nil {
			t.Fatal(err)
		}
		if got := shares(items[0].ID); !maps.Equal(got, map[uint64]string{into.ID: "lead/signed", other.ID: "partner/assigned"}) {
			t.Errorf("after a workflow's write: %v", got)
		}
	})
}
