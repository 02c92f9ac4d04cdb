package embedded

import (
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
)

// A single node binds eight ports (gRPC and membership for four services) some time after
// it has chosen them, while its schema is set up. Ports from the kernel's ephemeral range
// (bind to port 0, then close) lose that race now and then: an outgoing connection of any
// process may be given the same port in between, and two picks in a row may even return the
// same port. CI saw it as one integration test's server failing to start. So the ports come
// from below the ephemeral range, which outgoing connections never use; each is held open
// until all are chosen, and none is handed out twice by one process.

var (
	handedMu sync.Mutex
	handed   = map[int]bool{}
)

// pickPorts chooses n distinct free TCP ports on ip.
func pickPorts(ip string, n int) ([]int, error) {
	lo, hi := pickRange()
	return pickFrom(ip, n, lo, hi)
}

// pickFrom chooses n distinct free TCP ports on ip in lo…hi-1.
func pickFrom(ip string, n, lo, hi int) ([]int, error) {
	handedMu.Lock()
	defer handedMu.Unlock()
	var held []net.Listener
	defer func() {
		for _, l := range held {
			_ = l.Close()
		}
	}()
	if len(handed) > (hi-lo)/2 {
		// Half the range handed out: the servers given the oldest have long bound them (or
		// stopped). Start the record afresh rather than run out.
		clear(handed)
	}
	ports := make([]int, 0, n)
	for tries := 0; len(ports) < n; tries++ {
		if tries == 2000 {
			return nil, fmt.Errorf("embedded temporal: no %d free ports on %s in %d–%d", n, ip, lo, hi-1)
		}
		p := lo + rand.IntN(hi-lo)
		if handed[p] {
			continue
		}
		l, err := net.Listen("tcp", net.JoinHostPort(ip, strconv.Itoa(p)))
		if err != nil {
			continue
		}
		held = append(held, l)
		handed[p] = true
		ports = append(ports, p)
	}
	return ports, nil
}

// pickRange is the range ports are picked from: the 6,000 ports below the kernel's
// ephemeral range (32768 by default on Linux, read from /proc where it is there). With the
// default range the 6,000 below those are left to the cluster tests of cmd/duban, which
// choose fixed blocks for nodes in other processes. A kernel whose ephemeral range starts
// at 2048 or lower leaves no room below it: then the ports come from 26768–32767, as if
// the range were the default, and the race this file avoids is back to what it was.
func pickRange() (lo, hi int) {
	hi = 32768
	if b, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range"); err == nil {
		if f := strings.Fields(string(b)); len(f) == 2 {
			if v, err := strconv.Atoi(f[0]); err == nil && v > 2048 {
				hi = v
			}
		}
	}
	lo = max(hi-6000, 1024)
	return lo, hi
}
