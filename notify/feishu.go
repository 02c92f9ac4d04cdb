package notify

import (
	"context"
	"encoding/json"
	"html"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Feishu posts to a Feishu/Lark (飞书) custom bot. Target.Endpoint is the bot's webhook URL
// (…/open-apis/bot/v2/hook/…); Target.Secret, when set, is its 签名校验 secret.
// Recipients with a ChatID (open_id, "ou_…") are @-mentioned.
type Feishu struct {
	Client *http.Client     // nil: a client with DefaultTimeout
	Now    func() time.Time // nil: time.Now; the signature is valid for one hour
}

// Name returns "feishu".
func (*Feishu) Name() string { return "feishu" }

// feishuMax keeps the request under the bot's 20 KB body limit.
const feishuMax = 18000

// feishuTransient are the bot's rate-limit codes.
var feishuTransient = map[int]bool{9499: true, 11232: true}

type feishuMessage struct {
	Timestamp string `json:"timestamp,omitempty"`
	Sign      string `json:"sign,omitempty"`
	MsgType   string `json:"msg_type"`
	Content   struct {
		Text string `json:"text"`
	} `json:"content"`
}

// feishuReply covers the current {code,msg} answer and the older {StatusCode,StatusMessage}.
type feishuReply struct {
	Code          *int   `json:"code"`
	Msg           string `json:"msg"`
	StatusCode    *int   `json:"StatusCode"`
	StatusMessage string `json:"StatusMessage"`
}

// Send posts m as a text message with <at> mentions.
func (f *Feishu) Send(ctx context.Context, m Message, t Target) error {
	if err := requireEndpoint(t); err != nil {
		return wrap(f.Name(), err)
	}
	var msg feishuMessage
	msg.MsgType = "text"
	var mentions []string
	for _, r := range t.Recipients {
		if r.ChatID != "" {
			mentions = append(mentions, `<at user_id="`+html.EscapeString(r.ChatID)+`">`+html.EscapeString(r.Name)+`</at>`)
		}
	}
	msg.Content.Text = truncateBytes(plainText(m), feishuMax)
	if len(mentions) > 0 {
		msg.Content.Text += "\n" + strings.Join(mentions, " ")
	}
	if t.Secret != "" {
		msg.Timestamp = strconv.FormatInt(nowOr(f.Now).Unix(), 10)
		// Feishu keys the HMAC with the string to sign and signs an empty message.
		msg.Sign = hmacBase64(msg.Timestamp+"\n"+t.Secret, "")
	}
	body, err := json.Marshal(msg)
	if err != nil {
		return wrap(f.Name(), Permanent(err))
	}
	status, resp, err := post(ctx, f.Client, t.Endpoint, "application/json; charset=utf-8", body, nil)
	if err != nil {
		return wrap(f.Name(), err)
	}
	return wrap(f.Name(), feishuResult(status, resp))
}

func feishuResult(status int, body []byte) error {
	if transientStatus(status) {
		return statusErr(status, body)
	}
	var r feishuReply
	if err := json.Unmarshal(body, &r); err != nil || (r.Code == nil && r.StatusCode == nil) {
		if err := statusErr(status, body); err != nil {
			return err
		}
		return Permanent(&StatusError{Status: status, Reason: "unexpected response"})
	}
	code, text := r.Code, r.Msg
	if code == nil {
		code, text = r.StatusCode, r.StatusMessage
	}
	if *code == 0 {
		return nil
	}
	return codeErr(strconv.Itoa(*code), text, feishuTransient[*code])
}
