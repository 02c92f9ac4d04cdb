package api

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sort"
	"testing"
	"time"

	"github.com/dubanhq/duban/auth"
	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/store"
	"github.com/dubanhq/duban/store/storetest"
)

// BenchmarkListItems measures GET /api/v1/items with filters over 10,000 items (20
// departments, lights and levels spread), reporting p50 and p99 latency in milliseconds.
// Run: go test -run '^$' -bench ListItems ./api/   (DUBAN_TEST_MYSQL_DSN adds MySQL)
func BenchmarkListItems(b *testing.B) {
	for _, dialect := range []string{"sqlite", "mysql"} {
		b.Run(dialect, func(b *testing.B) {
			var st *store.Store
			if dialect == "mysql" {
				st = storetest.MySQL(b)
			} else {
				st = storetest.SQLite(b)
			}
			benchList(b, st, 10000)
		})
	}
}

func benchList(b *testing.B, st *store.Store, n int) {
	ctx := context.Background()
	auth.Cost = 4
	var depts []uint64
	for i := 0; i < 20; i++ {
		d, err := st.CreateDepartment(ctx, fmt.Sprintf("单位%02d", i), nil, "")
		if err != nil {
			b.Fatal(err)
		}
		depts = append(depts, d.ID)
	}
	items := make([]domain.Item, n)
	for i := range items {
		items[i] = storetest.Item(fmt.Sprint(i), fmt.Sprintf("任务%d 知识产权", i), []uint64{depts[i%20]}, depts[(i+7)%20])
	}
	if _, _, err := st.CreatePlan(ctx, &store.Plan{SourceHash: "bench", Title: "bench"}, items); err != nil {
		b.Fatal(err)
	}
	if err := st.SpreadForBenchmark(ctx); err != nil {
		b.Fatal(err)
	}
	hash, _ := auth.HashPassword("password-1")
	if err := st.CreateUser(ctx, &store.User{Username: "sup", Role: "supervisor", PasswordHash: hash}); err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(New(Deps{Store: st, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}))
	defer srv.Close()
	f := &fixture{srv: srv}
	tok := loginB(b, f)
	queries := []string{
		"/api/v1/items?light=red&limit=50",
		fmt.Sprintf("/api/v1/items?department=%d&role=lead&limit=50", depts[3]),
		"/api/v1/items?level=2&status=active&limit=50",
		"/api/v1/items?q=知识产权&cursor=5000&limit=50",
	}
	var lat []time.Duration
	b.ResetTimer()
	i := 0
	for b.Loop() {
		req, _ := http.NewRequest("GET", srv.URL+queries[i%len(queries)], nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		start := time.Now()
		r, err := http.DefaultClient.Do(req)
		if err != nil || r.StatusCode != 200 {
			b.Fatalf("list: %v %v", r.StatusCode, err)
		}
		_, _ = io.Copy(io.Discard, r.Body)
		r.Body.Close()
		lat = append(lat, time.Since(start))
		i++
	}
	sort.Slice(lat, func(a, c int) bool { return lat[a] < lat[c] })
	b.ReportMetric(ms(lat[len(lat)/2]), "p50_ms")
	b.ReportMetric(ms(lat[len(lat)*99/100]), "p99_ms")
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func loginB(b *testing.B, f *fixture) string {
	req, _ := http.NewRequest("POST", f.srv.URL+"/api/v1/auth/login", stringsReader(`{"username":"sup","password":"password-1"}`))
	req.Header.Set("Content-Type", "application/json")
	r, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer r.Body.Close()
	var v struct{ Token string }
	if err := jsonDecode(r.Body, &v); err != nil || v.Token == "" {
		b.Fatalf("login: %v", err)
	}
	return v.Token
}
