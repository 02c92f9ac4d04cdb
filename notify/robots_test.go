package notify

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// sign256 is base64(HMAC-SHA256(key, msg)), written out here so the tests do not trust
// the package's signer.
func sign256(key, msg string) string {
	h := hmac.New(sha256.New, []byte(key))
	h.Write([]byte(msg))
	return base64.StdEncoding.EncodeToString(h.Sum(nil))
}

var people = []Recipient{
	{UserID: 1, Name: "张三", Mobile: "13800000001", ChatID: "ou_zhangsan"},
	{UserID: 2, Name: "李四", Mobile: "13800000002"},
	{UserID: 3, Name: "王五", ChatID: "ou_wangwu"},
	{UserID: 4, Name: "赵六", Email: "zl@example.gov.cn"},
}

func TestDingTalkSignsAndMentions(t *testing.T) {
	const secret = "SECdingtalk"
	var got struct {
		MsgType  string `json:"msgtype"`
		Markdown struct{ Title, Text string }
		At       struct {
			AtMobiles []string `json:"atMobiles"`
			AtUserIDs []string `json:"atUserIds"`
			IsAtAll   *bool    `json:"isAtAll"`
		}
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		ts := q.Get("timestamp")
		if q.Get("access_token") != "tok" || ts != strconv.FormatInt(fixedNow.UnixMilli(), 10) {
			t.Errorf("query = %v", q)
		}
		// DingTalk: sign = base64(HmacSHA256(secret, timestamp+"\n"+secret)), URL-encoded.
		if want := sign256(secret, ts+"\n"+secret); q.Get("sign") != want {
			t.Errorf("sign = %q, want %q", q.Get("sign"), want)
		}
		if !strings.Contains(r.URL.RawQuery, "sign="+strings.NewReplacer("+", "%2B", "/", "%2F", "=", "%3D").Replace(q.Get("sign"))) {
			t.Errorf("sign not URL-escaped in %q", r.URL.RawQuery)
		}
		if err := json.NewDecoder(r.Body).Decode(&got); err != nil {
			t.Error(err)
		}
		_, _ = w.Write([]byte(`{"errcode":0,"errmsg":"ok"}`))
	}))
	defer srv.Close()

	d := &DingTalk{Now: clock}
	if err := d.Send(context.Background(), sample, Target{Endpoint: srv.URL + "/robot/send?access_token=tok", Secret: secret, Recipients: people}); err != nil {
		t.Fatal(err)
	}
	if got.MsgType != "markdown" || got.Markdown.Title != sample.Title {
		t.Errorf("message = %+v", got)
	}
	for _, s := range []string{sample.Body, sample.URL, "@13800000001", "@13800000002", "@ou_wangwu"} {
		if !strings.Contains(got.Markdown.Text, s) {
			t.Errorf("text %q lacks %q", got.Markdown.Text, s)
		}
	}
	if !slices.Equal(got.At.AtMobiles, []string{"13800000001", "13800000002"}) || !slices.Equal(got.At.AtUserIDs, []string{"ou_wangwu"}) {
		t.Errorf("at = %+v", got.At)
	}
	if got.At.IsAtAll == nil || *got.At.IsAtAll {
		t.Error("isAtAll must be present and false")
	}
}

func TestDingTalkUnsigned(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Has("sign") || r.URL.Query().Has("timestamp") {
			t.Errorf("unsigned robot got %q", r.URL.RawQuery)
		}
		_, _ = w.Write([]byte(`{"errcode":0,"errmsg":"ok"}`))
	}))
	defer srv.Close()
	if err := (&DingTalk{}).Send(context.Background(), sample, Target{Endpoint: srv.URL + "/robot/send?access_token=tok"}); err != nil {
		t.Fatal(err)
	}
}

func TestDingTalkErrors(t *testing.T) {
	classify(t, &DingTalk{Now: clock}, []struct {
		name     string
		r        reply
		ok, perm bool
	}{
		{"ok", reply{200, `{"errcode":0,"errmsg":"ok"}`}, true, false},
		{"rate limit", reply{200, `{"errcode":130101,"errmsg":"send too fast"}`}, false, false},
		{"busy", reply{200, `{"errcode":-1,"errmsg":"系统繁忙"}`}, false, false},
		{"keyword", reply{200, `{"errcode":310000,"errmsg":"keywords not in content"}`}, false, true},
		{"token", reply{200, `{"errcode":300001,"errmsg":"token is not exist"}`}, false, true},
		{"5xx", reply{502, `bad gateway`}, false, false},
		{"429", reply{429, ``}, false, false},
		{"404", reply{404, `not found`}, false, true},
		{"not json", reply{200, `<html>portal</html>`}, false, true},
	})
}

func TestWeComMentions(t *testing.T) {
	var got struct {
		MsgType string `json:"msgtype"`
		Text    struct {
			Content             string   `json:"content"`
			MentionedList       []string `json:"mentioned_list"`
			MentionedMobileList []string `json:"mentioned_mobile_list"`
		} `json:"text"`
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Query().Get("key") != "k-123" {
			t.Errorf("%s %s", r.Method, r.URL)
		}
		if err := json.NewDecoder(r.Body).Decode(&got); err != nil {
			t.Error(err)
		}
		_, _ = w.Write([]byte(`{"errcode":0,"errmsg":"ok"}`))
	}))
	defer srv.Close()
	if err := (&WeCom{}).Send(context.Background(), sample, Target{Endpoint: srv.URL + "/cgi-bin/webhook/send?key=k-123", Recipients: people}); err != nil {
		t.Fatal(err)
	}
	if got.MsgType != "text" {
		t.Errorf("msgtype = %q", got.MsgType)
	}
	for _, s := range []string{sample.Title, sample.Body, sample.URL} {
		if !strings.Contains(got.Text.Content, s) {
			t.Errorf("content %q lacks %q", got.Text.Content, s)
		}
	}
	if !slices.Equal(got.Text.MentionedList, []string{"ou_zhangsan", "ou_wangwu"}) ||
		!slices.Equal(got.Text.MentionedMobileList, []string{"13800000002"}) {
		t.Errorf("mentions = %v / %v", got.Text.MentionedList, got.Text.MentionedMobileList)
	}
}

func TestWeComTruncates(t *testing.T) {
	var n int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var got struct{ Text struct{ Content string } }
		_ = json.NewDecoder(r.Body).Decode(&got)
		n = len(got.Text.Content)
		_, _ = w.Write([]byte(`{"errcode":0,"errmsg":"ok"}`))
	}))
	defer srv.Close()
	m := sample
	m.Body = strings.Repeat("督办", 2000)
	if err := (&WeCom{}).Send(context.Background(), m, Target{Endpoint: srv.URL}); err != nil {
		t.Fatal(err)
	}
	if n == 0 || n > 2048 {
		t.Errorf("content is %d bytes, limit 2048", n)
	}
}

func TestWeComErrors(t *testing.T) {
	classify(t, &WeCom{}, []struct {
		name     string
		r        reply
		ok, perm bool
	}{
		{"ok", reply{200, `{"errcode":0,"errmsg":"ok"}`}, true, false},
		{"rate limit", reply{200, `{"errcode":45009,"errmsg":"api freq out of limit"}`}, false, false},
		{"bad key", reply{200, `{"errcode":93000,"errmsg":"invalid webhook url"}`}, false, true},
		{"503", reply{503, ``}, false, false},
	})
}

func TestFeishuSignsAndMentions(t *testing.T) {
	const secret = "feishu-secret"
	var got struct {
		Timestamp string `json:"timestamp"`
		Sign      string `json:"sign"`
		MsgType   string `json:"msg_type"`
		Content   struct {
			Text string `json:"text"`
		} `json:"content"`
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := json.NewDecoder(r.Body).Decode(&got); err != nil {
			t.Error(err)
		}
		if got.Timestamp != strconv.FormatInt(fixedNow.Unix(), 10) {
			t.Errorf("timestamp = %q", got.Timestamp)
		}
		// Feishu: HmacSHA256 keyed with timestamp+"\n"+secret over an empty message.
		if want := sign256(got.Timestamp+"\n"+secret, ""); got.Sign != want {
			t.Errorf("sign = %q, want %q", got.Sign, want)
		}
		_, _ = w.Write([]byte(`{"code":0,"msg":"success","data":{}}`))
	}))
	defer srv.Close()
	f := &Feishu{Now: clock}
	if err := f.Send(context.Background(), sample, Target{Endpoint: srv.URL + "/open-apis/bot/v2/hook/abc", Secret: secret, Recipients: people}); err != nil {
		t.Fatal(err)
	}
	if got.MsgType != "text" {
		t.Errorf("msg_type = %q", got.MsgType)
	}
	for _, s := range []string{sample.Title, sample.Body, `<at user_id="ou_zhangsan">张三</at>`, `<at user_id="ou_wangwu">王五</at>`} {
		if !strings.Contains(got.Content.Text, s) {
			t.Errorf("text %q lacks %q", got.Content.Text, s)
		}
	}
	if strings.Contains(got.Content.Text, "李四") {
		t.Error("a recipient without an open_id was mentioned")
	}
}

func TestFeishuErrors(t *testing.T) {
	classify(t, &Feishu{Now: clock}, []struct {
		name     string
		r        reply
		ok, perm bool
	}{
		{"ok", reply{200, `{"code":0,"msg":"success","data":{}}`}, true, false},
		{"legacy ok", reply{200, `{"Extra":null,"StatusCode":0,"StatusMessage":"success"}`}, true, false},
		{"9499", reply{200, `{"code":9499,"msg":"too many request"}`}, false, false},
		{"11232", reply{200, `{"code":11232,"msg":"frequency limited"}`}, false, false},
		{"bad sign", reply{200, `{"code":19021,"msg":"sign match fail or timestamp is not within one hour from current time"}`}, false, true},
		{"400 with code", reply{400, `{"code":19024,"msg":"Key Words Not Found"}`}, false, true},
		{"500", reply{500, `oops`}, false, false},
	})
}

func TestRobotsNeedEndpoint(t *testing.T) {
	for _, ch := range []Channel{&DingTalk{}, &WeCom{}, &Feishu{}, &Webhook{}} {
		if err := ch.Send(context.Background(), sample, Target{}); !IsPermanent(err) {
			t.Errorf("%s without endpoint: %v", ch.Name(), err)
		}
	}
}

// A network failure is transient and its message shows no token, path or signature.
func TestTransportErrorHidesSecrets(t *testing.T) {
	base := refusedURL(t)
	for _, ch := range []Channel{&DingTalk{Now: clock}, &WeCom{}, &Feishu{Now: clock}, &Webhook{Now: clock}} {
		err := ch.Send(context.Background(), sample, Target{Endpoint: base + "/hook/PATHTOKEN?access_token=QUERYTOKEN&key=QUERYTOKEN", Secret: "SIGNSECRET"})
		if err == nil || IsPermanent(err) {
			t.Errorf("%s: err = %v, want transient", ch.Name(), err)
			continue
		}
		for _, s := range []string{"PATHTOKEN", "QUERYTOKEN", "SIGNSECRET", "sign="} {
			if strings.Contains(err.Error(), s) {
				t.Errorf("%s error leaks %s: %v", ch.Name(), s, err)
			}
		}
	}
}
