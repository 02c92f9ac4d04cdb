package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/dubanhq/duban/assess"
	"github.com/dubanhq/duban/calendar"
	"github.com/dubanhq/duban/circular"
	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/store"
)

func init() {
	routeRegistrars = append(routeRegistrars, func(s *Server) {
		s.Echo.GET("/api/v1/circulars/:cid/export.docx", s.exportCircularDOCX, s.authn)
		s.Echo.GET("/api/v1/circulars/:cid/export.xlsx", s.exportCircularXLSX, s.authn)
	})
}

const (
	mimeDOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	mimeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)

// rankingTable is an assessment's ranking as the circular's annex and the XLSX export.
func rankingTable(r *assess.Result) circular.Table {
	pct := func(v *float64) string {
		if v == nil {
			return "—"
		}
		return strconv.FormatFloat(*v*100, 'f', 1, 64) + "%"
	}
	levels := 0 // a column per rung of the ladder
	for _, d := range r.Departments {
		levels = max(levels, len(d.Lead.Escalations), len(d.Partner.Escalations))
	}
	header := []string{"排名", "单位", "得分", "基础分", "扣分", "按时签收率", "按时报送率", "按期办结率", "指标完成率", "满意度", "逾期工作日", "退回"}
	for l := 1; l <= levels; l++ {
		header = append(header, r.LevelName(l))
	}
	t := circular.Table{Title: r.Period.Label + "考核结果", Header: append(header, "追责", "结果")}
	for _, d := range r.Departments {
		if d.Score == nil {
			continue
		}
		verdict := ""
		switch {
		case d.Commended:
			verdict = "通报表扬"
		case d.Criticised:
			verdict = "通报批评"
		}
		row := []string{strconv.Itoa(d.Rank), d.Department, strconv.FormatFloat(*d.Score, 'f', 2, 64),
			strconv.FormatFloat(d.Base, 'f', 2, 64), strconv.FormatFloat(d.Deducted, 'f', 2, 64), pct(d.SignRate), pct(d.ReportRate),
			pct(d.Completion), pct(d.Attainment), pct(d.Satisfaction), strconv.Itoa(d.Lead.OverdueDays + d.Partner.OverdueDays),
			strconv.Itoa(d.Lead.Returns + d.Partner.Returns)}
		for l := 0; l < levels; l++ {
			row = append(row, strconv.Itoa(at(d.Lead.Escalations, l)+at(d.Partner.Escalations, l)))
		}
		t.Rows = append(t.Rows, append(row, strconv.Itoa(d.Lead.Records+d.Partner.Records), verdict))
	}
	return t
}

// at is counts[i], or 0 past the end.
func at(counts []int, i int) int {
	if i < len(counts) {
		return counts[i]
	}
	return 0
}

// attach sends a file with a UTF-8 file name (RFC 6266).
func attach(c echo.Context, mime, name string, data []byte) error {
	c.Response().Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(name))
	return c.Blob(http.StatusOK, mime, data)
}

func (s *Server) exportAssessment(c echo.Context) error {
	a, res, _, err := s.loadAssessment(c)
	if err != nil {
		return err
	}
	data, err := circular.XLSX(rankingTable(res), "考核结果")
	if err != nil {
		return err
	}
	return attach(c, mimeXLSX, fmt.Sprintf("考核结果-%s-%d.xlsx", a.Label, a.ID), data)
}

// circularDocument lays a circular out for export: the sections of a 通报 in order.
func (s *Server) circularDocument(c echo.Context, circ *store.Circular) (circular.Document, error) {
	var ct domain.CircularContent
	if err := json.Unmarshal([]byte(circ.ContentJSON), &ct); err != nil {
		return circular.Document{}, err
	}
	d := circular.Document{Issuer: ct.Issuer, Number: circ.Number, Title: circ.Title, Recipients: ct.Recipients, Signature: ct.Signature}
	if d.Number == "" {
		d.Number = "（草稿）"
	}
	d.Date = s.deps.Now()
	if t, err := time.ParseInLocation(time.DateOnly, ct.Date, calendar.Shanghai); err == nil {
		d.Date = t
	}
	d.Sections = append(d.Sections, circular.Section{Paragraphs: []string{ct.Intro}})
	unitLine := func(u domain.CircularUnit, handlers bool) string {
		line := u.Department
		if len(u.Reasons) > 0 {
			line += "：" + strings.Join(u.Reasons, "；")
		}
		if handlers && len(u.LateItems) > 0 {
			line += "。逾期事项：" + strings.Join(u.LateItems, "；")
		}
		if handlers && len(u.Handlers) > 0 {
			line += "。经办人：" + strings.Join(u.Handlers, "、")
		}
		return line + "。"
	}
	n := 0
	heading := func(title string) string {
		n++
		return []string{"一", "二", "三", "四"}[n-1] + "、" + title
	}
	if len(ct.Commended) > 0 {
		sec := circular.Section{Heading: heading("通报表扬"), Paragraphs: []string{"以下单位任务推进有力、报送及时，予以通报表扬："}}
		for _, u := range ct.Commended {
			sec.Items = append(sec.Items, unitLine(u, false))
		}
		d.Sections = append(d.Sections, sec)
	}
	if len(ct.Criticised) > 0 {
		sec := circular.Section{Heading: heading("通报批评"), Paragraphs: []string{"以下单位及经办人员推进工作不力，予以通报批评："}}
		for _, u := range ct.Criticised {
			sec.Items = append(sec.Items, unitLine(u, true))
		}
		d.Sections = append(d.Sections, sec)
	}
	if len(ct.Escalated) > 0 {
		sec := circular.Section{Heading: heading("逾期升级事项")}
		for _, it := range ct.Escalated {
			sec.Items = append(sec.Items, fmt.Sprintf("%s %s（%s，%s）：%s", it.Ref, it.Title, it.Department, it.LevelName, it.Facts))
		}
		d.Sections = append(d.Sections, sec)
	}
	if ct.Requirements != "" {
		d.Sections = append(d.Sections, circular.Section{Heading: heading("有关要求"), Paragraphs: []string{ct.Requirements}})
	}
	if a, err := s.deps.Store.GetAssessment(c.Request().Context(), circ.AssessmentID); err == nil {
		if res, err := assess.Decode(a); err == nil {
			t := rankingTable(res)
			d.Table = &t
		}
	}
	return d, nil
}

func (s *Server) exportCircularDOCX(c echo.Context) error {
	circ, _, err := s.loadCircular(c)
	if err != nil {
		return err
	}
	d, err := s.circularDocument(c, circ)
	if err != nil {
		return err
	}
	data, err := circular.DOCX(d)
	if err != nil {
		return err
	}
	name := circ.Title
	if circ.Number != "" {
		name = circ.Number + " " + name
	}
	return attach(c, mimeDOCX, name+".docx", data)
}

func (s *Server) exportCircularXLSX(c echo.Context) error {
	circ, _, err := s.loadCircular(c)
	if err != nil {
		return err
	}
	a, err := s.deps.Store.GetAssessment(c.Request().Context(), circ.AssessmentID)
	if err != nil {
		return err
	}
	res, err := assess.Decode(a)
	if err != nil {
		return err
	}
	data, err := circular.XLSX(rankingTable(res), "考核结果")
	if err != nil {
		return err
	}
	return attach(c, mimeXLSX, circ.Title+".xlsx", data)
}
