package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/dubanhq/duban/domain"
)

// errMediaType marks a body sent with the wrong Content-Type; the error mapper answers 415.
// A body over its limit carries *http.MaxBytesError and is answered 413.
var errMediaType = errors.New("unsupported media type")

// rawBodyKey holds the JSON body readJSON read, in the echo context.
const rawBodyKey = "raw_body"

// readJSON reads a JSON request body whole. It answers 415 unless the Content-Type is
// application/json in UTF-8 (or absent, as from simple scripts), 413 past maxJSONBytes, and
// 400 naming the field when a string is not UTF-8: encoding/json would silently turn the
// bytes into U+FFFD and store the damage.
func readJSON(c echo.Context) ([]byte, error) {
	if err := requireMediaType(c, echo.MIMEApplicationJSON); err != nil {
		return nil, err
	}
	raw, err := io.ReadAll(http.MaxBytesReader(c.Response(), c.Request().Body, maxJSONBytes))
	if err != nil {
		return nil, tooLarge(err, "", maxJSONBytes)
	}
	if !utf8.Valid(raw) {
		f := invalidUTF8Field(raw)
		return nil, domain.E(domain.KindMalformed, f, fmt.Sprintf("字段 %s 不是有效的 UTF-8 文本 / field %s is not valid UTF-8", f, f), nil)
	}
	c.Set(rawBodyKey, raw) // for the Idempotency-Key's request hash
	return raw, nil
}

// requireMediaType answers 415 unless the request's Content-Type is want (any charset must
// be UTF-8). An absent Content-Type passes only for JSON.
func requireMediaType(c echo.Context, want string) error {
	ct := c.Request().Header.Get(echo.HeaderContentType)
	if ct == "" && want == echo.MIMEApplicationJSON {
		return nil
	}
	mt, params, err := mime.ParseMediaType(ct)
	if err == nil && mt == want {
		if cs, ok := params["charset"]; !ok || strings.EqualFold(cs, "utf-8") {
			return nil
		}
	}
	return domain.E(domain.KindMalformed, "Content-Type",
		fmt.Sprintf("请求须为 %s(UTF-8)，而不是 %.80q / the body must be %s (UTF-8), not %.80q", want, ct, want, ct), errMediaType)
}

// tooLarge turns a body read error into a 413 naming the limit, or a 400 for other failures.
func tooLarge(err error, field string, limit int64) error {
	var me *http.MaxBytesError
	if errors.As(err, &me) {
		return domain.E(domain.KindMalformed, field, fmt.Sprintf("请求体超过 %s / the body is larger than %s", size(limit), size(limit)), err)
	}
	return domain.E(domain.KindMalformed, field, "无法读取请求体 / the body could not be read", err)
}

func size(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

// invalidUTF8Field names the JSON value that holds raw's first non-UTF-8 byte, as a path
// such as days[2].name, or "body" when it lies outside any value.
func invalidUTF8Field(raw []byte) string {
	bad := 0
	for bad < len(raw) {
		r, n := utf8.DecodeRune(raw[bad:])
		if r == utf8.RuneError && n <= 1 {
			break
		}
		bad += n
	}
	type level struct {
		obj, wantKey bool
		key          string
		index        int
	}
	var stack []level
	path := func() string {
		var b strings.Builder
		for _, l := range stack {
			switch {
			case !l.obj:
				fmt.Fprintf(&b, "[%d]", l.index)
			case l.key != "":
				if b.Len() > 0 {
					b.WriteByte('.')
				}
				b.WriteString(strings.ToValidUTF8(l.key, "?"))
			}
		}
		if b.Len() == 0 {
			return "body"
		}
		return b.String()
	}
	next := func() { // a value ended: the parent wants a key or its next element
		if n := len(stack); n > 0 {
			if stack[n-1].obj {
				stack[n-1].wantKey = true
			} else {
				stack[n-1].index++
			}
		}
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	for {
		tok, err := dec.Token()
		if err != nil {
			return path()
		}
		past := dec.InputOffset() > int64(bad)
		n := len(stack)
		if d, ok := tok.(json.Delim); ok {
			if d == '{' || d == '[' {
				stack = append(stack, level{obj: d == '{', wantKey: d == '{'})
			} else {
				stack = stack[:n-1]
				next()
			}
			continue
		}
		if s, ok := tok.(string); ok && n > 0 && stack[n-1].obj && stack[n-1].wantKey {
			stack[n-1].key, stack[n-1].wantKey = s, false
			if past {
				return path()
			}
			continue
		}
		if past {
			return path()
		}
		next()
	}
}

// undecodableLine returns the 1-based line of the first byte that keeps an uploaded text
// document from being read, or 0 when it reads. The importer reads text that is not UTF-8 as
// GB18030 (the GBK files Chinese offices still send); text that is mostly UTF-8 with a few bad
// bytes is a damaged UTF-8 file, and reading it as GB18030 would turn every character into
// mojibake, so it is refused here. Zip containers (docx, xlsx) and UTF-16 with a BOM are
// binary to this check and left to the importer.
func undecodableLine(data []byte) int {
	if utf8.Valid(data) || bytes.HasPrefix(data, []byte("PK\x03\x04")) ||
		bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) {
		return 0
	}
	good, bad, first := 0, 0, -1
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			bad++
			if first < 0 {
				first = i
			}
		case n > 1:
			good++
		}
		i += n
	}
	if good > bad {
		return bytes.Count(data[:first], []byte("\n")) + 1
	}
	text, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
	if i := bytes.IndexRune(text, utf8.RuneError); err != nil || i >= 0 {
		return bytes.Count(text[:max(i, 0)], []byte("\n")) + 1
	}
	return 0
}
