package notify

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// smtpBackend is an in-process SMTP server: AUTH PLAIN with one account, a recipient that
// is always rejected with 550, and every accepted message kept.
type smtpBackend struct {
	mu     sync.Mutex
	mails  []received
	reject string
}

type received struct {
	from string
	to   []string
	data []byte
}

func (b *smtpBackend) NewSession(*smtp.Conn) (smtp.Session, error) { return &smtpSession{b: b}, nil }

type smtpSession struct {
	b      *smtpBackend
	authed bool
	from   string
	to     []string
}

func (s *smtpSession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *smtpSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != "duban" || pass != "s3cret" {
			return smtp.ErrAuthFailed
		}
		s.authed = true
		return nil
	}), nil
}

func (s *smtpSession) Mail(from string, _ *smtp.MailOptions) error {
	if !s.authed {
		return smtp.ErrAuthRequired
	}
	s.from = from
	return nil
}

func (s *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	if to == s.b.reject {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
	}
	s.to = append(s.to, to)
	return nil
}

func (s *smtpSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.b.mu.Lock()
	defer s.b.mu.Unlock()
	s.b.mails = append(s.b.mails, received{from: s.from, to: s.to, data: b})
	return nil
}

func (s *smtpSession) Reset()        { s.from, s.to = "", nil }
func (s *smtpSession) Logout() error { return nil }

// startSMTP serves be on a loopback port and returns the port.
func startSMTP(t *testing.T, be *smtpBackend) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := smtp.NewServer(be)
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true // loopback only: PLAIN without TLS
	srv.ReadTimeout, srv.WriteTimeout = 5*time.Second, 5*time.Second
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { _ = srv.Close() })
	return l.Addr().(*net.TCPAddr).Port
}

func testEmail(t *testing.T, port int, password string) *Email {
	t.Helper()
	e, err := NewEmail(EmailConfig{Host: "127.0.0.1", Port: port, Username: "duban", Password: password,
		From: "督办系统 <duban@example.gov.cn>", TLS: "none", Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestEmailDelivers(t *testing.T) {
	be := &smtpBackend{}
	e := testEmail(t, startSMTP(t, be), "s3cret")
	m := Message{ID: "item7:e3:u12:email", Kind: "reminder", Title: "【提醒】推进老旧小区改造",
		Body: "进展报送将于 2025-06-30 18:00 到期。", URL: "https://duban.example/items/7",
		At: time.Date(2025, 6, 28, 9, 0, 0, 0, time.UTC)}
	tg := Target{Channel: "email", Recipients: []Recipient{
		{UserID: 12, Name: "张三", Email: "zhangsan@example.gov.cn"},
		{UserID: 13, Name: "No Mail"},
		{UserID: 14, Name: "Li Si", Email: "lisi@example.gov.cn"},
	}}
	if err := e.Send(context.Background(), m, tg); err != nil {
		t.Fatal(err)
	}
	if len(be.mails) != 1 {
		t.Fatalf("got %d mails, want 1", len(be.mails))
	}
	got := be.mails[0]
	if got.from != "duban@example.gov.cn" {
		t.Errorf("MAIL FROM = %q", got.from)
	}
	if strings.Join(got.to, ",") != "zhangsan@example.gov.cn,lisi@example.gov.cn" {
		t.Errorf("RCPT TO = %v", got.to)
	}
	msg, err := mail.ReadMessage(strings.NewReader(string(got.data)))
	if err != nil {
		t.Fatal(err)
	}
	dec := new(mime.WordDecoder)
	subject, _ := dec.DecodeHeader(msg.Header.Get("Subject"))
	if subject != m.Title {
		t.Errorf("Subject = %q, want %q", subject, m.Title)
	}
	from, err := msg.Header.AddressList("From")
	if err != nil || len(from) != 1 || from[0].Address != "duban@example.gov.cn" || from[0].Name != "督办系统" {
		t.Errorf("From = %v, %v", from, err)
	}
	to, err := msg.Header.AddressList("To")
	if err != nil || len(to) != 2 || to[0].Address != "zhangsan@example.gov.cn" || to[0].Name != "张三" {
		t.Errorf("To = %v, %v", to, err)
	}
	// The Message-ID is a function of the message id alone, so a resend is recognisable.
	sum := sha256.Sum256([]byte(m.ID))
	wantID := "<duban." + hex.EncodeToString(sum[:16]) + "@example.gov.cn>"
	if id := msg.Header.Get("Message-Id"); id != wantID {
		t.Errorf("Message-ID = %q, want %q", id, wantID)
	}
	if id := msg.Header.Get(HeaderEventID); id != m.ID {
		t.Errorf("%s = %q", HeaderEventID, id)
	}
	var body []byte
	if strings.EqualFold(msg.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
		body, err = io.ReadAll(quotedprintable.NewReader(msg.Body))
	} else {
		body, err = io.ReadAll(msg.Body)
	}
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(body), m.Body) || !strings.Contains(string(body), m.URL) {
		t.Errorf("body = %q", body)
	}
}

func TestEmailErrors(t *testing.T) {
	be := &smtpBackend{reject: "gone@example.gov.cn"}
	port := startSMTP(t, be)
	m := Message{ID: "x", Title: "t", Body: "b"}
	one := func(addr string) Target { return Target{Recipients: []Recipient{{UserID: 1, Email: addr}}} }
	ctx := context.Background()

	err := testEmail(t, port, "s3cret").Send(ctx, m, one("gone@example.gov.cn"))
	if err == nil || !IsPermanent(err) {
		t.Errorf("550 on RCPT: err = %v, want permanent", err)
	}
	err = testEmail(t, port, "wrong").Send(ctx, m, one("a@example.gov.cn"))
	if err == nil || !IsPermanent(err) {
		t.Errorf("535 on AUTH: err = %v, want permanent", err)
	}
	if strings.Contains(err.Error(), "wrong") {
		t.Errorf("error leaks the password: %v", err)
	}
	err = testEmail(t, port, "s3cret").Send(ctx, m, Target{Recipients: []Recipient{{UserID: 1, Mobile: "13800000000"}}})
	if err == nil || !IsPermanent(err) {
		t.Errorf("no address: err = %v, want permanent", err)
	}
	err = testEmail(t, port, "s3cret").Send(ctx, m, one("not an address"))
	if err == nil || !IsPermanent(err) {
		t.Errorf("bad address: err = %v, want permanent", err)
	}

	// A port nobody listens on: connection refused is transient.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := l.Addr().(*net.TCPAddr).Port
	_ = l.Close()
	err = testEmail(t, closed, "s3cret").Send(ctx, m, one("a@example.gov.cn"))
	if err == nil || IsPermanent(err) {
		t.Errorf("connection refused: err = %v, want transient", err)
	}
	if !strings.HasPrefix(err.Error(), "email: ") {
		t.Errorf("error not prefixed with the channel: %v", err)
	}
}

func TestNewEmailValidates(t *testing.T) {
	for _, c := range []EmailConfig{
		{From: "a@b.c"},
		{Host: "smtp.example", From: "not an address"},
		{Host: "smtp.example", From: "a@b.c", TLS: "ssl"},
		{Host: "smtp.example", From: "a@b.c", Port: 70000},
	} {
		if _, err := NewEmail(c); err == nil {
			t.Errorf("NewEmail(%+v) accepted", c)
		}
	}
	e, err := NewEmail(EmailConfig{Host: "smtp.example", From: "a@b.c", TLS: "tls"})
	if err != nil || e.cfg.Port != 465 {
		t.Errorf("tls default port = %v, %v", e, err)
	}
	e, err = NewEmail(EmailConfig{Host: "smtp.example", From: "a@b.c"})
	if err != nil || e.cfg.TLS != "starttls" || e.cfg.Port != 587 {
		t.Errorf("defaults = %+v, %v", e, err)
	}
}

func TestMessageIDStable(t *testing.T) {
	a, b := MessageID("item1:e2:u3:email", "x@d.example"), MessageID("item1:e2:u3:email", "y@d.example")
	if a != b || !strings.HasSuffix(a, "@d.example") {
		t.Errorf("MessageID = %q, %q", a, b)
	}
	if MessageID("item1:e2:u4:email", "x@d.example") == a {
		t.Error("different ids share a Message-ID")
	}
	local, _, _ := strings.Cut(a, "@")
	if strings.Trim(local, "abcdefghijklmnopqrstuvwxyz0123456789.") != "" {
		t.Errorf("Message-ID local part %q is not plain dot-atom", local)
	}
}
