package embedded

import (
	"net"
	"strconv"
	"strings"
	"testing"
)

// The ports a node binds are distinct, free, and never from the ephemeral range that the
// kernel gives outgoing connections (where another process could take one before the node
// binds it); one process never hands the same port out twice.
func TestPickPortsDistinctFreeAndBelowTheEphemeralRange(t *testing.T) {
	_, hi := pickRange()
	seen := map[int]bool{}
	for range 40 {
		ports, err := pickPorts("127.0.0.1", 8)
		if err != nil {
			t.Fatal(err)
		}
		if len(ports) != 8 {
			t.Fatalf("asked for 8 ports, got %v", ports)
		}
		for _, p := range ports {
			if seen[p] {
				t.Fatalf("port %d handed out twice", p)
			}
			seen[p] = true
			if p >= hi || p < 1024 {
				t.Fatalf("port %d is outside 1024–%d", p, hi-1)
			}
			l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(p)))
			if err != nil {
				t.Fatalf("port %d handed out but not free: %v", p, err)
			}
			_ = l.Close()
		}
	}
}

// A port some other program listens on is passed over, and a range with too few free
// ports is refused with a message naming the range.
func TestPickPortsSkipsTakenPorts(t *testing.T) {
	// A window of 20 ports below the range pickPorts uses, so the other test's ports are
	// not in it; every other port of the window is taken.
	base, _ := pickRange()
	var lo int
	var taken []net.Listener
	defer func() {
		for _, l := range taken {
			_ = l.Close()
		}
	}()
	for w := 1; w <= 10 && lo == 0; w++ {
		lo = base - 100*w
		for p := lo; p < lo+20; p += 2 {
			l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(p)))
			if err != nil { // in use on this machine: try the next window
				lo = 0
				break
			}
			taken = append(taken, l)
		}
		if lo == 0 {
			for _, l := range taken {
				_ = l.Close()
			}
			taken = nil
		}
	}
	if lo == 0 {
		t.Fatal("no window of 20 free ports below the picking range")
	}
	ports, err := pickFrom("127.0.0.1", 7, lo, lo+20)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ports {
		if (p-lo)%2 == 0 {
			t.Fatalf("port %d is held by another listener", p)
		}
	}
	// Three odd ports of the ten are left: eight cannot be had.
	if _, err := pickFrom("127.0.0.1", 8, lo, lo+20); err == nil || !strings.Contains(err.Error(), strconv.Itoa(lo)) {
		t.Fatalf("want a refusal naming the range, got %v", err)
	}
}
