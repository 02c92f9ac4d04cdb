package store

import (
	"context"

	"github.com/dubanhq/duban/domain"
)

// SaveAttachment stores an uploaded file.
func (s *Store) SaveAttachment(ctx context.Context, a *Attachment) error {
	return s.db.WithContext(ctx).Create(a).Error
}

// AttachmentMeta returns a file's metadata without its content, or domain.ErrNotFound.
func (s *Store) AttachmentMeta(ctx context.Context, id uint64) (*Attachment, error) {
	var a Attachment
	err := s.rdb.WithContext(ctx).Omit("data").First(&a, id).Error
	if notFound(err) {
		return nil, domain.ErrNotFound
	}
	return &a, err
}

// GetAttachment returns a file with its content, or domain.ErrNotFound.
func (s *Store) GetAttachment(ctx context.Context, id uint64) (*Attachment, error) {
	var a Attachment
	err := s.rdb.WithContext(ctx).First(&a, id).Error
	if notFound(err) {
		return nil, domain.ErrNotFound
	}
	return &a, err
}
