package main

import (
	"context"
	_ "embed"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/dubanhq/duban/api"
	"github.com/dubanhq/duban/auth"
	"github.com/dubanhq/duban/calendar"
	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/importer"
	"github.com/dubanhq/duban/launch"
	"github.com/dubanhq/duban/store"
)

// demoPlan is a short plan written for the demo in the layout of the Zhengzhou seed
// (tasks followed by 牵头单位/配合单位 lines).
//
//go:embed demo_plan.txt
var demoPlan []byte

var demoDepartments = []struct {
	name    string
	aliases []string
}{
	{"市市场监管局", []string{"市市场监管局(知识产权局)", "市知识产权局"}},
	{"市科技局", nil}, {"市工业和信息化局", nil}, {"市商务局", nil}, {"市中级人民法院", nil},
	{"市公安局", nil}, {"市文化广电和旅游局", nil}, {"市财政局", nil}, {"市地方金融监管局", nil},
}

// demoPassword is printed with the demo users; it is for a local demo only.
const demoPassword = "duban-demo-2025"

// seedDemo creates demo departments and users (one liaison per department, a supervisor and
// a leader) and launches the demo plan with a fast policy so that reminders and the ladder
// can be watched within minutes. It is idempotent.
func seedDemo(ctx context.Context, srv *api.Server, st *store.Store, logger *slog.Logger) error {
	hash, err := auth.HashPassword(demoPassword)
	if err != nil {
		return err
	}
	ids := map[string]uint64{}
	existing, err := st.ListDepartments(ctx)
	if err != nil {
		return err
	}
	for _, d := range existing {
		ids[d.Name] = d.ID
	}
	for _, d := range demoDepartments {
		if _, ok := ids[d.name]; ok {
			continue
		}
		row, err := st.CreateDepartment(ctx, d.name, d.aliases, "bureau")
		if err != nil {
			return err
		}
		ids[d.name] = row.ID
	}
	users := []store.User{
		{Username: "supervisor", DisplayName: "督查室 王督办", Role: string(domain.RoleSupervisor)},
		{Username: "leader", DisplayName: "领导小组 李副市长", Role: string(domain.RoleLeader)},
	}
	for i, d := range demoDepartments {
		id := ids[d.name]
		users = append(users, store.User{Username: fmt.Sprintf("liaison%d", i+1), DisplayName: d.name + "联络员", Role: string(domain.RoleLiaison), DepartmentID: &id})
	}
	for _, u := range users {
		u.PasswordHash = hash
		if err := st.CreateUser(ctx, &u); err != nil && domain.KindOf(err) != domain.KindConflict {
			return err
		}
	}
	// The demo's windows end with the current year, so nothing starts out overdue and every
	// date falls in a year the built-in calendar knows.
	text := []byte(strings.ReplaceAll(string(demoPlan), "{{YEAR}}", strconv.Itoa(time.Now().In(calendar.Shanghai).Year())))
	res, err := importer.Parse(text, importer.Options{Format: "text", Filename: "demo_plan.txt"})
	if err != nil {
		return err
	}
	policy, err := domain.ParsePolicy(domain.DefaultPolicy(), []byte(`{"sign_within":"5m","cadence":"every 15m","remind_before":["2m"],"partner_lead":"3m","resubmit_within":"5m",
		"ladder":[{"level":1,"name":"催办","after":"0s","notify":["liaison","department_head"]},{"level":2,"name":"督办通知","after":"2m","notify":["supervisor","department_head"]},
		{"level":3,"name":"通报","after":"4m","notify":["leadership"],"leadership":true,"circular":true},
		{"level":4,"name":"追究责任","after":"8m","notify":["leadership"],"leadership":true,"circular":true,"accountability":true}]}`))
	if err != nil {
		return err
	}
	l := srv.Launcher()
	lr, err := l.Launch(ctx, launch.FromImport(res, string(text), policy))
	if err != nil {
		return err
	}
	logger.Info("demo plan", "plan_id", lr.PlanID, "items", len(lr.ItemIDs), "new", lr.Created, "started", lr.Started)
	fmt.Printf("\n  Demo users (password %s):\n    supervisor  督办员 (reviews, overdue board)\n    leader      领导 (escalations, instructions)\n", demoPassword)
	for i, d := range demoDepartments {
		fmt.Printf("    liaison%-3d  %s联络员\n", i+1, d.name)
	}
	fmt.Println("  The demo plan uses minute-scale deadlines: watch reminders and the escalation ladder climb.")
	return nil
}
