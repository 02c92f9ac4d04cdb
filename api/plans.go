package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/dubanhq/duban/calendar"
	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/importer"
	"github.com/dubanhq/duban/launch"
)

// maxImportBytes bounds an uploaded document (a long plan is ~100 KB of text).
const maxImportBytes = 20 << 20

func init() {
	routeRegistrars = append(routeRegistrars, func(s *Server) {
		g := s.Echo.Group("/api/v1", s.authn)
		g.POST("/plans/import", s.importPlan)
		g.GET("/plans", s.listPlans)
		g.GET("/plans/:id", s.getPlan)
		g.GET("/plans/:id/supervisors", s.listPlanSupervisors)
		g.POST("/plans/:id/supervisors", s.addPlanSupervisor)
		g.DELETE("/plans/:id/supervisors/:user_id", s.removePlanSupervisor)
	})
}

// importRequest is the JSON form of an import; multipart uploads carry the same fields as
// form values with the document in `file`.
type importRequest struct {
	Text              string          `json:"text"`
	Format            string          `json:"format"`
	Filename          string          `json:"filename"`
	DryRun            bool            `json:"dry_run"`
	List              int             `json:"list"`
	Policy            json.RawMessage `json:"policy"`
	CreateDepartments bool            `json:"create_departments"`
	// Departments maps the unit names the registry did not match (the wizard's mapping
	// step): use a department, add the name as its alias, or create it.
	Departments []launch.NameMapping `json:"departments"`
	// FirstListedLeads makes the first-listed unit the lead where a row names no lead.
	FirstListedLeads bool `json:"first_listed_leads"`
	// Items, when sent with the document, are its list as the person edited it in the
	// preview (titles, units, windows, indicators): they replace the parsed list, while the
	// document stays the plan's source text and each row keeps its source lines. Rows come
	// back as the preview sent them; their id and flags are the preview's and are ignored.
	Items []importedItem `json:"items"`
	// Plan overrides the document's metadata, for a list edited in the import wizard and
	// sent back as a JSON ledger.
	Plan *planOverride `json:"plan"`
}

type planOverride struct {
	Title     string `json:"title"`
	DocNumber string `json:"doc_number"`
	Issuer    string `json:"issuer"`
	Date      string `json:"date"`
}

// importedItem is an importer item plus its id once launched, and what the person launching
// must look at: no lead, a deadline already past, no deadline at all.
type importedItem struct {
	importer.Item
	ID    uint64   `json:"id,omitempty"`
	Flags []string `json:"flags"`
}

// Preview flags of an item.
const (
	flagNoLead       = "no_lead"       // 待指定牵头单位: it will not start until one is picked
	flagPastDeadline = "past_deadline" // the deadline has passed: the grace period applies
	flagNoDeadline   = "no_deadline"   // neither a deadline nor ongoing: reports until the plan ends
)

// flagsOf checks one previewed item against today.
func flagsOf(it importer.Item, firstListedLeads bool, today string) []string {
	out := []string{}
	if len(it.Lead) == 0 && !(firstListedLeads && len(it.Partners) > 0) {
		out = append(out, flagNoLead)
	}
	switch {
	case it.Window.End != "" && !it.Window.Ongoing && it.Window.End < today:
		out = append(out, flagPastDeadline)
	case it.Window.End == "" && !it.Window.Ongoing:
		out = append(out, flagNoDeadline)
	}
	return out
}

// previewWarnings leaves out what the preview says better elsewhere: an unknown unit name
// (the departments list matches it by abbreviation or asks for it), and a row without a
// lead when the first listed unit is to lead.
func previewWarnings(ws []importer.Warning, firstListedLeads bool) []importer.Warning {
	out := []importer.Warning{}
	for _, w := range ws {
		if w.Code == "unknown-department" || w.Code == "no-lead" && firstListedLeads {
			continue
		}
		out = append(out, w)
	}
	return out
}

// unitNames lists the unit names of the items in the order they first appear.
func unitNames(items []importer.Item) []string {
	seen := map[string]bool{}
	var out []string
	for _, it := range items {
		for _, n := range append(append([]string{}, it.Lead...), it.Partners...) {
			if !seen[n] {
				seen[n] = true
				out = append(out, n)
			}
		}
	}
	return out
}

func (s *Server) importPlan(c echo.Context) error {
	p, err := s.mustAuthorize(c, ActImportPlan)
	if err != nil {
		return err
	}
	// Parsing a document takes memory and a core for up to seconds: a few at a time, and
	// the rest are told to retry rather than queue.
	select {
	case s.imports <- struct{}{}:
		defer func() { <-s.imports }()
	default:
		c.Response().Header().Set("Retry-After", "5")
		return domain.E(domain.KindRateLimited, "", "正在处理其他导入，请稍后重试 / other imports are being processed; retry in a few seconds", nil)
	}
	req, data, err := readImport(c)
	if err != nil {
		return err
	}
	policy, err := domain.ParsePolicy(domain.DefaultPolicy(), req.Policy)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	dir, err := s.directory(ctx)
	if err != nil {
		return err
	}
	res, perr := importer.Parse(data, importer.Options{Format: req.Format, Filename: req.Filename, List: req.List, Directory: dir})
	if errors.Is(perr, importer.ErrNoList) {
		return domain.E(domain.KindInvalid, "text", perr.Error(), perr)
	}
	if errors.Is(perr, importer.ErrTooLarge) { // a zip bomb, or a document that big: 413
		return domain.E(domain.KindMalformed, "file", perr.Error(), &http.MaxBytesError{Limit: importer.MaxUnpacked})
	}
	if perr != nil {
		return domain.E(domain.KindInvalid, "text", perr.Error(), perr)
	}
	if o := req.Plan; o != nil {
		res.Plan.Title, res.Plan.DocNumber, res.Plan.Issuer, res.Plan.Date = o.Title, o.DocNumber, o.Issuer, o.Date
	}
	if len(req.Items) > 0 {
		if err := checkEditedItems(req.Items); err != nil {
			return err
		}
		res.Items = make([]importer.Item, len(req.Items))
		for i, it := range req.Items {
			res.Items[i] = it.Item
		}
	}
	if res.Warnings == nil {
		res.Warnings = []importer.Warning{}
	}
	if res.Plan.Indicators == nil {
		res.Plan.Indicators = []importer.Indicator{}
	}
	today := s.deps.Now().In(calendar.Shanghai).Format(time.DateOnly)
	items := make([]importedItem, len(res.Items))
	for i, it := range res.Items {
		items[i] = importedItem{Item: it, Flags: flagsOf(it, req.FirstListedLeads, today)}
	}
	departments, err := s.matchDepartments(ctx, unitNames(res.Items), req.Departments)
	if err != nil {
		return err
	}
	res.Warnings = previewWarnings(res.Warnings, req.FirstListedLeads)
	out := map[string]any{"plan": res.Plan, "lists": res.Lists, "items": items, "warnings": res.Warnings, "departments": departments}
	li := launch.FromImport(res, string(data), policy)
	li.CreateDepartments, li.CreatedBy = req.CreateDepartments, p.UserID
	li.Mapping, li.FirstListedLeads = req.Departments, req.FirstListedLeads
	if err := launch.CheckWidths(li); err != nil { // the preview says so too, before any launch
		return err
	}
	if req.DryRun {
		return c.JSON(http.StatusOK, out)
	}
	if s.deps.Temporal == nil {
		return domain.E(domain.KindUnavailable, "", "工作流服务不可用 / Temporal is not configured", nil)
	}
	// The importer supervises the new plan if the policy lets them review it; a new plan
	// lists no supervisors yet, so this asks about their role.
	if authorize(p, ActReview) == nil {
		li.SupervisorID = p.UserID
	}
	lr, err := s.Launcher().Launch(ctx, li)
	if err != nil {
		return err
	}
	s.audit(c, p.UserID, p.DisplayName, domain.PlanLaunched{PlanID: lr.PlanID, Title: res.Plan.Title, Items: len(lr.ItemIDs),
		Started: lr.Started, Created: lr.Created})
	for i := range items {
		if i < len(lr.ItemIDs) {
			items[i].ID = lr.ItemIDs[i]
		}
	}
	warnings := append([]importer.Warning{}, res.Warnings...)
	for _, w := range lr.Warnings {
		warnings = append(warnings, importer.Warning{Message: w})
	}
	out["items"], out["warnings"] = items, warnings
	out["plan_id"], out["created"], out["started"] = lr.PlanID, lr.Created, lr.Started
	status := http.StatusCreated
	if !lr.Created {
		status = http.StatusOK
	}
	return c.JSON(status, out)
}

// checkEditedItems refuses an edited row that cannot be launched, naming the field: a row
// needs a title, dates are 2006-01-02, indicators need a name and a comparator.
func checkEditedItems(items []importedItem) error {
	for i, it := range items {
		f := fmt.Sprintf("items[%d]", i)
		if strings.TrimSpace(it.Title) == "" {
			return domain.Invalidf(f+".title", "第 %d 行缺少任务名称 / row %d has no title", i+1, i+1)
		}
		for name, d := range map[string]string{"window.start": it.Window.Start, "window.end": it.Window.End} {
			if _, err := time.Parse(time.DateOnly, d); d != "" && err != nil {
				return domain.Invalidf(f+"."+name, "第 %d 行日期应为 2006-01-02:%q / row %d: want a date 2006-01-02, got %q", i+1, d, i+1, d)
			}
		}
		for j, ind := range it.Indicators {
			g := fmt.Sprintf("%s.indicators[%d]", f, j)
			switch {
			case strings.TrimSpace(ind.Name) == "":
				return domain.Invalidf(g+".name", "第 %d 行的指标缺少名称 / row %d: an indicator has no name", i+1, i+1)
			case ind.Comparator != ">=" && ind.Comparator != "<=" && ind.Comparator != "=":
				return domain.Invalidf(g+".comparator", "比较方式应为 >=、<= 或 = / comparator must be >=, <= or =")
			}
		}
	}
	return nil
}

// matchDepartments is the preview's department list: each unit name with the department it
// names (by name, alias or abbreviation, or as the person mapped it) and suggestions.
func (s *Server) matchDepartments(ctx context.Context, names []string, mapping []launch.NameMapping) ([]launch.Match, error) {
	ms, err := launch.MatchNames(ctx, s.deps.Store, names)
	if err != nil {
		return nil, err
	}
	for i := range ms {
		for _, m := range mapping {
			switch {
			case m.Name != ms[i].Name:
			case m.Create:
				ms[i].Match, ms[i].How = nil, "create"
			case m.ID != 0:
				id := m.ID
				ms[i].Match, ms[i].How = &id, "mapped"
			}
		}
	}
	return ms, nil
}

// readImport accepts JSON {text,…} or a multipart upload with a `file` part.
func readImport(c echo.Context) (importRequest, []byte, error) {
	var req importRequest
	if c.Request().ContentLength > maxImportBytes {
		return req, nil, tooLarge(&http.MaxBytesError{Limit: maxImportBytes}, "file", maxImportBytes)
	}
	c.Request().Body = http.MaxBytesReader(c.Response(), c.Request().Body, maxImportBytes)
	if strings.HasPrefix(c.Request().Header.Get(echo.HeaderContentType), echo.MIMEMultipartForm) {
		fh, err := c.FormFile("file")
		var me *http.MaxBytesError
		if errors.As(err, &me) {
			return req, nil, tooLarge(err, "file", maxImportBytes)
		}
		if err != nil {
			return req, nil, domain.Invalidf("file", "请上传文件 / a file is required")
		}
		f, err := fh.Open()
		if err != nil {
			return req, nil, domain.E(domain.KindMalformed, "file", "无法读取上传文件 / the upload could not be read", err)
		}
		defer f.Close()
		data, err := io.ReadAll(f)
		if err != nil {
			return req, nil, domain.E(domain.KindMalformed, "file", "无法读取上传文件 / the upload could not be read", err)
		}
		if n := undecodableLine(data); n > 0 {
			return req, nil, domain.E(domain.KindMalformed, "file", fmt.Sprintf("第 %d 行不是有效的 UTF-8 或 GB18030 文本 / line %d is not valid UTF-8 or GB18030 text", n, n), nil)
		}
		req.Format, req.Filename = c.FormValue("format"), fh.Filename
		req.DryRun = c.FormValue("dry_run") == "true"
		req.CreateDepartments = c.FormValue("create_departments") == "true"
		req.FirstListedLeads = c.FormValue("first_listed_leads") == "true"
		if v := c.FormValue("departments"); v != "" {
			if err := json.Unmarshal([]byte(v), &req.Departments); err != nil {
				return req, nil, domain.Invalidf("departments", "应为单位对照的 JSON 数组 / must be a JSON array of name mappings")
			}
		}
		if v := c.FormValue("items"); v != "" { // the wizard's edited rows, beside the uploaded file
			if err := json.Unmarshal([]byte(v), &req.Items); err != nil {
				return req, nil, domain.Invalidf("items", "应为事项的 JSON 数组 / must be a JSON array of items")
			}
		}
		if v := c.FormValue("plan"); v != "" {
			if err := json.Unmarshal([]byte(v), &req.Plan); err != nil {
				return req, nil, domain.Invalidf("plan", "应为方案信息的 JSON 对象 / must be a JSON object")
			}
		}
		if v := c.FormValue("list"); v != "" {
			req.List, _ = strconv.Atoi(v)
		}
		if v := c.FormValue("policy"); v != "" {
			req.Policy = json.RawMessage(v)
		}
		return req, data, checkPlanOverride(req.Plan)
	}
	if err := bind(c, &req); err != nil {
		return req, nil, err
	}
	if strings.TrimSpace(req.Text) == "" {
		return req, nil, domain.Invalidf("text", "请粘贴方案文本或上传文件 / paste the plan text or upload a file")
	}
	return req, []byte(req.Text), checkPlanOverride(req.Plan)
}

// checkPlanOverride refuses plan metadata wider than the plans table's columns.
func checkPlanOverride(o *planOverride) error {
	if o != nil {
		for _, f := range []struct {
			name, v string
			max     int
		}{{"plan.title", o.Title, 512}, {"plan.doc_number", o.DocNumber, 128}, {"plan.issuer", o.Issuer, 256}, {"plan.date", o.Date, 10}} {
			if utf8.RuneCountInString(f.v) > f.max { // the plans table's column widths
				return domain.Invalidf(f.name, "不超过 %d 个字 / at most %d characters", f.max, f.max)
			}
		}
	}
	return nil
}

func (s *Server) listPlans(c echo.Context) error {
	if _, err := s.mustAuthorize(c, ActReadPlan); err != nil {
		return err
	}
	ps, err := s.deps.Store.ListPlans(c.Request().Context())
	if err != nil {
		return err
	}
	out := make([]map[string]any, len(ps))
	for i, p := range ps {
		out[i] = planView(p.ID, p.Title, p.DocNumber, p.Issuer, p.IssueDate, p.CreatedAt)
	}
	return c.JSON(http.StatusOK, out)
}

func (s *Server) getPlan(c echo.Context) error {
	if _, err := s.mustAuthorize(c, ActReadPlan); err != nil {
		return err
	}
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	p, err := s.deps.Store.GetPlan(c.Request().Context(), id)
	if err != nil {
		return err
	}
	v := planView(p.ID, p.Title, p.DocNumber, p.Issuer, p.IssueDate, p.CreatedAt)
	var pol any
	_ = json.Unmarshal([]byte(p.PolicyJSON), &pol)
	v["policy"] = pol
	return c.JSON(http.StatusOK, v)
}

func planView(id uint64, title, doc, issuer, date string, created any) map[string]any {
	return map[string]any{"id": id, "title": title, "doc_number": doc, "issuer": issuer, "date": date, "created_at": created}
}

func (s *Server) planParam(c echo.Context) (uint64, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return 0, err
	}
	if _, err := s.deps.Store.GetPlan(c.Request().Context(), id); err != nil {
		return 0, err
	}
	return id, nil
}

func (s *Server) listPlanSupervisors(c echo.Context) error {
	if _, err := s.mustAuthorize(c, ActReadPlan); err != nil {
		return err
	}
	id, err := s.planParam(c)
	if err != nil {
		return err
	}
	us, err := s.deps.Store.PlanSupervisors(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, viewUsers(us))
}

// addPlanSupervisor lets an admin, or a supervisor the plan lists, add a supervisor. On a
// plan that lists none only an admin may: otherwise any supervisor could take it over.
func (s *Server) addPlanSupervisor(c echo.Context) error {
	id, err := s.planParam(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	p, err := s.authorizeOn(c, ActManageSupervisors, Resource{Plan: id})
	if err != nil {
		return err
	}
	var b struct {
		UserID uint64 `json:"user_id"`
	}
	if err := bind(c, &b); err != nil {
		return err
	}
	u, err := s.deps.Store.UserByID(ctx, b.UserID)
	if err != nil || u.Role != string(domain.RoleSupervisor) {
		return domain.Invalidf("user_id", "须为督办员账号 / must be a supervisor's user id")
	}
	if err := s.deps.Store.AddPlanSupervisor(ctx, id, u.ID); err != nil {
		return err
	}
	s.audit(c, p.UserID, p.DisplayName, domain.PlanSupervisorAdded{PlanID: id, UserID: u.ID})
	return created(c, viewUser(u))
}

// removePlanSupervisor takes a supervisor off a plan (admins, or supervisors it lists); the
// same request again answers 204 too.
func (s *Server) removePlanSupervisor(c echo.Context) error {
	id, err := s.planParam(c)
	if err != nil {
		return err
	}
	p, err := s.authorizeOn(c, ActManageSupervisors, Resource{Plan: id})
	if err != nil {
		return err
	}
	uid, err := pathID(c, "user_id")
	if err != nil {
		return err
	}
	removed, err := s.deps.Store.RemovePlanSupervisor(c.Request().Context(), id, uid)
	if err != nil {
		return err
	}
	if removed {
		s.audit(c, p.UserID, p.DisplayName, domain.PlanSupervisorRemoved{PlanID: id, UserID: uid})
	}
	return c.NoContent(http.StatusNoContent)
}
