package api

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/xuri/excelize/v2"

	"github.com/dubanhq/duban/calendar"
	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/store"
)

func init() {
	routeRegistrars = append(routeRegistrars, func(s *Server) {
		s.Echo.GET("/api/v1/items/export", s.exportLedger, s.authn)
	})
}

// ledgerHeader is the 台账 as supervision offices keep it: 完成时限 is the task's own
// deadline (or 持续推进), 下一期限 the next step's.
var ledgerHeader = []string{"序号", "编号", "任务", "牵头单位", "配合单位", "完成时限", "下一期限", "进展", "状态", "督办等级", "灯"}

// ledgerRow is one item of the 台账.
type ledgerRow struct {
	seq                        int
	ref, title, lead, partners string
	deadline                   time.Time // the task's own; zero when ongoing or unstated
	ongoing                    bool
	next                       time.Time // the next step's; zero when nothing is owed
	progress, status, level    string
	light                      string
}

// strings renders the row as text (CSV): dates as 2006-01-02, times with the minute.
func (r ledgerRow) strings() []string {
	deadline := dateOf(r.deadline)
	if r.ongoing {
		deadline = "持续推进"
	}
	next := ""
	if !r.next.IsZero() {
		next = r.next.In(calendar.Shanghai).Format("2006-01-02 15:04")
	}
	return []string{strconv.Itoa(r.seq), r.ref, r.title, r.lead, r.partners, deadline, next, r.progress, r.status, r.level, r.light}
}

// ledgerEntry is one row of the 台账 as JSON (GET /items/export?format=json).
type ledgerEntry struct {
	Seq      int        `json:"seq"`
	Ref      string     `json:"ref"`
	Title    string     `json:"title"`
	Lead     string     `json:"lead"`
	Partners string     `json:"partners"`
	Deadline string     `json:"deadline"` // 2006-01-02, empty when unstated
	Ongoing  bool       `json:"ongoing"`
	NextDue  *time.Time `json:"next_due"`
	Progress string     `json:"progress"`
	Status   string     `json:"status"`
	Level    string     `json:"level"`
	Light    string     `json:"light"`
}

func (r ledgerRow) json() ledgerEntry {
	j := ledgerEntry{Seq: r.seq, Ref: r.ref, Title: r.title, Lead: r.lead, Partners: r.partners, Deadline: dateOf(r.deadline),
		Ongoing: r.ongoing, Progress: r.progress, Status: r.status, Level: r.level, Light: r.light}
	if !r.next.IsZero() {
		n := r.next
		j.NextDue = &n
	}
	return j
}

// cells renders the row for XLSX: the number a number and the dates dates, so the
// columns sort and filter as numbers and dates; every other cell is a string cell, which
// no spreadsheet evaluates, whatever it starts with (never a formula cell).
func (r ledgerRow) cells() []any {
	out := make([]any, 0, len(ledgerHeader))
	for _, v := range r.strings() {
		out = append(out, v)
	}
	out[0] = r.seq
	if !r.deadline.IsZero() && !r.ongoing {
		l := r.deadline.In(calendar.Shanghai)
		out[5] = time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, time.UTC)
	}
	if !r.next.IsZero() {
		l := r.next.In(calendar.Shanghai)
		out[6] = time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), 0, 0, time.UTC)
	}
	return out
}

// exportLedger writes the filtered list (the same filters as GET /items, all pages) as XLSX
// (?format=xlsx, the default) or CSV (?format=csv, UTF-8 with BOM so Excel reads it).
func (s *Server) exportLedger(c echo.Context) error {
	_, scope, err := s.listScope(c, ActReadItem)
	if err != nil {
		return err
	}
	format := c.QueryParam("format")
	if format == "" {
		format = "xlsx"
	}
	if format != "xlsx" && format != "csv" && format != "json" {
		return domain.Invalidf("format", "应为 xlsx、csv 或 json / must be xlsx, csv or json")
	}
	f, err := itemFilter(c)
	if err != nil {
		return err
	}
	if !scope.All() {
		f.DepartmentID = scope.Department
	}
	rows, err := s.ledgerRows(c, f)
	if err != nil {
		return err
	}
	if format == "json" { // the UI's printed 台账: the same rows, laid out by the browser
		out := make([]ledgerEntry, len(rows))
		for i, r := range rows {
			out[i] = r.json()
		}
		return c.JSON(http.StatusOK, map[string]any{"header": ledgerHeader, "rows": out})
	}
	name := "台账-" + time.Now().In(calendar.Shanghai).Format("20060102")
	if format == "csv" {
		var buf bytes.Buffer
		buf.WriteString("\ufeff")
		w := csv.NewWriter(&buf)
		_ = w.Write(ledgerHeader)
		for _, r := range rows {
			cells := r.strings()
			for i := 1; i < len(cells); i++ { // cells[0] is the number 序号
				cells[i] = csvText(cells[i])
			}
			_ = w.Write(cells)
		}
		w.Flush()
		return attachment(c, name+".csv", "text/csv; charset=utf-8", buf.Bytes())
	}
	b, err := ledgerXLSX(rows)
	if err != nil {
		return err
	}
	return attachment(c, name+".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b)
}

// ledgerXLSX lays the 台账 out to print: A4 landscape, fitted to the page's width, the
// header row repeated on every page and frozen on screen, dates as 2026年6月30日.
func ledgerXLSX(rows []ledgerRow) ([]byte, error) {
	x := excelize.NewFile()
	defer x.Close()
	sheet := "台账"
	_ = x.SetSheetName("Sheet1", sheet)
	_ = x.SetSheetRow(sheet, "A1", &ledgerHeader)
	dateFmt := "yyyy\"年\"m\"月\"d\"日\""
	dayStyle, _ := x.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt})
	timeFmt := "yyyy\"年\"m\"月\"d\"日\" hh:mm"
	timeStyle, _ := x.NewStyle(&excelize.Style{CustomNumFmt: &timeFmt})
	for i, r := range rows {
		vals := r.cells()
		row := strconv.Itoa(i + 2)
		_ = x.SetSheetRow(sheet, "A"+row, &vals)
		_ = x.SetCellStyle(sheet, "F"+row, "F"+row, dayStyle)
		_ = x.SetCellStyle(sheet, "G"+row, "G"+row, timeStyle)
	}
	_ = x.SetColWidth(sheet, "A", "B", 8)
	_ = x.SetColWidth(sheet, "C", "C", 44)
	_ = x.SetColWidth(sheet, "D", "E", 24)
	_ = x.SetColWidth(sheet, "F", "G", 18)
	_ = x.SetColWidth(sheet, "H", "H", 40)
	bold, _ := x.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{WrapText: true}})
	_ = x.SetRowStyle(sheet, 1, 1, bold)
	_ = x.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
	landscape, a4, fit, wide, tall := "landscape", 9, true, 1, 0 // paper size 9: A4
	_ = x.SetPageLayout(sheet, &excelize.PageLayoutOptions{Orientation: &landscape, Size: &a4, FitToWidth: &wide, FitToHeight: &tall})
	_ = x.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit})
	_ = x.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: "'台账'!$1:$1", Scope: sheet})
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// ledgerRows walks every page of the filter and renders one row per item.
func (s *Server) ledgerRows(c echo.Context, f store.ItemFilter) ([]ledgerRow, error) {
	ctx := c.Request().Context()
	names, err := s.deps.Store.DepartmentNames(ctx)
	if err != nil {
		return nil, err
	}
	f.Limit = 500
	var rows []ledgerRow
	for n := 0; n < 200; n++ { // at most 100,000 rows
		items, err := s.deps.Store.ListItems(ctx, f)
		if err != nil || len(items) == 0 {
			return rows, err
		}
		ids := make([]uint64, len(items))
		for i, it := range items {
			ids[i] = it.ID
		}
		progress, err := s.deps.Store.LatestReports(ctx, ids...)
		if err != nil {
			return nil, err
		}
		ls, err := s.laddersOf(ctx, items...)
		if err != nil {
			return nil, err
		}
		for _, it := range items {
			var lead, partners []string
			for _, a := range it.Assignments {
				if a.Status == domain.AssignmentRemoved {
					continue
				}
				if a.Role == domain.Lead {
					lead = append(lead, names[a.DepartmentID])
				} else {
					partners = append(partners, names[a.DepartmentID])
				}
			}
			rows = append(rows, ledgerRow{seq: len(rows) + 1, ref: it.Ref, title: it.Title,
				lead: strings.Join(lead, "、"), partners: strings.Join(partners, "、"),
				deadline: it.Window.End, ongoing: it.Window.Ongoing, next: it.NextDue, progress: progress[it.ID],
				status: it.Status.ZH(), level: ls.name(it.PlanID, it.Level), light: it.Light.ZH()})
		}
		f.AfterID = items[len(items)-1].ID
	}
	return rows, nil
}

func attachment(c echo.Context, name, mime string, b []byte) error {
	c.Response().Header().Set("Content-Disposition", `attachment; filename="ledger`+name[strings.LastIndex(name, "."):]+`"; filename*=UTF-8''`+urlEscape(name))
	return c.Blob(http.StatusOK, mime, b)
}

func urlEscape(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || strings.IndexByte("-._~", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

func init() {
	routeRegistrars = append(routeRegistrars, func(s *Server) {
		s.Echo.GET("/api/v1/departments/ranking", s.ranking, s.authn)
	})
}

// ranking lists departments by on-time rate, then fewest overdue (for supervisors and leaders).
func (s *Server) ranking(c echo.Context) error {
	if _, err := s.mustAuthorize(c, ActReadEscalations); err != nil {
		return err
	}
	out, err := s.deps.Store.DepartmentRanking(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}
