// The statements of one write transaction (Neo4jStore.write), in the order they run. Every value is
// a parameter. Row data comes as parallel lists ($id[i], $name[i], ...), one entry per record: the
// driver packs a list of strings several times faster than as many small maps. Records the write
// already knows to be new are CREATEd, changed ones are found by the element id its read returned:
// nothing MERGEs, because a MERGE of a relationship scans the relationships between its endpoints,
// which on a popular package version is thousands per row.

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

// name: readKinds
// Of the nodes a batch only mentions (edge endpoints), those that are not stored as $kinds[i] says:
// kind null when absent, else the kind they are stored as. Usually no row at all.
UNWIND range(0, size($ids) - 1) AS i
OPTIONAL MATCH (n:Node {id: $ids[i]})
WITH $ids[i] AS id, n.kind AS kind, $kinds[i] AS expected
WHERE kind IS NULL OR kind <> expected
RETURN id, kind

// name: readEdges
// The stored edges of one kind among the batch's ($from[i], $key[i], $to[i]), with their element ids.
UNWIND range(0, size($key) - 1) AS i
MATCH (a:Node {id: $from[i]})-[e:{{EdgeKind}} {key: $key[i]}]->(b:Node {id: $to[i]})
RETURN elementId(e) AS ref, a.id AS from, type(e) AS kind, b.id AS to,
       e {.key, .since, .until, .confidence, .access, .sources, .firstIngestedAt, .hash} AS e

// name: createNodes
// New nodes of one kind ($kind). props and sources are canonical JSON text; h1..h4 are the record
// hash's four 32-bit parts (sent as floats, exact below 2^53, stored as integers), summed for the
// snapshotId; searchText feeds the full-text index.
UNWIND range(0, size($id) - 1) AS i
CREATE (n:Node:{{NodeKind}} {
  id: $id[i], kind: $kind, name: $name[i], props: $props[i], sources: $sources[i], compromised: $compromised[i],
  firstIngestedAt: $firstIngestedAt[i], hash: $hash[i], searchText: $searchText[i],
  h1: toInteger($h1[i]), h2: toInteger($h2[i]), h3: toInteger($h3[i]), h4: toInteger($h4[i])
})

// name: updateNodes
// Changed nodes, by the element id readNodes returned (a node's id and kind never change).
UNWIND range(0, size($ref) - 1) AS i
MATCH (n:Node) WHERE elementId(n) = $ref[i]
SET n.name = $name[i], n.props = $props[i], n.sources = $sources[i], n.compromised = $compromised[i],
    n.firstIngestedAt = $firstIngestedAt[i], n.hash = $hash[i], n.searchText = $searchText[i],
    n.h1 = toInteger($h1[i]), n.h2 = toInteger($h2[i]), n.h3 = toInteger($h3[i]), n.h4 = toInteger($h4[i])

// name: createEdges
// New edges of one kind; both endpoints exist (nodes are written first). An absent optional field
// is a null in its list, which creates no property.
UNWIND range(0, size($key) - 1) AS i
MATCH (a:Node {id: $from[i]})
MATCH (b:Node {id: $to[i]})
CREATE (a)-[:{{EdgeKind}} {
  key: $key[i], since: $since[i], until: $until[i], confidence: $confidence[i], access: $access[i],
  sources: $sources[i], firstIngestedAt: $firstIngestedAt[i], hash: $hash[i],
  h1: toInteger($h1[i]), h2: toInteger($h2[i]), h3: toInteger($h3[i]), h4: toInteger($h4[i])
}]->(b)

// name: updateEdges
// Changed edges, by the element id readEdges returned. Setting a field to null removes it.
UNWIND range(0, size($ref) - 1) AS i
MATCH ()-[e]->() WHERE elementId(e) = $ref[i]
SET e.since = $since[i], e.until = $until[i], e.confidence = $confidence[i], e.access = $access[i],
    e.sources = $sources[i], e.firstIngestedAt = $firstIngestedAt[i], e.hash = $hash[i],
    e.h1 = toInteger($h1[i]), e.h2 = toInteger($h2[i]), e.h3 = toInteger($h3[i]), e.h4 = toInteger($h4[i])

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
