// The statements of one write transaction (Neo4jStore.write), in the order they run. Every value is
// a parameter. Row data comes as parallel lists ($id[i], $name[i], ...), one entry per record: the
// driver packs a list of strings several times faster than as many small maps. Records the write
// already knows to be new are CREATEd, changed ones are found by the element id its read returned:
// nothing MERGEs, because a MERGE of a relationship scans the relationships between its endpoints,
// which on a popular package version is thousands per row.

// name: lockGraphFound
// lockGraph when the Meta node exists (every write but the first after clear()): a MATCH takes no
// lock, so the SET's write lock on the Meta node is the first lock this transaction asks for. A MERGE
// first takes a shared lock on the unique index entry it matched; two writers each holding that and
// waiting for the other's node lock deadlock (seen with 8 concurrent writers on a loaded machine).
MATCH (m:Meta {id: 'graph'})
SET m.writes = coalesce(m.writes, 0) + 1
RETURN m.nodeCount AS nodeCount, m.nodeSums AS nodeSums, m.edgeCount AS edgeCount, m.edgeSums AS edgeSums

// name: lockGraph
// First in every write: takes the Meta node's write lock, so writers run one at a time (planWrite's
// read-merge-write never loses a concurrent update, and what the reads below saw stays true until
// the commit) and returns the cached snapshot sums (null on the first write, or after clear()).
MERGE (m:Meta {id: 'graph'})
SET m.writes = coalesce(m.writes, 0) + 1
RETURN m.nodeCount AS nodeCount, m.nodeSums AS nodeSums, m.edgeCount AS edgeCount, m.edgeSums AS edgeSums

// name: readNodes
// The stored records of the nodes a batch describes (planWrite merges them), with their element ids.
UNWIND $ids AS id
MATCH (n:Node {id: id})
RETURN elementId(n) AS ref, n {.id, .kind, .name, .props, .sources, .compromised, .firstIngestedAt, .hash} AS n

// name: readMentions
// One index seek per node, not per edge end. $ids: nodes of the batch; $kinds[i]: the kind a stub
// (a node the batch only mentions) expects, null for the nodes readNodes reads whole. $from[j],
// $to[j]: indexes in $ids of edge j's ends (numbers: toInteger), $key[j]: its key.
// Rows with a null ref: stubs not stored as they expect (kind null when absent, else their stored
// kind); usually none. Rows with a ref: the batch's edges that are stored, with their element ids.
UNWIND $ids AS id
OPTIONAL MATCH (n:Node {id: id})
WITH collect([n]) AS nodes
CALL (nodes) {
  UNWIND range(0, size($ids) - 1) AS i
  WITH i, nodes[i][0] AS n
  WHERE $kinds[i] IS NOT NULL AND (n IS NULL OR n.kind <> $kinds[i])
  RETURN $ids[i] AS id, n.kind AS kind, null AS ref, null AS from, null AS to, null AS e
  UNION ALL
  UNWIND range(0, size($key) - 1) AS j
  WITH j, nodes[toInteger($from[j])][0] AS a, nodes[toInteger($to[j])][0] AS b
  WHERE a IS NOT NULL AND b IS NOT NULL
  MATCH (a)-[e {key: $key[j]}]->(b)
  RETURN null AS id, type(e) AS kind, elementId(e) AS ref, a.id AS from, b.id AS to,
         e {.key, .since, .until, .confidence, .access, .sources, .firstIngestedAt, .hash} AS e
}
RETURN id, kind, ref, from, to, e

// name: createNodes
// New nodes of one kind ($kind). props and sources are canonical JSON text, each distinct sources
// text sent once in $sourceTexts and $sources[i] its index (a number: toInteger); h1..h4 are the record
// hash's four 32-bit parts (sent as floats, exact below 2^53, stored as integers), summed for the
// snapshotId; searchText feeds the full-text index.
UNWIND range(0, size($id) - 1) AS i
CREATE (n:Node:{{NodeKind}} {
  id: $id[i], kind: $kind, name: $name[i], props: $props[i], sources: $sourceTexts[toInteger($sources[i])], compromised: $compromised[i],
  firstIngestedAt: $firstIngestedAt[i], hash: $hash[i], searchText: $searchText[i],
  h1: toInteger($h1[i]), h2: toInteger($h2[i]), h3: toInteger($h3[i]), h4: toInteger($h4[i])
})

// name: updateNodes
// Changed nodes, by the element id readNodes returned (a node's id and kind never change).
UNWIND range(0, size($ref) - 1) AS i
MATCH (n:Node) WHERE elementId(n) = $ref[i]
SET n.name = $name[i], n.props = $props[i], n.sources = $sourceTexts[toInteger($sources[i])], n.compromised = $compromised[i],
    n.firstIngestedAt = $firstIngestedAt[i], n.hash = $hash[i], n.searchText = $searchText[i],
    n.h1 = toInteger($h1[i]), n.h2 = toInteger($h2[i]), n.h3 = toInteger($h3[i]), n.h4 = toInteger($h4[i])

// name: createEdges
// New edges of one kind: $from[j], $to[j] index their ends in $ends (numbers: toInteger), each end
// found once. Both ends exist (nodes are written first); were one missing, the CREATE would fail.
// An absent optional field is a null in its list, which creates no property.
UNWIND $ends AS id
OPTIONAL MATCH (n:Node {id: id})
WITH collect([n]) AS nodes
UNWIND range(0, size($key) - 1) AS j
WITH j, nodes[toInteger($from[j])][0] AS a, nodes[toInteger($to[j])][0] AS b
CREATE (a)-[:{{EdgeKind}} {
  key: $key[j], since: $since[j], until: $until[j], confidence: $confidence[j], access: $access[j],
  sources: $sourceTexts[toInteger($sources[j])], firstIngestedAt: $firstIngestedAt[j], hash: $hash[j],
  h1: toInteger($h1[j]), h2: toInteger($h2[j]), h3: toInteger($h3[j]), h4: toInteger($h4[j])
}]->(b)

// name: updateEdges
// Changed edges, by the element id readEdges returned. Setting a field to null removes it.
UNWIND range(0, size($ref) - 1) AS i
MATCH ()-[e]->() WHERE elementId(e) = $ref[i]
SET e.since = $since[i], e.until = $until[i], e.confidence = $confidence[i], e.access = $access[i],
    e.sources = $sourceTexts[toInteger($sources[i])], e.firstIngestedAt = $firstIngestedAt[i], e.hash = $hash[i],
    e.h1 = toInteger($h1[i]), e.h2 = toInteger($h2[i]), e.h3 = toInteger($h3[i]), e.h4 = toInteger($h4[i])

// name: saveSnapshotSums
// Last in every write: the counts and hash-part sums after it, so snapshotId() is O(1), and the graph
// version: bumped ($changed) in the write's own transaction when it changed anything, so every reader
// (another server, a script) sees the new version exactly when it sees the new data. The epoch is
// set once per Meta node (a clear() deletes it).
MATCH (m:Meta {id: 'graph'})
SET m.nodeCount = $nodeCount, m.nodeSums = $nodeSums, m.edgeCount = $edgeCount, m.edgeSums = $edgeSums,
    m.epoch = coalesce(m.epoch, randomUUID()),
    m.version = coalesce(m.version, 0) + CASE WHEN $changed THEN 1 ELSE 0 END

// name: sumNodes
// Full recount, only when the cached sums are missing or stale.
MATCH (n:Node)
RETURN count(n) AS count, [sum(n.h1), sum(n.h2), sum(n.h3), sum(n.h4)] AS sums

// name: sumEdges
MATCH ()-[e]->()
RETURN count(e) AS count, [sum(e.h1), sum(e.h2), sum(e.h3), sum(e.h4)] AS sums
