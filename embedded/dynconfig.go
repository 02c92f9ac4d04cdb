package embedded

import (
	"fmt"
	"os"
	"time"

	"go.temporal.io/server/common/dynamicconfig"
	"go.temporal.io/server/common/log"
)

// layeredConfig answers a dynamic-config key from the operator's file when the file sets
// it, and from Duban's defaults (burstConfig) otherwise: a file that tunes one setting
// keeps every other one Duban chose.
type layeredConfig struct {
	file     dynamicconfig.Client
	defaults dynamicconfig.Client
}

func (l layeredConfig) GetValue(key dynamicconfig.Key) []dynamicconfig.ConstrainedValue {
	if v := l.file.GetValue(key); len(v) > 0 {
		return v
	}
	return l.defaults.GetValue(key)
}

// nodeConfigDefaults are a cluster node's dynamic-config defaults: the embedded server's
// (burstConfig), and persistence writes on a shard eight at a time instead of one. On a
// server database a write is a dozen round trips; with one at a time a shard's workflow
// tasks queue behind each other's commits (28 of them waiting on one shard's semaphore in
// a reminder storm). Temporal orders the shard's task ids across concurrent writes itself.
// The SQLite server keeps one: its database has one connection.
func nodeConfigDefaults() dynamicconfig.StaticClient {
	c := burstConfig()
	c[dynamicconfig.ShardIOConcurrency.Key()] = 8
	return c
}

// dynamicConfig is the node's dynamic configuration: defaults, overridden key by
// key by Temporal's own dynamic-config YAML file at path (read again every 10 s, as
// Temporal's server does) when path is set. done stops the file's reloading.
func dynamicConfig(path string, defaults dynamicconfig.StaticClient, logger log.Logger, done <-chan any) (dynamicconfig.Client, error) {
	if path == "" {
		return defaults, nil
	}
	// Checked first: for YAML that does not parse, the client's own error names neither the
	// file nor what is wrong ("loading dynamic config failed: 1 errors").
	if err := CheckDynamicConfig(path); err != nil {
		return nil, fmt.Errorf("dynamic config: %w", err)
	}
	file, err := dynamicconfig.NewFileBasedClient(&dynamicconfig.FileBasedClientConfig{Filepath: path, PollInterval: 10 * time.Second}, logger, done)
	if err != nil {
		return nil, fmt.Errorf("dynamic config %s: %w", path, err)
	}
	return layeredConfig{file: file, defaults: defaults}, nil
}

// CheckDynamicConfig reads a dynamic-config file as the node would and says what is wrong
// with it: a missing file, YAML that does not parse, a value of the wrong shape.
func CheckDynamicConfig(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := dynamicconfig.LoadYamlFile(b).Err(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}
