package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// migration is one versioned schema step.
type migration struct {
	Version int
	Name    string
	Up      func(tx *gorm.DB) error
}

// migrations are applied in order and recorded in schema_versions. Never edit a released
// migration: add a new one.
var migrations = []migration{
	{1, "initial schema", func(tx *gorm.DB) error { return tx.AutoMigrate(allModels()...) }},
	{2, "plan supervisors", func(tx *gorm.DB) error { return tx.AutoMigrate(&PlanSupervisor{}) }},
	{3, "attachments", func(tx *gorm.DB) error { return tx.AutoMigrate(&Attachment{}) }},
	{4, "notification channels", func(tx *gorm.DB) error {
		return tx.AutoMigrate(&ContactPoint{}, &Delivery{}, &MessageTemplate{})
	}},
	{5, "assessment, circulars, accountability, indicator readings", func(tx *gorm.DB) error {
		return tx.AutoMigrate(&IndicatorReading{}, &Assessment{}, &Circular{}, &Accountability{})
	}},
	{6, "list indexes: items by status in list order, a department's assignments by role", func(tx *gorm.DB) error {
		// GORM's migrator splits a dry run as AutoMigrate does: questions go to the database,
		// statements to the SQL printer (a dry-run session can do neither by itself).
		query, exec := tx, tx
		if m, ok := tx.Migrator().(interface{ GetQueryAndExecTx() (*gorm.DB, *gorm.DB) }); ok {
			query, exec = m.GetQueryAndExecTx()
		}
		for _, ix := range []struct {
			model any
			name  string
		}{{&Item{}, "idx_items_status_id"}, {&Assignment{}, "idx_assign_dept_role"}} {
			if query.Migrator().HasIndex(ix.model, ix.name) {
				continue
			}
			if err := exec.Migrator().CreateIndex(ix.model, ix.name); err != nil {
				return err
			}
		}
		return nil
	}},
	{7, "typed events and declared ladders: events.late, escalation consequences, delivery rung, items.started_at", migrateDeclaredLadders},
	{8, "department merges", func(tx *gorm.DB) error { return tx.AutoMigrate(&DepartmentMerge{}) }},
	{9, "users.username_key (look-alike usernames) and users.must_change_password", migrateUsernameKeys},
	{10, "idempotency keys", func(tx *gorm.DB) error { return tx.AutoMigrate(&IdempotencyKey{}) }},
	{11, "sub-tasks (任务分解)", func(tx *gorm.DB) error { return tx.AutoMigrate(&Subtask{}) }},
	{12, "satisfaction evaluations (满意度测评)", func(tx *gorm.DB) error {
		return tx.AutoMigrate(&Evaluation{}, &EvaluationTarget{}, &EvaluationEvaluator{}, &EvaluationBallot{}, &EvaluationCode{}, &EvaluationAnswer{})
	}},
	{13, "supervision items (督办件) and meetings", func(tx *gorm.DB) error { return tx.AutoMigrate(&SupervisionCase{}, &CaseAttachment{}, &Meeting{}) }},
}

// SchemaVersion returns the latest migration this binary knows.
func LatestSchemaVersion() int { return migrations[len(migrations)-1].Version }

// Migrate applies pending migrations. On MySQL it holds a named lock so that several
// replicas starting at once migrate one at a time.
func (s *Store) Migrate(ctx context.Context) error {
	db := s.db.WithContext(ctx)
	if s.dialect == "mysql" {
		conn, err := db.DB()
		if err != nil {
			return err
		}
		c, err := conn.Conn(ctx)
		if err != nil {
			return err
		}
		defer c.Close()
		var got int
		if err := c.QueryRowContext(ctx, "SELECT GET_LOCK(?, ?)", "duban_migrate", 60).Scan(&got); err != nil || got != 1 {
			return fmt.Errorf("store: could not take the migration lock (another replica migrating?): %v", err)
		}
		defer c.ExecContext(context.WithoutCancel(ctx), "SELECT RELEASE_LOCK(?)", "duban_migrate")
	}
	if err := db.AutoMigrate(&SchemaVersion{}); err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	var applied []SchemaVersion
	if err := db.Find(&applied).Error; err != nil {
		return fmt.Errorf("store: read schema versions: %w", err)
	}
	done := map[int]bool{}
	for _, a := range applied {
		done[a.Version] = true
	}
	for _, m := range migrations {
		if done[m.Version] {
			continue
		}
		if err := m.Up(db); err != nil {
			return fmt.Errorf("store: migration %d (%s): %w", m.Version, m.Name, err)
		}
		if err := db.Create(&SchemaVersion{Version: m.Version, Name: m.Name, AppliedAt: time.Now().UTC()}).Error; err != nil && !isDuplicate(err) {
			return fmt.Errorf("store: record migration %d: %w", m.Version, err)
		}
	}
	return nil
}

// CurrentSchemaVersion returns the highest applied migration, 0 for an empty database.
func (s *Store) CurrentSchemaVersion(ctx context.Context) (int, error) {
	var v int
	if !s.db.Migrator().HasTable(&SchemaVersion{}) {
		return 0, nil
	}
	err := s.db.WithContext(ctx).Model(&SchemaVersion{}).Select("COALESCE(MAX(version),0)").Scan(&v).Error
	return v, err
}

// PendingMigrations names the migrations not yet applied.
func (s *Store) PendingMigrations(ctx context.Context) ([]string, error) {
	done := map[int]bool{}
	if s.db.Migrator().HasTable(&SchemaVersion{}) {
		var applied []SchemaVersion
		if err := s.db.WithContext(ctx).Find(&applied).Error; err != nil {
			return nil, err
		}
		for _, a := range applied {
			done[a.Version] = true
		}
	}
	var out []string
	for _, m := range migrations {
		if !done[m.Version] {
			out = append(out, fmt.Sprintf("%d %s", m.Version, m.Name))
		}
	}
	return out, nil
}

// MigrateDryRun prints to standard output the SQL that Migrate would run, changing nothing.
// GORM still reads the catalogue to decide what is missing.
func (s *Store) MigrateDryRun(ctx context.Context) error {
	pending, err := s.PendingMigrations(ctx)
	if err != nil {
		return err
	}
	dry := s.db.WithContext(ctx).Session(&gorm.Session{DryRun: true})
	if !s.db.Migrator().HasTable(&SchemaVersion{}) {
		if err := dry.AutoMigrate(&SchemaVersion{}); err != nil {
			return err
		}
	}
	for _, name := range pending {
		for _, m := range migrations {
			if fmt.Sprintf("%d %s", m.Version, m.Name) == name {
				fmt.Printf("-- migration %s\n", name)
				if err := m.Up(dry); err != nil {
					return fmt.Errorf("store: dry run of migration %s: %w", name, err)
				}
			}
		}
	}
	return nil
}
