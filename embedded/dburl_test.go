package embedded

import (
	"errors"
	"strings"
	"testing"
)

func TestParseDBURL(t *testing.T) {
	c, err := ParseDBURL("postgres://temporal:s3cret@db.example:5432/temporal?sslmode=require")
	if err != nil {
		t.Fatal(err)
	}
	if c.PluginName != "postgres12_pgx" || c.User != "temporal" || c.Password != "s3cret" || c.ConnectAddr != "db.example:5432" ||
		c.DatabaseName != "temporal" || c.ConnectAttributes["sslmode"] != "require" {
		t.Errorf("parsed %+v", c)
	}
	if c, err := ParseDBURL("mysql://temporal@mysql:3306/temporal"); err != nil || c.PluginName != "mysql8" || c.Password != "" {
		t.Errorf("mysql URL: %+v %v", c, err)
	}
	vis, err := visibilitySQL(c, "")
	if err != nil || vis.DatabaseName != "temporal_visibility" || vis.ConnectAddr != c.ConnectAddr || vis.ConnectAttributes["sslmode"] != "require" {
		t.Errorf("default visibility database: %+v %v", vis, err)
	}
	for raw, want := range map[string]string{
		"sqlite:///tmp/x.db":                "want postgres://",
		"postgres://db:5432/temporal":       "names no user",
		"postgres://u:s3cret@db/temporal":   "HOST:PORT",
		"postgres://u:s3cret@db:5432/":      "names no database",
		"postgres://u:s3cret@db:5432/a/b":   "names no database",
		"postgres://u:s3cret@db:5432/%zz":   "not a URL",
		"mysql://u:s3cret@db:3306":          "names no database",
		"postgres://u:s3cret@[::1:5432/x":   "not a URL",
		"postgres://u:s3cret@db:5432/x?a=b": "",
	} {
		_, err := ParseDBURL(raw)
		switch {
		case want == "" && err != nil:
			t.Errorf("%s: %v", raw, err)
		case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
			t.Errorf("%s: %v, want an error saying %q", raw, err, want)
		case err != nil && strings.Contains(err.Error(), "s3cret"):
			t.Errorf("%s: the error shows the password: %v", raw, err)
		}
	}
}

func TestRedactURL(t *testing.T) {
	for raw, want := range map[string]string{
		"postgres://u:s3cret@db:5432/t?sslmode=disable": "postgres://u:xxxxx@db:5432/t?sslmode=disable",
		"postgres://u@db:5432/t":                        "postgres://u@db:5432/t",
		"postgres://u:s3cret@[::1:5432/t":               "…@[::1:5432/t",
	} {
		if got := RedactURL(raw); got != want {
			t.Errorf("RedactURL(%q) = %q, want %q", raw, got, want)
		}
	}
}

func TestShardCount(t *testing.T) {
	for _, c := range []struct{ stored, asked, want int32 }{
		{0, 0, DefaultHistoryShards}, {0, 16, 16}, {16, 0, 16}, {16, 16, 16},
	} {
		if got, err := shardCount(c.stored, c.asked); err != nil || got != c.want {
			t.Errorf("shardCount(%d, %d) = %d, %v; want %d", c.stored, c.asked, got, err, c.want)
		}
	}
	_, err := shardCount(4, 8)
	var mismatch *ShardMismatchError
	if !errors.As(err, &mismatch) || mismatch.Stored != 4 || mismatch.Asked != 8 || !strings.Contains(err.Error(), "4") || !strings.Contains(err.Error(), "8") {
		t.Errorf("a changed count must be refused naming both numbers: %v", err)
	}
}
