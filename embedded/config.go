package embedded

import (
	"net"
	"strconv"
	"time"

	"go.temporal.io/server/common/cluster"
	"go.temporal.io/server/common/config"
)

// clusterName is the name every cluster Duban runs gives itself.
const clusterName = "active"

// serverConfig is the static configuration of a single-node cluster on SQLite.
func serverConfig(o Options, sql, vis *config.SQL) (*config.Config, error) {
	front := net.JoinHostPort(o.IP, strconv.Itoa(o.Port))
	c := baseConfig(front, 1, "sqlite", sql, vis)
	c.Global.Membership = config.Membership{MaxJoinDuration: 30 * time.Second, BroadcastAddress: o.IP}
	// Seven ports besides the frontend's: gRPC for three services, membership for four.
	ports, err := pickPorts(o.IP, 7)
	if err != nil {
		return nil, err
	}
	grpc, membership := append([]int{o.Port}, ports[:3]...), ports[3:]
	for i, name := range []string{"frontend", "history", "matching", "worker"} {
		c.Services[name] = config.Service{RPC: config.RPC{GRPCPort: grpc[i], MembershipPort: membership[i], BindOnIP: o.IP}}
	}
	c.PublicClient = config.PublicClient{HostPort: front}
	return c, nil
}

// baseConfig is what single nodes and cluster nodes share: one cluster named clusterName
// whose frontend is at front, shards history shards, stores named after kind, no archival.
func baseConfig(front string, shards int32, kind string, sql, vis *config.SQL) *config.Config {
	c := &config.Config{}
	c.Persistence = config.Persistence{
		DefaultStore:     kind + "-default",
		VisibilityStore:  kind + "-visibility",
		NumHistoryShards: shards,
		DataStores:       map[string]config.DataStore{kind + "-default": {SQL: sql}, kind + "-visibility": {SQL: vis}},
	}
	c.ClusterMetadata = &cluster.Config{
		FailoverVersionIncrement: 10,
		MasterClusterName:        clusterName,
		CurrentClusterName:       clusterName,
		ClusterInformation: map[string]cluster.ClusterInformation{
			clusterName: {Enabled: true, InitialFailoverVersion: 1, RPCAddress: front},
		},
	}
	c.DCRedirectionPolicy = config.DCRedirectionPolicy{Policy: "noop"}
	c.Services = map[string]config.Service{}
	c.Archival.History.State = "disabled"
	c.Archival.Visibility.State = "disabled"
	c.NamespaceDefaults.Archival.History.State = "disabled"
	c.NamespaceDefaults.Archival.Visibility.State = "disabled"
	return c
}

func portFree(ip string, port int) error {
	l, err := net.Listen("tcp", net.JoinHostPort(ip, strconv.Itoa(port)))
	if err != nil {
		return err
	}
	return l.Close()
}

func splitPort(hostPort string) (string, int) {
	h, p, _ := net.SplitHostPort(hostPort)
	n, _ := strconv.Atoi(p)
	return h, n
}
