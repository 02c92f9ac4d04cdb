package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/dubanhq/duban/bench"
)

// runBench measures Duban on this machine in one process (package bench): the store
// (SQLite, or a fresh database on the MySQL server of --dsn), the worker and the HTTP API,
// on the embedded Temporal server or the cluster at --temporal, driven over real HTTP.
func runBench(ctx context.Context, args []string) error { return benchCommand(ctx, args, os.Stdout) }

func benchCommand(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var o bench.Options
	fs.IntVar(&o.Items, "items", 10000, "items launched in one import and due in the same minute")
	fs.IntVar(&o.APIItems, "api-items", 100000, "items in the store for the second API scale (filled without workflows)")
	fs.StringVar(&o.DSN, "dsn", "", "mysql://user:pass@host:port/ — run on a fresh database created on this server")
	fs.StringVar(&o.Temporal, "temporal", "", "host:port of a Temporal cluster to run on (a fresh namespace of its own); default: the embedded server")
	fs.DurationVar(&o.ReminderMargin, "reminder-margin", 0, "time from the import to the reminders (default: estimated from the 1,000-item run)")
	fs.DurationVar(&o.Spread, "spread", 0, "the window the reminders fall due in (0: all in the same second; e.g. 1m)")
	fs.BoolVar(&o.Keep, "keep", false, "keep the temporary directory and the MySQL database")
	asJSON := fs.Bool("json", false, "print one JSON object")
	pprofAddr := fs.String("pprof", "", "serve net/http/pprof on this loopback address (e.g. 127.0.0.1:6060) while the bench runs")
	if err := parse(fs, args); err != nil {
		return err
	}
	o.Progress = func(format string, a ...any) {
		fmt.Fprintf(os.Stderr, "bench %s  "+format+"\n", append([]any{time.Now().Format("15:04:05")}, a...)...)
	}
	if *pprofAddr != "" {
		stop, err := servePprof(*pprofAddr)
		if err != nil {
			return &exitError{2, err}
		}
		defer stop()
		o.Progress("pprof on http://%s/debug/pprof/", *pprofAddr)
	}
	rep, err := bench.Run(ctx, o)
	var ue *bench.UsageError
	if errors.As(err, &ue) {
		return &exitError{2, err}
	}
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	bench.Print(stdout, rep)
	return nil
}
