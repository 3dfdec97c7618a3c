// Statements only benchmarks run (scripts/bench), to compare the store against plain Cypher.

// name: naiveReach
// What a Neo4j user writes by hand for a blast radius: every node within {{Hops}} hops in any
// direction, whatever the edge kind, direction or time. Its cost grows with every path, not with the
// answer; the bench runs it under a transaction timeout.
MATCH (:Node {id: $id})-[*1..{{Hops}}]-(n:Node)
RETURN count(DISTINCT n) AS reached
