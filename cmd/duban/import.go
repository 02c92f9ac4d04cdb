package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/dubanhq/duban/app"
	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/importer"
	"github.com/dubanhq/duban/launch"
)

// runImport parses plan documents; with --dry-run it only prints what it found, otherwise it
// launches them on the configured store and Temporal. Exit status 2: no list found.
func runImport(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	dry := fs.Bool("dry-run", false, "parse and print; touch nothing")
	asJSON := fs.Bool("json", false, "print the parsed result as JSON")
	list := fs.Int("list", 0, "which list to use (1-based); default: the one with explicit leads")
	format := fs.String("format", "", "text, csv, json or yaml (default: from the file name)")
	policyFile := fs.String("policy", "", "JSON policy file for the plan")
	create := fs.Bool("create-departments", false, "create departments the registry lacks")
	cfgFile := fs.String("config", "", "YAML configuration file")
	score := fs.String("score", "", "score the importer on a corpus DIR of documents and hand-checked goldens")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *score != "" {
		docs, total, err := importer.ScoreDir(*score)
		if err != nil {
			return err
		}
		return importer.WriteScores(os.Stdout, docs, total)
	}
	if fs.NArg() == 0 {
		return &exitError{2, errors.New("usage: duban import [--dry-run] [--json] [--list N] FILE...")}
	}
	status := 0
	for _, path := range fs.Args() {
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		res, perr := importer.Parse(data, importer.Options{Format: *format, Filename: path, List: *list})
		if perr != nil && !errors.Is(perr, importer.ErrNoList) {
			return fmt.Errorf("%s: %w", path, perr)
		}
		if *asJSON {
			enc := json.NewEncoder(os.Stdout)
			enc.SetIndent("", "  ")
			enc.SetEscapeHTML(false)
			if err := enc.Encode(res); err != nil {
				return err
			}
		} else {
			printSummary(path, res)
		}
		if errors.Is(perr, importer.ErrNoList) {
			fmt.Fprintf(os.Stderr, "%s: %v\n", path, perr)
			status = 2
			continue
		}
		if *dry {
			continue
		}
		if err := launchFile(ctx, *cfgFile, *policyFile, *create, res, data); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
	}
	if status != 0 {
		return &exitError{status, errors.New("no responsibility list found in at least one file")}
	}
	return nil
}

func printSummary(path string, res *importer.Result) {
	fmt.Printf("%s\n  %s  %s  %s  %s\n", path, res.Plan.Title, res.Plan.DocNumber, res.Plan.Issuer, res.Plan.Date)
	for i, l := range res.Lists {
		fmt.Printf("  list %d: %s (%d items)\n", i+1, l.Name, len(l.Items))
	}
	for _, it := range res.Items {
		fmt.Printf("  %-10s %s\n             牵头 %s | 配合 %s %s\n", it.Ref, it.Title, strings.Join(it.Lead, "、"),
			strings.Join(it.Partners, "、"), strings.Join(it.Groups, "、"))
	}
	for _, w := range res.Warnings {
		fmt.Printf("  ! line %d: %s\n", w.Line, w.Message)
	}
}

func launchFile(ctx context.Context, cfgFile, policyFile string, create bool, res *importer.Result, data []byte) error {
	c := common{configFile: cfgFile}
	cfg, err := c.load()
	if err != nil {
		return err
	}
	if cfg.Embedded() {
		return errors.New("launching needs a running Temporal: set temporal.address (DUBAN_TEMPORAL_ADDRESS), or use the web UI / POST /api/v1/plans/import of `duban dev`; --dry-run only parses")
	}
	policy := domain.DefaultPolicy()
	if policyFile != "" {
		raw, err := os.ReadFile(policyFile)
		if err != nil {
			return err
		}
		if policy, err = domain.ParsePolicy(policy, raw); err != nil {
			return err
		}
	}
	logger := app.NewLogger(cfg)
	st, err := app.OpenStore(ctx, cfg, true)
	if err != nil {
		return err
	}
	defer st.Close()
	tc, err := app.DialTemporal(ctx, cfg, cfg.Temporal.Address, logger, nil, nil)
	if err != nil {
		return err
	}
	defer tc.Close()
	l := &launch.Launcher{Store: st, Temporal: tc, TaskQueue: cfg.Temporal.TaskQueue}
	li := launch.FromImport(res, string(data), policy)
	li.CreateDepartments = create
	lr, err := l.Launch(ctx, li)
	if err != nil {
		return err
	}
	fmt.Printf("  plan %d: %d items, %d workflows started (new plan: %v)\n", lr.PlanID, len(lr.ItemIDs), lr.Started, lr.Created)
	for _, w := range lr.Warnings {
		fmt.Printf("  ! %s\n", w)
	}
	return nil
}
