package api

import "github.com/dubanhq/duban/domain"

// departmentScoped lists the actions a liaison may do only for their own department, as
// TestAuthorisationMatrix reads it.
var departmentScoped = func() map[Action]bool {
	out := map[Action]bool{}
	for act, sc := range policy[domain.RoleLiaison] {
		out[act] = sc == OwnDepartment
	}
	return out
}()
