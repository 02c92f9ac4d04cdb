package store

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// CalendarDays returns every stored calendar entry.
func (s *Store) CalendarDays(ctx context.Context) ([]CalendarDay, error) {
	var ds []CalendarDay
	err := s.db.WithContext(ctx).Order("date").Find(&ds).Error
	return ds, err
}

// ReplaceCalendarSource replaces all entries of one source ("override" or "year:2027").
func (s *Store) ReplaceCalendarSource(ctx context.Context, source string, days []CalendarDay) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("source = ?", source).Delete(&CalendarDay{}).Error; err != nil {
			return fmt.Errorf("store: calendar: %w", err)
		}
		for i := range days {
			days[i].Source = source
		}
		if len(days) == 0 {
			return nil
		}
		return tx.Create(&days).Error
	})
}
