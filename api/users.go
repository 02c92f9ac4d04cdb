package api

import "github.com/dubanhq/duban/store"

// The user routes (POST and GET /api/v1/users, admin only) are registered in admin.go with
// the department routes.

// userView is what the API shows of a user: never the password hash.
type userView struct {
	ID           uint64  `json:"id"`
	Username     string  `json:"username"`
	DisplayName  string  `json:"display_name"`
	Role         string  `json:"role"`
	DepartmentID *uint64 `json:"department_id"`
	IsHead       bool    `json:"is_head"`
	Disabled     bool    `json:"disabled,omitempty"`
}

func viewUser(u *store.User) userView {
	return userView{ID: u.ID, Username: u.Username, DisplayName: u.DisplayName, Role: u.Role,
		DepartmentID: u.DepartmentID, IsHead: u.IsHead, Disabled: u.Disabled}
}

// viewUsers renders a list of users.
func viewUsers(us []store.User) []userView {
	out := make([]userView, len(us))
	for i := range us {
		out[i] = viewUser(&us[i])
	}
	return out
}
