package store

import (
	"context"
	"encoding/json"
	"slices"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/dubanhq/duban/domain"
)

// AddDepartmentAlias adds a name a department is also written under (the import wizard's
// "add as alias"); adding one it has is a no-op.
func (s *Store) AddDepartmentAlias(ctx context.Context, id uint64, alias string) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var d Department
		if err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).First(&d, id).Error; err != nil {
			if notFound(err) {
				return domain.NotFoundf("单位 %d 不存在 / department %d does not exist", id, id)
			}
			return err
		}
		as := d.AliasList()
		if slices.Contains(as, alias) || d.Name == alias {
			return nil
		}
		b, _ := json.Marshal(append(as, alias))
		return tx.Model(&Department{}).Where("id = ?", id).Update("aliases", string(b)).Error
	})
}
