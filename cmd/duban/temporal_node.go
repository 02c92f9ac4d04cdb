package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strconv"
	"time"

	"go.temporal.io/sdk/client"
	tlog "go.temporal.io/sdk/log"

	"github.com/dubanhq/duban/embedded"
	"github.com/dubanhq/duban/worker"
)

// nodeFlags are the flags of `duban temporal --db`: one node of a cluster.
type nodeFlags struct {
	db, visibilityDB, broadcast, dynamicConfig   string
	shards, maxConns                             int
	historyPort, matchingPort, workerPort, mPort int
}

// nodeOnlyFlags mean something only with --db.
var nodeOnlyFlags = []string{"visibility-db", "history-shards", "db-max-conns", "broadcast-address", "dynamic-config",
	"history-port", "matching-port", "worker-port", "membership-port"}

// Temporal's own port layout, relative to the frontend's gRPC port (7233): history 7234,
// matching 7235, worker 7239, and each service's membership port 300 below its gRPC port.
var portOffsets = map[string]int{"frontend": 0, "history": 1, "matching": 2, "worker": 6}

const membershipBelow = 300

func (n *nodeFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&n.db, "db", os.Getenv("DUBAN_TEMPORAL_DB"), "Temporal's database: postgres://USER[:PASS]@HOST:PORT/DB?sslmode=disable or mysql://… (MySQL 8); env DUBAN_TEMPORAL_DB. Without it: SQLite under --data-dir")
	fs.StringVar(&n.visibilityDB, "visibility-db", os.Getenv("DUBAN_TEMPORAL_VISIBILITY_DB"), "visibility database URL (default: --db's database name + _visibility); env DUBAN_TEMPORAL_VISIBILITY_DB")
	fs.IntVar(&n.shards, "history-shards", 0, "history shards of a new cluster (default 4); fixed at creation: a different count on an existing cluster is refused")
	fs.IntVar(&n.maxConns, "db-max-conns", 10, "connections per pool; each of a node's 4 services keeps one pool per database")
	fs.StringVar(&n.broadcast, "broadcast-address", "", "IP other nodes and clients reach this node at (default --ip; required when --ip is 0.0.0.0)")
	fs.StringVar(&n.dynamicConfig, "dynamic-config", os.Getenv("DUBAN_TEMPORAL_DYNAMIC_CONFIG"), "Temporal dynamic-config YAML file; its keys override Duban's defaults (re-read every 10 s); env DUBAN_TEMPORAL_DYNAMIC_CONFIG")
	fs.IntVar(&n.historyPort, "history-port", 0, "history service gRPC port (default --port + 1)")
	fs.IntVar(&n.matchingPort, "matching-port", 0, "matching service gRPC port (default --port + 2)")
	fs.IntVar(&n.workerPort, "worker-port", 0, "worker service gRPC port (default --port + 6)")
	fs.IntVar(&n.mPort, "membership-port", 0, "frontend's membership (gossip) port (default --port - 300); history, matching and worker gossip on it + 1, + 2, + 6")
}

// ports lays out the node's eight ports and names, for each, the flag that sets it.
func (f temporalFlags) ports() (map[string]embedded.ServicePorts, map[int]string) {
	n := f.node
	grpc := map[string]int{"frontend": f.port, "history": n.historyPort, "matching": n.matchingPort, "worker": n.workerPort}
	mbase := n.mPort
	if mbase == 0 {
		mbase = f.port - membershipBelow
	}
	ports, flags := map[string]embedded.ServicePorts{}, map[int]string{}
	for _, s := range embedded.Services {
		flagName := "--" + s + "-port"
		if s == "frontend" {
			flagName = "--port"
		}
		if grpc[s] == 0 {
			grpc[s] = f.port + portOffsets[s]
		}
		m := mbase + portOffsets[s]
		ports[s] = embedded.ServicePorts{GRPC: grpc[s], Membership: m}
		flags[grpc[s]] = flagName + " (" + s + " gRPC)"
		flags[m] = fmt.Sprintf("--membership-port (%s membership, %d + %d)", s, mbase, portOffsets[s])
	}
	return ports, flags
}

// checkPorts fails naming the flag when a port is out of range, used twice, or taken.
func checkPorts(ip string, ports map[string]embedded.ServicePorts, flags map[int]string) error {
	seen := map[int]bool{}
	for _, s := range embedded.Services {
		for _, p := range []int{ports[s].GRPC, ports[s].Membership} {
			switch {
			case p <= 0 || p > 65535:
				return &exitError{2, fmt.Errorf("%s: port %d is out of range", flags[p], p)}
			case seen[p]:
				return &exitError{2, fmt.Errorf("%s: port %d is used twice by this node", flags[p], p)}
			}
			seen[p] = true
			l, err := net.Listen("tcp", net.JoinHostPort(ip, strconv.Itoa(p)))
			if err != nil {
				return fmt.Errorf("%s: %s is in use (or not an address of this machine): %w", flags[p], net.JoinHostPort(ip, strconv.Itoa(p)), err)
			}
			_ = l.Close()
		}
	}
	return nil
}

// runTemporalNode is `duban temporal --db`: one node of a cluster on a server database.
func runTemporalNode(ctx context.Context, f temporalFlags, set map[string]bool) error {
	n := f.node
	if _, err := embedded.ParseDBURL(n.db); err != nil {
		return &exitError{2, fmt.Errorf("--db: %w", err)}
	}
	if n.visibilityDB != "" {
		if _, err := embedded.ParseDBURL(n.visibilityDB); err != nil {
			return &exitError{2, fmt.Errorf("--visibility-db: %w", err)}
		}
	}
	if set["history-shards"] && n.shards < 1 {
		return &exitError{2, fmt.Errorf("--history-shards %d: want 1 or more", n.shards)}
	}
	if n.dynamicConfig != "" {
		if err := embedded.CheckDynamicConfig(n.dynamicConfig); err != nil {
			return &exitError{2, fmt.Errorf("--dynamic-config: %w", err)}
		}
	}
	if n.maxConns < 1 {
		return &exitError{2, fmt.Errorf("--db-max-conns %d: want 1 or more", n.maxConns)}
	}
	if ip := net.ParseIP(f.ip); ip == nil {
		return &exitError{2, fmt.Errorf("--ip %q: not an IP address", f.ip)}
	} else if ip.IsUnspecified() && n.broadcast == "" {
		return &exitError{2, fmt.Errorf("--broadcast-address is required with --ip %s: other nodes need an address to reach this one at", f.ip)}
	}
	if n.broadcast != "" && net.ParseIP(n.broadcast) == nil {
		return &exitError{2, fmt.Errorf("--broadcast-address %q: not an IP address", n.broadcast)}
	}
	ports, flags := f.ports()
	if err := checkPorts(f.ip, ports, flags); err != nil {
		return err
	}
	srv, err := embedded.StartNode(ctx, embedded.NodeOptions{
		DB: n.db, VisibilityDB: n.visibilityDB, MaxConns: n.maxConns, HistoryShards: int32(n.shards),
		BindIP: f.ip, BroadcastAddress: n.broadcast, Ports: ports, LogLevel: f.logLevel, DynamicConfig: n.dynamicConfig,
		Init: func(ctx context.Context, hostPort string) error { return registerNamespace(ctx, hostPort, f.namespace) },
	})
	var mismatch *embedded.ShardMismatchError
	if errors.As(err, &mismatch) {
		return fmt.Errorf("--history-shards %d: the cluster on %s was created with %d history shards; the count is fixed when a cluster is created (start with --history-shards %d, or leave the flag out)",
			mismatch.Asked, embedded.RedactURL(n.db), mismatch.Stored, mismatch.Stored)
	}
	var dbErr *embedded.DBError
	if errors.As(err, &dbErr) {
		flagName := "--db"
		if dbErr.Visibility {
			flagName = "--visibility-db"
		}
		return fmt.Errorf("%s: %w", flagName, err)
	}
	if err != nil {
		return err
	}
	fmt.Printf("Temporal node on %s (cluster on %s, %d history shards, namespace %s). Ctrl-C to stop.\n",
		srv.HostPort(), embedded.RedactURL(n.db), srv.HistoryShards(), f.namespace)
	<-ctx.Done()
	return srv.Stop()
}

// registerNamespace registers the namespace (30 days' retention, as `duban worker` would)
// and Duban's search attributes through the node's own frontend, retrying while it starts.
func registerNamespace(ctx context.Context, hostPort, namespace string) error {
	quiet := tlog.NewStructuredLogger(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	var err error
	for {
		var c client.Client
		if c, err = client.DialContext(ctx, client.Options{HostPort: hostPort, Namespace: namespace, Logger: quiet}); err == nil {
			err = worker.EnsureNamespace(ctx, c, namespace, true, 30*24*time.Hour)
			if err == nil {
				err = worker.EnsureSearchAttributes(ctx, c, namespace)
			}
			c.Close()
			if err == nil {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("register namespace %s on the new node: %w", namespace, err)
		case <-time.After(time.Second):
		}
	}
}
