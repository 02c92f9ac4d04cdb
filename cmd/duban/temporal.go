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

// runTemporal runs the embedded Temporal server on its own, for `duban serve` and
// `duban worker` processes (and the Temporal CLI or UI) to connect to: the way to try the
// production topology on one machine. Production clusters run Temporal itself.
func runTemporal(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("temporal", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	ip := fs.String("ip", "127.0.0.1", "address to listen on")
	port := fs.Int("port", 7233, "frontend gRPC port")
	dataDir := fs.String("data-dir", "./data", "directory for temporal.db")
	namespace := fs.String("namespace", "duban", "namespace to register")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := os.MkdirAll(*dataDir, 0o750); err != nil {
		return err
	}
	srv, err := embedded.Start(embedded.Options{DBFile: filepath.Join(*dataDir, "temporal.db"), IP: *ip, Port: *port,
		Namespace: *namespace, SearchAttributes: worker.SearchAttributes})
	if err != nil {
		return err
	}
	fmt.Printf("Temporal server on %s (namespace %s). Ctrl-C to stop.\n", srv.HostPort(), *namespace)
	<-ctx.Done()
	return srv.Stop()
}
