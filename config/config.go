// Package config is Duban's one typed configuration. Values come, in increasing precedence,
// from defaults, a YAML file (--config or DUBAN_CONFIG), DUBAN_* environment variables and
// command-line flags. Validation names the key that is wrong.
//
// Every setting, its YAML key and its environment variable:
//
//	addr                              DUBAN_ADDR                         HTTP listen address (API + UI), default 127.0.0.1:8080
//	data_dir                          DUBAN_DATA_DIR                     directory for embedded state (SQLite files), default ./data
//	base_url                          DUBAN_BASE_URL                     public URL used in notification links
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
//	worker.metrics_addr               DUBAN_WORKER_METRICS_ADDR          /metrics listener of `duban worker`, e.g. 0.0.0.0:9464
//	auth.bootstrap_admin_password     DUBAN_BOOTSTRAP_ADMIN_PASSWORD     password for user admin at first start (secret)
//	auth.token_ttl                    DUBAN_AUTH_TOKEN_TTL               lifetime of login tokens, default 12h
//	log.level                         DUBAN_LOG_LEVEL                    debug, info, warn, error
//	log.format                        DUBAN_LOG_FORMAT                   json or text
package config

import (
	"fmt"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Config is the whole configuration.
type Config struct {
	Addr    string `yaml:"addr" env:"DUBAN_ADDR"`
	DataDir string `yaml:"data_dir" env:"DUBAN_DATA_DIR"`
	BaseURL string `yaml:"base_url" env:"DUBAN_BASE_URL"`
	// CalendarFile adds holiday years and local overrides (calendar.LoadYAML format).
	CalendarFile string   `yaml:"calendar_file" env:"DUBAN_CALENDAR_FILE"`
	Database     Database `yaml:"database"`
	Temporal     Temporal `yaml:"temporal"`
	Worker       Worker   `yaml:"worker"`
	Auth         Auth     `yaml:"auth"`
	Log          Log      `yaml:"log"`
}

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
	// MetricsAddr serves /metrics for `duban worker` (empty: off; serve and dev use addr).
	MetricsAddr string `yaml:"metrics_addr" env:"DUBAN_WORKER_METRICS_ADDR"`
}

// Auth configures authentication.
type Auth struct {
	BootstrapAdminPassword string        `yaml:"bootstrap_admin_password" env:"DUBAN_BOOTSTRAP_ADMIN_PASSWORD" secret:"true"`
	TokenTTL               time.Duration `yaml:"token_ttl" env:"DUBAN_AUTH_TOKEN_TTL"`
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
		Temporal: Temporal{Namespace: "duban", TaskQueue: "duban-items", EmbeddedPort: 7233},
		Worker:   Worker{MaxConcurrentActivities: 200, MaxConcurrentWorkflowTasks: 200, Pollers: 4},
		Auth:     Auth{TokenTTL: 12 * time.Hour},
		Log:      Log{Level: "info", Format: "text"},
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
	if c.Worker.MaxConcurrentActivities < 1 || c.Worker.MaxConcurrentWorkflowTasks < 2 || c.Worker.Pollers < 1 {
		return keyErr("worker", "DUBAN_WORKER_*", "max_concurrent_activities ≥ 1, max_concurrent_workflow_tasks ≥ 2, pollers ≥ 1")
	}
	if c.Auth.TokenTTL < time.Minute {
		return keyErr("auth.token_ttl", "DUBAN_AUTH_TOKEN_TTL", "must be at least 1m")
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
	return nil
}

func keyErr(key, env, msg string) error {
	return fmt.Errorf("config: %s (%s): %s", key, env, msg)
}

// atoi parses an int setting.
func atoi(s string) (int, error) { return strconv.Atoi(strings.TrimSpace(s)) }
