package importer

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/golden/*.json from the seeds")

// seedDir is ../shared/seeds relative to the repository root: CI checks ../shared out
// beside the repository.
const seedDir = "../../shared/seeds"

// seedFiles lists the seed documents. Under CI=true a missing seed fails the test; on a
// workstation without ../shared it skips.
func seedFiles(t testing.TB) []string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(seedDir, "[0-9][0-9][0-9]_*.txt"))
	if len(files) < 5 {
		if os.Getenv("CI") == "true" {
			t.Fatalf("seed documents missing: want 5 in %s, found %d", seedDir, len(files))
		}
		t.Skipf("seed documents not found in %s", seedDir)
	}
	return files
}

// goldenName maps 000_2c0107e94544306d.txt to 000.json.
func goldenName(seed string) string {
	base := filepath.Base(seed)
	return filepath.Join("testdata", "golden", strings.SplitN(base, "_", 2)[0]+".json")
}

func encodeResult(t testing.TB, res *Result) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(res); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestGoldenSeeds(t *testing.T) {
	for _, seed := range seedFiles(t) {
		t.Run(filepath.Base(seed), func(t *testing.T) {
			data, err := os.ReadFile(seed)
			if err != nil {
				t.Fatal(err)
			}
			res, err := Parse(data, Options{Filename: filepath.Base(seed)})
			if err != nil && !errors.Is(err, ErrNoList) {
				t.Fatalf("Parse: %v", err)
			}
			if res == nil {
				t.Fatal("nil result")
			}
			got := encodeResult(t, res)
			path := goldenName(seed)
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("golden file: %v (run go test ./importer -run TestGoldenSeeds -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from the parse; diff it with -update and review by hand\n%s", path, firstDiff(got, want))
			}
		})
	}
}

// firstDiff shows the first differing line.
func firstDiff(got, want []byte) string {
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return "line " + itoa(i+1) + ":\n got:  " + gl + "\n want: " + wl
		}
	}
	return ""
}
