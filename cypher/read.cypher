// Read statements (GraphStore queries). Each returns whole records; nothing loads the graph.

// name: ping
RETURN 1 AS ok

// name: nodesById
UNWIND $ids AS id
MATCH (n:Node {id: id})
RETURN n {.id, .kind, .name, .props, .sources, .compromised, .firstIngestedAt, .hash} AS n

// name: listNodes
// One page in id order: a seek on the unique id index, which also provides the order.
MATCH (n:Node)
WHERE n.id > $after
WITH n ORDER BY n.id LIMIT $first
RETURN n {.id, .kind, .name, .props, .sources, .compromised, .firstIngestedAt, .hash} AS n

// name: listNodesOfKind
MATCH (n:{{NodeKind}})
USING INDEX n:{{NodeKind}}(id)
WHERE n.id > $after
WITH n ORDER BY n.id LIMIT $first
RETURN n {.id, .kind, .name, .props, .sources, .compromised, .firstIngestedAt, .hash} AS n

// name: countNodes
// Served from the count store: constant time.
MATCH (n:Node)
RETURN count(n) AS count

// name: countNodesOfKind
MATCH (n:{{NodeKind}})
RETURN count(n) AS count

// name: countEdges
MATCH ()-[e]->()
RETURN count(e) AS count

// name: countEdgesOfKind
MATCH ()-[e:{{EdgeKind}}]->()
RETURN count(e) AS count

// name: readSnapshotSums
// The sums the last write cached; no row before the first write.
MATCH (m:Meta {id: 'graph'})
RETURN m.nodeCount AS nodeCount, m.nodeSums AS nodeSums, m.edgeCount AS edgeCount, m.edgeSums AS edgeSums

// name: search
// $query is a Lucene query built by search-query.ts from escaped words; $phrases (one per word)
// keep only nodes holding each word's tokens adjacent, as the embedded store's FTS5 phrases do.
// $kinds: null for any kind.
CALL db.index.fulltext.queryNodes('node_search_text', $query) YIELD node, score
WHERE ($kinds IS NULL OR node.kind IN $kinds)
  AND all(p IN $phrases WHERE (' ' + node.searchText) CONTAINS p)
WITH node, score ORDER BY score DESC, node.id LIMIT $first
RETURN node {.id, .kind, .name, .props, .sources, .compromised, .firstIngestedAt, .hash} AS n, score

// name: edgesOut
// Edges whose stored `from` is one of $ids; $kinds: null for any kind.
UNWIND $ids AS id
MATCH (:Node {id: id})-[e]->()
WITH DISTINCT e
WHERE $kinds IS NULL OR type(e) IN $kinds
RETURN startNode(e).id AS from, type(e) AS kind, endNode(e).id AS to,
       e {.key, .since, .until, .confidence, .access, .sources, .firstIngestedAt, .hash} AS e
ORDER BY e.key

// name: edgesIn
UNWIND $ids AS id
MATCH (:Node {id: id})<-[e]-()
WITH DISTINCT e
WHERE $kinds IS NULL OR type(e) IN $kinds
RETURN startNode(e).id AS from, type(e) AS kind, endNode(e).id AS to,
       e {.key, .since, .until, .confidence, .access, .sources, .firstIngestedAt, .hash} AS e
ORDER BY e.key

// name: edgesBoth
UNWIND $ids AS id
MATCH (:Node {id: id})-[e]-()
WITH DISTINCT e
WHERE $kinds IS NULL OR type(e) IN $kinds
RETURN startNode(e).id AS from, type(e) AS kind, endNode(e).id AS to,
       e {.key, .since, .until, .confidence, .access, .sources, .firstIngestedAt, .hash} AS e
ORDER BY e.key

// name: compromisedNodes
MATCH (n:Node)
WHERE n.compromised = true
WITH n ORDER BY n.id
RETURN n {.id, .kind, .name, .props, .sources, .compromised, .firstIngestedAt, .hash} AS n
