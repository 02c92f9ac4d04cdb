package notify

import (
	"context"
	"errors"
	"strings"
)

// SMSRequest is one templated text message to one or more mobile numbers. SMS gateways in
// China only send pre-approved templates, so a message travels as template variables.
type SMSRequest struct {
	Phones   []string
	Template string            // provider template code; "" means the provider's default
	Params   map[string]string // template variables, e.g. ${title}, ${content}
}

// SMSProvider is an SMS gateway. It truncates variables to its own length limits and
// marks errors Permanent as the rest of the package does.
type SMSProvider interface {
	Name() string
	SendSMS(ctx context.Context, req SMSRequest) error
}

// SMS sends messages through an SMSProvider to each recipient's Mobile. The template
// variables are "title" (Message.Title) and "content" (Message.Body), so the approved
// template must use ${title} and ${content}; the provider shortens them.
type SMS struct {
	Provider SMSProvider
	// Templates maps a message kind to a template code; a kind not listed uses
	// Target.Extra["template"], then the provider's default.
	Templates map[string]string
}

// Name returns "sms".
func (*SMS) Name() string { return "sms" }

// Send texts m to the recipients' mobiles in one provider call.
func (s *SMS) Send(ctx context.Context, m Message, t Target) error {
	if s.Provider == nil {
		return wrap(s.Name(), Permanent(errors.New("no provider configured")))
	}
	var phones []string
	for _, r := range t.Recipients {
		if p := strings.TrimSpace(r.Mobile); p != "" {
			phones = append(phones, p)
		}
	}
	if len(phones) == 0 {
		return wrap(s.Name(), Permanent(errors.New("no recipient has a mobile number")))
	}
	tpl := s.Templates[m.Kind]
	if tpl == "" {
		tpl = t.Extra["template"]
	}
	req := SMSRequest{Phones: phones, Template: tpl, Params: map[string]string{
		"title": m.Title, "content": oneLine(m.Body),
	}}
	return wrap(s.Name(), s.Provider.SendSMS(ctx, req))
}

// oneLine folds whitespace, since SMS variables may not contain line breaks.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// truncateRunes cuts s to at most n characters, marking the cut with "…".
func truncateRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	if n <= 1 {
		return string(r[:max(n, 0)])
	}
	return string(r[:n-1]) + "…"
}
