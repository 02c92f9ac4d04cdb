// Package notify delivers messages over Duban's notification channels (通知渠道): email,
// the DingTalk, WeCom and Feishu group robots, a signed generic webhook and SMS. It is pure
// delivery: it knows nothing of the database or Temporal. The caller (the notifier
// activity) chooses the channel and recipients, computes a stable Message.ID, records the
// outcome and decides whether to retry by asking IsPermanent.
package notify

import (
	"context"
	"net/http"
	"sort"
	"sync"
	"time"
)

// Message is one notification ready to send. ID is stable across retries (event id +
// recipient + channel, computed by the caller) so receivers that can dedupe do.
type Message struct {
	ID    string
	Kind  string // reminder, escalation, assigned, digest, test…
	Level string // "L1".."L4" for escalations, else ""
	Title string
	Body  string
	URL   string // link back to the item in the web UI, optional
	At    time.Time
}

// Recipient is one person a message is for. Channels use the field they address by:
// Email for email, Mobile for SMS and DingTalk/WeCom mentions, ChatID for a platform user
// id (WeCom userid, Feishu open_id, DingTalk userId).
type Recipient struct {
	UserID int64
	Name   string
	Email  string
	Mobile string
	ChatID string
}

// Target is where a message goes on one channel. Endpoint is the robot or webhook URL,
// Secret its signing secret; Extra carries channel-specific options.
type Target struct {
	Channel    string
	Recipients []Recipient
	Endpoint   string
	Secret     string
	Extra      map[string]string
}

// Channel sends a message to a target. Send returns nil once the platform accepted the
// message; an error wrapped by Permanent means retrying cannot help.
type Channel interface {
	Name() string
	Send(ctx context.Context, m Message, t Target) error
}

// Registry maps channel names to channels; it is safe for concurrent use.
type Registry struct {
	mu sync.RWMutex
	m  map[string]Channel
}

// NewRegistry returns a registry holding chs.
func NewRegistry(chs ...Channel) *Registry {
	r := &Registry{m: map[string]Channel{}}
	for _, c := range chs {
		r.Register(c)
	}
	return r
}

// Register adds c under c.Name(), replacing any channel of that name.
func (r *Registry) Register(c Channel) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.m == nil {
		r.m = map[string]Channel{}
	}
	r.m[c.Name()] = c
}

// Get returns the channel registered under name.
func (r *Registry) Get(name string) (Channel, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	c, ok := r.m[name]
	return c, ok
}

// Names lists the registered channel names in sorted order.
func (r *Registry) Names() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	names := make([]string, 0, len(r.m))
	for n := range r.m {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// DefaultTimeout bounds one HTTP delivery when a channel is given no client.
const DefaultTimeout = 10 * time.Second

// defaultClient is what a channel given no client uses: public addresses only.
var defaultClient = NewClient(nil, DefaultTimeout)

func clientOr(c *http.Client) *http.Client {
	if c != nil {
		return c
	}
	return defaultClient
}
