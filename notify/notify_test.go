package notify

import (
	"errors"
	"fmt"
	"slices"
	"testing"
)

func TestRegistry(t *testing.T) {
	r := NewRegistry(&WeCom{}, &DingTalk{})
	r.Register(&Feishu{})
	if got := r.Names(); !slices.Equal(got, []string{"dingtalk", "feishu", "wecom"}) {
		t.Errorf("Names = %v", got)
	}
	if c, ok := r.Get("feishu"); !ok || c.Name() != "feishu" {
		t.Errorf("Get(feishu) = %v, %v", c, ok)
	}
	if _, ok := r.Get("fax"); ok {
		t.Error("Get(fax) found something")
	}
	var zero Registry
	zero.Register(&Webhook{})
	if _, ok := zero.Get("webhook"); !ok {
		t.Error("zero Registry is not usable")
	}
	var _ Channel = &Email{}
	var _ Channel = &SMS{}
	var _ SMSProvider = &AliyunSMS{}
}

func TestPermanent(t *testing.T) {
	base := errors.New("boom")
	if Permanent(nil) != nil || IsPermanent(nil) || IsPermanent(base) {
		t.Error("nil or plain errors")
	}
	p := Permanent(base)
	wrapped := fmt.Errorf("dingtalk: %w", p)
	if !IsPermanent(p) || !IsPermanent(wrapped) || !errors.Is(wrapped, base) || p.Error() != "boom" {
		t.Errorf("Permanent(%v) = %v", base, wrapped)
	}
	if Permanent(p) != p {
		t.Error("Permanent wraps twice")
	}
}

func TestTruncateBytes(t *testing.T) {
	s := truncateBytes("督办督办督办", 10)
	if len(s) > 10 || s != "督办…" {
		t.Errorf("truncateBytes = %q (%d bytes)", s, len(s))
	}
	if truncateRunes("abcdef", 4) != "abc…" || truncateRunes("abc", 4) != "abc" {
		t.Error("truncateRunes")
	}
}
