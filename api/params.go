package api

import (
	"math"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/dubanhq/duban/domain"
)

// pathID reads the path parameter name as a row ID.
func pathID(c echo.Context, name string) (uint64, error) { return parseID(name, c.Param(name)) }

// parseID reads v as a row ID: a decimal number from 1 to 2^63−1, the range both databases
// hold. Anything else, 2^63 and above included (which the drivers refuse with an error that
// would otherwise be a 500), is a 400 naming field.
func parseID(field, v string) (uint64, error) {
	n, err := strconv.ParseUint(v, 10, 64)
	if err != nil || n == 0 || n > math.MaxInt64 {
		return 0, domain.E(domain.KindMalformed, field,
			"编号应为 1 至 9223372036854775807 之间的整数："+field+" / "+field+" must be a whole number from 1 to 9223372036854775807", err)
	}
	return n, nil
}
