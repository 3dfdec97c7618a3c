/**
 * How big an answer a query asks for, known before it runs and enforced while it runs.
 *
 * graphql-armor's cost limit counts only page sizes written into the query as literals: a list left at
 * its default (`Node.edges` returns 100), a size passed in a variable, or a list the server sizes
 * itself (a neighbourhood's 1,000 nodes) counted as one, so fifteen aliases of a nested neighbourhood
 * passed it and asked for hundreds of millions of objects. Here every list counts at the size the
 * server would really return: its `first` argument (literal or variable), else the argument's
 * default, capped by the server's own limit; lists without `first` at the bound the server enforces
 * (LIST_SIZES). A query whose estimate passes `maxResultObjects` is refused before it runs
 * (LIMIT_EXCEEDED, HTTP 400).
 *
 * The estimate is an upper bound for the lists it knows; `ResultBudget` is the ceiling at run time:
 * resolvers that return lists charge what they return, and past the same limit the request fails
 * with TOO_LARGE instead of building a larger answer.
 */
import {
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type GraphQLType,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import type { ApiLimits } from './limits.js';

type SizeRule = number | ((limits: ApiLimits) => number);

/**
 * Lists whose size is not a `first` argument, or whose `first` has a server cap: `Type.field` to the
 * most items the server returns. A connection's `edges` is sized by the `first` of the field that
 * returned the connection, so it counts once here.
 */
const LIST_SIZES: Record<string, SizeRule> = {
  'Neighborhood.nodes': (l) => l.maxNeighborhoodNodes,
  // Edges among the neighbourhood's nodes: counted at two per node (a tree has one; the graph is sparse).
  'Neighborhood.edges': (l) => 2 * l.maxNeighborhoodNodes,
  'Path.nodes': (l) => l.maxPathHops + 1,
  'Path.steps': (l) => l.maxPathHops,
  'NodeConnection.edges': 1,
  'IncidentConnection.edges': 1,
  // Provenance and saved seeds: a few per record in practice.
  'Node.sources': 10,
  'Edge.sources': 10,
  'Incident.seeds': 10,
  // A blast radius is computed whole by the engine before any of its fields resolve, and its types
  // lead back into no graph field: its lists add no work here (the engine has its own bounds).
  'BlastRadius.seeds': 1,
  'BlastRadius.affected': 1,
  'BlastRadius.customers': 1,
  'Affected.path': 1,
  'Hop.sources': 1,
  'AffectedCustomer.reasons': 1,
  'Reason.path': 1,
  'ExportDownload.seeds': 1,
  'IngestResult.warnings': 1,
  // The bounded readers of a blast radius: a page is sized by its own `first` (capped by maxPageSize).
  'AffectedConnection.edges': 1,
  'BlastRadius.counts': 1,
  // Engine answers computed whole, like a blast radius, and leading back into no graph field:
  // revisions' stored diffs, the containment plan, the rotation queue, unchecked uses.
  'IncidentRevisionConnection.edges': 1,
  'DiffPart.added': 1,
  'DiffPart.removed': 1,
  'DiffPart.moved': 1,
  'TimeWindow.seeds': 1,
  'ContainmentPlan.customers': 1,
  'ContainmentPlan.actions': 1,
  'ContainmentPlan.alreadyReached': 1,
  'ContainmentPlan.unprotectable': 1,
  'PlanAction.protects': 1,
  'PlanAction.cuts': 1,
  'Spared.customers': 1,
  'Spared.assets': 1,
  'RotationQueue.credentials': 1,
  'RotationEntry.customers': 1,
  'RotationEntry.opens': 1,
  'RotationEntry.heldBy': 1,
  'RotationEntry.path': 1,
  'UncheckedUse.usedBy': 1,
  'CompromisedNodes.nodes': 1,
};

/** Caps on `first`, per field. */
const FIRST_CAPS: Record<string, (limits: ApiLimits) => number> = {
  'Query.nodes': (l) => l.maxPageSize,
  'Query.incidents': (l) => l.maxPageSize,
  'Query.search': (l) => l.maxSearchResults,
  'Node.edges': (l) => l.maxNodeEdges,
  'BlastRadius.affectedPage': (l) => l.maxPageSize,
  'Incident.revisions': (l) => l.maxPageSize,
};

// graphql ships CommonJS and ESM builds that a test runner may load side by side, so types are read
// by shape (`ofType`, `getFields`, their SDL text), never with graphql's instanceof-based helpers.
function namedType(type: GraphQLType): GraphQLNamedType {
  let t = type as GraphQLType & { ofType?: GraphQLType };
  while (t.ofType) t = t.ofType as GraphQLType & { ofType?: GraphQLType };
  return t as GraphQLNamedType;
}

function isList(type: GraphQLType): boolean {
  return String(type).startsWith('[');
}

function fieldsOf(type: GraphQLNamedType): Record<string, GraphQLField<unknown, unknown>> {
  return 'getFields' in type && typeof type.getFields === 'function' && !('parseValue' in type) ? (type.getFields() as Record<string, GraphQLField<unknown, unknown>>) : {};
}

/** A list nobody sized: blast-radius results, sources, seeds. */
const DEFAULT_LIST_SIZE = 100;

export interface SizeEstimate {
  /** Upper estimate of the values (objects and scalars) in the answer. */
  objects: number;
}

/**
 * Estimates the values an operation asks for. Stops counting (returns Infinity) once past `stopAt`.
 * @example estimateResultSize(schema, parse('{ nodes(first: 10) { edges { node { id } } } }'), {}, limits)
 */
export function estimateResultSize(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  limits: ApiLimits,
  operationName?: string | null,
): number {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations[0];
  if (!operation) return 0;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const root = operation.operation === 'mutation' ? schema.getMutationType() : operation.operation === 'subscription' ? schema.getSubscriptionType() : schema.getQueryType();
  if (!root) return 0;

  const sizeOf = (parent: string, field: GraphQLField<unknown, unknown>, node: FieldNode): number => {
    const key = `${parent}.${field.name}`;
    const firstDef = field.args.find((a) => a.name === 'first');
    if (firstDef) {
      const given = node.arguments?.find((a) => a.name.value === 'first');
      const value =
        given?.value.kind === Kind.INT ? Number(given.value.value) : given?.value.kind === Kind.VARIABLE ? variables?.[given.value.name.value] : undefined;
      const requested = typeof value === 'number' ? value : typeof firstDef.defaultValue === 'number' ? firstDef.defaultValue : DEFAULT_LIST_SIZE;
      const cap = FIRST_CAPS[key]?.(limits) ?? requested;
      return Math.max(1, Math.min(requested, cap));
    }
    const rule = LIST_SIZES[key];
    if (rule !== undefined) return typeof rule === 'number' ? rule : rule(limits);
    return isList(field.type) ? DEFAULT_LIST_SIZE : 1;
  };

  const countSet = (type: GraphQLNamedType, set: SelectionSetNode, seen: ReadonlySet<string>): number => {
    let total = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value.startsWith('__')) {
          total += 1;
          continue;
        }
        const field = fieldsOf(type)[selection.name.value];
        if (!field) continue; // validation reports unknown fields
        const inner = selection.selectionSet ? countSet(namedType(field.type), selection.selectionSet, seen) : 0;
        total += sizeOf(type.name, field, selection) * (1 + inner);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const on = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : type;
        total += countSet(on ?? type, selection.selectionSet, seen);
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        if (!fragment || seen.has(name)) continue; // validation refuses cycles and unknown fragments
        const on = schema.getType(fragment.typeCondition.name.value) ?? type;
        total += countSet(on, fragment.selectionSet, new Set([...seen, name]));
      }
      if (!Number.isFinite(total) || total > Number.MAX_SAFE_INTEGER) return Infinity;
    }
    return total;
  };
  return countSet(root, operation.selectionSet, new Set());
}

/**
 * Refuses, before execution, an operation whose estimated answer passes `limits.maxResultObjects`;
 * after it, replaces an answer larger than `limits.maxResponseBytes` of JSON with TOO_LARGE.
 */
export function useResultSizeLimit(limits: ApiLimits): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const estimate = estimateResultSize(args.schema, args.document, args.variableValues ?? undefined, limits, args.operationName);
      if (estimate > limits.maxResultObjects) {
        const found = Number.isFinite(estimate) ? `about ${Math.round(estimate).toLocaleString('en-US')}` : 'more than can be counted';
        setResultAndStopExecution({
          errors: [
            createGraphQLError(
              `Result size limit of ${limits.maxResultObjects.toLocaleString('en-US')} values exceeded: the query asks for ${found} (lists count at the size the server returns: their first argument, else its default, capped by the server's limits); ask for smaller pages, fewer nested lists or fewer aliases`,
              { extensions: { code: 'LIMIT_EXCEEDED', http: { status: 400 } } },
            ),
          ],
        });
        return;
      }
      return {
        onExecuteDone({ result, setResult }) {
          if (!result || typeof result !== 'object' || Symbol.asyncIterator in result) return;
          const bytes = Buffer.byteLength(JSON.stringify(result), 'utf8');
          if (bytes > limits.maxResponseBytes) {
            setResult({
              errors: [
                createGraphQLError(`the answer is ${bytes.toLocaleString('en-US')} bytes, over the limit of ${limits.maxResponseBytes.toLocaleString('en-US')}; ask for fewer fields or a smaller part`, {
                  extensions: { code: 'TOO_LARGE' },
                }),
              ],
            });
          }
        },
      };
    },
  };
}

/**
 * The run-time ceiling of one request: list resolvers charge what they return; past the limit, or
 * once the request's deadline has passed (its signal aborted), further work fails at once.
 */
export class ResultBudget {
  private used = 0;
  constructor(
    private readonly limit: number,
    readonly signal: AbortSignal,
  ) {}

  /** Counts `n` more values in the answer; throws TOO_LARGE past the limit, TIMEOUT once aborted. */
  charge(n: number, what: string): void {
    this.check();
    this.used += n;
    if (this.used > this.limit) {
      throw createGraphQLError(`the answer grew past ${this.limit.toLocaleString('en-US')} values (at ${what}) and was cut off; ask for less`, {
        extensions: { code: 'TOO_LARGE' },
      });
    }
  }

  /** Throws TIMEOUT when the request's deadline has passed (or its client went away). */
  check(): void {
    if (this.signal.aborted) {
      throw createGraphQLError('the request took longer than its time limit and was stopped', { extensions: { code: 'TIMEOUT' } });
    }
  }
}
