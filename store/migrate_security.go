package store

import (
	"fmt"

	"gorm.io/gorm"

	"github.com/dubanhq/duban/domain"
)

// migrateUsernameKeys is migration 9. It adds users.username_key (domain.UsernameKey of the
// name, under a unique index) and users.must_change_password, and fills the key for the
// users there already. Where two existing users already fold to one key (possible on SQLite,
// whose collation is exact), the later one's key gets "#id" appended: both keep working
// with their exact spelling, and no new look-alike can be added.
func migrateUsernameKeys(tx *gorm.DB) error {
	query, exec := splitMigrator(tx)
	if !query.Migrator().HasTable(&User{}) {
		return nil // a dry run on an empty database: migration 1 creates the columns and index
	}
	for _, col := range []string{"UsernameKey", "MustChangePassword"} {
		if query.Migrator().HasColumn(&User{}, col) {
			continue
		}
		if err := exec.Migrator().AddColumn(&User{}, col); err != nil {
			return fmt.Errorf("users.%s: %w", col, err)
		}
	}
	var us []User
	if query.Migrator().HasColumn(&User{}, "UsernameKey") {
		if err := query.Select("id", "username", "username_key").Order("id").Find(&us).Error; err != nil {
			return fmt.Errorf("users: %w", err)
		}
	} else if err := query.Select("id", "username").Order("id").Find(&us).Error; err != nil { // a dry run
		return fmt.Errorf("users: %w", err)
	}
	seen := map[string]bool{}
	for _, u := range us {
		k := domain.UsernameKey(u.Username)
		if seen[k] {
			k = fmt.Sprintf("%s#%d", k, u.ID)
		}
		seen[k] = true
		if u.UsernameKey == k {
			continue
		}
		if err := exec.Model(&User{}).Where("id = ?", u.ID).Update("username_key", k).Error; err != nil {
			return fmt.Errorf("users.username_key: %w", err)
		}
	}
	if !query.Migrator().HasIndex(&User{}, "idx_users_username_key") {
		if err := exec.Migrator().CreateIndex(&User{}, "idx_users_username_key"); err != nil {
			return fmt.Errorf("users.username_key index: %w", err)
		}
	}
	return nil
}

// splitMigrator splits a dry run as AutoMigrate does: questions go to the database,
// statements to the SQL printer (a dry-run session can do neither by itself).
func splitMigrator(tx *gorm.DB) (query, exec *gorm.DB) {
	if m, ok := tx.Migrator().(interface{ GetQueryAndExecTx() (*gorm.DB, *gorm.DB) }); ok {
		return m.GetQueryAndExecTx()
	}
	return tx, tx
}
