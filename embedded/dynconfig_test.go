package embedded

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.temporal.io/server/common/dynamicconfig"
	"go.temporal.io/server/common/log"
)

// An operator's dynamic-config file overrides the keys it names; every other key keeps the
// node's default (the storm settings), and Temporal's own default stays for keys nobody set.
func TestDynamicConfigFileOverridesKeyByKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dynamic.yaml")
	if err := os.WriteFile(path, []byte("history.shardIOConcurrency:\n  - value: 2\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	done := make(chan any)
	defer close(done)
	c, err := dynamicConfig(path, nodeConfigDefaults(), log.NewNoopLogger(), done)
	if err != nil {
		t.Fatal(err)
	}
	col := dynamicconfig.NewCollection(c, log.NewNoopLogger())
	if got := dynamicconfig.ShardIOConcurrency.Get(col)(); got != 2 {
		t.Errorf("shard IO concurrency %d, want the file's 2", got)
	}
	if got := dynamicconfig.TimerTaskBatchSize.Get(col)(); got != 1000 {
		t.Errorf("timer task batch %d, want the node default 1000", got)
	}
	if got := dynamicconfig.HistoryCacheHostLevelMaxSize.Get(col)(); got != 128000 {
		t.Errorf("host cache %d, want Temporal's default 128000", got)
	}

	plain, err := dynamicConfig("", nodeConfigDefaults(), log.NewNoopLogger(), done)
	if err != nil {
		t.Fatal(err)
	}
	if got := dynamicconfig.ShardIOConcurrency.Get(dynamicconfig.NewCollection(plain, log.NewNoopLogger()))(); got != 8 {
		t.Errorf("without a file: shard IO concurrency %d, want the node default 8", got)
	}
}

func TestCheckDynamicConfigSaysWhatIsWrong(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("history.shardIOConcurrency: [oops\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{
		filepath.Join(dir, "missing.yaml"): "no such file",
		bad:                                "bad.yaml: decode error",
	} {
		if err := CheckDynamicConfig(path); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want an error saying %q", filepath.Base(path), err, want)
		}
		// The node's own read refuses the same files, naming them.
		done := make(chan any)
		if _, err := dynamicConfig(path, nodeConfigDefaults(), log.NewNoopLogger(), done); err == nil || !strings.Contains(err.Error(), filepath.Base(path)) {
			t.Errorf("node start with %s: %v, want an error naming the file", filepath.Base(path), err)
		}
		close(done)
	}
}
