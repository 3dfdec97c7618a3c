// Schema for the Neo4j store. Neo4jStore.init() runs every statement here in file order, each in its
// own auto-commit transaction and for every value of its placeholders; all are idempotent.
// Placeholders ({{NodeKind}}, {{EdgeKind}}, ...) are substituted by server/store/neo4j/cypher-loader.ts
// from the closed lists in server/model/kinds.ts, never from input.

// name: nodeIdUnique
// Every node is (:Node:<Kind>); its natural key is unique and backs every lookup by id.
CREATE CONSTRAINT node_id_unique IF NOT EXISTS
FOR (n:Node) REQUIRE n.id IS UNIQUE

// name: metaIdUnique
// The (:Meta {id: 'graph'}) singleton: write lock and cached snapshot sums. Unique so that concurrent
// first writes cannot create two.
CREATE CONSTRAINT meta_id_unique IF NOT EXISTS
FOR (m:Meta) REQUIRE m.id IS UNIQUE

// name: kindIdIndex
// listNodes({kind}) pages through one kind in id order without scanning the others.
CREATE RANGE INDEX node_{{NodeKind}}_id IF NOT EXISTS
FOR (n:{{NodeKind}}) ON (n.id)

// name: compromisedIndex
// compromisedNodes() reads the few marked nodes, not the whole graph.
CREATE RANGE INDEX node_compromised IF NOT EXISTS
FOR (n:Node) ON (n.compromised)

// name: searchIndex
// search(): full text over each node's searchText, the words of its id and name as cut by
// server/store/neo4j/search-query.ts (the `whitespace` analyzer keeps them exactly so). Synchronous
// (not eventually consistent): a write is searchable as soon as it commits.
CREATE FULLTEXT INDEX node_search_text IF NOT EXISTS
FOR (n:Node) ON EACH [n.searchText]
OPTIONS { indexConfig: { `fulltext.analyzer`: 'whitespace', `fulltext.eventually_consistent`: false } }

// name: awaitIndexes
// Last: init() resolves only once every index above is online.
CALL db.awaitIndexes($timeoutSeconds)
