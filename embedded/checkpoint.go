package embedded

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"time"

	"go.temporal.io/server/common/log"
	"go.temporal.io/server/common/log/tag"
)

const (
	// autoCheckpointPages is the WAL length (4 KiB pages, 64 MiB) at which Temporal's own
	// connection checkpoints in a commit. By then the checkpointer has copied almost every
	// page, so that checkpoint is short; and being the writer's own, it lets the writer's
	// next transaction start the log again from its beginning, which a checkpoint from
	// another connection under constant writes never does (the log would grow unbounded).
	autoCheckpointPages = 16384
	// checkpointEvery is how often the checkpointer copies the log into the database file.
	checkpointEvery = 500 * time.Millisecond
)

// checkpointer copies each file's write-ahead log into the database from a connection of
// its own. SQLite otherwise checkpoints inside the commit that crosses wal_autocheckpoint
// (1,000 pages): the commit writes the pages back and fsyncs the file while holding
// Temporal's only connection, and every workflow transition waits behind it (seen as
// seconds with the process idle at 10,000 items). A passive checkpoint takes no lock that
// writers need; a page changed many times is written back once per checkpoint.
type checkpointer struct {
	dbs    []*sql.DB
	files  []string
	logger log.Logger
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

func startCheckpointer(files []string, logger log.Logger) (*checkpointer, error) {
	c := &checkpointer{files: files, logger: logger}
	for _, f := range files {
		// The same engine as Temporal's plugin, so both share SQLite's in-process locks.
		db, err := sql.Open("sqlite", "file:"+f+"?_pragma=busy_timeout(5000)")
		if err != nil {
			c.close()
			return nil, fmt.Errorf("embedded temporal: checkpointer: %w", err)
		}
		db.SetMaxOpenConns(1)
		c.dbs = append(c.dbs, db)
	}
	ctx, cancel := context.WithCancel(context.Background())
	c.cancel = cancel
	c.wg.Add(1)
	go c.loop(ctx)
	return c, nil
}

func (c *checkpointer) loop(ctx context.Context) {
	defer c.wg.Done()
	t := time.NewTicker(checkpointEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		for i := range c.dbs {
			c.checkpoint(ctx, i)
		}
	}
}

// checkpoint runs a passive checkpoint: it takes no lock a writer needs, so Temporal's
// transactions neither wait for it nor fail (a checkpoint that blocks writers, RESTART or
// TRUNCATE, makes a transaction that read before it wrote fail with SQLITE_BUSY).
func (c *checkpointer) checkpoint(ctx context.Context, i int) {
	var busy, logged, done int
	err := c.dbs[i].QueryRowContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &logged, &done)
	if err != nil && ctx.Err() == nil {
		c.logger.Warn("embedded temporal: checkpoint failed", tag.NewStringTag("file", c.files[i]), tag.Error(err))
	}
}

// stop ends the loop and, with the server stopped, checkpoints and truncates each log.
func (c *checkpointer) stop() {
	c.cancel()
	c.wg.Wait()
	for i, db := range c.dbs {
		if _, err := db.Exec("PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
			c.logger.Warn("embedded temporal: final checkpoint failed", tag.NewStringTag("file", c.files[i]), tag.Error(err))
		}
	}
	c.close()
}

func (c *checkpointer) close() {
	for _, db := range c.dbs {
		_ = db.Close()
	}
}
