package store

import (
	"context"
	"errors"

	"github.com/dubanhq/duban/domain"
)

// AddDepartmentAlias adds a name a department is also written under (the import wizard's
// "add as alias"); adding one it has is a no-op. Names and aliases are one namespace across
// departments (checkNames): an alias another department already has is a conflict naming it.
func (s *Store) AddDepartmentAlias(ctx context.Context, id uint64, alias string) error {
	_, _, err := s.UpdateDepartment(ctx, id, DepartmentChange{AddAlias: alias})
	if errors.Is(err, domain.ErrNotFound) {
		return domain.NotFoundf("单位 %d 不存在 / department %d does not exist", id, id)
	}
	return err
}
