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

// ledgerHeader is the 台账 as supervision offices keep it.
var ledgerHeader = []string{"序号", "编号", "任务", "牵头单位", "配合单位", "时限", "进展", "状态", "督办等级", "灯"}

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
	if format != "xlsx" && format != "csv" {
		return domain.Invalidf("format", "应为 xlsx 或 csv / must be xlsx or csv")
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
	name := "台账-" + time.Now().In(calendar.Shanghai).Format("20060102")
	if format == "csv" {
		var buf bytes.Buffer
		buf.WriteString("\ufeff")
		w := csv.NewWriter(&buf)
		_ = w.Write(ledgerHeader)
		_ = w.WriteAll(rows)
		return attachment(c, name+".csv", "text/csv; charset=utf-8", buf.Bytes())
	}
	x := excelize.NewFile()
	defer x.Close()
	sheet := "台账"
	_ = x.SetSheetName("Sheet1", sheet)
	_ = x.SetSheetRow(sheet, "A1", &ledgerHeader)
	for i, r := range rows {
		vals := make([]any, len(r))
		for j, v := range r {
			vals[j] = v
		}
		_ = x.SetSheetRow(sheet, "A"+strconv.Itoa(i+2), &vals)
	}
	_ = x.SetColWidth(sheet, "C", "C", 48)
	_ = x.SetColWidth(sheet, "D", "E", 28)
	_ = x.SetColWidth(sheet, "G", "G", 40)
	bold, _ := x.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	_ = x.SetRowStyle(sheet, 1, 1, bold)
	_ = x.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		return err
	}
	return attachment(c, name+".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buf.Bytes())
}

// ledgerRows walks every page of the filter and renders one row per item.
func (s *Server) ledgerRows(c echo.Context, f store.ItemFilter) ([][]string, error) {
	ctx := c.Request().Context()
	names, err := s.deps.Store.DepartmentNames(ctx)
	if err != nil {
		return nil, err
	}
	f.Limit = 500
	var rows [][]string
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
			due := dateOf(it.Window.End)
			if !it.NextDue.IsZero() {
				due = it.NextDue.In(calendar.Shanghai).Format("2006-01-02 15:04")
			}
			level := ""
			if it.Level > 0 {
				level = fmt.Sprintf("L%d", it.Level)
			}
			rows = append(rows, []string{strconv.Itoa(len(rows) + 1), it.Ref, it.Title, strings.Join(lead, "、"), strings.Join(partners, "、"),
				due, progress[it.ID], it.Status.ZH(), level, it.Light.ZH()})
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
