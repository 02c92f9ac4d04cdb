package notify

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"text/template"
	"text/template/parse"
	"time"
)

// A template is text a supervisor edits, so what it may cost is bounded: statically, no
// {{define}}, {{block}} or {{template}} (recursion could fan out without end) and only
// ranges over the data's own lists, at most maxRangeDepth deep ({{range 10000}} over a
// number would loop with no data at all); while running, its output and its time.
const (
	// SampleOutput and SampleTime bound an edit's trial run against Sample (Validate, preview).
	SampleOutput = 64 << 10
	SampleTime   = time.Second
	// sendOutput and sendTime bound a real message, whose digest may list many items.
	sendOutput = 1 << 20
	sendTime   = 5 * time.Second

	maxRangeDepth = 2
)

// errTooLong and errTooSlow stop a template's run from its writer.
var (
	errTooLong = errors.New("output too long")
	errTooSlow = errors.New("took too long")
)

// limitedWriter fails the write that passes max bytes or comes after the deadline, which
// stops text/template's Execute there.
type limitedWriter struct {
	buf      []byte
	max      int
	deadline time.Time
}

func (w *limitedWriter) Write(p []byte) (int, error) {
	if len(w.buf)+len(p) > w.max {
		return 0, errTooLong
	}
	if time.Now().After(w.deadline) {
		return 0, errTooSlow
	}
	w.buf = append(w.buf, p...)
	return len(p), nil
}

// limitError names the bound a run broke, in both languages.
func limitError(kind string, err error, max int, d time.Duration) error {
	switch {
	case errors.Is(err, errTooLong):
		return &TemplateError{Kind: kind, Msg: fmt.Sprintf("the output is longer than %d KB", max>>10),
			MsgZH: fmt.Sprintf("输出超过 %d KB", max>>10)}
	case errors.Is(err, errTooSlow):
		return &TemplateError{Kind: kind, Msg: fmt.Sprintf("rendering took longer than %v", d),
			MsgZH: fmt.Sprintf("渲染超过 %v", d)}
	}
	return nil
}

// checkTree enforces the static bounds on a parsed template.
func checkTree(kind string, tpl *template.Template) error {
	if len(tpl.Templates()) > 1 {
		return &TemplateError{Kind: kind, Msg: "{{define}} and {{block}} are not allowed", MsgZH: "不允许使用 {{define}} 或 {{block}}"}
	}
	if tpl.Tree == nil {
		return nil
	}
	return checkNode(kind, tpl.Tree, tpl.Tree.Root, 0)
}

func checkNode(kind string, tree *parse.Tree, n parse.Node, depth int) error {
	line := func(n parse.Node) int { // ErrorContext's location is name:line:col
		loc, _ := tree.ErrorContext(n)
		parts := strings.Split(loc, ":")
		ln, _ := strconv.Atoi(parts[len(parts)-2])
		return ln
	}
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return nil
		}
		for _, c := range n.Nodes {
			if err := checkNode(kind, tree, c, depth); err != nil {
				return err
			}
		}
	case *parse.TemplateNode:
		return &TemplateError{Kind: kind, Line: line(n), Msg: "{{template}} is not allowed", MsgZH: "不允许使用 {{template}}"}
	case *parse.IfNode:
		return checkBranch(kind, tree, &n.BranchNode, depth)
	case *parse.WithNode:
		return checkBranch(kind, tree, &n.BranchNode, depth)
	case *parse.RangeNode:
		if depth+1 > maxRangeDepth {
			return &TemplateError{Kind: kind, Line: line(n), Msg: fmt.Sprintf("{{range}} nested more than %d deep", maxRangeDepth),
				MsgZH: fmt.Sprintf("{{range}} 嵌套超过 %d 层", maxRangeDepth)}
		}
		if !rangesOverData(n.Pipe) {
			return &TemplateError{Kind: kind, Line: line(n), Msg: "{{range}} may only go over a list of the data, such as .Items",
				MsgZH: "{{range}} 只能遍历数据中的列表，如 .Items"}
		}
		return checkBranch(kind, tree, &n.BranchNode, depth+1)
	}
	return nil
}

func checkBranch(kind string, tree *parse.Tree, b *parse.BranchNode, depth int) error {
	if err := checkNode(kind, tree, b.List, depth); err != nil {
		return err
	}
	return checkNode(kind, tree, b.ElseList, depth)
}

// rangesOverData reports whether a range's pipeline is one field of the data (.Items,
// $.Items, $e.Items): never a number, a function's result or a variable holding either.
func rangesOverData(p *parse.PipeNode) bool {
	if p == nil || len(p.Cmds) != 1 || len(p.Cmds[0].Args) != 1 {
		return false
	}
	switch a := p.Cmds[0].Args[0].(type) {
	case *parse.FieldNode:
		return true
	case *parse.VariableNode:
		return len(a.Ident) > 1
	}
	return false
}
