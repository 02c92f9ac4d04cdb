package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"reflect"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"
	"gopkg.in/yaml.v3"
)

// Load builds the configuration from defaults, the YAML file at path (if not empty), and the
// environment (lookup is os.LookupEnv in production, a map in tests). Flags are applied by
// the caller afterwards; call Validate last.
func Load(path string, lookup func(string) (string, bool)) (Config, error) {
	cfg := Default()
	if path == "" {
		path, _ = lookup("DUBAN_CONFIG")
	}
	if path != "" {
		b, err := os.ReadFile(path)
		if err != nil {
			return cfg, fmt.Errorf("config: read %s: %w", path, err)
		}
		if err := decodeYAML(b, &cfg); err != nil {
			// yaml.v3 lists problems on several lines; one line reads better in a terminal.
			msg := strings.Join(strings.Fields(strings.ReplaceAll(err.Error(), "yaml: unmarshal errors:", "")), " ")
			return cfg, fmt.Errorf("config: %s: %s (see `duban config` for the known keys)", path, msg)
		}
	}
	if err := applyEnv(reflect.ValueOf(&cfg).Elem(), lookup); err != nil {
		return cfg, err
	}
	return cfg, nil
}

// decodeYAML rejects unknown keys, so a typo names itself with its line.
func decodeYAML(b []byte, cfg *Config) error {
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(cfg); err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	return nil
}

// applyEnv walks the struct and sets every field whose env variable is present.
func applyEnv(v reflect.Value, lookup func(string) (string, bool)) error {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		f, fv := t.Field(i), v.Field(i)
		if f.Type.Kind() == reflect.Struct {
			if err := applyEnv(fv, lookup); err != nil {
				return err
			}
			continue
		}
		name := f.Tag.Get("env")
		raw, ok := lookup(name)
		if name == "" || !ok {
			continue
		}
		if err := setScalar(fv, raw); err != nil {
			return fmt.Errorf("config: %s: %w", name, err)
		}
	}
	return nil
}

func setScalar(v reflect.Value, raw string) error {
	switch v.Kind() {
	case reflect.String:
		v.SetString(raw)
	case reflect.Int64:
		if v.Type() == reflect.TypeOf(time.Duration(0)) {
			d, err := time.ParseDuration(raw)
			if err != nil {
				return fmt.Errorf("%q is not a duration such as 12h", raw)
			}
			v.SetInt(int64(d))
			return nil
		}
		fallthrough
	case reflect.Int:
		n, err := atoi(raw)
		if err != nil {
			return fmt.Errorf("%q is not a whole number", raw)
		}
		v.SetInt(int64(n))
	case reflect.Slice:
		if v.Type().Elem().Kind() != reflect.String {
			return fmt.Errorf("unsupported type %s", v.Type())
		}
		var list []string
		for _, part := range strings.Split(raw, ",") {
			if part = strings.TrimSpace(part); part != "" {
				list = append(list, part)
			}
		}
		v.Set(reflect.ValueOf(list))
	case reflect.Bool:
		v.SetBool(raw == "1" || strings.EqualFold(raw, "true") || strings.EqualFold(raw, "yes"))
	default:
		return fmt.Errorf("unsupported type %s", v.Kind())
	}
	return nil
}

// MySQLDSN converts mysql://user:pass@host:3306/db?opts into the driver's DSN, forcing
// utf8mb4, UTC and parseTime so that Chinese text and times round-trip.
func MySQLDSN(dsn string) (string, error) {
	u, err := url.Parse(dsn)
	if err != nil || u.Scheme != "mysql" {
		return "", errors.New("want mysql://user:pass@host:3306/db")
	}
	db := strings.TrimPrefix(u.Path, "/")
	if u.Host == "" || db == "" {
		return "", errors.New("want mysql://user:pass@host:3306/db (host and database name are required)")
	}
	c := mysql.NewConfig()
	c.Net, c.Addr, c.DBName = "tcp", u.Host, db
	if u.User != nil {
		c.User = u.User.Username()
		c.Passwd, _ = u.User.Password()
	}
	c.ParseTime = true
	c.Loc = time.UTC
	c.Params = map[string]string{"charset": "utf8mb4"}
	for k, vs := range u.Query() {
		c.Params[k] = vs[0]
	}
	return c.FormatDSN(), nil
}

// Redacted returns the configuration as YAML with secrets replaced, for `duban config`.
func (c Config) Redacted() string {
	r := c
	redact(reflect.ValueOf(&r).Elem())
	b, _ := yaml.Marshal(r)
	return string(b)
}

func redact(v reflect.Value) {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		f, fv := t.Field(i), v.Field(i)
		switch {
		case f.Type.Kind() == reflect.Struct && f.Type != reflect.TypeOf(time.Duration(0)):
			redact(fv)
		case f.Tag.Get("secret") == "true" && fv.String() != "":
			fv.SetString("******")
		case f.Tag.Get("secret") == "dsn":
			fv.SetString(RedactDSN(fv.String()))
		}
	}
}

// RedactDSN hides the password in a URL-form DSN.
func RedactDSN(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		return dsn
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxxx")
	}
	return u.String()
}
