package embedded

import (
	"fmt"
	"net"
	"strconv"
	"time"

	"go.temporal.io/server/common/cluster"
	"go.temporal.io/server/common/config"
)

// serverConfig is the static configuration of a single-node cluster named "active".
func serverConfig(o Options, sql, vis *config.SQL) (*config.Config, error) {
	front := net.JoinHostPort(o.IP, strconv.Itoa(o.Port))
	c := &config.Config{}
	c.Global.Membership = config.Membership{MaxJoinDuration: 30 * time.Second, BroadcastAddress: o.IP}
	c.Persistence = config.Persistence{
		DefaultStore:     "sqlite-default",
		VisibilityStore:  "sqlite-visibility",
		NumHistoryShards: 1,
		DataStores:       map[string]config.DataStore{"sqlite-default": {SQL: sql}, "sqlite-visibility": {SQL: vis}},
	}
	c.ClusterMetadata = &cluster.Config{
		FailoverVersionIncrement: 10,
		MasterClusterName:        "active",
		CurrentClusterName:       "active",
		ClusterInformation: map[string]cluster.ClusterInformation{
			"active": {Enabled: true, InitialFailoverVersion: 1, RPCAddress: front},
		},
	}
	c.DCRedirectionPolicy = config.DCRedirectionPolicy{Policy: "noop"}
	c.Services = map[string]config.Service{}
	for i, name := range []string{"frontend", "history", "matching", "worker"} {
		port := o.Port
		if i > 0 {
			p, err := freePort(o.IP)
			if err != nil {
				return nil, err
			}
			port = p
		}
		mport, err := freePort(o.IP)
		if err != nil {
			return nil, err
		}
		c.Services[name] = config.Service{RPC: config.RPC{GRPCPort: port, MembershipPort: mport, BindOnIP: o.IP}}
	}
	c.Archival.History.State = "disabled"
	c.Archival.Visibility.State = "disabled"
	c.NamespaceDefaults.Archival.History.State = "disabled"
	c.NamespaceDefaults.Archival.Visibility.State = "disabled"
	c.PublicClient = config.PublicClient{HostPort: front}
	return c, nil
}

func freePort(ip string) (int, error) {
	l, err := net.Listen("tcp", net.JoinHostPort(ip, "0"))
	if err != nil {
		return 0, fmt.Errorf("embedded temporal: no free port on %s: %w", ip, err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
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
