// Package deployments holds no Go code: its test checks the deployment files offline, since
// no Docker engine or cluster runs where the tests do.
package deployments

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	"sigs.k8s.io/yaml"
)

// manifests decodes every Kubernetes document strictly into its typed API object: an
// unknown field, a wrong type or an unknown kind fails.
func manifests(t *testing.T) map[string][]any {
	files, _ := filepath.Glob("kubernetes/*.yaml")
	if len(files) < 4 {
		t.Fatalf("kubernetes manifests missing: %v", files)
	}
	out := map[string][]any{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, doc := range strings.Split(string(b), "\n---\n") {
			var meta struct{ Kind, APIVersion string }
			if err := yaml.Unmarshal([]byte(doc), &meta); err != nil || meta.Kind == "" {
				t.Fatalf("%s document %d: no kind (%v)", f, i+1, err)
			}
			var obj any
			switch meta.APIVersion + "/" + meta.Kind {
			case "apps/v1/Deployment":
				obj = &appsv1.Deployment{}
			case "v1/Service":
				obj = &corev1.Service{}
			case "v1/ConfigMap":
				obj = &corev1.ConfigMap{}
			case "v1/Secret":
				obj = &corev1.Secret{}
			case "batch/v1/Job":
				obj = &batchv1.Job{}
			case "policy/v1/PodDisruptionBudget":
				obj = &policyv1.PodDisruptionBudget{}
			case "autoscaling/v2/HorizontalPodAutoscaler":
				obj = &autoscalingv2.HorizontalPodAutoscaler{}
			default:
				t.Fatalf("%s document %d: unexpected %s %s", f, i+1, meta.APIVersion, meta.Kind)
			}
			if err := yaml.UnmarshalStrict([]byte(doc), obj); err != nil {
				t.Errorf("%s document %d (%s): %v", f, i+1, meta.Kind, err)
			}
			out[meta.Kind] = append(out[meta.Kind], obj)
		}
	}
	return out
}

func matches(sel, labels map[string]string) bool {
	for k, v := range sel {
		if labels[k] != v {
			return false
		}
	}
	return len(sel) > 0
}

func TestKubernetesManifests(t *testing.T) {
	m := manifests(t)
	deps := map[string]*appsv1.Deployment{}
	for _, o := range m["Deployment"] {
		d := o.(*appsv1.Deployment)
		deps[d.Name] = d
		spec := d.Spec.Template.Spec
		if !matches(d.Spec.Selector.MatchLabels, d.Spec.Template.Labels) {
			t.Errorf("%s: selector does not match its pod labels", d.Name)
		}
		if spec.SecurityContext == nil || spec.SecurityContext.RunAsNonRoot == nil || !*spec.SecurityContext.RunAsNonRoot {
			t.Errorf("%s: must run as non-root", d.Name)
		}
		for _, c := range spec.Containers {
			if c.Resources.Requests.Cpu().IsZero() || c.Resources.Requests.Memory().IsZero() {
				t.Errorf("%s/%s: resource requests missing", d.Name, c.Name)
			}
			if c.LivenessProbe == nil {
				t.Errorf("%s/%s: liveness probe missing", d.Name, c.Name)
			}
			refs := map[string]bool{}
			for _, e := range c.EnvFrom {
				if e.ConfigMapRef != nil {
					refs["cm:"+e.ConfigMapRef.Name] = true
				}
				if e.SecretRef != nil {
					refs["secret:"+e.SecretRef.Name] = true
				}
			}
			// Temporal's nodes read only their own Secret (checkTemporalNodes).
			if d.Name != "duban-temporal" && (!refs["cm:duban"] || !refs["secret:duban"]) {
				t.Errorf("%s/%s: must read ConfigMap duban and Secret duban: %v", d.Name, c.Name, refs)
			}
		}
	}
	api, worker, temporal := deps["duban-api"], deps["duban-worker"], deps["duban-temporal"]
	if api == nil || worker == nil || temporal == nil {
		t.Fatalf("deployments duban-api, duban-worker and duban-temporal are required: %v", deps)
	}
	checkTemporalNodes(t, temporal)
	c := api.Spec.Template.Spec.Containers[0]
	if c.ReadinessProbe == nil || c.ReadinessProbe.HTTPGet.Path != "/readyz" || c.LivenessProbe.HTTPGet.Path != "/healthz" {
		t.Errorf("api probes must be /readyz and /healthz")
	}
	for _, o := range m["Service"] {
		s := o.(*corev1.Service)
		selects := map[string]bool{}
		for name, d := range deps {
			selects[name] = matches(s.Spec.Selector, d.Spec.Template.Labels)
		}
		if !selects["duban-api"] && !selects["duban-temporal"] {
			t.Errorf("service %s selects neither api nor temporal pods", s.Name)
		}
		if selects["duban-temporal"] && s.Spec.ClusterIP != corev1.ClusterIPNone {
			t.Errorf("service %s must be headless, so that clients resolve every Temporal node", s.Name)
		}
	}
	pdbFor := map[string]bool{}
	for _, o := range m["PodDisruptionBudget"] {
		p := o.(*policyv1.PodDisruptionBudget)
		for name, d := range deps {
			if matches(p.Spec.Selector.MatchLabels, d.Spec.Template.Labels) {
				pdbFor[name] = true
			}
		}
	}
	if !pdbFor["duban-api"] || !pdbFor["duban-worker"] || !pdbFor["duban-temporal"] {
		t.Errorf("PodDisruptionBudgets must cover api, worker and temporal: %v", pdbFor)
	}
	hpaOK := false
	for _, o := range m["HorizontalPodAutoscaler"] {
		h := o.(*autoscalingv2.HorizontalPodAutoscaler)
		hpaOK = hpaOK || (h.Spec.ScaleTargetRef.Name == "duban-worker" && h.Spec.MinReplicas != nil && *h.Spec.MinReplicas >= 2)
	}
	if !hpaOK {
		t.Error("a HorizontalPodAutoscaler for duban-worker (min 2) is required")
	}
	if len(m["ConfigMap"]) != 1 || len(m["Secret"]) != 2 || len(m["Job"]) != 1 {
		t.Errorf("ConfigMap, example Secrets (duban, duban-temporal) and migrate Job expected: %d %d %d", len(m["ConfigMap"]), len(m["Secret"]), len(m["Job"]))
	}
}

// checkTemporalNodes: the nodes broadcast their pod IP, read Temporal's database from their
// own Secret, declare the ports of `duban temporal`'s default layout for --port 7233, and
// are ready when the frontend's gRPC health service says so.
func checkTemporalNodes(t *testing.T, d *appsv1.Deployment) {
	c := d.Spec.Template.Spec.Containers[0]
	args := strings.Join(c.Args, " ")
	if !strings.HasPrefix(args, "temporal ") || !strings.Contains(args, "--broadcast-address $(POD_IP)") || !strings.Contains(args, "--history-shards ") {
		t.Errorf("duban-temporal args: %q", args)
	}
	env := map[string]corev1.EnvVar{}
	for _, e := range c.Env {
		env[e.Name] = e
	}
	if e := env["POD_IP"]; e.ValueFrom == nil || e.ValueFrom.FieldRef == nil || e.ValueFrom.FieldRef.FieldPath != "status.podIP" {
		t.Errorf("POD_IP must come from status.podIP: %+v", e)
	}
	if e := env["DUBAN_TEMPORAL_DB"]; e.ValueFrom == nil || e.ValueFrom.SecretKeyRef == nil || e.ValueFrom.SecretKeyRef.Name != "duban-temporal" {
		t.Errorf("DUBAN_TEMPORAL_DB must come from Secret duban-temporal: %+v", e)
	}
	var ports []int32
	for _, p := range c.Ports {
		ports = append(ports, p.ContainerPort)
	}
	if want := []int32{7233, 7234, 7235, 7239, 6933, 6934, 6935, 6939}; !slices.Equal(ports, want) {
		t.Errorf("duban-temporal ports %v, want %v", ports, want)
	}
	if p := c.ReadinessProbe; p == nil || p.GRPC == nil || p.GRPC.Port != 7233 || p.GRPC.Service == nil || *p.GRPC.Service != "temporal.api.workflowservice.v1.WorkflowService" {
		t.Errorf("duban-temporal needs a gRPC readiness probe on the frontend's health service")
	}
}

// TestComposeFile checks the compose file's structure, which `docker compose config` would
// check where a Docker CLI plugin is installed (it is not on these machines).
func TestComposeFile(t *testing.T) {
	b, err := os.ReadFile("docker-compose.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Name     string `json:"name"`
		Services map[string]struct {
			Image       string            `json:"image"`
			Build       map[string]string `json:"build"`
			Command     []string          `json:"command"`
			Environment map[string]string `json:"environment"`
			DependsOn   map[string]struct {
				Condition string `json:"condition"`
			} `json:"depends_on"`
			Healthcheck map[string]any `json:"healthcheck"`
			Ports       []string       `json:"ports"`
			Volumes     []string       `json:"volumes"`
			Restart     string         `json:"restart"`
		} `json:"services"`
		Volumes map[string]any `json:"volumes"`
	}
	// depends_on lists in short form are not used; a strict decode catches typos in keys.
	if err := yaml.UnmarshalStrict(b, &f); err != nil {
		t.Fatalf("docker-compose.yaml: %v", err)
	}
	for _, want := range []string{"mysql", "temporal", "temporal-ui", "duban-migrate", "duban-worker", "duban-serve"} {
		if _, ok := f.Services[want]; !ok {
			t.Errorf("service %s missing", want)
		}
	}
	for name, s := range f.Services {
		if s.Image == "" && s.Build == nil {
			t.Errorf("%s: neither image nor build", name)
		}
		if s.Healthcheck == nil && name != "duban-migrate" && name != "temporal-ui" {
			t.Errorf("%s: no healthcheck", name)
		}
		for dep, cond := range s.DependsOn {
			if _, ok := f.Services[dep]; !ok {
				t.Errorf("%s depends on unknown service %s", name, dep)
			}
			switch cond.Condition {
			case "service_healthy":
				if f.Services[dep].Healthcheck == nil {
					t.Errorf("%s waits for %s to be healthy but it has no healthcheck", name, dep)
				}
			case "service_started", "service_completed_successfully":
			default:
				t.Errorf("%s: unknown depends_on condition %q", name, cond.Condition)
			}
		}
		for _, v := range s.Volumes {
			if vol, _, ok := strings.Cut(v, ":"); ok && !strings.HasPrefix(vol, ".") && !strings.HasPrefix(vol, "/") {
				if _, ok := f.Volumes[vol]; !ok {
					t.Errorf("%s uses undeclared volume %s", name, vol)
				}
			}
		}
		if addr := s.Environment["DUBAN_TEMPORAL_ADDRESS"]; addr != "" {
			if _, ok := f.Services[strings.Split(addr, ":")[0]]; !ok {
				t.Errorf("%s points at Temporal %s, which is not a service", name, addr)
			}
		}
	}
}

// TestSystemdUnits has systemd check the unit files (unknown keys, bad values, sections),
// with ExecStart pointed at a binary that exists here, and checks what systemd cannot: each
// runs as the duban user, restarts on failure, and reads an environment file that has an
// example beside it. cmd/duban's TestSystemdUnitsStartWhatTheySay checks the flags.
func TestSystemdUnits(t *testing.T) {
	units, _ := filepath.Glob("systemd/*.service")
	if len(units) != 3 {
		t.Fatalf("want duban-temporal, duban-worker and duban-serve units: %v", units)
	}
	tmp := t.TempDir()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	var copies []string
	for _, u := range units {
		b, err := os.ReadFile(u)
		if err != nil {
			t.Fatal(err)
		}
		s := string(b)
		for _, want := range []string{"\nUser=duban\n", "\nRestart=on-failure\n", "\nExecStart=/usr/local/bin/duban ", "\nWantedBy=multi-user.target\n"} {
			if !strings.Contains(s, want) {
				t.Errorf("%s lacks %q", u, strings.TrimSpace(want))
			}
		}
		for _, line := range strings.Split(s, "\n") {
			if f, ok := strings.CutPrefix(line, "EnvironmentFile=/etc/duban/"); ok {
				if _, err := os.Stat(filepath.Join("systemd", f+".example")); err != nil {
					t.Errorf("%s reads %s, which has no example beside the unit", u, f)
				}
			}
		}
		c := filepath.Join(tmp, filepath.Base(u))
		if err := os.WriteFile(c, []byte(strings.ReplaceAll(s, "/usr/local/bin/duban", self)), 0o600); err != nil {
			t.Fatal(err)
		}
		copies = append(copies, c)
	}
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("systemd-analyze is needed to verify the unit files under CI")
		}
		t.Skip("no systemd-analyze to verify the unit files with")
	}
	out, err := exec.Command(analyze, append([]string{"verify", "--man=no"}, copies...)...).CombinedOutput()
	if err != nil || len(out) > 0 {
		t.Errorf("systemd-analyze verify: %v\n%s", err, out)
	}
}
