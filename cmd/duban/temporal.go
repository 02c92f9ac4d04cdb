package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/dubanhq/duban/embedded"
	"github.com/dubanhq/duban/worker"
)

// temporalFlags are the flags of `duban temporal`.
type temporalFlags struct {
	ip, dataDir, namespace, logLevel string
	pprof                            string
	port                             int
	node                             nodeFlags
}

// runTemporal runs a Temporal server (the pinned version Duban embeds) for `duban serve`
// and `duban worker` processes, and the Temporal CLI or UI, to connect to. Without --db it
// is one node on a SQLite file under --data-dir: the way to try the separate-process
// topology on one machine. With --db it is one node of a cluster on PostgreSQL or MySQL 8:
// start as many as you like on one database (see docs/production.md).
func runTemporal(ctx context.Context, args []string) error {
	var f temporalFlags
	fs := f.flagSet()
	if err := parse(fs, args); err != nil {
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	if f.pprof != "" {
		stop, err := servePprof(f.pprof)
		if err != nil {
			return &exitError{2, err}
		}
		defer stop()
	}
	if f.node.db == "" {
		return runSQLiteTemporal(ctx, f, set)
	}
	if set["data-dir"] {
		return &exitError{2, fmt.Errorf("--data-dir: not used with --db (Temporal's state is in that database)")}
	}
	return runTemporalNode(ctx, f, set)
}

func (f *temporalFlags) flagSet() *flag.FlagSet {
	fs := flag.NewFlagSet("temporal", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&f.ip, "ip", "127.0.0.1", "address to listen on")
	fs.IntVar(&f.port, "port", 7233, "frontend gRPC port")
	fs.StringVar(&f.dataDir, "data-dir", "./data", "directory for temporal.db (SQLite, without --db)")
	fs.StringVar(&f.namespace, "namespace", "duban", "namespace to register")
	fs.StringVar(&f.logLevel, "log-level", "warn", "the server's log level: debug, info, warn, error")
	fs.StringVar(&f.pprof, "pprof", "", "serve net/http/pprof on this loopback address (e.g. 127.0.0.1:6061), to see where a node spends its time")
	f.node.register(fs)
	return fs
}

// runSQLiteTemporal is `duban temporal` without --db: one node on a SQLite file.
func runSQLiteTemporal(ctx context.Context, f temporalFlags, set map[string]bool) error {
	for _, name := range nodeOnlyFlags {
		if set[name] {
			return &exitError{2, fmt.Errorf("--%s needs --db: the SQLite server is a single node with one history shard", name)}
		}
	}
	if err := os.MkdirAll(f.dataDir, 0o750); err != nil {
		return err
	}
	srv, err := embedded.Start(embedded.Options{DBFile: filepath.Join(f.dataDir, "temporal.db"), IP: f.ip, Port: f.port,
		Namespace: f.namespace, SearchAttributes: worker.SearchAttributes, LogLevel: f.logLevel})
	if err != nil {
		return err
	}
	fmt.Printf("Temporal server on %s (namespace %s). Ctrl-C to stop.\n", srv.HostPort(), f.namespace)
	<-ctx.Done()
	return srv.Stop()
}
