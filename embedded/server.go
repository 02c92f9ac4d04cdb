// Package embedded runs a real Temporal server (all four services) in-process. On SQLite
// (a file or memory) it is one node, for `duban dev` and the integration tests, with Duban's
// namespace and search attributes registered before the first client connects. On
// PostgreSQL or MySQL 8 it is one node of a cluster (StartNode), for `duban temporal`: any
// number of nodes on one database find each other and share the history shards.
package embedded

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/server/common/config"
	"go.temporal.io/server/common/dynamicconfig"
	"go.temporal.io/server/common/log"
	"go.temporal.io/server/common/membership/static"
	sqliteplugin "go.temporal.io/server/common/persistence/sql/sqlplugin/sqlite"
	"go.temporal.io/server/common/primitives"
	sqliteschema "go.temporal.io/server/schema/sqlite"
	"go.temporal.io/server/temporal"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"google.golang.org/protobuf/types/known/durationpb"
)

// Options configures the embedded server.
type Options struct {
	// DBFile is the SQLite file holding Temporal's state; empty keeps state in memory.
	DBFile string
	// IP and Port of the frontend (gRPC). Port 0 picks a free port.
	IP   string
	Port int
	// Namespace to register (idempotent).
	Namespace string
	// SearchAttributes registered on the namespace at creation.
	SearchAttributes map[string]enumspb.IndexedValueType
	// LogLevel of the server's own log: debug, info, warn, error. Default warn.
	LogLevel string
}

// Server is a running embedded Temporal server.
type Server struct {
	srv      temporal.Server
	hostPort string
	shards   int32
	cp       *checkpointer
	stopping zap.AtomicLevel
	done     chan any // stops a node's dynamic-config file reloading; nil without one
}

// burstConfig is the dynamic configuration the embedded server and every cluster node run
// with, sized for a storm of reminders: a monthly report day puts thousands of timers due
// in the same minute on a host's shards. Past Temporal's defaults (9,000 pending tasks
// critical, 10,000 max, sized for a host of many idle shards) the queue unloads tasks and
// loads them again 100 at a time: on the embedded server the last 4,000 of a 10,000 burst
// went out at exactly 100/s. The frontend's per-namespace limits are raised for the same
// bursts of workflow tasks and visibility queries. The host's cache of workflow state keeps
// Temporal's default (128,000 workflows): at 16,384, with 12,000 workflows on a node, the
// storm's timer tasks read each workflow's state back from PostgreSQL (an eighth of the
// node's CPU) and the node drained 60 reminders/s; at the default, 134/s.
func burstConfig() dynamicconfig.StaticClient {
	return dynamicconfig.StaticClient{
		dynamicconfig.FrontendMaxNamespaceVisibilityRPSPerInstance.Key(): 1000,
		dynamicconfig.FrontendMaxNamespaceRPSPerInstance.Key():           20000,
		dynamicconfig.QueuePendingTaskCriticalCount.Key():                100000,
		dynamicconfig.QueuePendingTaskMaxCount.Key():                     120000,
		dynamicconfig.TimerTaskBatchSize.Key():                           1000,
	}
}

// quietLogger builds a server's log at level (with zap options opts) and the level that
// Quiet raises once the server begins to stop.
func quietLogger(level string, opts ...zap.Option) (log.Logger, zap.AtomicLevel) {
	stopping := zap.NewAtomicLevelAt(zap.DebugLevel)
	opts = append(opts, zap.WrapCore(func(c zapcore.Core) zapcore.Core { return quietCore{c, stopping} }))
	return log.NewZapLogger(log.BuildZapLogger(log.Config{Level: level, Format: "console"}).WithOptions(opts...)), stopping
}

// Quiet silences the server's log from now on (fatal only): call it when the process
// begins to stop, as the workers' polls and the services' connections then fail by design
// and each failure is logged, some with a stack.
func (s *Server) Quiet() { s.stopping.SetLevel(zap.FatalLevel) }

// quietCore passes on what both the server's configured level and the stopping level
// enable.
type quietCore struct {
	zapcore.Core
	min zap.AtomicLevel
}

func (c quietCore) Enabled(l zapcore.Level) bool { return c.min.Enabled(l) && c.Core.Enabled(l) }

func (c quietCore) With(fs []zapcore.Field) zapcore.Core { return quietCore{c.Core.With(fs), c.min} }

func (c quietCore) Check(e zapcore.Entry, ce *zapcore.CheckedEntry) *zapcore.CheckedEntry {
	if !c.min.Enabled(e.Level) {
		return ce
	}
	return c.Core.Check(e, ce)
}

// Start builds and starts the server. It fails with a clear message when the port is taken.
func Start(o Options) (*Server, error) {
	if o.IP == "" {
		o.IP = "127.0.0.1"
	}
	if o.LogLevel == "" {
		o.LogLevel = "warn"
	}
	if o.Port == 0 {
		p, err := pickPorts(o.IP, 1)
		if err != nil {
			return nil, err
		}
		o.Port = p[0]
	} else if err := portFree(o.IP, o.Port); err != nil {
		return nil, fmt.Errorf("embedded temporal: port %d on %s is in use (set temporal.embedded_port / DUBAN_TEMPORAL_EMBEDDED_PORT): %w", o.Port, o.IP, err)
	}
	_, statErr := os.Stat(o.DBFile)
	fresh := os.IsNotExist(statErr)
	sqlConf, err := sqlConfig(o)
	if err != nil {
		return nil, err
	}
	visConf, err := visibilityConfig(o, sqlConf, fresh)
	if err != nil {
		return nil, err
	}
	if o.DBFile != "" {
		if err := pruneVisibilityIndexes(visConf.DatabaseName); err != nil {
			return nil, err
		}
	}
	conf, err := serverConfig(o, sqlConf, visConf)
	if err != nil {
		return nil, err
	}
	hosts := map[primitives.ServiceName]static.Hosts{}
	for name, svc := range conf.Services {
		hosts[primitives.ServiceName(name)] = static.SingleLocalHost(net.JoinHostPort(o.IP, strconv.Itoa(svc.RPC.GRPCPort)))
	}
	// The log goes quiet once the process begins to stop (Quiet).
	logger, stopping := quietLogger(o.LogLevel)
	dyn := burstConfig()
	// Visibility has one SQLite connection: 512 workers (the default) queue on it past the
	// 3 s task timeout under load, and every timed-out write is done again. 64 keep it busy
	// without timeouts (launch 49 → 70 items/s at 1,000 items).
	dyn[dynamicconfig.VisibilityProcessorSchedulerWorkerCount.Key()] = 64
	srv, err := temporal.NewServer(
		temporal.WithConfig(conf),
		temporal.ForServices(temporal.DefaultServices),
		temporal.WithStaticHosts(hosts),
		temporal.WithLogger(logger),
		temporal.WithDynamicConfigClient(dyn),
	)
	if err != nil {
		return nil, fmt.Errorf("embedded temporal: %w", err)
	}
	if err := srv.Start(); err != nil {
		return nil, fmt.Errorf("embedded temporal: start: %w", err)
	}
	s := &Server{srv: srv, hostPort: net.JoinHostPort(o.IP, strconv.Itoa(o.Port)), shards: 1, stopping: stopping}
	if o.DBFile != "" {
		files := []string{sqlConf.DatabaseName}
		if visConf.DatabaseName != sqlConf.DatabaseName {
			files = append(files, visConf.DatabaseName)
		}
		cp, err := startCheckpointer(files, logger)
		if err != nil {
			_ = srv.Stop()
			return nil, err
		}
		s.cp = cp
	}
	return s, nil
}

// HostPort is the frontend address clients dial.
func (s *Server) HostPort() string { return s.hostPort }

// HistoryShards is the cluster's shard count.
func (s *Server) HistoryShards() int32 { return s.shards }

// Stop shuts the server down, then checkpoints its files one last time.
func (s *Server) Stop() error {
	s.Quiet()
	err := s.srv.Stop()
	if s.done != nil {
		close(s.done)
	}
	if s.cp != nil {
		s.cp.stop()
	}
	return err
}

// visibilityConfig puts Temporal's visibility records (what lists and counts workflows) in
// a file of their own beside the main one: the SQLite plugin gives each file one
// connection, and visibility writes then stop queueing behind every workflow transition.
// A data directory that already holds visibility in the main file keeps it there.
func visibilityConfig(o Options, main *config.SQL, fresh bool) (*config.SQL, error) {
	if o.DBFile == "" {
		return main, nil
	}
	vis := strings.TrimSuffix(o.DBFile, filepath.Ext(o.DBFile)) + "-visibility" + filepath.Ext(o.DBFile)
	_, visErr := os.Stat(vis)
	if !fresh && os.IsNotExist(visErr) {
		return main, nil
	}
	c := *main
	c.ConnectAttributes = maps.Clone(main.ConnectAttributes)
	c.DatabaseName = vis
	if os.IsNotExist(visErr) {
		if err := sqliteschema.SetupSchema(&c); err != nil {
			return nil, fmt.Errorf("embedded temporal: set up visibility schema: %w", err)
		}
	}
	return &c, nil
}

func sqlConfig(o Options) (*config.SQL, error) {
	c := &config.SQL{PluginName: sqliteplugin.PluginName, ConnectAttributes: map[string]string{}}
	if o.DBFile == "" {
		c.ConnectAttributes["mode"] = "memory"
		c.ConnectAttributes["cache"] = "shared"
		c.DatabaseName = fmt.Sprintf("duban-%d", rand.Int64())
	} else {
		c.ConnectAttributes["mode"] = "rwc"
		// WAL with synchronous=normal: about 3x the throughput of the defaults, and a
		// committed transaction survives a process crash.
		c.ConnectAttributes["journal_mode"] = "wal"
		c.ConnectAttributes["synchronous"] = "normal"
		c.ConnectAttributes["busy_timeout"] = "10000"
		// A 64 MiB page cache (SQLite's default is 2 MiB): at 10,000 items the file is
		// hundreds of megabytes and every transition reads its pages again.
		c.ConnectAttributes["cache_size"] = "-65536"
		// Checkpoints run beside Temporal's connection (see checkpointer); its own commits
		// checkpoint only at this length, briefly, and so let the log start over.
		c.ConnectAttributes["wal_autocheckpoint"] = strconv.Itoa(autoCheckpointPages)
		c.DatabaseName = o.DBFile
		if err := os.MkdirAll(filepath.Dir(o.DBFile), 0o750); err != nil {
			return nil, fmt.Errorf("embedded temporal: %w", err)
		}
	}
	// A memory database is set up by the plugin itself; a new file needs the schema.
	if _, err := os.Stat(o.DBFile); o.DBFile != "" && os.IsNotExist(err) {
		if err := sqliteschema.SetupSchema(c); err != nil {
			return nil, fmt.Errorf("embedded temporal: set up schema: %w", err)
		}
	}
	ns, err := sqliteschema.NewNamespaceConfig(clusterName, o.Namespace, false, o.SearchAttributes)
	if err != nil {
		return nil, fmt.Errorf("embedded temporal: namespace: %w", err)
	}
	ns.Detail.Config.Retention = durationpb.New(7 * 24 * time.Hour)
	if err := sqliteschema.CreateNamespaces(c, ns); err != nil {
		return nil, fmt.Errorf("embedded temporal: create namespace: %w", err)
	}
	return c, nil
}
