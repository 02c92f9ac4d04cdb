package embedded

import (
	"context"
	"errors"
	"fmt"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/server/common/config"
	"go.temporal.io/server/common/headers"
	"go.temporal.io/server/common/log"
	"go.temporal.io/server/common/metrics"
	"go.temporal.io/server/common/persistence"
	"go.temporal.io/server/common/persistence/serialization"
	sqlpersistence "go.temporal.io/server/common/persistence/sql"
	"go.temporal.io/server/common/resolver"
)

// DefaultHistoryShards is the shard count of a new cluster when none is asked for.
const DefaultHistoryShards = 4

// ShardMismatchError says a node was asked for a shard count other than the one its
// cluster was created with. Temporal itself would log a warning and carry on with the stored
// count; a node refuses instead, so that a typo in one unit file is seen.
type ShardMismatchError struct {
	Stored, Asked int32
}

func (e *ShardMismatchError) Error() string {
	return fmt.Sprintf("the cluster was created with %d history shards, not %d; the count is fixed when a cluster is created", e.Stored, e.Asked)
}

// storedShardCount reads the history shard count from the cluster's metadata record;
// 0 when the database holds no cluster yet.
func storedShardCount(ctx context.Context, c *config.SQL, logger log.Logger) (int32, error) {
	serializer := serialization.NewSerializer()
	f := sqlpersistence.NewFactory(*c, resolver.NewNoopResolver(), clusterName, logger, metrics.NoopMetricsHandler, serializer)
	defer f.Close()
	store, err := f.NewClusterMetadataStore()
	if err != nil {
		return 0, fmt.Errorf("open cluster metadata on %s: %w", describe(c), err)
	}
	m := persistence.NewClusterMetadataManagerImpl(store, serializer, clusterName, logger)
	defer m.Close()
	ctx = headers.SetCallerInfo(ctx, headers.SystemOperatorCallerInfo)
	resp, err := m.GetClusterMetadata(ctx, &persistence.GetClusterMetadataRequest{ClusterName: clusterName})
	var nf *serviceerror.NotFound
	if errors.As(err, &nf) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read cluster metadata on %s: %w", describe(c), err)
	}
	return resp.HistoryShardCount, nil
}

// shardCount decides the count this node runs with: the stored one for an existing
// cluster (asked may be 0, "whatever it is"), asked or the default for a new one.
func shardCount(stored, asked int32) (int32, error) {
	switch {
	case stored == 0 && asked == 0:
		return DefaultHistoryShards, nil
	case stored == 0:
		return asked, nil
	case asked != 0 && asked != stored:
		return 0, &ShardMismatchError{Stored: stored, Asked: asked}
	default:
		return stored, nil
	}
}
