package calendar

import (
	"errors"
	"fmt"
	"io"

	"gopkg.in/yaml.v3"
)

// yamlFile is the calendar file LoadYAML reads.
type yamlFile struct {
	Years []struct {
		Year yaml.Node `yaml:"year"`
		Days []yamlDay `yaml:"days"`
	} `yaml:"years"`
	Overrides []yamlDay `yaml:"overrides"`
}

// yamlDay is a Day that remembers its line. It checks its own keys because KnownFields
// does not reach inside a custom unmarshaler, and requires "off": a forgotten one would
// otherwise silently make a holiday a working day.
type yamlDay struct {
	Day
	line int
}

// UnmarshalYAML decodes one {date, off, name} mapping.
func (d *yamlDay) UnmarshalYAML(n *yaml.Node) error {
	d.line = n.Line
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: want {date: …, off: …, name: …}", n.Line)
	}
	var sawDate, sawOff bool
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		var err error
		switch k.Value {
		case "date":
			sawDate, err = true, v.Decode(&d.Date)
		case "off":
			sawOff, err = true, v.Decode(&d.Off)
		case "name":
			err = v.Decode(&d.Name)
		default:
			return fmt.Errorf("line %d: unknown key %q (want date, off, name)", k.Line, k.Value)
		}
		if err != nil {
			return fmt.Errorf("line %d: %q: %w", v.Line, k.Value, err)
		}
	}
	if !sawDate || !sawOff {
		return fmt.Errorf("line %d: every day needs both \"date\" and \"off\"", n.Line)
	}
	return nil
}

// LoadYAML reads a calendar file and applies it all or not at all:
//
//	years:
//	  - year: 2027
//	    days:
//	      - {date: 2027-01-01, off: true, name: 元旦}
//	overrides:
//	  - {date: 2026-05-06, off: true, name: 市运会}
//
// Years are added or replaced as SetYear does; overrides are added as AddOverrides does.
// Errors name the line of the wrong entry.
func (c *Calendar) LoadYAML(r io.Reader) error {
	var f yamlFile
	dec := yaml.NewDecoder(r)
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("calendar: YAML: %w", err)
	}
	years := make(map[int]map[civil]Day, len(f.Years))
	for i, y := range f.Years {
		var year int
		if y.Year.Kind == 0 {
			return fmt.Errorf("calendar: YAML: years[%d] has no \"year\"", i)
		}
		if err := y.Year.Decode(&year); err != nil {
			return fmt.Errorf("calendar: YAML line %d: year: %w", y.Year.Line, err)
		}
		if err := checkYear(year); err != nil {
			return fmt.Errorf("calendar: YAML line %d: %w", y.Year.Line, err)
		}
		if _, dup := years[year]; dup {
			return fmt.Errorf("calendar: YAML line %d: year %d is listed twice", y.Year.Line, year)
		}
		m, err := parseYear(year, plain(y.Days), func(j int) string {
			return fmt.Sprintf("YAML line %d (years[%d].days[%d])", y.Days[j].line, i, j)
		})
		if err != nil {
			return fmt.Errorf("calendar: %w", err)
		}
		years[year] = m
	}
	over, err := parseOverrides(plain(f.Overrides), func(j int) string {
		return fmt.Sprintf("YAML line %d (overrides[%d])", f.Overrides[j].line, j)
	})
	if err != nil {
		return fmt.Errorf("calendar: %w", err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for y, m := range years {
		c.years[y] = m
	}
	for k, d := range over {
		c.overrides[k] = d
	}
	c.rebuild()
	return nil
}

func plain(ds []yamlDay) []Day {
	out := make([]Day, len(ds))
	for i, d := range ds {
		out[i] = d.Day
	}
	return out
}
