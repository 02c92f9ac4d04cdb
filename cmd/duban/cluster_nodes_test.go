package main

import (
	"context"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"os/exec"
	"strconv"
	"syscall"
	"testing"
	"time"

	"go.temporal.io/api/operatorservice/v1"
	"go.temporal.io/sdk/client"
	tlog "go.temporal.io/sdk/log"

	"github.com/dubanhq/duban/worker"
)

// quietSDK keeps the SDK's own log lines out of the test output.
var quietSDK = tlog.NewStructuredLogger(slog.New(slog.NewTextHandler(io.Discard, nil)))

// tnode is one `duban temporal --db` process, which a test may kill and start again on
// the same ports.
type tnode struct {
	args []string
	port int
	cmd  *exec.Cmd
}

// newNode lays out a node on a block of free ports: frontend P, history P+1, matching P+2,
// worker P+6 and membership 300 below each (the flags' defaults).
func newNode(t *testing.T, db string, shards int) *tnode {
	p := freePortBlock(t)
	return &tnode{port: p, args: []string{"temporal", "--db", db, "--port", strconv.Itoa(p),
		"--history-shards", strconv.Itoa(shards), "--db-max-conns", "5"}}
}

func (n *tnode) addr() string { return "127.0.0.1:" + strconv.Itoa(n.port) }

func (n *tnode) start(t *testing.T) { n.cmd = proc(t, nil, n.args...) }

// kill ends the node as a crash would.
func (n *tnode) kill(t *testing.T) {
	if err := n.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatalf("kill node %s: %v", n.addr(), err)
	}
	_, _ = n.cmd.Process.Wait()
}

// waitReady waits until the node's frontend answers with the namespace and every one of
// Duban's search attributes registered.
func (n *tnode) waitReady(t *testing.T, within time.Duration) {
	t.Helper()
	waitFor(t, "Temporal node "+n.addr()+" with Duban's search attributes", within, func() bool {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		c, err := client.DialContext(ctx, client.Options{HostPort: n.addr(), Namespace: "duban", Logger: quietSDK})
		if err != nil {
			return false
		}
		defer c.Close()
		resp, err := c.OperatorService().ListSearchAttributes(ctx, &operatorservice.ListSearchAttributesRequest{Namespace: "duban"})
		if err != nil {
			return false
		}
		for name, typ := range worker.SearchAttributes {
			if resp.GetCustomAttributes()[name] != typ {
				return false
			}
		}
		return true
	})
}

// startCluster starts n nodes at once on a new database and waits for all of them.
func startCluster(t *testing.T, db string, n, shards int) []*tnode {
	nodes := make([]*tnode, n)
	for i := range nodes {
		nodes[i] = newNode(t, db, shards)
	}
	for _, nd := range nodes {
		nd.start(t)
	}
	for _, nd := range nodes {
		nd.waitReady(t, 90*time.Second)
	}
	return nodes
}

// freePortBlock finds P (in 20300–25300: below the ephemeral range, and below the ports
// the embedded servers of tests running beside these pick, embedded.pickRange) with P…P+6 and
// P-300…P-294 all free on 127.0.0.1 and none handed out before by this test binary.
func freePortBlock(t *testing.T) int {
	handedMu.Lock() // a cluster's blocks are all chosen before its first node binds
	defer handedMu.Unlock()
	for range 200 {
		p := 20300 + rand.IntN(5000)
		block := []int{p, p + 1, p + 2, p + 6, p - 300, p - 299, p - 298, p - 294}
		ok := true
		for _, q := range block {
			if handed[q] {
				ok = false
				break
			}
			l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(q))
			if err != nil {
				ok = false
				break
			}
			_ = l.Close()
		}
		if ok {
			for _, q := range block {
				handed[q] = true
			}
			return p
		}
	}
	t.Fatal("no free block of ports for a Temporal node")
	return 0
}
