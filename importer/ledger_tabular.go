package importer

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// maxLedgerRows bounds a ledger; a province-wide plan has a few thousand rows.
const maxLedgerRows = 100000

// parseLedger reads a structured ledger. CSV and XLSX are tables with a header row (up
// to ten title rows above it are allowed; the first becomes the plan title); YAML and
// JSON are lists of items, or {plan: {...}, items: [...]} / {lists: [{name, items}]}.
func parseLedger(data []byte, format string, opts Options) (*Result, error) {
	ib := &itemBuilder{dir: opts.Directory}
	var lists []builtList
	plan := Plan{}
	switch format {
	case "csv":
		text, warns := decode(data)
		ib.warns = warns
		grid, lines, err := readCSV(text)
		if err != nil {
			return nil, err
		}
		rows, title, err := gridRows(grid, lines)
		if err != nil {
			return nil, err
		}
		plan.Title = title
		lists = append(lists, ib.ledgerItems("台账", rows))
	case "xlsx":
		var sheets []sheet
		err := guard("xlsx", func() (err error) { sheets, err = readXLSX(data); return err })
		if err != nil {
			return nil, err
		}
		for _, sh := range sheets {
			rows, title, err := gridRows(sh.grid, nil)
			if err != nil {
				ib.warn(0, "sheet-skipped", "", fmt.Sprintf("工作表“%s”：%v", sh.name, err), fmt.Sprintf("sheet %q skipped", sh.name))
				continue
			}
			if plan.Title == "" {
				plan.Title = title
			}
			lists = append(lists, ib.ledgerItems(sh.name, rows))
		}
	default:
		var err error
		plan, lists, err = ib.structured(data, format)
		if err != nil {
			return nil, err
		}
	}
	kept := lists[:0]
	for _, l := range lists {
		if len(l.Items) > 0 {
			kept = append(kept, l)
		}
	}
	res := &Result{Plan: plan, Warnings: ib.warns}
	return finish(res, kept, opts.List, msg("台账中没有可用的任务行", "the ledger has no usable task row"))
}

// readCSV reads comma- or tab-separated records with the line each starts on.
func readCSV(text string) ([][]string, []int, error) {
	first, _, _ := strings.Cut(text, "\n")
	r := csv.NewReader(strings.NewReader(text))
	if strings.Count(first, "\t") > strings.Count(first, ",") {
		r.Comma = '\t'
	}
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	var grid [][]string
	var lines []int
	for len(grid) < maxLedgerRows {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", msg("CSV 格式错误", "malformed CSV"), err)
		}
		line, _ := r.FieldPos(0)
		grid, lines = append(grid, rec), append(lines, line)
	}
	return grid, lines, nil
}

// guard runs a third-party parser and turns a panic on hostile input into an error.
func guard(what string, f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%s: %v", msg(fmt.Sprintf("无法解析 %s 文件", what), "cannot parse the "+what+" file"), r)
		}
	}()
	return f()
}

type sheet struct {
	name string
	grid [][]string
}

// readXLSX reads every sheet, copying each merged cell's value into all the cells it
// covers (a lead department merged over several rows belongs to each row) and turning
// Excel date serials in date columns into dates later (see gridRows).
func readXLSX(data []byte) ([]sheet, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: MaxUnpacked, UnzipXMLSizeLimit: MaxUnpacked})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", msg("无法读取 .xlsx 文件", "cannot read the .xlsx file"), err)
	}
	defer f.Close()
	var out []sheet
	for _, name := range f.GetSheetList() {
		grid, err := f.GetRows(name, excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", msg(fmt.Sprintf("无法读取工作表“%s”", name), fmt.Sprintf("cannot read sheet %q", name)), err)
		}
		if len(grid) > maxLedgerRows {
			grid = grid[:maxLedgerRows]
		}
		merged, _ := f.GetMergeCells(name)
		for _, mc := range merged {
			fillMerged(grid, mc.GetStartAxis(), mc.GetEndAxis(), mc.GetCellValue())
		}
		out = append(out, sheet{name: name, grid: grid})
	}
	return out, nil
}

func fillMerged(grid [][]string, from, to, value string) {
	c1, r1, err1 := excelize.CellNameToCoordinates(from)
	c2, r2, err2 := excelize.CellNameToCoordinates(to)
	if err1 != nil || err2 != nil || r2-r1 > 1000 || c2-c1 > 100 {
		return
	}
	for r := r1; r <= r2 && r <= len(grid); r++ {
		for c := c1; c <= c2; c++ {
			row := grid[r-1]
			for len(row) < c {
				row = append(row, "")
			}
			if row[c-1] == "" {
				row[c-1] = value
			}
			grid[r-1] = row
		}
	}
}

// gridRows finds the header among the first ten rows and reads the rows below it. lines
// gives each row's line number (CSV); otherwise rows are numbered from 1 (XLSX).
func gridRows(grid [][]string, lines []int) ([]ledgerRow, string, error) {
	lineOf := func(i int) int {
		if lines != nil {
			return lines[i]
		}
		return i + 1
	}
	h, title := -1, ""
	for i := 0; i < len(grid) && i < 10; i++ {
		if knownColumns(grid[i]) >= 2 {
			h = i
			break
		}
		if title == "" {
			title = strings.TrimSpace(strings.Join(grid[i], " "))
		}
	}
	if h < 0 {
		return nil, "", errors.New(msg("前 10 行中没有表头（如 序号、任务、牵头单位、配合单位、完成时限）",
			"no header row in the first 10 rows (such as 序号, 任务, 牵头单位, 配合单位, 完成时限)"))
	}
	cols := make([]string, len(grid[h]))
	headers := map[string]string{}
	for i, c := range grid[h] {
		if cols[i] = columnOf(c); cols[i] != "" && headers[cols[i]] == "" {
			headers[cols[i]] = strings.TrimSpace(c)
		}
	}
	var rows []ledgerRow
	for i := h + 1; i < len(grid); i++ {
		r := ledgerRow{line: lineOf(i), values: map[string]string{}, headers: headers}
		empty := true
		for j, v := range grid[i] {
			if j >= len(cols) || cols[j] == "" || strings.TrimSpace(v) == "" {
				continue
			}
			empty = false
			r.values[cols[j]] = joinCell(r.values[cols[j]], excelDate(cols[j], strings.TrimSpace(v)))
		}
		if !empty {
			rows = append(rows, r)
		}
	}
	return rows, title, nil
}

func joinCell(old, v string) string {
	if old == "" {
		return v
	}
	return old + "\n" + v
}

// excelDate turns an Excel date serial in a date column into 2006-01-02.
func excelDate(col, v string) string {
	if col != "deadline" && col != "start" && col != "schedule" {
		return v
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f < 20000 || f > 80000 {
		return v
	}
	t, err := excelize.ExcelDateToTime(f, false)
	if err != nil {
		return v
	}
	return t.Format(dateLayout)
}
