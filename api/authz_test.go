package api

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/dubanhq/duban/domain"
)

// departmentScoped lists the actions a liaison may do only for their own department, as
// TestAuthorisationMatrix reads it.
var departmentScoped = func() map[Action]bool {
	out := map[Action]bool{}
	for act, sc := range policy[domain.RoleLiaison] {
		out[act] = sc == OwnDepartment
	}
	return out
}()

// roles are the columns of wantPolicy.
var roles = []domain.Role{domain.RoleAdmin, domain.RoleSupervisor, domain.RoleLeader, domain.RoleLiaison, domain.RoleViewer}

// wantPolicy is the policy written out, one row per action with the scope of admin,
// supervisor, leader, liaison and viewer: a change to who may do what is a change here.
var wantPolicy = map[Action][5]Scope{
	ActManageUsers:         {Anywhere, Nowhere, Nowhere, Nowhere, Nowhere},
	ActManageDepartments:   {Anywhere, Nowhere, Nowhere, Nowhere, Nowhere},
	ActManageCalendar:      {Anywhere, Nowhere, Nowhere, Nowhere, Nowhere},
	ActImportPlan:          {Anywhere, Anywhere, Nowhere, Nowhere, Nowhere},
	ActManagePlan:          {Anywhere, SupervisedPlan, Nowhere, Nowhere, Nowhere},
	ActManageSupervisors:   {Anywhere, ListedPlan, Nowhere, Nowhere, Nowhere},
	ActReadPlan:            {Anywhere, Anywhere, Anywhere, Anywhere, Anywhere},
	ActReadItem:            {Anywhere, Anywhere, Anywhere, OwnDepartment, Anywhere},
	ActActAsDepartment:     {Nowhere, Nowhere, Nowhere, OwnDepartment, Nowhere},
	ActReview:              {Nowhere, SupervisedPlan, Nowhere, Nowhere, Nowhere},
	ActInstruct:            {Nowhere, Nowhere, Anywhere, Nowhere, Nowhere},
	ActReadEscalations:     {Anywhere, Anywhere, Anywhere, Nowhere, Nowhere},
	ActAckEscalation:       {Nowhere, Anywhere, Anywhere, Nowhere, Nowhere},
	ActReadAudit:           {Anywhere, Anywhere, Anywhere, Nowhere, Nowhere},
	ActEditTemplates:       {Anywhere, Anywhere, Nowhere, Nowhere, Nowhere},
	ActRunAssessment:       {Nowhere, SupervisedPlan, Nowhere, Nowhere, Nowhere},
	ActReadAssessment:      {Anywhere, Anywhere, Anywhere, Anywhere, Anywhere},
	ActReadEvidence:        {Anywhere, Anywhere, Anywhere, OwnDepartment, Nowhere},
	ActEditCircular:        {Nowhere, SupervisedPlan, Nowhere, Nowhere, Nowhere},
	ActReadDrafts:          {Anywhere, Anywhere, Anywhere, Nowhere, Nowhere},
	ActReadRecords:         {Anywhere, Anywhere, Anywhere, OwnDepartment, Nowhere},
	ActDecideRecord:        {Nowhere, Nowhere, Anywhere, Nowhere, Nowhere},
	ActManageContactPoints: {Anywhere, OwnUser, OwnUser, OwnUser, OwnUser},
	ActReadDeliveries:      {Anywhere, Anywhere, OwnUser, OwnUser, OwnUser},
	ActRevokeToken:         {Anywhere, OwnUser, OwnUser, OwnUser, OwnUser},
	ActOwnAccount:          {Anywhere, Anywhere, Anywhere, Anywhere, Anywhere},
	ActReadDirectory:       {Anywhere, Anywhere, Anywhere, Anywhere, Anywhere},
	ActReadCalendar:        {Anywhere, Anywhere, Anywhere, Anywhere, Anywhere},
	ActSplitItem:           {Nowhere, SupervisedPlan, Nowhere, OwnDepartment, Nowhere},
	ActOpenEvaluation:      {Nowhere, SupervisedPlan, Nowhere, Nowhere, Nowhere},
	ActReadEvaluation:      {Anywhere, Anywhere, Anywhere, Nowhere, Nowhere},
	ActCreateCase:          {Nowhere, Anywhere, Nowhere, Nowhere, Nowhere},
	ActUploadAttachment:    {Nowhere, Anywhere, Nowhere, OwnDepartment, Nowhere},
}

// scopedCases are things the matrix decides on, for a caller who is user 1 of department 7.
// Plan 10 is supervised by user 1, plan 11 by user 2, plan 12 by nobody. reachedBy lists the
// scopes besides Anywhere that reach each.
var scopedCases = []struct {
	name      string
	on        Resource
	reachedBy []Scope
}{
	{"an item of their department on a plan they supervise", Resource{Departments: []uint64{7}, Plan: 10}, []Scope{OwnDepartment, SupervisedPlan, ListedPlan}},
	{"an item of another department on a plan someone else supervises", Resource{Departments: []uint64{9}, Plan: 11}, nil},
	{"an item partnered by their department on a plan someone else supervises", Resource{Departments: []uint64{8, 7}, Plan: 11}, []Scope{OwnDepartment}},
	{"an item of another department on a plan with no supervisors", Resource{Departments: []uint64{9}, Plan: 12}, []Scope{SupervisedPlan}},
	{"their own contact point", Resource{Owner: 1}, []Scope{OwnUser, SupervisedPlan}},
	{"someone else's contact point", Resource{Owner: 2}, []Scope{SupervisedPlan}},
	{"a department's robot, nobody's own", Resource{Departments: []uint64{7}}, []Scope{OwnDepartment, SupervisedPlan}},
}

func fakeSupervision(planID, userID uint64, listedOnly bool) (bool, error) {
	return planID == 12 && !listedOnly || planID == 10 && userID == 1 || planID == 11 && userID == 2, nil
}

// TestPolicyMatrix enumerates the policy: every role × action × scope case is allowed or
// refused as wantPolicy says, and a list gets the matching part.
func TestPolicyMatrix(t *testing.T) {
	for act := range actionNames {
		if _, ok := wantPolicy[act]; !ok {
			t.Errorf("action %s is not in wantPolicy", act)
		}
	}
	for role, row := range policy {
		for act := range row {
			if _, ok := actionNames[act]; !ok {
				t.Errorf("policy gives %s the unnamed action %s", role, act)
			}
		}
	}
	for act, want := range wantPolicy {
		if _, ok := actionNames[act]; !ok {
			t.Errorf("action %s has no name for its refusals", act)
		}
		for i, role := range roles {
			p := &Principal{UserID: 1, Role: role, DepartmentID: 7}
			for _, c := range scopedCases {
				allowed := decide(p, act, c.on, fakeSupervision) == nil
				if wantAllowed := want[i] == Anywhere || slices.Contains(c.reachedBy, want[i]); allowed != wantAllowed {
					t.Errorf("%s %s on %s: allowed=%v, want %v", role, act, c.name, allowed, wantAllowed)
				}
			}
			g := grant(p, act)
			if g.Scope != want[i] || g.All() != (want[i] == Anywhere) || g.None() != (want[i] == Nowhere) {
				t.Errorf("%s %s: grant %+v, want scope %d", role, act, g, want[i])
			}
			if (g.Department == 7) != (want[i] == OwnDepartment) || (g.User == 1) != (want[i] == OwnUser || want[i] == SupervisedPlan || want[i] == ListedPlan) {
				t.Errorf("%s %s: the list narrows to %+v", role, act, g)
			}
		}
		if err := decide(nil, act, Resource{}, nil); domain.KindOf(err) != domain.KindUnauthenticated {
			t.Errorf("anonymous %s: %v", act, err)
		}
	}
}

// TestPolicyEdges covers what the matrix cannot show: a liaison without a department, the
// refusals' wording, and a supervision lookup that fails.
func TestPolicyEdges(t *testing.T) {
	homeless := &Principal{UserID: 3, Role: domain.RoleLiaison}
	if err := decide(homeless, ActReadItem, Resource{Departments: []uint64{0}}, nil); err == nil {
		t.Error("a liaison without a department reads an item of no department")
	}
	if g := grant(homeless, ActReadItem); !g.None() {
		t.Errorf("a liaison without a department lists %+v", g)
	}
	la := &Principal{UserID: 1, Role: domain.RoleLiaison, DepartmentID: 7}
	sup := &Principal{UserID: 1, Role: domain.RoleSupervisor}
	for _, c := range []struct {
		err  error
		want string
	}{
		{decide(la, ActReview, Resource{}, nil), "无权审核或决定 / not allowed to review or decide"},
		{decide(la, ActReadItem, Resource{Departments: []uint64{9}}, nil), "只能办理本单位的事项"},
		{decide(sup, ActReview, Resource{Plan: 11}, fakeSupervision), "you do not supervise this plan"},
		{decide(sup, ActManageContactPoints, Resource{Owner: 2}, nil), "only your own"},
	} {
		if domain.KindOf(c.err) != domain.KindForbidden || !strings.Contains(c.err.Error(), c.want) {
			t.Errorf("refusal %v, want 403 saying %q", c.err, c.want)
		}
	}
	down := errors.New("database down")
	failing := func(uint64, uint64, bool) (bool, error) { return false, down }
	if err := decide(sup, ActReview, Resource{Plan: 10}, failing); !errors.Is(err, down) {
		t.Errorf("a failed supervision lookup must surface (503), not read as a refusal: %v", err)
	}
}
