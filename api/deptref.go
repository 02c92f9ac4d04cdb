package api

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/dubanhq/duban/domain"
)

// departmentRef resolves a department given as its id (a number, or digits in a string)
// or as its name or an alias, matched as the registry matches (domain.NameKey).
func (s *Server) departmentRef(ctx context.Context, field string, raw json.RawMessage) (uint64, error) {
	var id uint64
	if err := json.Unmarshal(raw, &id); err == nil && id != 0 {
		if _, err := s.deps.Store.DepartmentByID(ctx, id); err != nil {
			return 0, domain.Invalidf(field, "单位 %d 不存在 / no department %d", id, id)
		}
		return id, nil
	}
	var name string
	if err := json.Unmarshal(raw, &name); err != nil || strings.TrimSpace(name) == "" {
		return 0, domain.Invalidf(field, "请填写单位（编号或名称） / give a department id or name")
	}
	if n, err := strconv.ParseUint(strings.TrimSpace(name), 10, 64); err == nil {
		return s.departmentRef(ctx, field, json.RawMessage(strconv.FormatUint(n, 10)))
	}
	ds, err := s.deps.Store.ListDepartments(ctx)
	if err != nil {
		return 0, err
	}
	key := domain.NameKey(name)
	for _, d := range ds {
		if domain.NameKey(d.Name) == key {
			return d.ID, nil
		}
		for _, a := range d.AliasList() {
			if domain.NameKey(a) == key {
				return d.ID, nil
			}
		}
	}
	return 0, domain.Invalidf(field, "找不到单位「%s」 / no department named %q", name, name)
}

// departmentRefs resolves a list of departments, each once, in the order given.
func (s *Server) departmentRefs(ctx context.Context, field string, raws []json.RawMessage) ([]uint64, error) {
	var out []uint64
	seen := map[uint64]bool{}
	for i, r := range raws {
		id, err := s.departmentRef(ctx, field+"["+strconv.Itoa(i)+"]", r)
		if err != nil {
			return nil, err
		}
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out, nil
}
