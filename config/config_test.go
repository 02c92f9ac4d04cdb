package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestLoadPrecedence(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "duban.yaml")
	yaml := "addr: 0.0.0.0:9000\ndatabase:\n  dsn: mysql://duban:s3cret@db:3306/duban\ntemporal:\n  namespace: city\n"
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := Load(path, env(map[string]string{
		"DUBAN_TEMPORAL_NAMESPACE":       "province",
		"DUBAN_AUTH_TOKEN_TTL":           "2h",
		"DUBAN_BOOTSTRAP_ADMIN_PASSWORD": "correct horse",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Addr != "0.0.0.0:9000" {
		t.Errorf("file value lost: addr=%q", cfg.Addr)
	}
	if cfg.Temporal.Namespace != "province" {
		t.Errorf("env must override file: namespace=%q", cfg.Temporal.Namespace)
	}
	if cfg.Auth.TokenTTL != 2*time.Hour {
		t.Errorf("duration from env: %v", cfg.Auth.TokenTTL)
	}
	if cfg.Temporal.TaskQueue != "duban-items" {
		t.Errorf("default lost: %q", cfg.Temporal.TaskQueue)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	out := cfg.Redacted()
	if strings.Contains(out, "s3cret") || strings.Contains(out, "correct horse") {
		t.Errorf("secret printed:\n%s", out)
	}
	if !strings.Contains(out, "duban:xxxxxx@db:3306") {
		t.Errorf("redacted DSN should keep user and host:\n%s", out)
	}
}

func TestBadKeysAreNamed(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(path, []byte("database:\n  dns: x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(path, env(nil)); err == nil || !strings.Contains(err.Error(), "dns") || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("unknown YAML key should be named with its line, got %v", err)
	}
	cases := map[string]struct{ env, want string }{
		"addr":    {"DUBAN_ADDR", "addr"},
		"dsn":     {"DUBAN_DATABASE_DSN", "database.dsn"},
		"ttl":     {"DUBAN_AUTH_TOKEN_TTL", "DUBAN_AUTH_TOKEN_TTL"},
		"level":   {"DUBAN_LOG_LEVEL", "log.level"},
		"port":    {"DUBAN_TEMPORAL_EMBEDDED_PORT", "DUBAN_TEMPORAL_EMBEDDED_PORT"},
		"address": {"DUBAN_TEMPORAL_ADDRESS", "temporal.address"},
		"cache":   {"DUBAN_WORKER_STICKY_CACHE_SIZE", "worker.sticky_cache_size"},
		"sticky":  {"DUBAN_WORKER_STICKY_TIMEOUT", "worker.sticky_timeout"},
		"proxies": {"DUBAN_TRUSTED_PROXIES", "trusted_proxies"},
		"read":    {"DUBAN_HTTP_READ_TIMEOUT", "http.read_timeout"},
		"body":    {"DUBAN_HTTP_MAX_BODY_MB", "http.max_body_mb"},
	}
	bad := map[string]string{"addr": "nonsense", "dsn": "postgres://x/y", "ttl": "soon",
		"level": "loud", "port": "seventy", "address": "no-port", "cache": "0", "sticky": "0s",
		"proxies": "10.0.0.1, proxy.example", "read": "0s", "body": "0"}
	for name, c := range cases {
		cfg, err := Load("", env(map[string]string{c.env: bad[name]}))
		if err == nil {
			err = cfg.Validate()
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: want an error naming %s, got %v", name, c.want, err)
		}
	}
}

func TestMySQLDSN(t *testing.T) {
	got, err := MySQLDSN("mysql://root:@127.0.0.1:3306/duban_test?timeout=5s")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"root@tcp(127.0.0.1:3306)/duban_test", "parseTime=true", "charset=utf8mb4", "timeout=5s"} {
		if !strings.Contains(got, want) {
			t.Errorf("%s lacks %s", got, want)
		}
	}
	if _, err := MySQLDSN("mysql://host-only"); err == nil {
		t.Error("a DSN without database must be rejected")
	}
}

func TestTrustedProxiesAndHTTPLimits(t *testing.T) {
	cfg, err := Load("", env(map[string]string{"DUBAN_TRUSTED_PROXIES": " 10.0.0.0/8, 192.168.1.7,,::1 ",
		"DUBAN_HTTP_READ_TIMEOUT": "30s", "DUBAN_HTTP_MAX_BODY_MB": "64"}))
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	nets, err := ParseProxies(cfg.TrustedProxies)
	if err != nil || len(nets) != 3 || nets[1].String() != "192.168.1.7/32" || nets[2].String() != "::1/128" {
		t.Errorf("trusted proxies: %v %v", nets, err)
	}
	if cfg.HTTP.ReadTimeout != 30*time.Second || cfg.HTTP.MaxBodyMB != 64 || cfg.HTTP.ReadHeaderTimeout != 10*time.Second || cfg.HTTP.IdleTimeout != 120*time.Second {
		t.Errorf("http: %+v", cfg.HTTP)
	}
	if d := Default(); len(d.TrustedProxies) != 0 {
		t.Errorf("default trusts proxies: %v", d.TrustedProxies)
	}
}

// TestSecuritySettings: the notification allow-list is read from a comma-separated
// variable and checked; API token lifetimes past a year are refused.
func TestSecuritySettings(t *testing.T) {
	cfg, err := Load("", env(map[string]string{"DUBAN_NOTIFY_ALLOWED_HOSTS": "127.0.0.1, hooks.intranet.gov.cn,10.0.0.0/8", "DUBAN_METRICS_TOKEN": "m"}))
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Notify.AllowedHosts) != 3 || cfg.Notify.AllowedHosts[1] != "hooks.intranet.gov.cn" || cfg.MetricsToken != "m" {
		t.Errorf("allowed hosts %q, metrics token %q", cfg.Notify.AllowedHosts, cfg.MetricsToken)
	}
	if err := cfg.Validate(); err != nil {
		t.Error(err)
	}
	cfg.Notify.AllowedHosts = []string{"http://x/"}
	if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), "notify.allowed_hosts") {
		t.Errorf("a URL as a host: %v", err)
	}
	cfg.Notify.AllowedHosts = nil
	cfg.Auth.APITokenTTL = 9000 * time.Hour
	if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), "auth.api_token_ttl") {
		t.Errorf("a token lifetime past a year: %v", err)
	}
}
