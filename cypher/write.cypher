// The statements of one write transaction (Neo4jStore.write), in the order they run.
// Rows come in chunks ($rows, $ids); every value is a parameter.

// name: lockGraph
// First in every write: takes the Meta node's write lock, so writers run one at a time (planWrite's
// read-merge-write never loses a concurrent update) and returns the cached snapshot sums (null on
// the first write, or after clear()).
MERGE (m:Meta {id: 'graph'})
SET m.writes = coalesce(m.writes, 0) + 1
RETURN m.nodeCount AS nodeCount, m.nodeSums AS nodeSums, m.edgeCount AS edgeCount, m.edgeSums AS edgeSums

// name: readNodes
// The stored records a batch's node ids name (absent ones are simply missing).
UNWIND $ids AS id
MATCH (n:Node {id: id})
RETURN n {.id, .kind, .name, .props, .sources, .compromised, .firstIngestedAt, .hash} AS n

// name: readEdges
// The stored edges of one kind with the batch's keys; each row carries from, to and key.
UNWIND $rows AS r
MATCH (a:Node {id: r.from})-[e:{{EdgeKind}} {key: r.key}]->(b:Node {id: r.to})
RETURN a.id AS from, type(e) AS kind, b.id AS to,
       e {.key, .since, .until, .confidence, .access, .sources, .firstIngestedAt, .hash} AS e

// name: upsertNodes
// New or changed nodes of one kind. props and sources are canonical JSON text; h1..h4 are the
// record hash's four 32-bit parts, summed for the snapshotId; searchText feeds the full-text index.
UNWIND $rows AS r
MERGE (n:Node {id: r.id})
SET n:{{NodeKind}},
    n.kind = r.kind,
    n.name = r.name,
    n.props = r.props,
    n.sources = r.sources,
    n.compromised = r.compromised,
    n.firstIngestedAt = r.firstIngestedAt,
    n.hash = r.hash,
    n.searchText = r.searchText,
    n.h1 = r.h1, n.h2 = r.h2, n.h3 = r.h3, n.h4 = r.h4

// name: upsertEdges
// New or changed edges of one kind; both endpoints exist (upsertNodes ran first). Setting an absent
// optional field to null leaves the property absent.
UNWIND $rows AS r
MATCH (a:Node {id: r.from})
MATCH (b:Node {id: r.to})
MERGE (a)-[e:{{EdgeKind}} {key: r.key}]->(b)
SET e.since = r.since,
    e.until = r.until,
    e.confidence = r.confidence,
    e.access = r.access,
    e.sources = r.sources,
    e.firstIngestedAt = r.firstIngestedAt,
    e.hash = r.hash,
    e.h1 = r.h1, e.h2 = r.h2, e.h3 = r.h3, e.h4 = r.h4

// name: saveSnapshotSums
// Last in every write: the counts and hash-part sums after it, so snapshotId() is O(1).
MATCH (m:Meta {id: 'graph'})
SET m.nodeCount = $nodeCount, m.nodeSums = $nodeSums, m.edgeCount = $edgeCount, m.edgeSums = $edgeSums

// name: sumNodes
// Full recount, only when the cached sums are missing or stale.
MATCH (n:Node)
RETURN count(n) AS count, [sum(n.h1), sum(n.h2), sum(n.h3), sum(n.h4)] AS sums

// name: sumEdges
MATCH ()-[e]->()
RETURN count(e) AS count, [sum(e.h1), sum(e.h2), sum(e.h3), sum(e.h4)] AS sums
