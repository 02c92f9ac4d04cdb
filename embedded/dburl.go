package embedded

import (
	"fmt"
	"net"
	"net/url"
	"strings"

	"go.temporal.io/server/common/config"
)

// Temporal's SQL plugins for the server databases a node runs on. PostgreSQL goes through
// Temporal's pgx plugin rather than its lib/pq one ("postgres12"): pgx keeps each
// connection's prepared statements, so PostgreSQL parses and plans Temporal's queries once
// instead of on every call. Measured on the same machine and the same work (2,000 items,
// docs/benchmarks.md), PostgreSQL's CPU fell by 30 % over the run and 43 % during the
// reminders, the node's by 10 %. Behind PgBouncer in transaction pooling, add
// default_query_exec_mode=simple_protocol to the URL (pgx reads it from the query string).
const (
	postgresPlugin = "postgres12_pgx"
	mysqlPlugin    = "mysql8"
)

// ParseDBURL turns a database URL into Temporal's SQL configuration:
// postgres://USER[:PASSWORD]@HOST:PORT/DB[?sslmode=…] (PostgreSQL 12 or later) or
// mysql://USER[:PASSWORD]@HOST:PORT/DB (MySQL 8; MariaDB does not work for Temporal).
// Query parameters become the driver's connection attributes. Errors never repeat the
// password.
func ParseDBURL(raw string) (*config.SQL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("%q is not a URL", RedactURL(raw))
	}
	c := &config.SQL{ConnectAttributes: map[string]string{}}
	switch u.Scheme {
	case "postgres", "postgresql":
		c.PluginName = postgresPlugin
	case "mysql":
		c.PluginName = mysqlPlugin
	default:
		return nil, fmt.Errorf("%q: want postgres://USER@HOST:PORT/DB or mysql://USER@HOST:PORT/DB", RedactURL(raw))
	}
	if u.User == nil || u.User.Username() == "" {
		return nil, fmt.Errorf("%q names no user (postgres://USER@HOST:PORT/DB)", RedactURL(raw))
	}
	c.User = u.User.Username()
	c.Password, _ = u.User.Password()
	host, port, err := net.SplitHostPort(u.Host)
	if err != nil || host == "" || port == "" {
		return nil, fmt.Errorf("%q: want HOST:PORT after the user", RedactURL(raw))
	}
	c.ConnectAddr = u.Host
	c.DatabaseName = strings.TrimPrefix(u.Path, "/")
	if c.DatabaseName == "" || strings.Contains(c.DatabaseName, "/") {
		return nil, fmt.Errorf("%q names no database (…/DB at the end)", RedactURL(raw))
	}
	for k, v := range u.Query() {
		c.ConnectAttributes[k] = v[len(v)-1]
	}
	return c, nil
}

// RedactURL hides the password of a database URL, for logs and error messages.
func RedactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		// Not a URL: show nothing after the scheme's user part, which may hold a password.
		if i := strings.LastIndex(raw, "@"); i >= 0 {
			return "…" + raw[i:]
		}
		return raw
	}
	return u.Redacted()
}

// visibilitySQL is the configuration of the visibility database: raw when given, otherwise
// the main database's server with "_visibility" appended to its name (Temporal's schema
// tool keeps a version table per database, so the two schemas cannot share one).
func visibilitySQL(main *config.SQL, raw string) (*config.SQL, error) {
	if raw != "" {
		return ParseDBURL(raw)
	}
	c := *main
	c.ConnectAttributes = map[string]string{}
	for k, v := range main.ConnectAttributes {
		c.ConnectAttributes[k] = v
	}
	c.DatabaseName = main.DatabaseName + "_visibility"
	return &c, nil
}

// describe is a one-line, password-free description of a SQL configuration.
func describe(c *config.SQL) string {
	scheme := "postgres"
	if c.PluginName == mysqlPlugin {
		scheme = "mysql"
	}
	return fmt.Sprintf("%s://%s@%s/%s", scheme, c.User, c.ConnectAddr, c.DatabaseName)
}
