// Package config is Duban's one typed configuration. Values come, in increasing precedence,
// from defaults, a YAML file (--config or DUBAN_CONFIG), DUBAN_* environment variables and
// command-line flags. Validation names the key that is wrong.
//
// Every setting, its YAML key and its environment variable:
//
//	addr                              DUBAN_ADDR                         HTTP listen address (API + UI), default 127.0.0.1:8080
//	data_dir                          DUBAN_DATA_DIR                     directory for embedded state (SQLite files), default ./data
//	base_url                          DUBAN_BASE_URL                     public URL used in notification links
//	metrics_token                     DUBAN_METRICS_TOKEN                bearer token /metrics asks for (secret); empty = open, see docs/security.md
//	calendar_file                     DUBAN_CALENDAR_FILE                YAML with extra holiday years and local overrides
//	database.dsn                      DUBAN_DATABASE_DSN                 mysql://user:pass@host:3306/db or a SQLite file path; empty = <data_dir>/duban.db
//	database.max_open_conns           DUBAN_DATABASE_MAX_OPEN_CONNS      connection pool size
//	temporal.address                  DUBAN_TEMPORAL_ADDRESS             host:port of a Temporal frontend; empty = embedded server
//	temporal.namespace                DUBAN_TEMPORAL_NAMESPACE           default "duban"
//	temporal.task_queue               DUBAN_TEMPORAL_TASK_QUEUE          default "duban-items"
//	temporal.embedded_port            DUBAN_TEMPORAL_EMBEDDED_PORT       gRPC port of the embedded server, default 7233
//	temporal.tls.cert_file            DUBAN_TEMPORAL_TLS_CERT_FILE       mTLS client certificate
//	temporal.tls.key_file             DUBAN_TEMPORAL_TLS_KEY_FILE        mTLS client key
//	temporal.tls.ca_file              DUBAN_TEMPORAL_TLS_CA_FILE         CA bundle for the server certificate
//	temporal.tls.server_name          DUBAN_TEMPORAL_TLS_SERVER_NAME     TLS server name override
//	temporal.api_key                  DUBAN_TEMPORAL_API_KEY             API key (secret)
//	worker.max_concurrent_activities  DUBAN_WORKER_MAX_CONCURRENT_ACTIVITIES
//	worker.max_concurrent_workflow_tasks DUBAN_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS
//	worker.pollers                    DUBAN_WORKER_POLLERS               workflow and activity task pollers each
//	worker.sticky_cache_size          DUBAN_WORKER_STICKY_CACHE_SIZE     running workflows kept in memory between tasks
//	worker.sticky_timeout             DUBAN_WORKER_STICKY_TIMEOUT        a task's wait on its cached worker, default 2m
//	worker.metrics_addr               DUBAN_WORKER_METRICS_ADDR          /metrics listener of `duban worker`, e.g. 0.0.0.0:9464
//	trusted_proxies                   DUBAN_TRUSTED_PROXIES              reverse proxies (IPs or CIDRs, comma-separated) whose X-Forwarded-For is believed; default none: the client is the socket's peer
//	http.read_header_timeout          DUBAN_HTTP_READ_HEADER_TIMEOUT     time to read a request's headers, default 10s
//	http.read_timeout                 DUBAN_HTTP_READ_TIMEOUT            time to read a whole request, body included, default 60s
//	http.write_timeout                DUBAN_HTTP_WRITE_TIMEOUT           time to write a response, default 5m
//	http.idle_timeout                 DUBAN_HTTP_IDLE_TIMEOUT            keep-alive connection idle time, default 120s
//	http.max_body_mb                  DUBAN_HTTP_MAX_BODY_MB             largest request body of any route, default 32 (JSON bodies stop at 1 MB)
//	auth.bootstrap_admin_password     DUBAN_BOOTSTRAP_ADMIN_PASSWORD     password for user admin at first start (secret)
//	auth.token_ttl                    DUBAN_AUTH_TOKEN_TTL               lifetime of login tokens, default 12h
//	auth.api_token_ttl                DUBAN_AUTH_API_TOKEN_TTL           lifetime of API tokens created without expires_in, default 2160h (90 days), at most 8784h
//	log.level                         DUBAN_LOG_LEVEL                    debug, info, warn, error
//	log.format                        DUBAN_LOG_FORMAT                   json or text
//	notify.allowed_hosts              DUBAN_NOTIFY_ALLOWED_HOSTS         hosts, IPs or CIDRs that robots and webhooks may reach although not public (comma-separated)
//	assessment.issuer                 DUBAN_ASSESSMENT_ISSUER            who signs circulars (发文机关)
//	assessment.number_prefix          DUBAN_ASSESSMENT_NUMBER_PREFIX     circular numbers, default 督办通报 → 督办通报〔2025〕1号
//	assessment.schedule               DUBAN_ASSESSMENT_SCHEDULE          year (default), half, or none: when plans are assessed
//	assessment.formula                (file only)                        scoring formula; see domain.Formula
//	supervision.office                DUBAN_SUPERVISION_OFFICE           the office whose yearly sequence numbers 督办件 (default: one sequence)
//	supervision.number_format         DUBAN_SUPERVISION_NUMBER_FORMAT    督办件 numbers from {year} and {seq}, default 督办〔{year}〕{seq}号
//	supervision.days                  (file only)                        default deadlines in working days: urgent_special 3, urgent 7, normal 15
package config

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dubanhq/duban/domain"
)

// Config is the whole configuration.
type Config struct {
	Addr    string `yaml:"addr" env:"DUBAN_ADDR"`
	DataDir string `yaml:"data_dir" env:"DUBAN_DATA_DIR"`
	BaseURL string `yaml:"base_url" env:"DUBAN_BASE_URL"`
	// MetricsToken, when set, is the bearer token /metrics (of serve, dev and the worker's
	// metrics_addr) asks for; empty leaves /metrics open, for a deployment whose proxy
	// keeps it off the public network.
	MetricsToken string `yaml:"metrics_token" env:"DUBAN_METRICS_TOKEN" secret:"true"`
	// CalendarFile adds holiday years and local overrides (calendar.LoadYAML format).
	CalendarFile string `yaml:"calendar_file" env:"DUBAN_CALENDAR_FILE"`
	// TrustedProxies are the reverse proxies (IPs or CIDRs) whose X-Forwarded-For names the
	// client; from any other peer the header is ignored, so nobody can choose the address
	// that login rate limits and the audit log see.
	TrustedProxies []string   `yaml:"trusted_proxies" env:"DUBAN_TRUSTED_PROXIES"`
	HTTP           HTTP       `yaml:"http"`
	Database       Database   `yaml:"database"`
	Temporal       Temporal   `yaml:"temporal"`
	Worker         Worker     `yaml:"worker"`
	Auth           Auth       `yaml:"auth"`
	Log            Log        `yaml:"log"`
	Notify         Notify     `yaml:"notify"`
	Assessment     Assessment `yaml:"assessment"`
	// Supervision numbers single supervision items (督办件) and gives their default deadlines.
	Supervision Supervision `yaml:"supervision"`
}

// Supervision configures single supervision items (督办件); see domain.CaseRules.
type Supervision struct {
	Office       string                 `yaml:"office" env:"DUBAN_SUPERVISION_OFFICE"`
	NumberFormat string                 `yaml:"number_format" env:"DUBAN_SUPERVISION_NUMBER_FORMAT"`
	Days         map[domain.Urgency]int `yaml:"days"`
}

// Rules are the configured rules, defaults filled in.
func (s Supervision) Rules() domain.CaseRules {
	return domain.CaseRules{Office: s.Office, NumberFormat: s.NumberFormat, Days: s.Days}.WithDefaults()
}

// HTTP bounds what one client can hold of the server: slow headers, slow bodies, idle
// connections and large bodies.
type HTTP struct {
	ReadHeaderTimeout time.Duration `yaml:"read_header_timeout" env:"DUBAN_HTTP_READ_HEADER_TIMEOUT"`
	ReadTimeout       time.Duration `yaml:"read_timeout" env:"DUBAN_HTTP_READ_TIMEOUT"`
	WriteTimeout      time.Duration `yaml:"write_timeout" env:"DUBAN_HTTP_WRITE_TIMEOUT"`
	IdleTimeout       time.Duration `yaml:"idle_timeout" env:"DUBAN_HTTP_IDLE_TIMEOUT"`
	// MaxBodyMB caps every request body; routes keep their own smaller limits (JSON 1 MB,
	// attachments 10 MB, imports 20 MB).
	MaxBodyMB int `yaml:"max_body_mb" env:"DUBAN_HTTP_MAX_BODY_MB"`
}

// Assessment configures the annual (or half-yearly) assessment (考核) and its circulars.
type Assessment struct {
	Issuer       string `yaml:"issuer" env:"DUBAN_ASSESSMENT_ISSUER"`
	NumberPrefix string `yaml:"number_prefix" env:"DUBAN_ASSESSMENT_NUMBER_PREFIX"`
	// Schedule is when every launched plan is assessed: "year" (1 January, 00:30 China
	// time, for the year just ended), "half" (1 January and 1 July) or "none" (on demand
	// only).
	Schedule string `yaml:"schedule" env:"DUBAN_ASSESSMENT_SCHEDULE"`
	// Formula is the scoring rule; keys left out keep domain.DefaultFormula's values.
	Formula domain.Formula `yaml:"formula"`
}

// Notify configures delivery beyond the in-app inbox (email, chat robots, webhooks, SMS).
// Contact points (who is reached where) live in the database; this is the routing and the
// provider accounts.
type Notify struct {
	// Lang of outgoing messages: zh-CN or en.
	Lang string `yaml:"lang" env:"DUBAN_NOTIFY_LANG"`
	// QuietHours when no SMS goes out, China Standard Time, "22:00-08:00"; empty for none.
	// SMS held by quiet hours go out at MorningAt on the next working day.
	QuietHours string `yaml:"quiet_hours" env:"DUBAN_NOTIFY_QUIET_HOURS"`
	MorningAt  string `yaml:"morning_at" env:"DUBAN_NOTIFY_MORNING_AT"`
	// DigestAt is when leaders get one message a day listing new L3/L4 escalations; empty
	// sends each escalation to leaders at once.
	DigestAt string `yaml:"digest_at" env:"DUBAN_NOTIFY_DIGEST_AT"`
	// Routes maps a level ("0": reminders and other notices, "1".."4": ladder rungs) to the
	// channels used for it; who is notified at each level comes from the plan's ladder.
	Routes map[string][]string `yaml:"routes"`
	// AllowedHosts exempts hosts from the SSRF guard on robots, webhooks and the SMS API,
	// which otherwise refuses loopback, link-local and private addresses when it connects:
	// names, IP addresses or CIDR ranges (an intranet robot gateway, an egress proxy).
	AllowedHosts []string `yaml:"allowed_hosts" env:"DUBAN_NOTIFY_ALLOWED_HOSTS"`
	SMTP         SMTP     `yaml:"smtp"`
	SMS          SMS      `yaml:"sms"`
}

// SMTP is the mail relay; no host means no email channel.
type SMTP struct {
	Host     string `yaml:"host" env:"DUBAN_SMTP_HOST"`
	Port     int    `yaml:"port" env:"DUBAN_SMTP_PORT"`
	Username string `yaml:"username" env:"DUBAN_SMTP_USERNAME"`
	Password string `yaml:"password" env:"DUBAN_SMTP_PASSWORD" secret:"true"`
	From     string `yaml:"from" env:"DUBAN_SMTP_FROM"`
	// TLS is starttls, tls (implicit, port 465) or none (loopback relays only).
	TLS string `yaml:"tls" env:"DUBAN_SMTP_TLS"`
}

// SMS is the SMS provider account; no provider means no SMS channel.
type SMS struct {
	Provider        string `yaml:"provider" env:"DUBAN_SMS_PROVIDER"` // aliyun
	AccessKeyID     string `yaml:"access_key_id" env:"DUBAN_SMS_ACCESS_KEY_ID"`
	AccessKeySecret string `yaml:"access_key_secret" env:"DUBAN_SMS_ACCESS_KEY_SECRET" secret:"true"`
	SignName        string `yaml:"sign_name" env:"DUBAN_SMS_SIGN_NAME"`
	TemplateCode    string `yaml:"template_code" env:"DUBAN_SMS_TEMPLATE_CODE"`
	Endpoint        string `yaml:"endpoint" env:"DUBAN_SMS_ENDPOINT"`
}

// NotifyChannels are the channel names routes may use.
var NotifyChannels = []string{"email", "sms", "dingtalk", "wecom", "feishu", "webhook"}

// Database selects Duban's own store.
type Database struct {
	DSN          string `yaml:"dsn" env:"DUBAN_DATABASE_DSN" secret:"dsn"`
	MaxOpenConns int    `yaml:"max_open_conns" env:"DUBAN_DATABASE_MAX_OPEN_CONNS"`
}

// Temporal selects the Temporal cluster.
type Temporal struct {
	Address      string `yaml:"address" env:"DUBAN_TEMPORAL_ADDRESS"`
	Namespace    string `yaml:"namespace" env:"DUBAN_TEMPORAL_NAMESPACE"`
	TaskQueue    string `yaml:"task_queue" env:"DUBAN_TEMPORAL_TASK_QUEUE"`
	EmbeddedPort int    `yaml:"embedded_port" env:"DUBAN_TEMPORAL_EMBEDDED_PORT"`
	TLS          TLS    `yaml:"tls"`
	APIKey       string `yaml:"api_key" env:"DUBAN_TEMPORAL_API_KEY" secret:"true"`
}

// TLS holds client certificate settings for an external Temporal.
type TLS struct {
	CertFile   string `yaml:"cert_file" env:"DUBAN_TEMPORAL_TLS_CERT_FILE"`
	KeyFile    string `yaml:"key_file" env:"DUBAN_TEMPORAL_TLS_KEY_FILE"`
	CAFile     string `yaml:"ca_file" env:"DUBAN_TEMPORAL_TLS_CA_FILE"`
	ServerName string `yaml:"server_name" env:"DUBAN_TEMPORAL_TLS_SERVER_NAME"`
}

// Worker tunes the Temporal worker.
type Worker struct {
	MaxConcurrentActivities    int `yaml:"max_concurrent_activities" env:"DUBAN_WORKER_MAX_CONCURRENT_ACTIVITIES"`
	MaxConcurrentWorkflowTasks int `yaml:"max_concurrent_workflow_tasks" env:"DUBAN_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS"`
	Pollers                    int `yaml:"pollers" env:"DUBAN_WORKER_POLLERS"`
	// StickyCacheSize is how many running workflows the process keeps in memory between
	// their tasks (the SDK's sticky cache; its own default is 10,000). Keep it above the
	// number of running items: when more items wake together than it holds (a plan's
	// reminders due the same morning), each evicts one that wakes next and has to replay
	// its whole history: at 11,000 items and 10,000 cached, half of the reminders went out
	// at 40/s instead of 250/s. About 150 KiB per cached item.
	StickyCacheSize int `yaml:"sticky_cache_size" env:"DUBAN_WORKER_STICKY_CACHE_SIZE"`
	// StickyTimeout is how long a workflow task waits on this process's own (sticky) queue
	// before the server moves it to the shared queue, where any worker replays the whole
	// history (the SDK's default is 5 s). It must outlast a storm's backlog: when a report
	// day's reminders queue longer than this, the rest are replayed, which costs twice the
	// CPU, and the drain halves (10,000 due over one minute on PostgreSQL: 55/s with 30 s,
	// 106/s with 2 min, docs/benchmarks.md). The cost: after a worker is killed, the tasks
	// already queued for it wait this long (new ones move after 10 s without its polls; a
	// worker that stops cleanly hands its queue back, usually at once, though under CI's
	// load an item's next task still waited there past a minute).
	StickyTimeout time.Duration `yaml:"sticky_timeout" env:"DUBAN_WORKER_STICKY_TIMEOUT"`
	// MetricsAddr serves /metrics for `duban worker` (empty: off; serve and dev use addr).
	MetricsAddr string `yaml:"metrics_addr" env:"DUBAN_WORKER_METRICS_ADDR"`
}

// Auth configures authentication.
type Auth struct {
	BootstrapAdminPassword string        `yaml:"bootstrap_admin_password" env:"DUBAN_BOOTSTRAP_ADMIN_PASSWORD" secret:"true"`
	TokenTTL               time.Duration `yaml:"token_ttl" env:"DUBAN_AUTH_TOKEN_TTL"`
	// APITokenTTL is an API token's lifetime when its creator names none (at most a year).
	APITokenTTL time.Duration `yaml:"api_token_ttl" env:"DUBAN_AUTH_API_TOKEN_TTL"`
}

// Log configures logging.
type Log struct {
	Level  string `yaml:"level" env:"DUBAN_LOG_LEVEL"`
	Format string `yaml:"format" env:"DUBAN_LOG_FORMAT"`
}

// Default returns the embedded defaults used by `duban dev`.
func Default() Config {
	return Config{
		Addr:     "127.0.0.1:8080",
		DataDir:  "./data",
		Database: Database{MaxOpenConns: 20},
		HTTP: HTTP{ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 60 * time.Second, WriteTimeout: 5 * time.Minute,
			IdleTimeout: 120 * time.Second, MaxBodyMB: 32},
		Temporal: Temporal{Namespace: "duban", TaskQueue: "duban-items", EmbeddedPort: 7233},
		Worker:   Worker{MaxConcurrentActivities: 200, MaxConcurrentWorkflowTasks: 200, Pollers: 16, StickyCacheSize: 50000, StickyTimeout: 2 * time.Minute},
		Auth:     Auth{TokenTTL: 12 * time.Hour, APITokenTTL: 90 * 24 * time.Hour},
		Log:      Log{Level: "info", Format: "text"},
		Notify: Notify{Lang: "zh-CN", QuietHours: "22:00-08:00", MorningAt: "08:30", DigestAt: "08:00",
			Routes: map[string][]string{
				"0": {"email", "dingtalk", "wecom", "feishu", "webhook"},
				"1": {"email", "dingtalk", "wecom", "feishu", "webhook", "sms"},
				"2": {"email", "dingtalk", "wecom", "feishu", "webhook", "sms"},
				"3": {"email", "dingtalk", "wecom", "feishu", "webhook", "sms"},
				"4": {"email", "dingtalk", "wecom", "feishu", "webhook", "sms"},
			},
			SMTP: SMTP{Port: 587, TLS: "starttls"}},
		Assessment: Assessment{NumberPrefix: "督办通报", Schedule: "year", Formula: domain.DefaultFormula()},
	}
}

// Embedded reports whether Temporal runs in-process.
func (c Config) Embedded() bool { return c.Temporal.Address == "" }

// SQLitePath returns the SQLite file for the store when the DSN is not MySQL.
func (c Config) SQLitePath() string {
	if c.Database.DSN == "" {
		return filepath.Join(c.DataDir, "duban.db")
	}
	return strings.TrimPrefix(strings.TrimPrefix(c.Database.DSN, "sqlite://"), "sqlite:")
}

// IsMySQL reports whether the store is MySQL (or MariaDB, TiDB, OceanBase).
func (c Config) IsMySQL() bool { return strings.HasPrefix(c.Database.DSN, "mysql://") }

// Validate checks every value and names the first wrong key.
func (c Config) Validate() error {
	if _, port, err := net.SplitHostPort(c.Addr); err != nil || port == "" {
		return keyErr("addr", "DUBAN_ADDR", fmt.Sprintf("%q is not host:port", c.Addr))
	}
	if c.DataDir == "" {
		return keyErr("data_dir", "DUBAN_DATA_DIR", "must not be empty")
	}
	if _, err := ParseProxies(c.TrustedProxies); err != nil {
		return keyErr("trusted_proxies", "DUBAN_TRUSTED_PROXIES", err.Error())
	}
	if err := c.HTTP.validate(); err != nil {
		return err
	}
	if c.IsMySQL() {
		if _, err := MySQLDSN(c.Database.DSN); err != nil {
			return keyErr("database.dsn", "DUBAN_DATABASE_DSN", err.Error())
		}
	} else if strings.Contains(c.Database.DSN, "://") && !strings.HasPrefix(c.Database.DSN, "sqlite://") {
		return keyErr("database.dsn", "DUBAN_DATABASE_DSN", "want mysql://user:pass@host:3306/db or a SQLite file path")
	}
	if c.Database.MaxOpenConns < 1 {
		return keyErr("database.max_open_conns", "DUBAN_DATABASE_MAX_OPEN_CONNS", "must be at least 1")
	}
	if c.Temporal.Address != "" {
		if _, _, err := net.SplitHostPort(c.Temporal.Address); err != nil {
			return keyErr("temporal.address", "DUBAN_TEMPORAL_ADDRESS", fmt.Sprintf("%q is not host:port", c.Temporal.Address))
		}
	}
	if c.Temporal.Namespace == "" {
		return keyErr("temporal.namespace", "DUBAN_TEMPORAL_NAMESPACE", "must not be empty")
	}
	if c.Temporal.TaskQueue == "" {
		return keyErr("temporal.task_queue", "DUBAN_TEMPORAL_TASK_QUEUE", "must not be empty")
	}
	if c.Temporal.EmbeddedPort < 1 || c.Temporal.EmbeddedPort > 65535 {
		return keyErr("temporal.embedded_port", "DUBAN_TEMPORAL_EMBEDDED_PORT", "must be a port number")
	}
	if (c.Temporal.TLS.CertFile == "") != (c.Temporal.TLS.KeyFile == "") {
		return keyErr("temporal.tls.cert_file", "DUBAN_TEMPORAL_TLS_CERT_FILE", "cert_file and key_file must be set together")
	}
	if err := c.Worker.Validate(); err != nil {
		return err
	}
	if c.Auth.TokenTTL < time.Minute {
		return keyErr("auth.token_ttl", "DUBAN_AUTH_TOKEN_TTL", "must be at least 1m")
	}
	if c.Auth.APITokenTTL < time.Hour || c.Auth.APITokenTTL > 366*24*time.Hour {
		return keyErr("auth.api_token_ttl", "DUBAN_AUTH_API_TOKEN_TTL", "must be between 1h and 8784h (a year)")
	}
	if p := c.Auth.BootstrapAdminPassword; p != "" && len(p) < 8 {
		return keyErr("auth.bootstrap_admin_password", "DUBAN_BOOTSTRAP_ADMIN_PASSWORD", "must be at least 8 characters")
	}
	switch c.Log.Level {
	case "debug", "info", "warn", "error":
	default:
		return keyErr("log.level", "DUBAN_LOG_LEVEL", "want debug, info, warn or error")
	}
	if c.Log.Format != "json" && c.Log.Format != "text" {
		return keyErr("log.format", "DUBAN_LOG_FORMAT", "want json or text")
	}
	if err := c.Notify.validate(); err != nil {
		return err
	}
	if !slices.Contains([]string{"year", "half", "none"}, c.Assessment.Schedule) {
		return keyErr("assessment.schedule", "DUBAN_ASSESSMENT_SCHEDULE", fmt.Sprintf("%q is not year, half or none", c.Assessment.Schedule))
	}
	if utf8.RuneCountInString(c.Assessment.NumberPrefix) > 32 || utf8.RuneCountInString(c.Assessment.Issuer) > 128 {
		return keyErr("assessment.number_prefix", "DUBAN_ASSESSMENT_NUMBER_PREFIX", "prefix at most 32 and issuer at most 128 characters")
	}
	if err := c.Supervision.Rules().Validate(); err != nil {
		return keyErr("supervision", "DUBAN_SUPERVISION_NUMBER_FORMAT", err.Error())
	}
	if err := c.Assessment.Formula.Validate(); err != nil {
		var de *domain.Error
		if errors.As(err, &de) {
			return keyErr("assessment.formula."+de.Field, "(file only)", de.Message)
		}
		return keyErr("assessment.formula", "(file only)", err.Error())
	}
	return nil
}

func (h HTTP) validate() error {
	for _, t := range []struct {
		key, env string
		d        time.Duration
	}{
		{"http.read_header_timeout", "DUBAN_HTTP_READ_HEADER_TIMEOUT", h.ReadHeaderTimeout},
		{"http.read_timeout", "DUBAN_HTTP_READ_TIMEOUT", h.ReadTimeout},
		{"http.write_timeout", "DUBAN_HTTP_WRITE_TIMEOUT", h.WriteTimeout},
		{"http.idle_timeout", "DUBAN_HTTP_IDLE_TIMEOUT", h.IdleTimeout},
	} {
		if t.d < time.Second || t.d > time.Hour {
			return keyErr(t.key, t.env, "must be between 1s and 1h")
		}
	}
	if h.ReadHeaderTimeout > h.ReadTimeout {
		return keyErr("http.read_header_timeout", "DUBAN_HTTP_READ_HEADER_TIMEOUT", "must not exceed http.read_timeout")
	}
	if h.MaxBodyMB < 1 || h.MaxBodyMB > 1024 {
		return keyErr("http.max_body_mb", "DUBAN_HTTP_MAX_BODY_MB", "must be between 1 and 1024")
	}
	return nil
}

// ParseProxies reads trusted proxies, each an IP address or a CIDR range.
func ParseProxies(list []string) ([]*net.IPNet, error) {
	var out []*net.IPNet
	for _, p := range list {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if !strings.Contains(p, "/") {
			ip := net.ParseIP(p)
			if ip == nil {
				return nil, fmt.Errorf("%q is not an IP address or CIDR range such as 10.0.0.0/8", p)
			}
			bits := 128
			if ip4 := ip.To4(); ip4 != nil {
				ip, bits = ip4, 32
			}
			out = append(out, &net.IPNet{IP: ip, Mask: net.CIDRMask(bits, bits)})
			continue
		}
		_, n, err := net.ParseCIDR(p)
		if err != nil {
			return nil, fmt.Errorf("%q is not an IP address or CIDR range such as 10.0.0.0/8", p)
		}
		out = append(out, n)
	}
	return out, nil
}

func (n Notify) validate() error {
	if n.Lang != "zh-CN" && n.Lang != "en" {
		return keyErr("notify.lang", "DUBAN_NOTIFY_LANG", "want zh-CN or en")
	}
	if n.QuietHours != "" {
		if _, _, err := ParseQuietHours(n.QuietHours); err != nil {
			return keyErr("notify.quiet_hours", "DUBAN_NOTIFY_QUIET_HOURS", err.Error())
		}
	}
	if _, err := ParseClock(n.MorningAt); err != nil {
		return keyErr("notify.morning_at", "DUBAN_NOTIFY_MORNING_AT", err.Error())
	}
	if n.DigestAt != "" {
		if _, err := ParseClock(n.DigestAt); err != nil {
			return keyErr("notify.digest_at", "DUBAN_NOTIFY_DIGEST_AT", err.Error())
		}
	}
	for _, h := range n.AllowedHosts {
		if !allowedHost(strings.TrimSpace(h)) {
			return keyErr("notify.allowed_hosts", "DUBAN_NOTIFY_ALLOWED_HOSTS", fmt.Sprintf("%q is not a host name, IP address or CIDR range", h))
		}
	}
	for level, chans := range n.Routes {
		if l, err := strconv.Atoi(level); err != nil || l < 0 || l > 4 {
			return keyErr("notify.routes", "-", fmt.Sprintf("level %q: want 0 to 4", level))
		}
		for _, ch := range chans {
			if !slices.Contains(NotifyChannels, ch) {
				return keyErr("notify.routes", "-", fmt.Sprintf("level %s: unknown channel %q (want one of %s)", level, ch, strings.Join(NotifyChannels, ", ")))
			}
		}
	}
	if n.SMTP.Host != "" {
		switch n.SMTP.TLS {
		case "starttls", "tls", "none":
		default:
			return keyErr("notify.smtp.tls", "DUBAN_SMTP_TLS", "want starttls, tls or none")
		}
		if n.SMTP.Port < 1 || n.SMTP.Port > 65535 {
			return keyErr("notify.smtp.port", "DUBAN_SMTP_PORT", "must be a port number")
		}
		if !strings.Contains(n.SMTP.From, "@") {
			return keyErr("notify.smtp.from", "DUBAN_SMTP_FROM", "must be an email address")
		}
	}
	switch n.SMS.Provider {
	case "":
	case "aliyun":
		if n.SMS.AccessKeyID == "" || n.SMS.AccessKeySecret == "" || n.SMS.SignName == "" || n.SMS.TemplateCode == "" {
			return keyErr("notify.sms", "DUBAN_SMS_*", "aliyun needs access_key_id, access_key_secret, sign_name and template_code")
		}
	default:
		return keyErr("notify.sms.provider", "DUBAN_SMS_PROVIDER", "want aliyun or empty")
	}
	return nil
}

// ParseClock reads "08:30" as minutes after midnight.
func ParseClock(s string) (int, error) {
	t, err := time.Parse("15:04", strings.TrimSpace(s))
	if err != nil {
		return 0, fmt.Errorf("%q: want a time of day such as 08:30", s)
	}
	return t.Hour()*60 + t.Minute(), nil
}

// ParseQuietHours reads "22:00-08:00" as start and end minutes after midnight; the span
// may cross midnight.
func ParseQuietHours(s string) (int, int, error) {
	a, b, ok := strings.Cut(s, "-")
	if !ok {
		return 0, 0, fmt.Errorf("%q: want start-end such as 22:00-08:00", s)
	}
	from, err := ParseClock(a)
	if err != nil {
		return 0, 0, err
	}
	to, err := ParseClock(b)
	if err != nil {
		return 0, 0, err
	}
	return from, to, nil
}

func keyErr(key, env, msg string) error {
	return fmt.Errorf("config: %s (%s): %s", key, env, msg)
}

// atoi parses an int setting.
func atoi(s string) (int, error) { return strconv.Atoi(strings.TrimSpace(s)) }

// allowedHost reports whether h is a host name, an IP address or a CIDR range.
func allowedHost(h string) bool {
	if h == "" {
		return false
	}
	if strings.Contains(h, "/") {
		_, err := netip.ParsePrefix(h)
		return err == nil
	}
	if _, err := netip.ParseAddr(strings.Trim(h, "[]")); err == nil {
		return true
	}
	return !strings.ContainsAny(h, " :/@?#")
}

// Validate checks the worker's tuning.
func (w Worker) Validate() error {
	if w.MaxConcurrentActivities < 1 || w.MaxConcurrentWorkflowTasks < 2 || w.Pollers < 1 {
		return keyErr("worker", "DUBAN_WORKER_*", "max_concurrent_activities ≥ 1, max_concurrent_workflow_tasks ≥ 2, pollers ≥ 1")
	}
	if w.StickyCacheSize < 1 {
		return keyErr("worker.sticky_cache_size", "DUBAN_WORKER_STICKY_CACHE_SIZE", "must be at least 1")
	}
	if w.StickyTimeout < time.Second || w.StickyTimeout > 10*time.Minute {
		return keyErr("worker.sticky_timeout", "DUBAN_WORKER_STICKY_TIMEOUT", "must be between 1s and 10m")
	}
	return nil
}
