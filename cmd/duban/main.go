// Command duban is Duban's one binary: `dev` runs everything in one process on embedded
// defaults; `serve`, `worker`, `migrate`, `import`, `config` and `version` run the parts
// separately against an external Temporal cluster and MySQL.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

const usage = `duban — 督办: inter-department task supervision on Temporal

Usage:
  duban dev     [--addr 127.0.0.1:8080] [--data-dir ./data] [--demo] [--config FILE]
  duban serve   [--addr ADDR] [--config FILE]     API + web UI against an external Temporal
  duban worker  [--config FILE]                   Temporal worker only
  duban migrate [--dry-run] [--config FILE]       apply database migrations (--dry-run prints the SQL)
  duban temporal [--port 7233] [--data-dir ./data] the embedded Temporal server on its own (SQLite)
  duban temporal --db postgres://USER@HOST:5432/DB [--history-shards N] [--broadcast-address IP] [--port P]
                                                  one node of a Temporal cluster (PostgreSQL or MySQL 8)
  duban import  [--dry-run] [--json] [--list N] FILE...
  duban config  [--config FILE]                   print the effective configuration (secrets redacted)
  duban healthcheck [URL]                         exit 0 when URL (default http://127.0.0.1:8080/readyz) answers 2xx
  duban bench   [--items 10000] [--api-items 100000] [--dsn mysql://…/] [--temporal host:port] [--json]   measure this machine
  duban version

Configuration: YAML file (--config or DUBAN_CONFIG), DUBAN_* environment variables, flags.
`

// exitError carries a process exit status.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }

func main() {
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cmds := map[string]func(context.Context, []string) error{
		"dev": runDev, "serve": runServe, "worker": runWorker, "migrate": runMigrate,
		"import": runImport, "config": runConfig, "version": runVersion, "temporal": runTemporal, "healthcheck": runHealthcheck,
		"bench": runBench,
	}
	run, ok := cmds[os.Args[1]]
	if !ok {
		if os.Args[1] == "help" || os.Args[1] == "-h" || os.Args[1] == "--help" {
			fmt.Print(usage)
			return
		}
		fmt.Fprintf(os.Stderr, "duban: unknown command %q\n\n%s", os.Args[1], usage)
		os.Exit(2)
	}
	if err := run(ctx, os.Args[2:]); err != nil {
		fmt.Fprintf(os.Stderr, "duban %s: %v\n", os.Args[1], err)
		var ee *exitError
		if errors.As(err, &ee) {
			os.Exit(ee.code)
		}
		os.Exit(1)
	}
}
