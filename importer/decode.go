package importer

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// decode returns the document as UTF-8 text: a BOM is dropped, and input that is not valid
// UTF-8 is read as GB18030, the common encoding of Chinese government files.
func decode(data []byte) (string, []Warning) {
	data = bytes.TrimPrefix(data, []byte{0xEF, 0xBB, 0xBF})
	if utf8.Valid(data) {
		return normaliseNewlines(string(data)), nil
	}
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
	if err != nil {
		return normaliseNewlines(strings.ToValidUTF8(string(data), "\uFFFD")),
			[]Warning{{0, "文本既不是 UTF-8 也不是 GB18030,无法识别的字符已替换 / the text is neither UTF-8 nor GB18030; unreadable bytes were replaced"}}
	}
	return normaliseNewlines(string(out)), []Warning{{0, "文本按 GB18030 编码读取 / the text was read as GB18030"}}
}

func normaliseNewlines(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}

// narrow folds full-width ASCII (:,()) and the ideographic space to half-width and
// trims; Chinese punctuation such as 、。〔〕【】 is kept.
func narrow(s string) string {
	return strings.TrimSpace(strings.Map(foldRune, s))
}

func foldRune(r rune) rune {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E:
		return r - 0xFF01 + '!'
	case r == 0x3000 || r == 0x00A0:
		return ' '
	}
	return r
}
