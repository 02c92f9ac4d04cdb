package importer

import (
	"errors"
	"os"
	"testing"
)

// BenchmarkParseSeeds parses the five seed documents per iteration and reports documents
// per second; MB/s comes from b.SetBytes.
func BenchmarkParseSeeds(b *testing.B) {
	var docs [][]byte
	total := 0
	for _, f := range seedFiles(b) {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		docs = append(docs, data)
		total += len(data)
	}
	b.SetBytes(int64(total))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, d := range docs {
			if _, err := Parse(d, Options{Format: "text"}); err != nil && !errors.Is(err, ErrNoList) {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.N*len(docs))/b.Elapsed().Seconds(), "docs/s")
}
