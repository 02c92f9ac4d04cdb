package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/dubanhq/duban/domain"
)

// CreateCircular stores a draft.
func (s *Store) CreateCircular(ctx context.Context, c *Circular) error {
	c.Status, c.Version, c.Seq = "draft", 1, nil
	return s.db.WithContext(ctx).Create(c).Error
}

// GetCircular returns one circular.
func (s *Store) GetCircular(ctx context.Context, id uint64) (*Circular, error) {
	var c Circular
	err := s.db.WithContext(ctx).First(&c, id).Error
	if notFound(err) {
		return nil, domain.NotFoundf("通报 %d 不存在 / circular %d does not exist", id, id)
	}
	return &c, err
}

// ListCirculars returns a plan's circulars (all when planID is 0), newest first, without
// their content.
func (s *Store) ListCirculars(ctx context.Context, planID uint64, publishedOnly bool) ([]Circular, error) {
	q := s.db.WithContext(ctx).Omit("content_json")
	if planID != 0 {
		q = q.Where("plan_id = ?", planID)
	}
	if publishedOnly {
		q = q.Where("status = ?", "published")
	}
	var out []Circular
	return out, q.Order("id DESC").Limit(500).Find(&out).Error
}

// UpdateCircularDraft replaces a draft's title and content when version is still current;
// a published circular never changes.
func (s *Store) UpdateCircularDraft(ctx context.Context, id uint64, version int64, title, content string) (*Circular, error) {
	res := s.db.WithContext(ctx).Model(&Circular{}).Where("id = ? AND status = ? AND version = ?", id, "draft", version).
		Updates(map[string]any{"title": title, "content_json": content, "version": gorm.Expr("version + 1")})
	if res.Error != nil {
		return nil, res.Error
	}
	c, err := s.GetCircular(ctx, id)
	if err != nil {
		return nil, err
	}
	switch {
	case res.RowsAffected == 1:
		return c, nil
	case c.Status != "draft":
		return c, domain.Conflictf("通报已印发，不能修改 / circular %s is published and cannot change", c.Number)
	default:
		return c, domain.E(domain.KindPrecondition, "version", "通报已被他人修改，请刷新后再改 / the draft changed since you loaded it", nil)
	}
}

// PublishCircular numbers a draft (督办通报〔year〕seq号, the next number of its year) and
// freezes it, in one transaction. Publishing a circular already published returns it as it
// is, so a retried publication changes nothing.
func (s *Store) PublishCircular(ctx context.Context, id uint64, version int64, by uint64, at time.Time, prefix string) (*Circular, error) {
	// The database keeps milliseconds (DATETIME(3)); the returned circular says what is kept.
	at = at.Truncate(time.Millisecond)
	// Two circulars published at once may both take the year's next number; the unique
	// (year, seq) index refuses the second, which then takes the one after. On SQLite the
	// second writer may instead find its snapshot stale ("database is locked"): the same.
	for attempt := 0; ; attempt++ {
		c, err := s.publishOnce(ctx, id, version, by, at, prefix)
		if err != nil && (isDuplicate(err) || strings.Contains(err.Error(), "database is locked")) && attempt < 10 {
			time.Sleep(time.Duration(attempt+1) * 10 * time.Millisecond)
			continue
		}
		return c, err
	}
}

func (s *Store) publishOnce(ctx context.Context, id uint64, version int64, by uint64, at time.Time, prefix string) (*Circular, error) {
	var out Circular
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var c Circular
		if err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).First(&c, id).Error; err != nil {
			if notFound(err) {
				return domain.NotFoundf("通报 %d 不存在 / circular %d does not exist", id, id)
			}
			return err
		}
		if c.Status == "published" {
			out = c
			return nil
		}
		if version != 0 && c.Version != version {
			return domain.E(domain.KindPrecondition, "version", "通报已被他人修改，请刷新后再印发 / the draft changed since you loaded it", nil)
		}
		year := at.In(time.FixedZone("CST", 8*3600)).Year()
		var last struct{ N int }
		if err := tx.Model(&Circular{}).Select("COALESCE(MAX(seq), 0) AS n").Where("year = ?", year).Scan(&last).Error; err != nil {
			return err
		}
		seq := last.N + 1
		c.Year, c.Seq, c.Status, c.PublishedAt, c.PublishedBy = year, &seq, "published", &at, by
		c.Number = fmt.Sprintf("%s〔%d〕%d号", prefix, year, seq)
		sum := sha256.Sum256([]byte(c.Number + "\x00" + c.Title + "\x00" + c.ContentJSON))
		c.ContentSHA256 = hex.EncodeToString(sum[:])
		if err := tx.Model(&Circular{}).Where("id = ?", id).Updates(map[string]any{
			"year": c.Year, "seq": seq, "number": c.Number, "status": c.Status, "published_at": at,
			"published_by": by, "content_sha256": c.ContentSHA256, "version": gorm.Expr("version + 1"),
		}).Error; err != nil {
			return err
		}
		c.Version++
		out = c
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}
