package importer

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
)

// MaxInput is the largest document Parse accepts (the longest seed is 56 KB).
const MaxInput = 20 << 20

// ErrNoList means the document holds no responsibility list: no numbered task names a
// department and no section reads as a list of tasks, or a ledger has no usable row. Parse
// wraps it with the specific reason (test it with errors.Is) and still returns a Result
// with the plan metadata and the warnings, so a caller can show what was found; the CLI
// exits with status 2 on it.
var ErrNoList = errors.New(msg(
	"未找到责任清单：文中没有列出牵头单位/配合单位或〔责任单位〕的编号任务，也没有带牵头单位列的表格",
	"no responsibility list found: no numbered task names lead, partner or responsible departments, and no table has a lead column"))

// Formats Parse understands.
var formats = map[string]string{
	"text": "text", "txt": "text", "docx": "docx", "yaml": "yaml", "yml": "yaml",
	"json": "json", "csv": "csv", "tsv": "csv", "xlsx": "xlsx", "xlsm": "xlsx",
}

// Parse reads a plan and returns its responsibility lists. The format is Options.Format,
// or detected from the file name and the content. On ErrNoList (wrapped) the Result is
// still returned with the plan metadata and the warnings that explain what was looked for;
// any other error returns a nil Result.
func Parse(data []byte, opts Options) (*Result, error) {
	if len(data) > MaxInput {
		return nil, fmt.Errorf("%s", msg(fmt.Sprintf("文档超过 %d MB", MaxInput>>20), fmt.Sprintf("the document is larger than %d MB", MaxInput>>20)))
	}
	format, err := resolveFormat(data, opts)
	if err != nil {
		return nil, err
	}
	if format == "docx" || format == "xlsx" {
		if err := checkZip(data); err != nil {
			return nil, err
		}
	}
	switch format {
	case "docx":
		text, err := docxText(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", describe(opts), err)
		}
		return parseText(text, nil, opts)
	case "csv", "json", "yaml", "xlsx":
		res, err := parseLedger(data, format, opts)
		if err != nil && !errors.Is(err, ErrNoList) {
			return nil, fmt.Errorf("%s: %w", describe(opts), err)
		}
		return res, err
	}
	text, warns := decode(data)
	return parseText(text, warns, opts)
}

func describe(opts Options) string {
	if opts.Filename != "" {
		return opts.Filename
	}
	return "importer"
}

var reYAMLStart = regexp.MustCompile(`^(?:---|items\s*:|plan\s*:|lists\s*:|-\s+(?:ref|title|任务|序号)\s*:)`)

// resolveFormat returns the explicit format, else one detected from the extension, else
// from the content: a zip holding word/document.xml or xl/workbook.xml, JSON, YAML that
// opens with items:/plan:, CSV whose first line names known columns; otherwise text.
func resolveFormat(data []byte, opts Options) (string, error) {
	if opts.Format != "" {
		f, ok := formats[strings.ToLower(opts.Format)]
		if !ok {
			return "", fmt.Errorf("%s", msg(fmt.Sprintf("不支持的格式 %q（支持 text、docx、yaml、json、csv、xlsx）", opts.Format),
				fmt.Sprintf("unsupported format %q (text, docx, yaml, json, csv, xlsx)", opts.Format)))
		}
		return f, nil
	}
	ext := strings.TrimPrefix(strings.ToLower(filepath.Ext(opts.Filename)), ".")
	switch ext {
	case "doc", "xls", "wps", "et", "pdf", "ofd":
		return "", fmt.Errorf("%s", msg(fmt.Sprintf("不支持 .%s 文件，请另存为 .docx、.xlsx 或纯文本", ext),
			fmt.Sprintf(".%s files are not supported; save as .docx, .xlsx or plain text", ext)))
	}
	if f, ok := formats[ext]; ok {
		return f, nil
	}
	switch {
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		if bytes.Contains(data, []byte("xl/workbook")) {
			return "xlsx", nil
		}
		return "docx", nil
	case bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0}):
		return "", fmt.Errorf("%s", msg("这是旧版 Word/Excel 文件（.doc/.xls），请另存为 .docx 或 .xlsx", "this is a legacy .doc/.xls file; save it as .docx or .xlsx"))
	case bytes.HasPrefix(data, []byte("%PDF")):
		return "", fmt.Errorf("%s", msg("不支持 PDF，请复制文字或另存为 .docx", "PDF is not supported; copy the text or save as .docx"))
	}
	trimmed := bytes.TrimSpace(bytes.TrimPrefix(data, bomUTF8))
	if len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[') && json.Valid(trimmed) {
		return "json", nil
	}
	if reYAMLStart.Match(trimmed) {
		return "yaml", nil
	}
	if first, _, _ := bytes.Cut(trimmed, []byte("\n")); bytes.Count(first, []byte(",")) >= 2 || bytes.Count(first, []byte("\t")) >= 2 {
		if knownColumns(splitHeaderGuess(string(first))) >= 2 {
			return "csv", nil
		}
	}
	return "text", nil
}

func splitHeaderGuess(line string) []string {
	sep := ","
	if strings.Count(line, "\t") > strings.Count(line, ",") {
		sep = "\t"
	}
	return strings.Split(line, sep)
}
