package notify

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"syscall"
	"time"
)

// Outgoing HTTP (robots, webhooks, the SMS API) goes only to public addresses: an address a
// user or admin types into a contact point must not reach the server's own loopback, the
// cloud metadata service (169.254.169.254) or the private network behind it (SSRF). The
// check runs when the connection is made, on the address actually dialled, so a name that
// resolves to a public address when saved and a private one when used (DNS rebinding) is
// caught too, and so is every redirect. Hosts an admin names in notify.allowed_hosts (an
// intranet robot gateway, a proxy, 127.0.0.1 in tests) are exempt.

// ErrBlockedAddress is a delivery refused because its address is not public.
var ErrBlockedAddress = errors.New("address not allowed: loopback, link-local and private networks are blocked (notify.allowed_hosts)")

// Allow is a list of hosts exempt from the address check: names (matched case-insensitively
// against the URL's host), IP addresses and CIDR ranges.
type Allow struct {
	names map[string]bool
	nets  []netip.Prefix
}

// ParseAllow reads notify.allowed_hosts entries: "hooks.intranet.gov.cn", "10.1.2.3",
// "10.0.0.0/8", "::1".
func ParseAllow(entries []string) (*Allow, error) {
	a := &Allow{names: map[string]bool{}}
	for _, e := range entries {
		e = strings.TrimSpace(e)
		switch {
		case e == "":
		case strings.Contains(e, "/"):
			p, err := netip.ParsePrefix(e)
			if err != nil {
				return nil, fmt.Errorf("allowed host %q: %w", e, err)
			}
			a.nets = append(a.nets, p.Masked())
		default:
			if ip, err := netip.ParseAddr(strings.Trim(e, "[]")); err == nil {
				a.nets = append(a.nets, netip.PrefixFrom(ip.Unmap(), ip.Unmap().BitLen()))
				continue
			}
			a.names[strings.ToLower(strings.TrimSuffix(e, "."))] = true
		}
	}
	return a, nil
}

// Allows reports whether the host, by name or by the address it resolved to, is exempt.
func (a *Allow) Allows(host string, ip netip.Addr) bool {
	return a.name(host) || a.addr(ip.Unmap())
}

func (a *Allow) name(host string) bool {
	return a != nil && a.names[strings.ToLower(strings.TrimSuffix(host, "."))]
}

func (a *Allow) addr(ip netip.Addr) bool {
	if a == nil {
		return false
	}
	for _, p := range a.nets {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

var cgnat = netip.MustParsePrefix("100.64.0.0/10")

// Public reports whether ip is a public unicast address: not loopback, private (10/8,
// 172.16/12, 192.168/16, fc00::/7), link-local (169.254/16, fe80::/10), shared (100.64/10),
// unspecified or multicast.
func Public(ip netip.Addr) bool {
	ip = ip.Unmap()
	return ip.IsValid() && !ip.IsLoopback() && !ip.IsPrivate() && !ip.IsLinkLocalUnicast() &&
		!ip.IsLinkLocalMulticast() && !ip.IsInterfaceLocalMulticast() && !ip.IsMulticast() &&
		!ip.IsUnspecified() && !cgnat.Contains(ip)
}

// NewClient returns an HTTP client for deliveries that dials only public addresses and the
// allowed hosts, with timeout bounding each request.
func NewClient(allow *Allow, timeout time.Duration) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.DialContext = GuardedDialer(allow)
	return &http.Client{Timeout: timeout, Transport: tr}
}

// GuardedDialer is a DialContext that refuses non-public addresses at connect time unless
// the host dialled, or the address it resolved to, is allowed.
func GuardedDialer(allow *Allow) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, _, err := net.SplitHostPort(addr)
		if err != nil {
			return nil, err
		}
		d := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}
		if !allow.name(host) {
			d.Control = func(_, address string, _ syscall.RawConn) error {
				ap, err := netip.ParseAddrPort(address)
				if err != nil {
					return ErrBlockedAddress
				}
				if ip := ap.Addr().Unmap(); !Public(ip) && !allow.addr(ip) {
					return ErrBlockedAddress
				}
				return nil
			}
		}
		conn, err := d.DialContext(ctx, network, addr)
		if errors.Is(err, ErrBlockedAddress) {
			return nil, Permanent(ErrBlockedAddress)
		}
		return conn, err
	}
}
