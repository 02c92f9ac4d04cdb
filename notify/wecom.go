package notify

import (
	"context"
	"encoding/json"
	"net/http"
)

// WeCom posts to a WeCom (企业微信) group robot. Target.Endpoint is the robot's webhook URL
// (…/cgi-bin/webhook/send?key=…); WeCom robots are not signed. Recipients are
// @-mentioned by ChatID (WeCom userid), or by Mobile when they have no userid.
type WeCom struct {
	Client *http.Client // nil: a client with DefaultTimeout
}

// Name returns "wecom".
func (*WeCom) Name() string { return "wecom" }

const (
	weComRateLimit = 45009 // API frequency limit: 20 messages a minute per robot
	weComBusy      = -1    // system busy
	weComMax       = 2048  // text content limit in bytes
)

type weComMessage struct {
	MsgType string `json:"msgtype"`
	Text    struct {
		Content             string   `json:"content"`
		MentionedList       []string `json:"mentioned_list,omitempty"`
		MentionedMobileList []string `json:"mentioned_mobile_list,omitempty"`
	} `json:"text"`
}

// Send posts m as a text message mentioning t.Recipients.
func (w *WeCom) Send(ctx context.Context, m Message, t Target) error {
	if err := requireEndpoint(t); err != nil {
		return wrap(w.Name(), err)
	}
	var msg weComMessage
	msg.MsgType = "text"
	msg.Text.Content = truncateBytes(plainText(m), weComMax)
	for _, r := range t.Recipients {
		switch {
		case r.ChatID != "":
			msg.Text.MentionedList = append(msg.Text.MentionedList, r.ChatID)
		case r.Mobile != "":
			msg.Text.MentionedMobileList = append(msg.Text.MentionedMobileList, r.Mobile)
		}
	}
	body, err := json.Marshal(msg)
	if err != nil {
		return wrap(w.Name(), Permanent(err))
	}
	status, resp, err := post(ctx, w.Client, t.Endpoint, "application/json; charset=utf-8", body, nil)
	if err != nil {
		return wrap(w.Name(), err)
	}
	return wrap(w.Name(), robotResult(status, resp, weComRateLimit, weComBusy))
}
