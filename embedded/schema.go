package embedded

import (
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx", the one Temporal's plugin uses
	"go.temporal.io/server/common/config"
	"go.temporal.io/server/common/log"
	"go.temporal.io/server/tools/common/schema"
	sqltool "go.temporal.io/server/tools/sql"
)

// schemaDirs names, per plugin, the versioned schema directories that Temporal embeds in
// its schema package (the same ones temporal-sql-tool's --schema-name takes).
var schemaDirs = map[string]struct{ main, visibility string }{
	postgresPlugin: {"postgresql/v12/temporal", "postgresql/v12/visibility"},
	mysqlPlugin:    {"mysql/v8/temporal", "mysql/v8/visibility"},
}

// upgradeSchema brings a database's schema to the version this server needs with Temporal's
// own schema tool, as `temporal-sql-tool setup-schema -v 0.0` followed by `update-schema`
// would: the first run creates every table, later runs apply only newer versions. The caller
// holds the set-up lock.
func upgradeSchema(c *config.SQL, dir string, logger log.Logger) (err error) {
	conn, err := sqltool.NewConnection(c, logger)
	if err != nil {
		return fmt.Errorf("connect to %s: %w", describe(c), err)
	}
	defer conn.Close()
	if err := schema.NewSetupSchemaTask(conn, &schema.SetupConfig{InitialVersion: "0.0"}, logger).Run(); err != nil {
		return fmt.Errorf("set up the schema of %s: %w", describe(c), err)
	}
	if err := schema.NewUpdateSchemaTask(conn, &schema.UpdateConfig{DBName: c.DatabaseName, SchemaName: dir}, logger).Run(); err != nil {
		return fmt.Errorf("update the schema of %s from %s: %w", describe(c), dir, err)
	}
	return nil
}

// ensureDatabase creates the database when the server answers that it does not exist.
// Two nodes may do this at once: "already exists" is success.
func ensureDatabase(c *config.SQL, logger log.Logger) error {
	if c.PluginName == mysqlPlugin {
		if err := refuseMariaDB(c); err != nil {
			return err
		}
	}
	db, err := openSQL(c)
	if err != nil {
		return err
	}
	err = db.Ping()
	_ = db.Close()
	if err == nil {
		return nil
	}
	if !missingDatabase(err) {
		return fmt.Errorf("cannot reach %s: %w", describe(c), err)
	}
	admin := *c
	defaultDB := "postgres"
	if c.PluginName == mysqlPlugin {
		defaultDB = ""
	}
	if err := sqltool.DoCreateDatabase(&admin, defaultDB, logger); err != nil && !duplicateDatabase(err) {
		return fmt.Errorf("%s does not exist and could not be created (create it, or grant CREATEDB): %w", describe(c), err)
	}
	return nil
}

// refuseMariaDB fails on a MariaDB server, which speaks MySQL's protocol but on which
// Temporal's schema and queries fail (its visibility schema does not load).
func refuseMariaDB(c *config.SQL) error {
	server := *c
	server.DatabaseName = ""
	db, err := openSQL(&server)
	if err != nil {
		return err
	}
	defer db.Close()
	var version string
	if err := db.QueryRow("SELECT VERSION()").Scan(&version); err != nil {
		return fmt.Errorf("cannot reach %s: %w", describe(c), err)
	}
	if strings.Contains(version, "MariaDB") {
		return fmt.Errorf("%s is a MariaDB server (%s): Temporal needs MySQL 8 or PostgreSQL 12+", describe(c), version)
	}
	return nil
}

func missingDatabase(err error) bool {
	var pe *pgconn.PgError
	var me *mysql.MySQLError
	return errors.As(err, &pe) && pe.Code == "3D000" || errors.As(err, &me) && me.Number == 1049
}

// duplicateDatabase: the database exists (42P04), or another node created it between this
// one's look and its CREATE DATABASE (23505 on pg_database's unique name index).
func duplicateDatabase(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "42P04" || pe.Code == "23505")
}

// openSQL opens a database/sql handle on c with the driver Temporal's plugin uses.
func openSQL(c *config.SQL) (*sql.DB, error) {
	if c.PluginName == mysqlPlugin {
		mc := mysql.NewConfig()
		mc.User, mc.Passwd, mc.Net, mc.Addr, mc.DBName = c.User, c.Password, "tcp", c.ConnectAddr, c.DatabaseName
		mc.Params = c.ConnectAttributes
		return sql.Open("mysql", mc.FormatDSN())
	}
	q := url.Values{}
	for k, v := range c.ConnectAttributes {
		q.Set(k, v)
	}
	if q.Get("sslmode") == "" {
		q.Set("sslmode", "disable") // as Temporal's plugin does without TLS settings
	}
	u := url.URL{Scheme: "postgres", User: url.UserPassword(c.User, c.Password), Host: c.ConnectAddr, Path: "/" + c.DatabaseName, RawQuery: q.Encode()}
	return sql.Open("pgx", u.String())
}
