package main

import (
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dubanhq/duban/config"
)

// clusterItems is the plan the cluster tests launch: 600 ladders (lead and partner).
const clusterItems = 300

// clusterPolicy climbs a ladder in 105 s: reminder 35 s after an item starts (when the
// launch of the others is over, on a machine slow enough for it to take that long), due
// (overdue and L1) at 75 s, L2–L4 at 85, 95 and 105 s. Liaisons get reminders and L1, the
// plan's supervisor L2, the leadership group L3 and L4. A reminder still unsent at the
// deadline is dropped by design; the 40 s between them absorb a loaded machine's lag (25 s
// were not always enough with other work on both cores).
const clusterPolicy = `{"sign_within":"75s","cadence":"every 1h","remind_before":["40s"],"ladder":[` +
	`{"level":1,"name":"催办","after":"0s","notify":["liaison"]},{"level":2,"name":"督办通知","after":"10s","notify":["supervisor"]},` +
	`{"level":3,"name":"通报","after":"20s","notify":["leadership"]},{"level":4,"name":"追究责任","after":"30s","notify":["leadership"]}]}`

// TestClusterSurvivesLosingANode runs the production topology with Temporal as a
// two-node cluster on PostgreSQL, and while the ladders climb kills (SIGKILL) one node and
// the worker beside it, as when a machine dies: the other node takes over its shards and
// the other worker carries on; both come back 15 s later. Every rung is recorded exactly
// once, nothing is stuck and every history replays.
func TestClusterSurvivesLosingANode(t *testing.T) {
	c := clusterLadder(t, func(c *clusterRun) {
		rungs := func() int { return c.count("events WHERE type = 'escalated'") }
		before := rungs()
		c.nodes[0].kill(t)
		_ = c.workers[0].Process.Signal(syscall.SIGKILL)
		time.Sleep(15 * time.Second)
		during := rungs() - before
		t.Logf("node 0 and its worker down for 15 s: %d rungs recorded meanwhile (%d before)", during, before)
		if during == 0 {
			t.Errorf("no rung recorded while one node of two was down: the cluster did not carry on")
		}
		c.nodes[0].start(t)
		c.workers[0] = proc(t, c.env(0), "worker")
	})
	// The cluster was created with 4 shards: a node asking for 8 is refused.
	code, out := run(t, nil, newNode(t, c.pg, 8).args...)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if last := lines[len(lines)-1]; code == 0 || !strings.Contains(last, "--history-shards 8") || !strings.Contains(last, "created with 4 history shards") {
		t.Errorf("a node with another shard count: exit %d, last line %q; want a refusal naming 4 and 8", code, last)
	}
}

// TestClusterSurvivesPostgresRestart is the same topology with PostgreSQL, which holds all
// of Temporal's state, crashing (immediate stop) while the ladders climb and starting again
// 5 s later.
func TestClusterSurvivesPostgresRestart(t *testing.T) {
	pgCluster(t) // skip before starting anything when PostgreSQL cannot be restarted
	c := clusterLadder(t, func(c *clusterRun) {
		t.Logf("PostgreSQL down for 5 s at %d rungs", c.count("events WHERE type = 'escalated'"))
		restartPostgres(t, 5*time.Second)
	})
	// Nodes and workers rode it out: none exited, none was restarted.
	for _, cmd := range append([]*exec.Cmd{c.nodes[0].cmd, c.nodes[1].cmd}, c.workers...) {
		if !running(cmd) {
			t.Errorf("duban %s exited during the PostgreSQL restart", cmd.Args[1])
		}
	}
}

// running reports whether a child has not exited (an exited child not yet waited for is a
// zombie, state Z in /proc).
func running(cmd *exec.Cmd) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", cmd.Process.Pid))
	if err != nil {
		return false
	}
	_, rest, ok := strings.Cut(string(b), ") ")
	return ok && !strings.HasPrefix(rest, "Z") && !strings.HasPrefix(rest, "X")
}

// clusterRun is the production topology on one machine: Temporal nodes on PostgreSQL,
// a worker per node, `duban serve` and MariaDB for Duban's own tables.
type clusterRun struct {
	t       *testing.T
	pg      string
	nodes   []*tnode
	base    []string
	workers []*exec.Cmd
	p       *devProc
	my      *sql.DB
	sup     string
	ids     []uint64
}

// env is the environment of a Duban process that talks to node i.
func (c *clusterRun) env(i int) []string {
	return append(slices.Clone(c.base), "DUBAN_TEMPORAL_ADDRESS="+c.nodes[i].addr())
}

// clusterLadder starts two Temporal nodes at once on a new PostgreSQL database, worker i
// on node i and `duban serve` on node 1, launches clusterItems items nobody signs, calls
// disrupt once every reminder and the first L1 are recorded (a reminder delayed past its
// deadline by the disruption would rightly never be sent), waits for every ladder to reach
// L4 and checks that nothing was lost, doubled or left stuck.
func clusterLadder(t *testing.T, disrupt func(c *clusterRun)) *clusterRun {
	c := &clusterRun{t: t, pg: postgresDatabase(t)}
	dsn := mysqlDatabase(t)
	began := time.Now()
	c.nodes = startCluster(t, c.pg, 2, 4)
	t.Logf("two nodes on a new database ready in %v", time.Since(began).Round(100*time.Millisecond))
	c.base = []string{"DUBAN_DATABASE_DSN=" + dsn, "DUBAN_BOOTSTRAP_ADMIN_PASSWORD=admin-pass-1", "DUBAN_LOG_FORMAT=json"}
	if code, out := run(t, c.env(1), "migrate"); code != 0 {
		t.Fatalf("migrate: %s", out)
	}
	driver, err := config.MySQLDSN(dsn)
	if err != nil {
		t.Fatal(err)
	}
	if c.my, err = sql.Open("mysql", driver); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.my.Close() })
	c.workers = []*exec.Cmd{proc(t, c.env(0), "worker"), proc(t, c.env(1), "worker")}
	api := freePort(t)
	proc(t, c.env(1), "serve", "--addr", "127.0.0.1:"+api)
	c.p = waitReady(t, api)
	c.launch()

	for end := time.Now().Add(120 * time.Second); c.count("events WHERE type = 'reminder'") < 2*clusterItems; time.Sleep(time.Second) {
		if time.Now().After(end) {
			t.Fatalf("%d of %d reminders sent 120 s after the launch; one 40 s late is never sent: the machine is too slow for this policy",
				c.count("events WHERE type = 'reminder'"), 2*clusterItems)
		}
	}
	waitFor(t, "the first L1", 60*time.Second, func() bool { return c.count("events WHERE type = 'escalated' AND level = 1") > 0 })
	disrupt(c)
	for end := time.Now().Add(150 * time.Second); c.count("events WHERE type = 'escalated' AND level = 4") < 2*clusterItems; time.Sleep(time.Second) {
		if time.Now().After(end) {
			t.Fatalf("%d of %d ladders at L4 150 s after the disruption; rungs by level:\n%s", c.count("events WHERE type = 'escalated' AND level = 4"),
				2*clusterItems, c.table("SELECT level, COUNT(*) FROM events WHERE type = 'escalated' GROUP BY level"))
		}
	}
	t.Logf("every ladder at L4 %v after the nodes started", time.Since(began).Round(time.Second))
	time.Sleep(2 * time.Second) // a late duplicate would show up here
	c.checkEachOnce()
	c.checkSettled()
	return c
}

// launch creates two departments with a liaison each, a supervisor and a leader, and
// launches clusterItems items led by one department and partnered by the other.
func (c *clusterRun) launch() {
	t, p := c.t, c.p
	admin := p.login(t, "admin", "admin-pass-1")
	var a, b struct{ ID uint64 }
	p.post(t, admin, "/api/v1/departments", `{"name":"市甲局"}`, &a)
	p.post(t, admin, "/api/v1/departments", `{"name":"市乙局"}`, &b)
	p.post(t, admin, "/api/v1/users", `{"username":"sup","password":"password-1","role":"supervisor"}`, nil)
	p.post(t, admin, "/api/v1/users", `{"username":"boss","password":"password-1","role":"leader"}`, nil)
	p.post(t, admin, "/api/v1/users", fmt.Sprintf(`{"username":"la","password":"password-1","role":"liaison","department_id":%d}`, a.ID), nil)
	p.post(t, admin, "/api/v1/users", fmt.Sprintf(`{"username":"lb","password":"password-1","role":"liaison","department_id":%d}`, b.ID), nil)
	c.sup = p.login(t, "sup", "password-1")
	began := time.Now()
	c.ids = launchPlan(t, p, c.sup, clusterItems, clusterPolicy)
	t.Logf("launched %d items in %v", clusterItems, time.Since(began).Round(100*time.Millisecond))
}

// count is SELECT COUNT(*) FROM from on Duban's MariaDB database.
func (c *clusterRun) count(from string) int {
	c.t.Helper()
	var n int
	if err := c.my.QueryRow("SELECT COUNT(*) FROM " + from).Scan(&n); err != nil {
		c.t.Fatalf("count %s: %v", from, err)
	}
	return n
}

// table returns a query's rows as text, for failure messages.
func (c *clusterRun) table(q string) string { return rowsText(c.my, q) }
