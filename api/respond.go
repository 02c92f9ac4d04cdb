package api

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/dubanhq/duban/domain"
)

// maxJSONBytes bounds a JSON request body.
const maxJSONBytes = 1 << 20

// bind decodes a JSON body strictly: unknown fields and bad JSON are 400 naming the problem.
func bind(c echo.Context, v any) error {
	r := c.Request()
	if ct := r.Header.Get(echo.HeaderContentType); ct != "" && !strings.HasPrefix(ct, echo.MIMEApplicationJSON) {
		return domain.E(domain.KindMalformed, "", "请求须为 JSON / the body must be application/json", nil)
	}
	dec := json.NewDecoder(http.MaxBytesReader(c.Response(), r.Body, maxJSONBytes))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if errors.Is(err, io.EOF) {
			return domain.E(domain.KindMalformed, "", "请求体为空 / the body is empty", err)
		}
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return domain.E(domain.KindMalformed, te.Field, "字段类型错误:"+te.Field+" / wrong type for field "+te.Field, err)
		}
		if f, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
			f = strings.Trim(f, `"`)
			return domain.E(domain.KindMalformed, f, "未知字段:"+f+" / unknown field "+f, err)
		}
		return domain.E(domain.KindMalformed, "", "JSON 格式错误 / malformed JSON", err)
	}
	return nil
}

// created answers 201 with v.
func created(c echo.Context, v any) error { return c.JSON(http.StatusCreated, v) }
