package api

import (
	"context"
	"errors"
	"net/http"
	"net/mail"
	"net/netip"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/dubanhq/duban/config"
	"github.com/dubanhq/duban/delivery"
	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/notify"
	"github.com/dubanhq/duban/store"
)

func init() {
	routeRegistrars = append(routeRegistrars, func(s *Server) {
		g := s.Echo.Group("/api/v1", s.authn)
		g.GET("/contact-points", s.listContactPoints)
		g.POST("/contact-points", s.createContactPoint)
		g.DELETE("/contact-points/:cid", s.deleteContactPoint)
		g.POST("/contact-points/:cid/test", s.testContactPoint)
		g.GET("/deliveries", s.listDeliveries)
		g.GET("/message-templates", s.listTemplates)
		g.PUT("/message-templates/:kind/:lang", s.putTemplate)
		g.DELETE("/message-templates/:kind/:lang", s.deleteTemplate)
		g.POST("/message-templates/preview", s.previewTemplate)
	})
}

// contactPointView never carries the secret, only whether one is set.
type contactPointView struct {
	ID           uint64    `json:"id"`
	UserID       *uint64   `json:"user_id"`
	DepartmentID *uint64   `json:"department_id"`
	Channel      string    `json:"channel"`
	Address      string    `json:"address"`
	ChatID       string    `json:"chat_id"`
	Label        string    `json:"label"`
	HasSecret    bool      `json:"has_secret"`
	Enabled      bool      `json:"enabled"`
	CreatedAt    time.Time `json:"created_at"`
}

func viewContactPoint(c store.ContactPoint) contactPointView {
	addr := c.Address
	if c.UserID == nil && c.Channel != "email" && c.Channel != "sms" {
		addr = redactURL(addr) // a robot URL's access token is as good as its secret
	}
	return contactPointView{ID: c.ID, UserID: c.UserID, DepartmentID: c.DepartmentID, Channel: c.Channel, Address: addr,
		ChatID: c.ChatID, Label: c.Label, HasSecret: c.Secret != "", Enabled: c.Enabled, CreatedAt: c.CreatedAt}
}

// redactURL keeps a webhook URL's host and path and hides its query (robots put their
// access token there).
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(invalid URL)"
	}
	if u.RawQuery != "" {
		u.RawQuery = "…"
	}
	u.User = nil
	return u.String()
}

// listContactPoints lists every point to an admin and their own to everyone else.
func (s *Server) listContactPoints(c echo.Context) error {
	_, scope, err := s.listScope(c, ActManageContactPoints)
	if err != nil {
		return err
	}
	f := store.ContactPointFilter{}
	if !scope.All() {
		f.UserIDs = []uint64{scope.User}
	}
	cps, err := s.deps.Store.ContactPoints(c.Request().Context(), f)
	if err != nil {
		return err
	}
	out := make([]contactPointView, len(cps))
	for i, cp := range cps {
		out[i] = viewContactPoint(cp)
	}
	return c.JSON(http.StatusOK, out)
}

var mobileRE = regexp.MustCompile(`^\+?[0-9]{6,15}$`)

func (s *Server) createContactPoint(c echo.Context) error {
	p, scope, err := s.listScope(c, ActManageContactPoints) // which points the caller may manage
	if err != nil {
		return err
	}
	var b struct {
		UserID       *uint64 `json:"user_id"`
		DepartmentID *uint64 `json:"department_id"`
		Channel      string  `json:"channel"`
		Address      string  `json:"address"`
		ChatID       string  `json:"chat_id"`
		Secret       string  `json:"secret"`
		Label        string  `json:"label"`
		Enabled      *bool   `json:"enabled"`
	}
	if err := bind(c, &b); err != nil {
		return err
	}
	ctx := c.Request().Context()
	if !scope.All() {
		// Everyone may register where they themselves are reached, nothing else.
		if b.DepartmentID != nil || b.UserID != nil && *b.UserID != scope.User {
			return domain.Forbiddenf("只能登记本人的联系方式 / you may only add your own contact points")
		}
		uid := scope.User
		b.UserID = &uid
	}
	if b.UserID != nil && b.DepartmentID != nil {
		return domain.Invalidf("department_id", "联系方式属于个人或单位，不能同时属于两者 / a contact point belongs to a user or a department, not both")
	}
	if b.UserID != nil {
		if _, err := s.deps.Store.UserByID(ctx, *b.UserID); err != nil {
			return domain.Invalidf("user_id", "用户不存在 / no such user")
		}
	}
	if b.DepartmentID != nil {
		if _, err := s.deps.Store.DepartmentByID(ctx, *b.DepartmentID); err != nil {
			return domain.Invalidf("department_id", "单位不存在 / no such department")
		}
	}
	b.Address, b.ChatID = strings.TrimSpace(b.Address), strings.TrimSpace(b.ChatID)
	if !slices.Contains(config.NotifyChannels, b.Channel) {
		return domain.Invalidf("channel", "渠道应为 %s / channel must be one of %s", strings.Join(config.NotifyChannels, "、"), strings.Join(config.NotifyChannels, ", "))
	}
	personal := b.UserID != nil
	switch {
	case b.Channel == "email":
		if !personal {
			return domain.Invalidf("channel", "邮箱属于个人 / an email address belongs to a user")
		}
		if a, err := mail.ParseAddress(b.Address); err != nil || a.Address != b.Address {
			return domain.Invalidf("address", "邮箱地址无效 / not an email address")
		}
	case b.Channel == "sms":
		if !personal {
			return domain.Invalidf("channel", "手机号属于个人 / a mobile number belongs to a user")
		}
		if !mobileRE.MatchString(b.Address) {
			return domain.Invalidf("address", "手机号应为 6–15 位数字 / a mobile number is 6–15 digits")
		}
	case personal:
		// A person on a chat platform: their user id there, for @-mentions by the robot.
		if b.ChatID == "" || len(b.ChatID) > 128 {
			return domain.Invalidf("chat_id", "请填写该平台的用户 ID（不超过 128 个字符） / the user's id on the platform is required (at most 128 characters)")
		}
		b.Address, b.Secret = "", ""
	default:
		u, err := url.Parse(b.Address)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(b.Address) > 512 {
			return domain.Invalidf("address", "请填写机器人或 Webhook 的 http(s) 地址 / the robot or webhook http(s) URL is required")
		}
		if !s.reachable(u.Hostname()) {
			return domain.Invalidf("address", "不能发往本机、链路本地或内网地址；如确需使用，请管理员在 notify.allowed_hosts 中放行 / loopback, link-local and private addresses are blocked; an admin may allow the host in notify.allowed_hosts")
		}
	}
	if len(b.Secret) > 255 {
		return domain.Invalidf("secret", "密钥过长 / the secret is longer than 255 characters")
	}
	if utf8.RuneCountInString(b.Label) > 128 {
		return domain.Invalidf("label", "名称不超过 128 个字 / label has at most 128 characters")
	}
	cp := &store.ContactPoint{UserID: b.UserID, DepartmentID: b.DepartmentID, Channel: b.Channel, Address: b.Address,
		ChatID: b.ChatID, Secret: b.Secret, Label: b.Label, Enabled: b.Enabled == nil || *b.Enabled}
	if err := s.deps.Store.SaveContactPoint(ctx, cp); err != nil {
		return err
	}
	s.audit(c, p.UserID, p.DisplayName, domain.ContactPointCreated{ContactPointID: cp.ID, Channel: cp.Channel})
	return created(c, viewContactPoint(*cp))
}

func (s *Server) contactPointParam(c echo.Context) (*Principal, *store.ContactPoint, error) {
	p, err := signedIn(c)
	if err != nil {
		return nil, nil, err
	}
	id, err := pathID(c, "cid")
	if err != nil {
		return nil, nil, err
	}
	cp, err := s.deps.Store.ContactPoint(c.Request().Context(), id)
	if err != nil {
		return nil, nil, err
	}
	var owner uint64 // 0: a department's or the system's point, which is nobody's own
	if cp.UserID != nil {
		owner = *cp.UserID
	}
	if !s.may(c, ActManageContactPoints, Resource{Owner: owner}) {
		return nil, nil, domain.ErrNotFound // another user's point: as if it did not exist
	}
	return p, cp, nil
}

func (s *Server) deleteContactPoint(c echo.Context) error {
	p, cp, err := s.contactPointParam(c)
	if err != nil {
		return err
	}
	if err := s.deps.Store.DeleteContactPoint(c.Request().Context(), cp.ID); err != nil {
		return err
	}
	s.audit(c, p.UserID, p.DisplayName, domain.ContactPointDeleted{ContactPointID: cp.ID})
	return c.NoContent(http.StatusNoContent)
}

// delivery is the delivery service over the API's store, channels and calendar.
func (s *Server) delivery() *delivery.Service {
	return &delivery.Service{Store: s.deps.Store, Notifier: s.deps.Notify, Logger: s.deps.Logger,
		IsWorkday: func(_ context.Context, day time.Time) (bool, error) { return s.deps.Calendar.IsWorkday(day) }}
}

// testContactPoint sends a test message now and answers with the recorded delivery.
func (s *Server) testContactPoint(c echo.Context) error {
	p, cp, err := s.contactPointParam(c)
	if err != nil {
		return err
	}
	if s.deps.Notify == nil {
		return domain.E(domain.KindUnavailable, "", "通知渠道未配置 / notification channels are not configured", nil)
	}
	d, err := s.delivery().TestSend(c.Request().Context(), cp.ID, p.UserID)
	if err != nil {
		return err
	}
	s.audit(c, p.UserID, p.DisplayName, domain.ContactPointTested{ContactPointID: cp.ID, State: d.State})
	return c.JSON(http.StatusOK, viewDelivery(*d))
}

type deliveryView struct {
	ID                 uint64     `json:"id"`
	ItemID             uint64     `json:"item_id"`
	UserID             *uint64    `json:"user_id"`
	DepartmentID       *uint64    `json:"department_id"`
	ContactPointID     uint64     `json:"contact_point_id"`
	Channel            string     `json:"channel"`
	Kind               string     `json:"kind"`
	Level              int        `json:"level"`
	Title              string     `json:"title"`
	State              string     `json:"state"`
	Attempts           int        `json:"attempts"`
	LastError          string     `json:"last_error"`
	PossiblyDuplicated bool       `json:"possibly_duplicated"`
	ScheduledFor       *time.Time `json:"scheduled_for"`
	SentAt             *time.Time `json:"sent_at"`
	CreatedAt          time.Time  `json:"created_at"`
}

func viewDelivery(d store.Delivery) deliveryView {
	return deliveryView{ID: d.ID, ItemID: d.ItemID, UserID: d.UserID, DepartmentID: d.DepartmentID, ContactPointID: d.ContactPointID,
		Channel: d.Channel, Kind: d.Kind, Level: d.Level, Title: d.Title, State: d.State, Attempts: d.Attempts,
		LastError: d.LastError, PossiblyDuplicated: d.PossiblyDuplicated, ScheduledFor: d.ScheduledFor, SentAt: d.SentAt, CreatedAt: d.CreatedAt}
}

// listDeliveries: supervisors and admins see every delivery; others their own.
func (s *Server) listDeliveries(c echo.Context) error {
	_, scope, err := s.listScope(c, ActReadDeliveries)
	if err != nil {
		return err
	}
	f := store.DeliveryFilter{State: c.QueryParam("state"), Channel: c.QueryParam("channel")}
	if v := c.QueryParam("item_id"); v != "" {
		if f.ItemID, err = strconv.ParseUint(v, 10, 64); err != nil {
			return domain.Invalidf("item_id", "事项编号无效 / invalid item id")
		}
	}
	if v := c.QueryParam("limit"); v != "" {
		if f.Limit, err = strconv.Atoi(v); err != nil || f.Limit < 1 || f.Limit > 500 {
			return domain.Invalidf("limit", "limit 为 1–500 / limit must be 1–500")
		}
	}
	if !scope.All() {
		f.UserID = scope.User
	}
	ds, err := s.deps.Store.Deliveries(c.Request().Context(), f)
	if err != nil {
		return err
	}
	out := make([]deliveryView, len(ds))
	for i, d := range ds {
		out[i] = viewDelivery(d)
	}
	return c.JSON(http.StatusOK, out)
}

type templateView struct {
	Kind    string `json:"kind"`
	Lang    string `json:"lang"`
	Text    string `json:"text"`
	Default string `json:"default"`
	Edited  bool   `json:"edited"`
}

func (s *Server) listTemplates(c echo.Context) error {
	if _, err := s.mustAuthorize(c, ActEditTemplates); err != nil {
		return err
	}
	edits, err := s.deps.Store.MessageTemplates(c.Request().Context())
	if err != nil {
		return err
	}
	defs := notify.Defaults()
	var out []templateView
	for _, lang := range []string{notify.LangZH, notify.LangEN} {
		for _, kind := range defs.Kinds(lang) {
			def, _ := defs.Source(kind, lang)
			v := templateView{Kind: kind, Lang: lang, Text: def, Default: def}
			for _, e := range edits {
				if e.Kind == kind && e.Lang == lang {
					v.Text, v.Edited = e.Text, true
				}
			}
			out = append(out, v)
		}
	}
	return c.JSON(http.StatusOK, out)
}

func templateKey(c echo.Context) (string, string, error) {
	kind, lang := c.Param("kind"), c.Param("lang")
	if lang != notify.LangZH && lang != notify.LangEN {
		return "", "", domain.Invalidf("lang", "语言应为 zh-CN 或 en / lang must be zh-CN or en")
	}
	if _, ok := notify.Defaults().Source(kind, lang); !ok {
		return "", "", domain.Invalidf("kind", "没有这种消息 / no such message kind")
	}
	return kind, lang, nil
}

func templateError(err error) error {
	var te *notify.TemplateError
	if errors.As(err, &te) && te.MsgZH != "" {
		if te.Line > 0 {
			return domain.Invalidf("text", "模板第 %d 行有误：%s / template line %d: %s", te.Line, te.MsgZH, te.Line, te.Msg)
		}
		return domain.Invalidf("text", "模板有误：%s / template error: %s", te.MsgZH, te.Msg)
	}
	if errors.As(err, &te) && te.Line > 0 {
		return domain.Invalidf("text", "模板第 %d 行有误：%s / template line %d: %s", te.Line, te.Msg, te.Line, te.Msg)
	}
	return domain.Invalidf("text", "模板有误：%v / template error: %v", err, err)
}

func (s *Server) putTemplate(c echo.Context) error {
	p, err := s.mustAuthorize(c, ActEditTemplates)
	if err != nil {
		return err
	}
	kind, lang, err := templateKey(c)
	if err != nil {
		return err
	}
	var b struct {
		Text string `json:"text"`
	}
	if err := bind(c, &b); err != nil {
		return err
	}
	if strings.TrimSpace(b.Text) == "" || len(b.Text) > 8000 {
		return domain.Invalidf("text", "模板不能为空且不超过 8000 字节 / the template must be 1–8000 bytes")
	}
	if err := notify.Validate(kind, b.Text); err != nil {
		return templateError(err)
	}
	t := &store.MessageTemplate{Kind: kind, Lang: lang, Text: b.Text, UpdatedBy: p.UserID, UpdatedAt: time.Now()}
	if err := s.deps.Store.SaveMessageTemplate(c.Request().Context(), t); err != nil {
		return err
	}
	if s.deps.Notify != nil {
		s.deps.Notify.Invalidate()
	}
	s.audit(c, p.UserID, p.DisplayName, domain.TemplateChange{Kind: kind, Lang: lang})
	def, _ := notify.Defaults().Source(kind, lang)
	return c.JSON(http.StatusOK, templateView{Kind: kind, Lang: lang, Text: b.Text, Default: def, Edited: true})
}

func (s *Server) deleteTemplate(c echo.Context) error {
	p, err := s.mustAuthorize(c, ActEditTemplates)
	if err != nil {
		return err
	}
	kind, lang, err := templateKey(c)
	if err != nil {
		return err
	}
	if err := s.deps.Store.DeleteMessageTemplate(c.Request().Context(), kind, lang); err != nil {
		return err
	}
	if s.deps.Notify != nil {
		s.deps.Notify.Invalidate()
	}
	s.audit(c, p.UserID, p.DisplayName, domain.TemplateChange{Reset: true, Kind: kind, Lang: lang})
	return c.NoContent(http.StatusNoContent)
}

// previewTemplate renders a template text (an unsaved edit) with sample data.
func (s *Server) previewTemplate(c echo.Context) error {
	if _, err := s.mustAuthorize(c, ActEditTemplates); err != nil {
		return err
	}
	var b struct {
		Kind string `json:"kind"`
		Lang string `json:"lang"`
		Text string `json:"text"`
	}
	if err := bind(c, &b); err != nil {
		return err
	}
	if b.Lang == "" {
		b.Lang = notify.LangZH
	}
	if b.Lang != notify.LangZH && b.Lang != notify.LangEN {
		return domain.Invalidf("lang", "语言应为 zh-CN 或 en / lang must be zh-CN or en")
	}
	t := notify.Defaults()
	if _, ok := t.Source(b.Kind, b.Lang); !ok {
		return domain.Invalidf("kind", "没有这种消息 / no such message kind")
	}
	if b.Text != "" {
		if err := t.Set(b.Kind, b.Lang, b.Text); err != nil {
			return templateError(err)
		}
	}
	title, body, err := t.Render(b.Kind, b.Lang, notify.Sample())
	if err != nil {
		return templateError(err)
	}
	return c.JSON(http.StatusOK, map[string]string{"title": title, "body": body})
}

// signedIn returns the request's principal, or the sign-in error.
func signedIn(c echo.Context) (*Principal, error) {
	p := principal(c)
	if p == nil {
		return nil, errSignIn
	}
	return p, nil
}

// reachable tells at once, when a contact point is saved, what the delivery client would
// refuse when it connects: a literal loopback, link-local or private address, or localhost,
// not in notify.allowed_hosts. Names are checked when dialled (notify.GuardedDialer).
func (s *Server) reachable(host string) bool {
	var hosts []string
	if s.deps.Notify != nil {
		hosts = s.deps.Notify.Config.AllowedHosts
	}
	allow, err := notify.ParseAllow(hosts)
	if err != nil {
		return false
	}
	if strings.EqualFold(strings.TrimSuffix(host, "."), "localhost") {
		host = "127.0.0.1"
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return true
	}
	return notify.Public(ip) || allow.Allows(host, ip)
}
