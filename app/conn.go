package app

import (
	"context"
	"sync/atomic"

	"google.golang.org/grpc"
	"google.golang.org/grpc/connectivity"
)

// Conn watches the gRPC connection a Temporal client dials, so that the API can answer 503
// at once while the cluster is unreachable without an RPC of its own per action: gRPC
// marks the connection TRANSIENT_FAILURE when the server closes it or stops answering its
// keepalive pings, and READY again when it reconnects.
type Conn struct {
	cc atomic.Pointer[grpc.ClientConn]
}

// DialOption captures the client's connection from its first call (the SDK's dial makes
// one at once).
func (c *Conn) DialOption() grpc.DialOption {
	return grpc.WithUnaryInterceptor(func(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn,
		invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
		if c.cc.Load() == nil {
			c.cc.Store(cc)
		}
		return invoker(ctx, method, req, reply, cc, opts...)
	})
}

// Down reports that the connection is failing or closed. A connection not yet made, idle
// or reconnecting is not down: its next call finds out.
func (c *Conn) Down() bool {
	cc := c.cc.Load()
	if cc == nil {
		return false
	}
	s := cc.GetState()
	return s == connectivity.TransientFailure || s == connectivity.Shutdown
}
