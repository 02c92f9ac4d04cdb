package notify

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"strconv"
	"strings"
)

// robotReply is the answer of the DingTalk and WeCom robots.
type robotReply struct {
	ErrCode *int   `json:"errcode"`
	ErrMsg  string `json:"errmsg"`
}

// robotResult turns a robot's HTTP answer into an error: a rate limit or server error is
// transient, any other non-zero errcode (bad token, failed signature, keyword filter, IP
// allow-list) is a configuration error and permanent.
func robotResult(status int, body []byte, transientCodes ...int) error {
	if transientStatus(status) {
		return statusErr(status, body)
	}
	var r robotReply
	if err := json.Unmarshal(body, &r); err != nil || r.ErrCode == nil {
		if err := statusErr(status, body); err != nil {
			return err
		}
		return Permanent(&StatusError{Status: status, Reason: "unexpected response"})
	}
	if *r.ErrCode == 0 {
		return nil
	}
	transient := false
	for _, c := range transientCodes {
		transient = transient || c == *r.ErrCode
	}
	return codeErr(strconv.Itoa(*r.ErrCode), r.ErrMsg, transient)
}

// hmacBase64 is base64(HMAC-SHA256(key, msg)), the robots' signature.
func hmacBase64(key, msg string) string {
	h := hmac.New(sha256.New, []byte(key))
	h.Write([]byte(msg))
	return base64.StdEncoding.EncodeToString(h.Sum(nil))
}

// plainText renders a message as the text robots and SMS show: title, body, link.
func plainText(m Message) string {
	var b strings.Builder
	b.WriteString(m.Title)
	if m.Body != "" {
		b.WriteString("\n")
		b.WriteString(m.Body)
	}
	if m.URL != "" {
		b.WriteString("\n")
		b.WriteString(m.URL)
	}
	return b.String()
}

// truncateBytes cuts s to at most n bytes of UTF-8 without splitting a character.
func truncateBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	const ell = "…"
	cut := n - len(ell)
	for cut > 0 && !utf8Start(s[cut]) {
		cut--
	}
	return s[:max(cut, 0)] + ell
}

func utf8Start(b byte) bool { return b&0xC0 != 0x80 }
