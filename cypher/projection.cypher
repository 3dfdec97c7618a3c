// The propagation projection's source (store/projection-source.ts): the graph version, every node
// and every propagating edge streamed as column lists, a page of nodes per call (never one giant
// record), and edges' sources by internal id. Internal ids (id()) are the refs: only meaningful
// for the graph version they were read at, which Neo4jStore.readProjection checks before and after.

// name: graphVersion
// One tiny read: the Meta singleton's epoch (new after clear()) and write counter.
OPTIONAL MATCH (m:Meta {id: 'graph'})
RETURN m.epoch AS epoch, m.version AS version

// name: projectionNodes
// One page of nodes in id order (a range seek on the unique id index gives the order), as lists.
// Props stay JSON text: the store reads the few time fields from it.
MATCH (n:Node)
WHERE n.id > $after
WITH n ORDER BY n.id LIMIT $first
RETURN collect(toFloat(id(n))) AS ref, collect(n.id) AS id, collect(n.kind) AS kind, collect(n.name) AS name,
       collect(n.firstIngestedAt) AS firstIngestedAt, collect(n.props) AS props

// name: projectionEdges
// The propagating edges stored out of one page of nodes ($refs: their internal ids), each once.
// collect() drops nulls, so absent optional fields come as '' (the store reads '' as absent).
UNWIND $refs AS ref
MATCH (n) WHERE id(n) = toInteger(ref)
MATCH (n)-[e:{{PropagatingEdgeKinds}}]->(m)
RETURN collect(toFloat(id(e))) AS ref, collect(toFloat(id(n))) AS src, collect(toFloat(id(m))) AS dst,
       collect(type(e)) AS kind, collect(coalesce(e.access, '')) AS access, collect(coalesce(e.confidence, '')) AS confidence,
       collect(coalesce(e.since, '')) AS since, collect(coalesce(e.until, '')) AS until,
       collect(e.firstIngestedAt) AS firstIngestedAt

// name: edgeSources
UNWIND $refs AS ref
MATCH ()-[e]->() WHERE id(e) = toInteger(ref)
RETURN collect(toFloat(id(e))) AS ref, collect(e.sources) AS sources

// name: bumpGraphVersion
// After clear(): a new epoch, so no version seen before it can match again.
MERGE (m:Meta {id: 'graph'})
SET m.epoch = randomUUID(), m.version = 0
