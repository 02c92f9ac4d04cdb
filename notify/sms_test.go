package notify

import (
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// rfc3986 percent-encodes everything but the unreserved characters, byte by byte, as
// Aliyun's RPC signature specifies. It is written independently of the package's encoder.
func rfc3986(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || strings.IndexByte("-_.~", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// aliyunSignature recomputes the RPC signature the way Aliyun's server does.
func aliyunSignature(method string, form url.Values, secret string) string {
	var keys []string
	for k := range form {
		if k != "Signature" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var pairs []string
	for _, k := range keys {
		pairs = append(pairs, rfc3986(k)+"="+rfc3986(form.Get(k)))
	}
	h := hmac.New(sha1.New, []byte(secret+"&"))
	h.Write([]byte(method + "&" + rfc3986("/") + "&" + rfc3986(strings.Join(pairs, "&"))))
	return base64.StdEncoding.EncodeToString(h.Sum(nil))
}

// The worked examples from Aliyun's documentation (SMS SendSms and the generic RPC
// DescribeRegions), both for GET.
func TestAliyunSignDocumentedVectors(t *testing.T) {
	sms := map[string]string{
		"AccessKeyId": "testId", "Action": "SendSms", "Format": "XML", "OutId": "123",
		"PhoneNumbers": "15300000001", "RegionId": "cn-hangzhou", "SignName": "阿里云短信测试专用",
		"SignatureMethod": "HMAC-SHA1", "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466",
		"SignatureVersion": "1.0", "TemplateCode": "SMS_71390007", "TemplateParam": `{"customer":"test"}`,
		"Timestamp": "2017-07-12T02:42:19Z", "Version": "2017-05-25",
	}
	if got := aliyunSign("GET", sms, "testSecret"); got != "zJDF+Lrzhj/ThnlvIToysFRq6t4=" {
		t.Errorf("SendSms example: %s", got)
	}
	regions := map[string]string{
		"Format": "XML", "AccessKeyId": "testid", "Action": "DescribeRegions", "SignatureMethod": "HMAC-SHA1",
		"SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf", "SignatureVersion": "1.0",
		"Version": "2014-05-26", "Timestamp": "2016-02-23T12:46:24Z",
	}
	if got := aliyunSign("GET", regions, "testsecret"); got != "OLeaidS1JvxuMvnyHOwuJ+uX5qY=" {
		t.Errorf("DescribeRegions example: %s", got)
	}
	for in, want := range map[string]string{"a b": "a%20b", "*": "%2A", "~-_.": "~-_.", "/=&+": "%2F%3D%26%2B", "派": "%E6%B4%BE"} {
		if got := aliyunEncode(in); got != want || got != rfc3986(in) {
			t.Errorf("aliyunEncode(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestAliyunSendSms(t *testing.T) {
	const secret = "ak-secret"
	var form url.Values
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			t.Error(err)
		}
		form = r.PostForm
		if want := aliyunSignature(r.Method, form, secret); form.Get("Signature") != want {
			t.Errorf("Signature = %q, want %q", form.Get("Signature"), want)
			w.WriteHeader(400)
			_, _ = w.Write([]byte(`{"Code":"SignatureDoesNotMatch","Message":"bad"}`))
			return
		}
		_, _ = w.Write([]byte(`{"Code":"OK","Message":"OK","BizId":"9006197469364984^0","RequestId":"F655A8D5"}`))
	}))
	defer srv.Close()

	p := &AliyunSMS{AccessKeyID: "LTAItest", AccessKeySecret: secret, SignName: "某市督查室",
		TemplateCode: "SMS_100", Endpoint: srv.URL + "/", Now: clock}
	ch := &SMS{Provider: p, Templates: map[string]string{"escalation": "SMS_200"}}
	m := sample
	m.Title = "【提醒】" + strings.Repeat("关于推进老旧小区改造工作的", 5)
	m.Body = "进展报送\n将于 2025-06-30 到期, 请 *及时* 办理~"
	if err := ch.Send(context.Background(), m, Target{Recipients: people}); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"AccessKeyId": "LTAItest", "Action": "SendSms", "Format": "JSON", "Version": "2017-05-25",
		"PhoneNumbers": "13800000001,13800000002", "SignName": "某市督查室", "TemplateCode": "SMS_100",
		"SignatureMethod": "HMAC-SHA1", "SignatureVersion": "1.0", "Timestamp": "2025-06-28T09:30:00Z",
	}
	for k, v := range want {
		if form.Get(k) != v {
			t.Errorf("%s = %q, want %q", k, form.Get(k), v)
		}
	}
	if form.Get("SignatureNonce") == "" {
		t.Error("no SignatureNonce")
	}
	var tp map[string]string
	if err := json.Unmarshal([]byte(form.Get("TemplateParam")), &tp); err != nil {
		t.Fatal(err)
	}
	if n := utf8.RuneCountInString(tp["title"]); n != 35 || !strings.HasPrefix(tp["title"], "【提醒】") {
		t.Errorf("title = %q (%d chars), want 35", tp["title"], n)
	}
	if tp["content"] != "进展报送 将于 2025-06-30 到期, 请 *及时* 办理~" {
		t.Errorf("content = %q", tp["content"])
	}

	m.Kind = "escalation"
	if err := ch.Send(context.Background(), m, Target{Recipients: people[:1]}); err != nil {
		t.Fatal(err)
	}
	if form.Get("TemplateCode") != "SMS_200" || form.Get("PhoneNumbers") != "13800000001" {
		t.Errorf("per-kind template: %v", form)
	}
}

func TestAliyunErrors(t *testing.T) {
	for _, c := range []struct {
		name string
		r    reply
		perm bool
	}{
		{"business limit", reply{200, `{"Code":"isv.BUSINESS_LIMIT_CONTROL","Message":"触发分钟级流控"}`}, false},
		{"bad mobile", reply{200, `{"Code":"isv.MOBILE_NUMBER_ILLEGAL","Message":"非法手机号"}`}, true},
		{"bad template", reply{200, `{"Code":"isv.SMS_TEMPLATE_ILLEGAL","Message":"模板不合法"}`}, true},
		{"signature", reply{400, `{"Code":"SignatureDoesNotMatch","Message":"Specified signature is not matched"}`}, true},
		{"throttling", reply{400, `{"Code":"Throttling.User","Message":"Request was denied due to user flow control."}`}, false},
		{"unavailable", reply{503, `{"Code":"ServiceUnavailable","Message":"down"}`}, false},
		{"gateway", reply{502, `<html>bad gateway</html>`}, false},
		{"not found", reply{404, `<html>nope</html>`}, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := &AliyunSMS{AccessKeyID: "id", AccessKeySecret: "s", SignName: "n", TemplateCode: "SMS_1", Endpoint: replying(t, c.r)}
			err := (&SMS{Provider: p}).Send(context.Background(), sample, Target{Recipients: people})
			if err == nil || IsPermanent(err) != c.perm {
				t.Fatalf("err = %v, permanent %v, want %v", err, IsPermanent(err), c.perm)
			}
			if !strings.HasPrefix(err.Error(), "sms: aliyun: ") {
				t.Errorf("error %q does not name the channel and provider", err)
			}
		})
	}
}

func TestSMSNeedsMobiles(t *testing.T) {
	p := &AliyunSMS{AccessKeyID: "id", AccessKeySecret: "s", SignName: "n", TemplateCode: "SMS_1", Endpoint: refusedURL(t)}
	err := (&SMS{Provider: p}).Send(context.Background(), sample, Target{Recipients: []Recipient{{UserID: 1, Email: "a@b.c"}}})
	if !IsPermanent(err) {
		t.Errorf("no mobiles: %v", err)
	}
	if err := (&SMS{}).Send(context.Background(), sample, Target{Recipients: people}); !IsPermanent(err) {
		t.Errorf("no provider: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err = (&SMS{Provider: p}).Send(ctx, sample, Target{Recipients: people})
	if err == nil || IsPermanent(err) || strings.Contains(err.Error(), "Signature") {
		t.Errorf("connection refused: %v", err)
	}
}
