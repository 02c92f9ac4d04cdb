package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/dubanhq/duban/config"
)

// common holds the flags every server command shares.
type common struct {
	configFile string
	addr       string
	dataDir    string
}

func newFlagSet(name string, c *common, withServer bool) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&c.configFile, "config", "", "YAML configuration file")
	if withServer {
		fs.StringVar(&c.addr, "addr", "", "HTTP listen address (default 127.0.0.1:8080)")
		fs.StringVar(&c.dataDir, "data-dir", "", "directory for embedded state (default ./data)")
	}
	return fs
}

// parse parses flags with a readable error.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			fs.SetOutput(os.Stdout)
			fs.PrintDefaults()
			return &exitError{0, fmt.Errorf("help")}
		}
		return &exitError{2, err}
	}
	return nil
}

// load builds and validates the configuration, with flags applied last.
func (c *common) load() (config.Config, error) {
	cfg, err := config.Load(c.configFile, os.LookupEnv)
	if err != nil {
		return cfg, err
	}
	if c.addr != "" {
		cfg.Addr = c.addr
	}
	if c.dataDir != "" {
		cfg.DataDir = c.dataDir
	}
	return cfg, cfg.Validate()
}
