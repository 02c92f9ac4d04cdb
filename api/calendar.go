package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/dubanhq/duban/calendar"
	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/store"
)

func init() {
	routeRegistrars = append(routeRegistrars, func(s *Server) {
		g := s.Echo.Group("/api/v1/calendar", s.authn)
		g.GET("", s.getCalendar)
		g.GET("/check", s.checkDate)
		g.GET("/years/:year", s.getYear)
		g.PUT("/years/:year", s.putYear)
		g.PUT("/overrides", s.putOverrides)
	})
}

func (s *Server) cal() (*calendar.Calendar, error) {
	if s.deps.Calendar == nil {
		return nil, domain.E(domain.KindUnavailable, "", "日历未加载 / the calendar is not loaded", nil)
	}
	return s.deps.Calendar, nil
}

func (s *Server) getCalendar(c echo.Context) error {
	if _, err := s.mustAuthorize(c, ActReadCalendar); err != nil {
		return err
	}
	cal, err := s.cal()
	if err != nil {
		return err
	}
	stored, err := s.deps.Store.CalendarDays(c.Request().Context())
	if err != nil {
		return err
	}
	uploaded, local := []int{}, []calendar.Day{}
	for _, d := range stored {
		if y, ok := strings.CutPrefix(d.Source, "year:"); ok {
			if n, err := strconv.Atoi(y); err == nil && !slices.Contains(uploaded, n) {
				uploaded = append(uploaded, n)
			}
		} else if d.Source == "override" {
			local = append(local, calendar.Day{Date: d.Date, Off: d.Off, Name: d.Name})
		}
	}
	slices.Sort(uploaded)
	return c.JSON(http.StatusOK, map[string]any{"years": cal.Years(), "overrides": cal.Overrides(), "time_zone": "Asia/Shanghai",
		"provisional_years": provisionalYears(cal, time.Now()), "uploaded_years": uploaded, "local_overrides": local})
}

// provisionalYears are the years deadlines are being counted in without their holiday
// notice (暂按双休日计算): this year, and from October on next year, when the calendar
// would answer them provisionally. The UI warns while the list is not empty.
func provisionalYears(cal *calendar.Calendar, now time.Time) []int {
	l := now.In(calendar.Shanghai)
	out := []int{}
	for _, y := range []int{l.Year(), l.Year() + 1} {
		if y > l.Year() && l.Month() < time.October {
			break
		}
		if cal.ProvisionalYear(y) {
			out = append(out, y)
		}
	}
	return out
}

// checkDate answers "is this a working day" and, with workdays=N, the deadline N working
// days later — handy for a supervisor setting a date by hand.
func (s *Server) checkDate(c echo.Context) error {
	if _, err := s.mustAuthorize(c, ActReadCalendar); err != nil {
		return err
	}
	cal, err := s.cal()
	if err != nil {
		return err
	}
	d, err := time.ParseInLocation(time.DateOnly, c.QueryParam("date"), calendar.Shanghai)
	if err != nil {
		return domain.Invalidf("date", "日期格式应为 2006-01-02 / use 2006-01-02")
	}
	ok, err := cal.IsWorkday(d)
	if err != nil {
		return calendarRefusal("date", err)
	}
	out := map[string]any{"date": c.QueryParam("date"), "workday": ok, "provisional": cal.Provisional(d, d)}
	if v := c.QueryParam("workdays"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 366 {
			return domain.Invalidf("workdays", "应为 0–366 / must be 0–366")
		}
		due, err := cal.EndOfWorkday(d, n)
		if err != nil {
			return calendarRefusal("workdays", err)
		}
		out["deadline"] = due
		out["provisional"] = cal.Provisional(d, due)
	}
	return c.JSON(http.StatusOK, out)
}

// calendarRefusal answers a date the calendar cannot count. A year without a holiday notice
// is the administrator's to add, so the refusal says where, in the reader's language
// (calendar.ErrNoData's own text is for logs and names the API).
func calendarRefusal(field string, err error) error {
	var nd calendar.ErrNoData
	if errors.As(err, &nd) {
		return domain.E(domain.KindInvalid, field, fmt.Sprintf("没有 %d 年的放假安排，请在「系统管理 › 工作日历」中导入该年的放假通知 / no holiday notice for %d: add it under Administration › Calendar", nd.Year, nd.Year), err)
	}
	return domain.E(domain.KindInvalid, field, err.Error(), err)
}

func (s *Server) getYear(c echo.Context) error {
	if _, err := s.mustAuthorize(c, ActReadCalendar); err != nil {
		return err
	}
	cal, err := s.cal()
	if err != nil {
		return err
	}
	y, err := strconv.Atoi(c.Param("year"))
	if err != nil {
		return domain.Invalidf("year", "应为年份 / must be a year")
	}
	days, ok := cal.YearDays(y)
	if !ok {
		return domain.NotFoundf("没有 %d 年的节假日数据 / no holiday data for %d", y, y)
	}
	return c.JSON(http.StatusOK, map[string]any{"year": y, "days": days})
}

// putYear adds or replaces a year: {"days":[{date,off,name}]} or a holiday-cn file.
func (s *Server) putYear(c echo.Context) error {
	p, err := s.mustAuthorize(c, ActManageCalendar)
	if err != nil {
		return err
	}
	cal, err := s.cal()
	if err != nil {
		return err
	}
	y, err := strconv.Atoi(c.Param("year"))
	if err != nil || y < 2000 || y > 2200 {
		return domain.Invalidf("year", "应为 2000–2200 的年份 / must be a year 2000–2200")
	}
	raw, err := readJSON(c)
	if err != nil {
		return err
	}
	days, err := parseYearBody(raw)
	if err != nil {
		return err
	}
	if err := checkDayNames(days); err != nil {
		return err
	}
	probe := calendar.NewEmpty()
	if err := probe.SetYear(y, days); err != nil {
		return domain.E(domain.KindInvalid, "days", err.Error(), err)
	}
	if err := s.deps.Store.ReplaceCalendarSource(c.Request().Context(), "year:"+strconv.Itoa(y), toRows(days)); err != nil {
		return err
	}
	if err := cal.SetYear(y, days); err != nil {
		return err
	}
	s.audit(c, p.UserID, p.DisplayName, domain.CalendarYearSet{Year: y, Days: len(days)})
	return c.JSON(http.StatusOK, map[string]any{"year": y, "days": days})
}

func parseYearBody(raw []byte) ([]calendar.Day, error) {
	var plain struct {
		Days []calendar.Day `json:"days"`
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&plain); err == nil {
		if _, err := dec.Token(); !errors.Is(err, io.EOF) {
			return nil, domain.E(domain.KindMalformed, "", "JSON 之后还有多余内容 / unexpected data after the JSON value", err)
		}
		if len(plain.Days) == 0 {
			return nil, domain.Invalidf("days", "请列出该年的节假日和调休上班日 / list the year's holidays and adjusted workdays")
		}
		return plain.Days, nil
	}
	probe := calendar.NewEmpty()
	if err := probe.LoadHolidayCN(bytes.NewReader(raw)); err != nil {
		return nil, domain.E(domain.KindMalformed, "days", "应为 {\"days\":[…]} 或 holiday-cn 格式 / want {\"days\":[…]} or a holiday-cn file", err)
	}
	var out []calendar.Day
	for _, y := range probe.Years() {
		d, _ := probe.YearDays(y)
		out = append(out, d...)
	}
	if len(out) == 0 {
		return nil, domain.Invalidf("days", "请列出该年的节假日和调休上班日 / list the year's holidays and adjusted workdays")
	}
	return out, nil
}

func (s *Server) putOverrides(c echo.Context) error {
	p, err := s.mustAuthorize(c, ActManageCalendar)
	if err != nil {
		return err
	}
	cal, err := s.cal()
	if err != nil {
		return err
	}
	var b struct {
		Days *[]calendar.Day `json:"days"`
	}
	if err := bind(c, &b); err != nil {
		return err
	}
	// A body without "days" would replace every override with nothing; clearing them is an
	// explicit empty list.
	if b.Days == nil {
		return domain.Invalidf("days", "请给出调整日列表（清空请传空列表） / days is required (send an empty list to clear)")
	}
	days := *b.Days
	if err := checkDayNames(days); err != nil {
		return err
	}
	if err := calendar.NewEmpty().AddOverrides(days); err != nil {
		return domain.E(domain.KindInvalid, "days", err.Error(), err)
	}
	if err := s.deps.Store.ReplaceCalendarSource(c.Request().Context(), "override", toRows(days)); err != nil {
		return err
	}
	if err := cal.ReplaceOverrides(days); err != nil {
		return err
	}
	s.audit(c, p.UserID, p.DisplayName, domain.CalendarOverridesSet{Days: len(days)})
	return c.JSON(http.StatusOK, map[string]any{"overrides": cal.Overrides()})
}

// maxDayName is what the calendar_days.name column holds.
const maxDayName = 64

func checkDayNames(days []calendar.Day) error {
	for i, d := range days {
		if utf8.RuneCountInString(d.Name) > maxDayName {
			return domain.Invalidf(fmt.Sprintf("days[%d].name", i), "名称不超过 %d 个字 / a name has at most %d characters", maxDayName, maxDayName)
		}
	}
	return nil
}

func toRows(days []calendar.Day) []store.CalendarDay {
	rows := make([]store.CalendarDay, len(days))
	for i, d := range days {
		rows[i] = store.CalendarDay{Date: d.Date, Off: d.Off, Name: d.Name}
	}
	return rows
}
