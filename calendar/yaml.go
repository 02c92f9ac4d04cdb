package calendar

import (
	"fmt"
	"io"

	"gopkg.in/yaml.v3"
)

// LoadYAML reads a calendar file:
//
//	years:
//	  - year: 2027
//	    days: [{date: "2027-01-01", off: true, name: 元旦}, …]
//	overrides:
//	  - {date: "2026-05-06", off: true, name: 市运会}
func (c *Calendar) LoadYAML(r io.Reader) error {
	var f struct {
		Years []struct {
			Year int   `yaml:"year"`
			Days []Day `yaml:"days"`
		} `yaml:"years"`
		Overrides []Day `yaml:"overrides"`
	}
	dec := yaml.NewDecoder(r)
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil && err != io.EOF {
		return fmt.Errorf("calendar: YAML: %w", err)
	}
	for i, y := range f.Years {
		if y.Year == 0 {
			return fmt.Errorf("calendar: YAML: years[%d] has no year", i)
		}
		if err := c.SetYear(y.Year, y.Days); err != nil {
			return err
		}
	}
	return c.AddOverrides(f.Overrides)
}
