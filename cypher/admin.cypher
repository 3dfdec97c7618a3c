// Maintenance. CALL { } IN TRANSACTIONS commits batch by batch, so these run in auto-commit
// (implicit) transactions, never inside executeRead / executeWrite.

// name: clearEdges
// Relationships first, in batches, so no single transaction holds a huge node's every edge.
MATCH ()-[e]->()
CALL (e) {
  DELETE e
} IN TRANSACTIONS OF $batchSize ROWS

// name: clearNodes
// Every node, including the (:Meta) singleton: the snapshot sums start again from nothing.
MATCH (n)
CALL (n) {
  DETACH DELETE n
} IN TRANSACTIONS OF $batchSize ROWS
