package api

import (
	"context"

	"github.com/dubanhq/duban/importer"
)

// directory builds the importer's department registry from the store, so imported names
// are normalised against known departments, aliases and groups.
func (s *Server) directory(ctx context.Context) (*importer.Directory, error) {
	ds, err := s.deps.Store.ListDepartments(ctx)
	if err != nil {
		return nil, err
	}
	gs, err := s.deps.Store.ListGroups(ctx)
	if err != nil {
		return nil, err
	}
	names := make(map[uint64]string, len(ds))
	deps := make([]importer.Department, len(ds))
	for i, d := range ds {
		names[d.ID] = d.Name
		deps[i] = importer.Department{Name: d.Name, Aliases: d.AliasList()}
	}
	groups := make([]importer.Group, len(gs))
	for i, g := range gs {
		groups[i] = importer.Group{Name: g.Name}
		for _, m := range g.Members {
			groups[i].Members = append(groups[i].Members, names[m])
		}
	}
	return importer.NewDirectory(deps, groups), nil
}
