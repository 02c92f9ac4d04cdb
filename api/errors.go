package api

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/store"
)

// Problem is an RFC 9457 problem+json body. Type is stable per error kind.
type Problem struct {
	Type      string `json:"type"`
	Title     string `json:"title"`
	Status    int    `json:"status"`
	Detail    string `json:"detail,omitempty"`
	Field     string `json:"field,omitempty"`
	RequestID string `json:"request_id,omitempty"`
}

var kindStatus = map[domain.Kind]int{
	domain.KindMalformed:       http.StatusBadRequest,
	domain.KindUnauthenticated: http.StatusUnauthorized,
	domain.KindForbidden:       http.StatusForbidden,
	domain.KindPasswordChange:  http.StatusForbidden,
	domain.KindNotFound:        http.StatusNotFound,
	domain.KindConflict:        http.StatusConflict,
	domain.KindInvalid:         http.StatusUnprocessableEntity,
	domain.KindPrecondition:    http.StatusPreconditionFailed,
	domain.KindRateLimited:     http.StatusTooManyRequests,
	domain.KindUnavailable:     http.StatusServiceUnavailable,
	domain.KindInternal:        http.StatusInternalServerError,
}

var kindTitle = map[domain.Kind][2]string{ // zh-CN, en
	domain.KindMalformed:       {"请求格式错误", "Malformed request"},
	domain.KindUnauthenticated: {"未登录或登录已过期", "Not authenticated"},
	domain.KindForbidden:       {"无权操作", "Forbidden"},
	domain.KindPasswordChange:  {"请先修改密码", "Password change required"},
	domain.KindNotFound:        {"未找到", "Not found"},
	domain.KindConflict:        {"当前状态不允许此操作", "Not allowed in the current state"},
	domain.KindInvalid:         {"输入值无效", "Invalid value"},
	domain.KindPrecondition:    {"数据已变化", "Precondition failed"},
	domain.KindRateLimited:     {"请求过于频繁", "Too many requests"},
	domain.KindUnavailable:     {"服务暂不可用", "Service unavailable"},
	domain.KindInternal:        {"内部错误", "Internal error"},
}

// errorHandler is echo's one error renderer: it logs the full error and returns only the
// safe part, as problem+json, in the language the client asks for.
func (s *Server) errorHandler(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	kind, detail, field := classify(err)
	status, typ, title := kindStatus[kind], string(kind), kindTitle[kind]
	if st, ok := bodyStatus(err); ok {
		status, typ, title = st, statusProblem[st].typ, statusProblem[st].title
	}
	if status >= 500 {
		s.deps.Logger.Error("request failed", "request_id", requestIDOf(c), "path", c.Path(), "err", err)
	} else {
		s.deps.Logger.Debug("request rejected", "request_id", requestIDOf(c), "kind", kind, "err", err)
	}
	lang := 0
	if !prefersChinese(c.Request().Header.Get("Accept-Language")) {
		lang = 1
	}
	p := Problem{
		Type:      "https://duban.dev/problems/" + typ,
		Title:     title[lang],
		Status:    status,
		Detail:    localise(detail, lang),
		Field:     field,
		RequestID: requestIDOf(c),
	}
	c.Response().Header().Set(echo.HeaderContentType, "application/problem+json")
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(status)
		return
	}
	_ = c.JSON(status, p)
}

// statusProblem types the two refusals of a body as a whole, which keep the 400 kind
// (KindMalformed) for callers of domain but answer with their own HTTP status.
var statusProblem = map[int]struct {
	typ   string
	title [2]string
}{
	http.StatusRequestEntityTooLarge: {"too-large", [2]string{"请求体过大", "Request body too large"}},
	http.StatusUnsupportedMediaType:  {"unsupported-media-type", [2]string{"不支持的内容类型", "Unsupported media type"}},
}

// bodyStatus is 413 for a body over its limit and 415 for one of the wrong content type.
func bodyStatus(err error) (int, bool) {
	var (
		me *http.MaxBytesError
		he *echo.HTTPError
	)
	switch {
	case errors.As(err, &me):
		return http.StatusRequestEntityTooLarge, true
	case errors.Is(err, errMediaType):
		return http.StatusUnsupportedMediaType, true
	case errors.As(err, &he) && (he.Code == http.StatusRequestEntityTooLarge || he.Code == http.StatusUnsupportedMediaType):
		return he.Code, true
	}
	return 0, false
}

// classify turns any error into a kind, a safe detail and a field.
func classify(err error) (domain.Kind, string, string) {
	var de *domain.Error
	if errors.As(err, &de) {
		if de.Kind == domain.KindInternal {
			return de.Kind, "", ""
		}
		return de.Kind, de.Message, de.Field
	}
	if store.IsUnavailable(err) {
		return domain.KindUnavailable, "数据库暂不可用，请稍后重试 / the database is unavailable, retry later", ""
	}
	var he *echo.HTTPError
	if errors.As(err, &he) {
		switch he.Code {
		case http.StatusNotFound:
			return domain.KindNotFound, "没有这个地址 / no such route", ""
		case http.StatusMethodNotAllowed:
			return domain.KindMalformed, "不支持的方法 / method not allowed", ""
		case http.StatusRequestEntityTooLarge:
			return domain.KindMalformed, "请求体过大 / request body too large", ""
		case http.StatusUnsupportedMediaType:
			return domain.KindMalformed, "不支持的内容类型 / unsupported content type", ""
		}
		if he.Code < 500 {
			return domain.KindMalformed, "请求无法解析 / the request could not be read", ""
		}
	}
	return domain.KindInternal, "", ""
}

// Messages in Duban are written "中文 / English"; localise picks one half.
func localise(msg string, lang int) string {
	zh, en, ok := strings.Cut(msg, " / ")
	if !ok {
		return msg
	}
	if lang == 0 {
		return zh
	}
	return en
}

func prefersChinese(acceptLanguage string) bool {
	al := strings.ToLower(strings.TrimSpace(acceptLanguage))
	return al == "" || strings.HasPrefix(al, "zh") || (!strings.HasPrefix(al, "en") && strings.Contains(al, "zh"))
}
