package main

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	"sigs.k8s.io/yaml"

	"github.com/dubanhq/duban/config"
	"github.com/dubanhq/duban/embedded"
)

// TestSystemdUnitsStartWhatTheySay parses each systemd unit's ExecStart, with ${VAR}
// taken from the example environment files, with the flags of the command it runs; checks
// that every DUBAN_* variable of duban.env.example is one the configuration reads and that
// together they validate; and that the node's database URL and ports are accepted.
func TestSystemdUnitsStartWhatTheySay(t *testing.T) {
	dir := filepath.Join("..", "..", "deployments", "systemd")
	env := map[string]string{}
	for _, f := range []string{"temporal.env.example", "duban.env.example"} {
		for k, v := range envFile(t, filepath.Join(dir, f)) {
			env[k] = v
		}
	}
	units, _ := filepath.Glob(filepath.Join(dir, "*.service"))
	if len(units) != 3 {
		t.Fatalf("want the temporal, worker and serve units: %v", units)
	}
	for _, u := range units {
		args := execStart(t, u, env)
		if args[0] != "/usr/local/bin/duban" || len(args) < 2 {
			t.Fatalf("%s: ExecStart runs %v", u, args)
		}
		switch args[1] {
		case "temporal":
			var f temporalFlags
			if err := parse(f.flagSet(), args[2:]); err != nil {
				t.Fatalf("%s: %v", u, err)
			}
			if f.node.db == "" {
				f.node.db = env["DUBAN_TEMPORAL_DB"] // the flag's default, read from the process environment
			}
			if _, err := embedded.ParseDBURL(f.node.db); err != nil {
				t.Errorf("%s: DUBAN_TEMPORAL_DB: %v", u, err)
			}
			ports, flags := f.ports()
			if len(ports) != 4 || len(flags) != 8 {
				t.Errorf("%s: the node's ports overlap: %v", u, ports)
			}
		case "worker", "serve":
			var c common
			if err := parse(newFlagSet(args[1], &c, args[1] == "serve"), args[2:]); err != nil {
				t.Fatalf("%s: %v", u, err)
			}
		default:
			t.Errorf("%s: unexpected command %q", u, args[1])
		}
	}
	asked := map[string]bool{}
	cfg, err := config.Load("", func(k string) (string, bool) { asked[k] = true; v, ok := env[k]; return v, ok })
	if err == nil {
		err = cfg.Validate()
	}
	if err != nil || cfg.Embedded() {
		t.Errorf("duban.env.example does not configure a worker for an external Temporal: %v", err)
	}
	for k := range envFile(t, filepath.Join(dir, "duban.env.example")) {
		if !asked[k] {
			t.Errorf("duban.env.example sets %s, which no setting reads", k)
		}
	}
}

// envFile reads KEY=VALUE lines, as systemd's EnvironmentFile= does for these files.
func envFile(t *testing.T, path string) map[string]string {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]string{}
	s := bufio.NewScanner(f)
	for s.Scan() {
		line := strings.TrimSpace(s.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			t.Fatalf("%s: %q is not KEY=VALUE", path, line)
		}
		out[k] = v
	}
	return out
}

// execStart returns a unit's ExecStart split into words, with ${VAR} replaced from env.
func execStart(t *testing.T, unit string, env map[string]string) []string {
	b, err := os.ReadFile(unit)
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^ExecStart=(.+)$`).FindSubmatch(b)
	if m == nil {
		t.Fatalf("%s: no ExecStart", unit)
	}
	line := regexp.MustCompile(`\$\{(\w+)\}`).ReplaceAllStringFunc(string(m[1]), func(v string) string {
		val, ok := env[v[2:len(v)-1]]
		if !ok {
			t.Errorf("%s: %s is in no example environment file", unit, v)
		}
		return val
	})
	return strings.Fields(line)
}

// TestKubernetesTemporalArgs parses the Temporal nodes' container args in
// deployments/kubernetes/temporal.yaml with `duban temporal`'s flags.
func TestKubernetesTemporalArgs(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "deployments", "kubernetes", "temporal.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var d appsv1.Deployment
	if err := yaml.Unmarshal([]byte(strings.Split(string(b), "\n---\n")[0]), &d); err != nil {
		t.Fatal(err)
	}
	args := d.Spec.Template.Spec.Containers[0].Args
	if len(args) < 2 || args[0] != "temporal" {
		t.Fatalf("args %v", args)
	}
	var f temporalFlags
	for i, a := range args {
		args[i] = strings.ReplaceAll(a, "$(POD_IP)", "10.0.0.11") // as Kubernetes expands it
	}
	if err := parse(f.flagSet(), args[1:]); err != nil {
		t.Fatalf("temporal.yaml args %v: %v", args, err)
	}
	if f.ip != "0.0.0.0" || f.node.broadcast != "10.0.0.11" {
		t.Errorf("a node in a pod listens on every address and broadcasts its pod IP: --ip %s --broadcast-address %s", f.ip, f.node.broadcast)
	}
}
