package assess

import (
	"context"

	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/store"
)

// handlerIndex answers "who handled this item for this department": the liaison who signed
// it, or, when nobody signed, the department's liaisons (联络员) on record.
type handlerIndex struct {
	signers  map[[2]uint64]store.User
	liaisons map[uint64][]string
	fetch    func(dept uint64) []string
}

func (h *handlerIndex) of(item, dept uint64) []string {
	if u, ok := h.signers[[2]uint64{item, dept}]; ok {
		return []string{u.DisplayName}
	}
	if names, ok := h.liaisons[dept]; ok {
		return names
	}
	names := h.fetch(dept)
	h.liaisons[dept] = names
	return names
}

func (s *Service) handlers(ctx context.Context, itemIDs []uint64) (*handlerIndex, error) {
	signers, err := s.Store.Signers(ctx, itemIDs)
	if err != nil {
		return nil, err
	}
	return &handlerIndex{signers: signers, liaisons: map[uint64][]string{}, fetch: func(dept uint64) []string {
		us, err := s.Store.UsersForDepartment(ctx, dept, false)
		if err != nil {
			return nil
		}
		var names []string
		for _, u := range us {
			if u.Role == string(domain.RoleLiaison) {
				names = append(names, u.DisplayName)
			}
		}
		return names
	}}, nil
}
