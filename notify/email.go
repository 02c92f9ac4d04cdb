package notify

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"net/mail"
	"net/textproto"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
	gosmtp "github.com/wneessen/go-mail/smtp"
)

// EmailConfig is the SMTP server email is sent through. TLS is "starttls" (the default,
// port 587), "tls" (implicit TLS, port 465) or "none" (port 25; only for a relay on the
// same host or network, and PLAIN authentication is then refused except to localhost).
type EmailConfig struct {
	Host     string
	Port     int // 0: the TLS mode's standard port
	Username string
	Password string
	From     string // "Duban <duban@example.gov.cn>" or a bare address
	TLS      string
	Timeout  time.Duration // 0: DefaultTimeout

	// TLSConfig overrides the TLS settings (a private CA, say); nil verifies Host normally.
	TLSConfig *tls.Config
}

// Email sends plain-text mail over SMTP to each recipient's Email.
type Email struct {
	cfg  EmailConfig
	from *mail.Address
}

// NewEmail validates cfg.
func NewEmail(cfg EmailConfig) (*Email, error) {
	if cfg.Host == "" {
		return nil, errors.New("email: host is required")
	}
	from, err := mail.ParseAddress(cfg.From)
	if err != nil {
		return nil, fmt.Errorf("email: from %q: %w", cfg.From, err)
	}
	switch cfg.TLS {
	case "":
		cfg.TLS = "starttls"
	case "starttls", "tls", "none":
	default:
		return nil, fmt.Errorf("email: tls must be starttls, tls or none, not %q", cfg.TLS)
	}
	if cfg.Port == 0 {
		cfg.Port = map[string]int{"starttls": 587, "tls": 465, "none": 25}[cfg.TLS]
	}
	if cfg.Port < 1 || cfg.Port > 65535 {
		return nil, fmt.Errorf("email: port %d out of range", cfg.Port)
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	return &Email{cfg: cfg, from: from}, nil
}

// Name returns "email".
func (*Email) Name() string { return "email" }

// Send mails m to every recipient with an Email address, in one SMTP transaction.
func (e *Email) Send(ctx context.Context, m Message, t Target) error {
	msg, err := e.message(m, t)
	if err != nil {
		return wrap(e.Name(), err)
	}
	opts := []gomail.Option{gomail.WithPort(e.cfg.Port), gomail.WithTimeout(e.cfg.Timeout)}
	switch e.cfg.TLS {
	case "starttls":
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	case "tls":
		opts = append(opts, gomail.WithSSL())
	case "none":
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	}
	if e.cfg.TLSConfig != nil {
		opts = append(opts, gomail.WithTLSConfig(e.cfg.TLSConfig))
	}
	if e.cfg.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthPlain),
			gomail.WithUsername(e.cfg.Username), gomail.WithPassword(e.cfg.Password))
	}
	c, err := gomail.NewClient(e.cfg.Host, opts...)
	if err != nil {
		return wrap(e.Name(), Permanent(err))
	}
	return wrap(e.Name(), classifySMTP(c.DialAndSendWithContext(ctx, msg)))
}

// message builds the mail: plain text, Message-ID derived from m.ID so a duplicate
// delivery is recognisable, and the id itself in X-Duban-Event-Id.
func (e *Email) message(m Message, t Target) (*gomail.Msg, error) {
	msg := gomail.NewMsg(gomail.WithCharset(gomail.CharsetUTF8))
	msg.FromMailAddress(e.from)
	n := 0
	for _, r := range t.Recipients {
		if r.Email == "" {
			continue
		}
		if err := msg.AddToFormat(r.Name, r.Email); err != nil {
			return nil, Permanent(fmt.Errorf("recipient %d: bad address: %w", r.UserID, err))
		}
		n++
	}
	if n == 0 {
		return nil, Permanent(errors.New("no recipient has an email address"))
	}
	msg.Subject(m.Title)
	body := m.Body
	if m.URL != "" {
		body += "\n\n" + m.URL
	}
	msg.SetBodyString(gomail.TypeTextPlain, body)
	if !m.At.IsZero() {
		msg.SetDateWithValue(m.At)
	} else {
		msg.SetDate()
	}
	if m.ID != "" {
		msg.SetMessageIDWithValue(MessageID(m.ID, e.from.Address))
		msg.SetGenHeader(gomail.Header(HeaderEventID), m.ID)
	}
	return msg, nil
}

// MessageID derives an RFC 5322 Message-ID (without angle brackets) from a message id:
// the same id always gives the same Message-ID, under the sender's domain.
func MessageID(id, from string) string {
	domain := "duban.invalid"
	if at := strings.LastIndexByte(from, '@'); at >= 0 && at+1 < len(from) {
		domain = from[at+1:]
	}
	sum := sha256.Sum256([]byte(id))
	return "duban." + hex.EncodeToString(sum[:16]) + "@" + domain
}

// classifySMTP marks 5xx replies and configuration errors (bad credentials, refused
// plaintext auth, an untrusted certificate) permanent; 4xx and network errors are transient.
func classifySMTP(err error) error {
	if err == nil {
		return nil
	}
	var se *gomail.SendError
	if errors.As(err, &se) {
		if !se.IsTemp() && se.ErrorCode() >= 500 {
			return Permanent(err)
		}
		return err
	}
	var te *textproto.Error
	if errors.As(err, &te) {
		if te.Code >= 500 {
			return Permanent(err)
		}
		return err
	}
	var (
		unknownCA *x509.UnknownAuthorityError
		hostname  x509.HostnameError
		verify    *tls.CertificateVerificationError
	)
	switch {
	case errors.Is(err, gosmtp.ErrUnencrypted), errors.Is(err, gosmtp.ErrWrongHostname),
		errors.Is(err, gomail.ErrPlainAuthNotSupported),
		errors.As(err, &unknownCA), errors.As(err, &hostname), errors.As(err, &verify):
		return Permanent(err)
	}
	return err
}
