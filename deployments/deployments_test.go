// Package deployments holds no Go code: its test checks the deployment files offline, since
// no Docker engine or cluster runs where the tests do.
package deployments

import (
	"os"
	"path/filepath"
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
			if !refs["cm:duban"] || !refs["secret:duban"] {
				t.Errorf("%s/%s: must read ConfigMap duban and Secret duban: %v", d.Name, c.Name, refs)
			}
		}
	}
	api, worker := deps["duban-api"], deps["duban-worker"]
	if api == nil || worker == nil {
		t.Fatalf("deployments duban-api and duban-worker are required: %v", deps)
	}
	c := api.Spec.Template.Spec.Containers[0]
	if c.ReadinessProbe == nil || c.ReadinessProbe.HTTPGet.Path != "/readyz" || c.LivenessProbe.HTTPGet.Path != "/healthz" {
		t.Errorf("api probes must be /readyz and /healthz")
	}
	for _, o := range m["Service"] {
		s := o.(*corev1.Service)
		if !matches(s.Spec.Selector, api.Spec.Template.Labels) {
			t.Errorf("service %s selects no api pod", s.Name)
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
	if !pdbFor["duban-api"] || !pdbFor["duban-worker"] {
		t.Errorf("PodDisruptionBudgets must cover api and worker: %v", pdbFor)
	}
	hpaOK := false
	for _, o := range m["HorizontalPodAutoscaler"] {
		h := o.(*autoscalingv2.HorizontalPodAutoscaler)
		hpaOK = hpaOK || (h.Spec.ScaleTargetRef.Name == "duban-worker" && h.Spec.MinReplicas != nil && *h.Spec.MinReplicas >= 2)
	}
	if !hpaOK {
		t.Error("a HorizontalPodAutoscaler for duban-worker (min 2) is required")
	}
	if len(m["ConfigMap"]) != 1 || len(m["Secret"]) != 1 || len(m["Job"]) != 1 {
		t.Errorf("ConfigMap, example Secret and migrate Job expected: %d %d %d", len(m["ConfigMap"]), len(m["Secret"]), len(m["Job"]))
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
