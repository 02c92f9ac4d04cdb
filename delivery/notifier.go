package delivery

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/dubanhq/duban/config"
	"github.com/dubanhq/duban/notify"
	"github.com/dubanhq/duban/store"
)

// Notifier turns inbox notices into deliveries on the configured channels and sends them.
type Notifier struct {
	Channels *notify.Registry
	Config   config.Notify
	// BaseURL of the web UI, for links in messages.
	BaseURL string
	// Now is the clock (tests set it).
	Now func() time.Time

	mu        sync.Mutex
	templates *notify.Templates
	loadedAt  time.Time
}

// NewNotifier builds the channels the configuration enables: email with an SMTP host, SMS
// with a provider; robots and webhooks are always available (their addresses are contact
// points).
//
// Robots, webhooks and the SMS API reach only public addresses and cfg.AllowedHosts
// (notify.NewClient).
func NewNotifier(cfg config.Notify, baseURL string) (*Notifier, error) {
	allow, err := notify.ParseAllow(cfg.AllowedHosts)
	if err != nil {
		return nil, fmt.Errorf("config: notify.allowed_hosts: %w", err)
	}
	hc := notify.NewClient(allow, notify.DefaultTimeout)
	reg := notify.NewRegistry(&notify.DingTalk{Client: hc}, &notify.WeCom{Client: hc}, &notify.Feishu{Client: hc}, &notify.Webhook{Client: hc})
	if cfg.SMTP.Host != "" {
		e, err := notify.NewEmail(notify.EmailConfig{Host: cfg.SMTP.Host, Port: cfg.SMTP.Port, Username: cfg.SMTP.Username,
			Password: cfg.SMTP.Password, From: cfg.SMTP.From, TLS: cfg.SMTP.TLS})
		if err != nil {
			return nil, fmt.Errorf("config: notify.smtp: %w", err)
		}
		reg.Register(e)
	}
	if cfg.SMS.Provider == "aliyun" {
		reg.Register(&notify.SMS{Provider: &notify.AliyunSMS{AccessKeyID: cfg.SMS.AccessKeyID, AccessKeySecret: cfg.SMS.AccessKeySecret,
			SignName: cfg.SMS.SignName, TemplateCode: cfg.SMS.TemplateCode, Endpoint: cfg.SMS.Endpoint, Client: hc}})
	}
	return &Notifier{Channels: reg, Config: cfg, BaseURL: strings.TrimRight(baseURL, "/"), Now: time.Now}, nil
}

// route is the channels used at a level that this installation can send on.
func (n *Notifier) route(level int) []string {
	var out []string
	for _, ch := range n.Config.Routes[strconv.Itoa(level)] {
		if _, ok := n.Channels.Get(ch); ok {
			out = append(out, ch)
		}
	}
	return out
}

// Templates returns the built-in templates with the supervisors' stored edits, reloaded
// at most every 30 seconds.
func (n *Notifier) Templates(ctx context.Context, st *store.Store) (*notify.Templates, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.templates != nil && time.Since(n.loadedAt) < 30*time.Second {
		return n.templates, nil
	}
	edits, err := st.MessageTemplates(ctx)
	if err != nil {
		return nil, err
	}
	t := notify.Defaults()
	for _, e := range edits {
		if err := t.Set(e.Kind, e.Lang, e.Text); err != nil {
			return nil, fmt.Errorf("stored template %s/%s: %w", e.Kind, e.Lang, err)
		}
	}
	n.templates, n.loadedAt = t, time.Now()
	return t, nil
}

// Invalidate drops the cached templates after an edit.
func (n *Notifier) Invalidate() {
	n.mu.Lock()
	n.templates = nil
	n.mu.Unlock()
}
