package store

import "gorm.io/gorm"

// RawDB lets the external tests put rows in the shape an older release wrote them.
func RawDB(s *Store) *gorm.DB { return s.db }
