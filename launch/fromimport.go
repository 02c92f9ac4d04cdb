package launch

import (
	"github.com/dubanhq/duban/calendar"
	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/importer"
)

// FromImport is the one conversion of an importer result into a launch (the API's import,
// `duban import` and the demo all use it): the plan's metadata and period, each item as
// a draft with its departments by name, under policy.
func FromImport(res *importer.Result, source string, policy domain.Policy) Input {
	in := Input{Policy: policy, Plan: Plan{Title: res.Plan.Title, DocNumber: res.Plan.DocNumber, Issuer: res.Plan.Issuer,
		Date: res.Plan.Date, SourceText: source,
		// The plan period (e.g. 2022-2025) bounds ongoing (持续推进) items: they report until its end.
		PeriodStart: res.Plan.Period.Start, PeriodEnd: res.Plan.Period.End}}
	for _, it := range res.Items {
		d := domain.ItemDraft{Ref: it.Ref, Title: it.Title, Content: it.Content, Lead: it.Lead, Partners: it.Partners,
			Groups: it.Groups, SourceLines: it.SourceLines,
			Window: domain.Window{Start: domain.ParseDay(it.Window.Start, calendar.Shanghai),
				End: domain.ParseDay(it.Window.End, calendar.Shanghai), Ongoing: it.Window.Ongoing}}
		for _, ind := range it.Indicators {
			d.Indicators = append(d.Indicators, domain.Indicator{Name: ind.Name, Target: ind.Target, TargetMax: ind.TargetMax,
				Unit: ind.Unit, Comparator: ind.Comparator, Deadline: ind.Deadline})
		}
		in.Items = append(in.Items, d)
	}
	return in
}
