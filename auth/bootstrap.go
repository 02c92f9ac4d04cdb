package auth

import (
	"context"
	"fmt"

	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/store"
)

// BootstrapUsername is the account Bootstrap creates.
const BootstrapUsername = "admin"

// Bootstrap creates user admin (role admin, 系统管理员) at first start, when the store has
// no users at all; otherwise it does nothing. With an empty password it generates a random
// 16-character one and returns it so that the caller prints it once; it never logs it.
func Bootstrap(ctx context.Context, st *store.Store, password string) (generated string, err error) {
	n, err := st.CountUsers(ctx)
	if err != nil {
		return "", fmt.Errorf("bootstrap admin: %w", err)
	}
	if n > 0 {
		return "", nil
	}
	pw := password
	if pw == "" {
		pw = RandomPassword()
		generated = pw
	}
	hash, err := HashPassword(pw)
	if err != nil {
		return "", fmt.Errorf("bootstrap admin: %w", err)
	}
	u := &store.User{Username: BootstrapUsername, DisplayName: "系统管理员", Role: string(domain.RoleAdmin), PasswordHash: hash}
	if err := st.CreateUser(ctx, u); err != nil {
		if domain.KindOf(err) == domain.KindConflict { // another replica starting at once won
			return "", nil
		}
		return "", fmt.Errorf("bootstrap admin: %w", err)
	}
	return generated, nil
}
