package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/dubanhq/duban/domain"
)

// maxJSONBytes bounds a JSON request body.
const maxJSONBytes = 1 << 20

// bind decodes a JSON request body into v strictly. A body of another content type is a 415,
// one over maxJSONBytes a 413; one that is not UTF-8, not JSON, empty, has an unknown field,
// a value of the wrong type or anything after the value is a 400 (KindMalformed) naming the
// field when there is one.
func bind(c echo.Context, v any) error {
	raw, err := readJSON(c)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return domain.E(domain.KindMalformed, "", "JSON 之后还有多余内容 / unexpected data after the JSON value", err)
	}
	return nil
}

// decodeError turns an encoding/json error into a safe, bilingual KindMalformed error.
func decodeError(err error) error {
	var (
		te *json.UnmarshalTypeError
		se *json.SyntaxError
		pe *time.ParseError
	)
	switch {
	case errors.Is(err, io.EOF):
		return domain.E(domain.KindMalformed, "", "请求体为空 / the body is empty", err)
	case errors.As(err, &pe):
		return domain.E(domain.KindMalformed, "", "时间应为 RFC 3339 格式，如 2025-06-30T18:00:00+08:00 / times must be RFC 3339, such as 2025-06-30T18:00:00+08:00", err)
	case errors.As(err, &te) && te.Field != "":
		return domain.E(domain.KindMalformed, te.Field, "字段类型错误："+te.Field+" / wrong type for field "+te.Field, err)
	case errors.As(err, &te):
		return domain.E(domain.KindMalformed, "", "请求体应为 JSON 对象 / the body must be a JSON object", err)
	case errors.As(err, &se), errors.Is(err, io.ErrUnexpectedEOF):
		return domain.E(domain.KindMalformed, "", "JSON 格式错误 / malformed JSON", err)
	}
	// encoding/json has no typed error for an unknown field; its text is stable.
	if f, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		f = strings.Trim(f, `"`)
		return domain.E(domain.KindMalformed, f, "未知字段："+f+" / unknown field "+f, err)
	}
	return domain.E(domain.KindMalformed, "", "JSON 格式错误 / malformed JSON", err)
}

// created answers 201 Created with v as JSON.
func created(c echo.Context, v any) error { return c.JSON(http.StatusCreated, v) }
