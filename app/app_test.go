package app

import "testing"

// TestLoopbackOnly: only a Temporal on this machine is dialled without gzip.
func TestLoopbackOnly(t *testing.T) {
	for hp, want := range map[string]bool{
		"127.0.0.1:7233":           true,
		"[::1]:7233":               true,
		"localhost:7233":           true,
		"10.0.0.5:7233":            false,
		"temporal.example.cn:7233": false,
		"temporal-frontend:7233":   false,
		"not a host and port":      false,
	} {
		if got := loopback(hp); got != want {
			t.Errorf("loopback(%q) = %v, want %v", hp, got, want)
		}
	}
}
