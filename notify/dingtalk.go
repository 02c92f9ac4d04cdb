package notify

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// DingTalk posts to a DingTalk (钉钉) custom group robot. Target.Endpoint is the robot's
// webhook URL (…/robot/send?access_token=…); Target.Secret, when set, is the robot's
// 加签 secret. Recipients are @-mentioned by Mobile, or by ChatID (DingTalk userId) when
// they have no mobile.
type DingTalk struct {
	Client *http.Client     // nil: a client with DefaultTimeout
	Now    func() time.Time // nil: time.Now; the signature is valid for one hour
}

// Name returns "dingtalk".
func (*DingTalk) Name() string { return "dingtalk" }

// dingTalkRateLimit is "send too fast" (more than 20 messages a minute).
const dingTalkRateLimit = 130101

// dingTalkBusy is "system busy".
const dingTalkBusy = -1

// dingTalkMax keeps the markdown text under the robot's 20000-byte limit.
const dingTalkMax = 18000

type dingTalkMessage struct {
	MsgType  string `json:"msgtype"`
	Markdown struct {
		Title string `json:"title"`
		Text  string `json:"text"`
	} `json:"markdown"`
	At struct {
		AtMobiles []string `json:"atMobiles"`
		AtUserIDs []string `json:"atUserIds,omitempty"`
		IsAtAll   bool     `json:"isAtAll"`
	} `json:"at"`
}

// Send posts m as a markdown message mentioning t.Recipients.
func (d *DingTalk) Send(ctx context.Context, m Message, t Target) error {
	if err := requireEndpoint(t); err != nil {
		return wrap(d.Name(), err)
	}
	var msg dingTalkMessage
	msg.MsgType = "markdown"
	msg.Markdown.Title = m.Title
	msg.At.AtMobiles = []string{}
	var mentions []string
	for _, r := range t.Recipients {
		switch {
		case r.Mobile != "":
			msg.At.AtMobiles = append(msg.At.AtMobiles, r.Mobile)
			mentions = append(mentions, "@"+r.Mobile)
		case r.ChatID != "":
			msg.At.AtUserIDs = append(msg.At.AtUserIDs, r.ChatID)
			mentions = append(mentions, "@"+r.ChatID)
		}
	}
	var b strings.Builder
	b.WriteString("### " + m.Title + "\n\n")
	if m.Body != "" {
		b.WriteString(m.Body + "\n\n")
	}
	if m.URL != "" {
		b.WriteString("[查看详情 / Open](" + m.URL + ")\n\n")
	}
	// The mentions must appear in the text for DingTalk to highlight them.
	msg.Markdown.Text = truncateBytes(b.String(), dingTalkMax) + strings.Join(mentions, " ")

	endpoint := t.Endpoint
	if t.Secret != "" {
		ts := strconv.FormatInt(nowOr(d.Now).UnixMilli(), 10)
		var err error
		endpoint, err = withQuery(endpoint, "timestamp", ts, "sign", hmacBase64(t.Secret, ts+"\n"+t.Secret))
		if err != nil {
			return wrap(d.Name(), err)
		}
	}
	body, err := json.Marshal(msg)
	if err != nil {
		return wrap(d.Name(), Permanent(err))
	}
	status, resp, err := post(ctx, d.Client, endpoint, "application/json; charset=utf-8", body, nil)
	if err != nil {
		return wrap(d.Name(), err)
	}
	return wrap(d.Name(), robotResult(status, resp, dingTalkRateLimit, dingTalkBusy))
}

func nowOr(now func() time.Time) time.Time {
	if now != nil {
		return now()
	}
	return time.Now()
}
