package embedded

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"time"

	"go.temporal.io/server/common/config"
	"go.temporal.io/server/temporal"
	"go.uber.org/zap"
)

// Services are the four Temporal services every node runs, in Temporal's order.
var Services = []string{"frontend", "history", "matching", "worker"}

// ServicePorts are one service's listening ports: gRPC for calls, membership for the
// ringpop gossip through which nodes find each other.
type ServicePorts struct {
	GRPC, Membership int
}

// NodeOptions configures one node of a Temporal cluster on a server database.
type NodeOptions struct {
	// DB is Temporal's database: postgres://USER[:PASSWORD]@HOST:PORT/DB[?sslmode=disable]
	// or mysql://USER[:PASSWORD]@HOST:PORT/DB (MySQL 8). Created when missing.
	DB string
	// VisibilityDB holds the visibility records; empty means a database named after DB's
	// with "_visibility" appended, on the same server.
	VisibilityDB string
	// MaxConns bounds each connection pool (every service keeps one per database).
	MaxConns int
	// HistoryShards for a new cluster; an existing cluster keeps the count it was created
	// with, and a different non-zero value here is refused (*ShardMismatchError). 0 means
	// the stored count, or DefaultHistoryShards for a new cluster.
	HistoryShards int32
	// BindIP the services listen on; BroadcastAddress is where other nodes and clients
	// reach this one (required when BindIP is 0.0.0.0 or ::).
	BindIP, BroadcastAddress string
	// Ports per service name (Services); every service needs both ports.
	Ports map[string]ServicePorts
	// LogLevel of the server's own log: debug, info, warn, error. Default warn.
	LogLevel string
	// DynamicConfig is the path of a Temporal dynamic-config YAML file whose settings
	// override Duban's defaults (burstConfig) key by key; empty: the defaults alone.
	DynamicConfig string
	// Init runs once the frontend answers and before other nodes may start (the set-up lock
	// is still held): the place to register the namespace and its search attributes, which
	// two nodes doing at once would race.
	Init func(ctx context.Context, hostPort string) error
}

// DBError is a failure to use one of the node's databases: the main one, or the one
// holding visibility records.
type DBError struct {
	Visibility bool
	Err        error
}

func (e *DBError) Error() string { return e.Err.Error() }
func (e *DBError) Unwrap() error { return e.Err }

// StartNode sets up the database if need be and starts one node of the cluster. Nodes find
// each other through the database's cluster_membership table, so any number started on one
// database form one cluster.
func StartNode(ctx context.Context, o NodeOptions) (*Server, error) {
	if o.LogLevel == "" {
		o.LogLevel = "warn"
	}
	// Without stack traces: a node logs an error line whenever a peer goes away, and
	// thirty lines of stack each time bury what matters.
	// The log goes quiet once the node stops, as the embedded server's does.
	logger, stopping := quietLogger(o.LogLevel, zap.AddStacktrace(zap.FatalLevel))
	main, err := ParseDBURL(o.DB)
	if err != nil {
		return nil, &DBError{Err: err}
	}
	vis, err := visibilitySQL(main, o.VisibilityDB)
	if err != nil {
		return nil, &DBError{Visibility: true, Err: err}
	}
	if vis.PluginName != main.PluginName {
		return nil, &DBError{Visibility: true, Err: fmt.Errorf("%s is not on the same kind of server as %s", describe(vis), describe(main))}
	}
	for _, c := range []*config.SQL{main, vis} {
		c.MaxConns, c.MaxIdleConns, c.MaxConnLifetime = o.MaxConns, o.MaxConns, time.Hour
	}
	if err := ensureDatabase(main, logger); err != nil {
		return nil, &DBError{Err: err}
	}
	lock, err := lockSetup(ctx, main, logger)
	if err != nil {
		return nil, &DBError{Err: err}
	}
	defer lock.unlock()
	if err := ensureDatabase(vis, logger); err != nil {
		return nil, &DBError{Visibility: true, Err: err}
	}
	dirs := schemaDirs[main.PluginName]
	if err := upgradeSchema(main, dirs.main, logger); err != nil {
		return nil, &DBError{Err: err}
	}
	if err := upgradeSchema(vis, dirs.visibility, logger); err != nil {
		return nil, &DBError{Visibility: true, Err: err}
	}
	stored, err := storedShardCount(ctx, main, logger)
	if err != nil {
		return nil, &DBError{Err: err}
	}
	shards, err := shardCount(stored, o.HistoryShards)
	if err != nil {
		return nil, err
	}
	conf, err := nodeConfig(o, shards, main, vis)
	if err != nil {
		return nil, err
	}
	done := make(chan any)
	dyn, err := dynamicConfig(o.DynamicConfig, nodeConfigDefaults(), logger, done)
	if err != nil {
		return nil, err
	}
	srv, err := temporal.NewServer(
		temporal.WithConfig(conf),
		temporal.ForServices(temporal.DefaultServices),
		temporal.WithLogger(logger),
		temporal.WithDynamicConfigClient(dyn),
	)
	if err != nil {
		close(done)
		return nil, fmt.Errorf("temporal node: %w", err)
	}
	if err := srv.Start(); err != nil {
		close(done)
		return nil, fmt.Errorf("temporal node: start: %w", err)
	}
	s := &Server{srv: srv, hostPort: conf.ClusterMetadata.ClusterInformation[clusterName].RPCAddress, shards: shards, done: done, stopping: stopping}
	if o.Init != nil {
		if err := o.Init(ctx, s.hostPort); err != nil {
			_ = s.Stop()
			return nil, err
		}
	}
	return s, nil
}

// nodeConfig is the static configuration of one node: no static host list, so membership
// is ringpop's, seeded from the hosts recorded in the database.
func nodeConfig(o NodeOptions, shards int32, main, vis *config.SQL) (*config.Config, error) {
	broadcast := o.BroadcastAddress
	if broadcast == "" {
		broadcast = o.BindIP
	}
	if ip := net.ParseIP(broadcast); ip == nil || ip.IsUnspecified() {
		return nil, fmt.Errorf("broadcast address %q: want the IP other nodes reach this one at", broadcast)
	}
	front := net.JoinHostPort(broadcast, strconv.Itoa(o.Ports["frontend"].GRPC))
	c := baseConfig(front, shards, "sql", main, vis)
	c.Global.Membership = config.Membership{MaxJoinDuration: 30 * time.Second, BroadcastAddress: broadcast}
	for _, name := range Services {
		p, ok := o.Ports[name]
		if !ok || p.GRPC == 0 || p.Membership == 0 {
			return nil, fmt.Errorf("no ports for the %s service", name)
		}
		c.Services[name] = config.Service{RPC: config.RPC{GRPCPort: p.GRPC, MembershipPort: p.Membership, BindOnIP: o.BindIP}}
	}
	return c, nil
}
