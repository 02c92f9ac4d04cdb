package importer

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

// decode returns the document as UTF-8 text with \n line ends. A UTF-8 BOM is dropped,
// UTF-16 with a BOM is converted, and input that is not valid UTF-8 is read as GB18030
// (a superset of GBK and GB2312, the usual encodings of Chinese government files).
func decode(data []byte) (string, []Warning) {
	var warns []Warning
	var text string
	switch {
	case bytes.HasPrefix(data, bomUTF8):
		text = string(data[len(bomUTF8):])
	case bytes.HasPrefix(data, bomUTF16LE), bytes.HasPrefix(data, bomUTF16BE):
		out, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewDecoder().Bytes(data)
		if err != nil {
			warns = append(warns, newWarning(0, "encoding", "", "UTF-16 文本有无法解码的字节，已替换", "the UTF-16 text has undecodable bytes; they were replaced"))
		}
		text = string(out)
	case utf8.Valid(data):
		text = string(data)
	default:
		out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
		if err != nil {
			text = strings.ToValidUTF8(string(data), "\uFFFD")
			warns = append(warns, newWarning(0, "encoding", "", "文本既不是 UTF-8 也不是 GB18030，无法识别的字节已替换", "the text is neither UTF-8 nor GB18030; unreadable bytes were replaced"))
		} else {
			text = string(out)
			warns = append(warns, newWarning(0, "encoding", "", "文本不是 UTF-8，已按 GB18030 解码", "the text is not UTF-8 and was decoded as GB18030"))
		}
	}
	text = strings.ToValidUTF8(text, "\uFFFD")
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	return text, warns
}

// fold maps one rune to its half-width form: full-width ASCII (,:;() and digits) becomes
// ASCII and the ideographic and no-break spaces become a space. It maps rune for rune, so a
// folded string has the same rune offsets as the original, which lets the parser match on
// folded text and still cut the original. Chinese punctuation without an ASCII twin
// (、。〔〕【】《》) is kept. Traditional characters become simplified (see simplify).
func fold(r rune) rune {
	if r >= 0x4E00 && r <= 0x9FFF { // CJK ideographs; full-width forms (U+FF01…) fold below
		return simplify(r)
	}
	return foldWidth(r)
}

// foldWidth is fold without the traditional-script mapping.
func foldWidth(r rune) rune {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E:
		return r - 0xFF01 + '!'
	case r == 0x3000, r == 0x00A0, r == '\t':
		return ' '
	case r >= 0xFE50 && r <= 0xFE5E: // small form variants: ﹐﹑﹒﹔﹕﹖﹗ ﹙﹚ ﹝﹞ (1﹒ is a heading)
		return smallForms[r-0xFE50]
	}
	return r
}

// smallForms maps U+FE50…U+FE5E to their ordinary forms; the dashes and curly brackets
// among them stay.
var smallForms = [...]rune{',', '、', '.', 0xFE53, ';', ':', '?', '!', 0xFE58, '(', ')', 0xFE5B, 0xFE5C, '〔', '〕'}

// narrow folds a string and trims it.
func narrow(s string) string {
	return strings.TrimSpace(strings.Map(fold, s))
}

// msg joins a Chinese message and its English gloss, the form of every warning and error.
func msg(zh, en string) string {
	return zh + " / " + en
}

// englishPart is the English gloss of a msg() string.
func englishPart(m string) string {
	if _, en, ok := strings.Cut(m, " / "); ok {
		return en
	}
	return ""
}
