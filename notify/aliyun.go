package notify

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
)

// AliyunSMS sends through Alibaba Cloud SMS (阿里云短信, dysmsapi SendSms, API version
// 2017-05-25) with the RPC signature (HMAC-SHA1). Credentials are a RAM user's AccessKey
// limited to dysms:SendSms.
type AliyunSMS struct {
	AccessKeyID     string
	AccessKeySecret string
	SignName        string // approved signature (签名), e.g. "某某市督查室"
	TemplateCode    string // default approved template, "SMS_…"
	Endpoint        string // "": https://dysmsapi.aliyuncs.com/
	ParamMax        int    // characters per template variable; 0: 35, Aliyun's limit
	Client          *http.Client
	Now             func() time.Time
}

// Name returns "aliyun".
func (*AliyunSMS) Name() string { return "aliyun" }

const aliyunEndpoint = "https://dysmsapi.aliyuncs.com/"

// aliyunTransient are the answer codes worth retrying: rate limits and system errors.
var aliyunTransient = map[string]bool{
	"isv.BUSINESS_LIMIT_CONTROL": true, // per-number frequency control
	"isp.SYSTEM_ERROR":           true,
	"Throttling":                 true,
	"Throttling.User":            true,
	"Throttling.Api":             true,
	"ServiceUnavailable":         true,
	"InternalError":              true,
	"SignatureNonceUsed":         true, // a nonce collision: a new request gets a new nonce
}

type aliyunReply struct {
	Code      string `json:"Code"`
	Message   string `json:"Message"`
	RequestID string `json:"RequestId"`
}

// SendSMS posts one SendSms call for all of req.Phones.
func (a *AliyunSMS) SendSMS(ctx context.Context, req SMSRequest) error {
	tpl := req.Template
	if tpl == "" {
		tpl = a.TemplateCode
	}
	if a.AccessKeyID == "" || a.AccessKeySecret == "" || a.SignName == "" || tpl == "" {
		return Permanent(errors.New("aliyun: access key, sign name and template code are required"))
	}
	limit := a.ParamMax
	if limit <= 0 {
		limit = 35
	}
	params := make(map[string]string, len(req.Params))
	for k, v := range req.Params {
		params[k] = truncateRunes(v, limit)
	}
	tp, err := json.Marshal(params)
	if err != nil {
		return Permanent(fmt.Errorf("aliyun: %w", err))
	}
	nonce := make([]byte, 16)
	if _, err := rand.Read(nonce); err != nil {
		return fmt.Errorf("aliyun: nonce: %w", err)
	}
	form := map[string]string{
		"AccessKeyId":      a.AccessKeyID,
		"Action":           "SendSms",
		"Format":           "JSON",
		"PhoneNumbers":     strings.Join(req.Phones, ","),
		"SignName":         a.SignName,
		"TemplateCode":     tpl,
		"TemplateParam":    string(tp),
		"SignatureMethod":  "HMAC-SHA1",
		"SignatureNonce":   hex.EncodeToString(nonce),
		"SignatureVersion": "1.0",
		"Timestamp":        nowOr(a.Now).UTC().Format("2006-01-02T15:04:05Z"),
		"Version":          "2017-05-25",
	}
	form["Signature"] = aliyunSign(http.MethodPost, form, a.AccessKeySecret)
	endpoint := a.Endpoint
	if endpoint == "" {
		endpoint = aliyunEndpoint
	}
	status, body, err := post(ctx, a.Client, endpoint, "application/x-www-form-urlencoded",
		[]byte(aliyunCanonical(form)), nil)
	if err != nil {
		return fmt.Errorf("aliyun: %w", err)
	}
	return aliyunResult(status, body)
}

func aliyunResult(status int, body []byte) error {
	var r aliyunReply
	if err := json.Unmarshal(body, &r); err != nil || r.Code == "" {
		if err := statusErr(status, body); err != nil {
			return fmt.Errorf("aliyun: %w", err)
		}
		return Permanent(errors.New("aliyun: unexpected response"))
	}
	if r.Code == "OK" {
		return nil
	}
	transient := aliyunTransient[r.Code] || (status >= 500 && !strings.HasPrefix(r.Code, "isv."))
	return fmt.Errorf("aliyun: %w", codeErr(r.Code, r.Message+" (RequestId "+r.RequestID+")", transient))
}

// aliyunSign computes the RPC signature over every parameter but Signature:
// base64(HMAC-SHA1(secret+"&", METHOD + "&%2F&" + encode(canonical query))).
func aliyunSign(method string, params map[string]string, secret string) string {
	s := method + "&" + aliyunEncode("/") + "&" + aliyunEncode(aliyunCanonical(params))
	h := hmac.New(sha1.New, []byte(secret+"&"))
	h.Write([]byte(s))
	return base64.StdEncoding.EncodeToString(h.Sum(nil))
}

// aliyunCanonical is the sorted, percent-encoded k=v&… form of params, minus Signature
// when it is being computed (the signed map does not contain it yet).
func aliyunCanonical(params map[string]string) string {
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = aliyunEncode(k) + "=" + aliyunEncode(params[k])
	}
	return strings.Join(parts, "&")
}

// aliyunEncode is RFC 3986 percent-encoding as Aliyun specifies it.
func aliyunEncode(s string) string {
	e := url.QueryEscape(s)
	return strings.NewReplacer("+", "%20", "*", "%2A", "%7E", "~").Replace(e)
}
