/**
 * The GraphQL client: one POST to /graphql per operation, JSON in and out, the bearer token when one
 * is set, and errors turned into ApiError with the server's stable `extensions.code`.
 */
import { PLAN_FIELDS, QUEUE_FIELDS, type ActionCosts, type ContainmentPlan, type RotationQueue } from './incident-day.js';
import type { ApiEdge, ApiNode, BlastRadius, Confidence, ExportDownload, Neighborhood, NodeKind, PathHop } from './types.js';

export interface StartPageIncident {
  id: string;
  name: string;
  status: string;
  updatedAt: string;
  seeds: Array<{ id: string; at: string | null }>;
}

export interface StartPageData {
  compromised: { total: number; nodes: ApiNode[] };
  incidents: StartPageIncident[];
  stats: { store: string; totalNodes: number; totalEdges: number };
}

export class ApiError extends Error {
  constructor(
    message: string,
    /** The server's `extensions.code` (BAD_INPUT, NOT_FOUND, FORBIDDEN, UNAUTHENTICATED, …), or NETWORK / HTTP_nnn. */
    readonly code: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface ApiClientOptions {
  /**
   * The GraphQL endpoint.
   * @default '/graphql'
   */
  endpoint?: string;
  /** Returns the bearer token to send, if any. */
  token?: () => string | null;
  /** fetch to use (tests pass their own). @default globalThis.fetch */
  fetch?: typeof fetch;
}

const SOURCE_FIELDS = 'source sha256 ingestedAt pointer';
/** The server allows 15 aliases per operation (graphql-armor maxAliases); stay under it. */
const ALIASES_PER_REQUEST = 12;
const NODE_FIELDS = `id kind name props compromised compromisedAt containedAt sources { ${SOURCE_FIELDS} }`;

export class ApiClient {
  private readonly endpoint: string;
  private readonly token: () => string | null;
  private readonly fetchFn: typeof fetch;
  private hopFields: Promise<string> | null = null;

  constructor(options: ApiClientOptions = {}) {
    this.endpoint = options.endpoint ?? '/graphql';
    this.token = options.token ?? (() => null);
    this.fetchFn = options.fetch ?? ((...args) => globalThis.fetch(...args));
  }

  async request<T>(query: string, variables: Record<string, unknown> = {}, signal?: AbortSignal): Promise<T> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      // graphql-yoga's CSRF prevention accepts requests carrying this header.
      'x-graphql-yoga-csrf': 'blast-explorer',
    };
    const token = this.token();
    if (token) headers.authorization = `Bearer ${token}`;
    let response: Response;
    try {
      response = await this.fetchFn(this.endpoint, { method: 'POST', headers, body: JSON.stringify({ query, variables }), signal: signal ?? null });
    } catch (err) {
      if ((err as Error).name === 'AbortError') throw err;
      throw new ApiError(`the server did not answer (${(err as Error).message})`, 'NETWORK');
    }
    type Body = { data?: T; errors?: Array<{ message: string; extensions?: { code?: string } }> };
    let body: Body | null = null;
    try {
      body = (await response.json()) as Body;
    } catch {
      body = null;
    }
    const first = body?.errors?.[0];
    if (first) throw new ApiError(first.message, first.extensions?.code ?? (response.status === 401 ? 'UNAUTHENTICATED' : 'INTERNAL'));
    if (response.status === 401) throw new ApiError('this server needs an access token', 'UNAUTHENTICATED');
    if (!response.ok || !body?.data) throw new ApiError(`the server answered ${response.status} ${response.statusText}`.trim(), `HTTP_${response.status}`);
    return body.data;
  }

  /** Who we are: the role our token grants, and whether the server wants one at all. */
  async viewer(): Promise<{ role: 'viewer' | 'analyst' | 'admin'; authRequired: boolean }> {
    const data = await this.request<{ viewer: { role: 'viewer' | 'analyst' | 'admin'; authRequired: boolean } }>('query Viewer { viewer { role authRequired } }');
    return data.viewer;
  }

  async search(text: string, options: { kinds?: NodeKind[]; first?: number } = {}, signal?: AbortSignal): Promise<ApiNode[]> {
    const data = await this.request<{ search: ApiNode[] }>(
      'query Search($text: String!, $kinds: [NodeKind!], $first: Int) { search(text: $text, kinds: $kinds, first: $first) { id kind name } }',
      { text, kinds: options.kinds ?? null, first: options.first ?? 12 },
      signal,
    );
    return data.search;
  }

  async node(id: string): Promise<ApiNode | null> {
    const data = await this.request<{ node: ApiNode | null }>(`query Node($id: ID!) { node(id: $id) { ${NODE_FIELDS} } }`, { id });
    return data.node;
  }

  /** Several nodes (kind and name), null where absent; aliased, a few per request (the server caps aliases). */
  async nodes(ids: readonly string[]): Promise<Map<string, ApiNode | null>> {
    const out = new Map<string, ApiNode | null>();
    for (let at = 0; at < ids.length; at += ALIASES_PER_REQUEST) {
      const chunk = ids.slice(at, at + ALIASES_PER_REQUEST);
      const vars: Record<string, string> = {};
      const decl: string[] = [];
      const sel: string[] = [];
      chunk.forEach((id, i) => {
        vars[`id${i}`] = id;
        decl.push(`$id${i}: ID!`);
        sel.push(`n${i}: node(id: $id${i}) { id kind name }`);
      });
      const data = await this.request<Record<string, ApiNode | null>>(`query Nodes(${decl.join(', ')}) { ${sel.join(' ')} }`, vars);
      chunk.forEach((id, i) => out.set(id, data[`n${i}`] ?? null));
    }
    return out;
  }

  /**
   * The stored edge behind each hop of an evidence path (its sources and own confidence), looked up
   * as a one-hop `path` between the hop's ends over the hop's edge kind. The walk's own query leaves
   * hop sources out: on a 5,000-node radius they are half of the answer's bytes.
   */
  async hopEdges(hops: ReadonlyArray<Pick<PathHop, 'from' | 'edge' | 'to'>>): Promise<Array<ApiEdge | null>> {
    const out: Array<ApiEdge | null> = [];
    for (let at = 0; at < hops.length; at += ALIASES_PER_REQUEST) {
      const chunk = hops.slice(at, at + ALIASES_PER_REQUEST);
      const vars: Record<string, string> = {};
      const decl: string[] = [];
      const sel: string[] = [];
      chunk.forEach((h, i) => {
        Object.assign(vars, { [`f${i}`]: h.from, [`t${i}`]: h.to, [`k${i}`]: h.edge });
        decl.push(`$f${i}: ID!, $t${i}: ID!, $k${i}: EdgeKind!`);
        sel.push(`h${i}: path(from: $f${i}, to: $t${i}, edgeKinds: [$k${i}], maxHops: 1) { steps { edge { kind from to since until confidence access sources { ${SOURCE_FIELDS} } } } }`);
      });
      const data = await this.request<Record<string, { steps: Array<{ edge: ApiEdge }> } | null>>(`query HopEdges(${decl.join(', ')}) { ${sel.join(' ')} }`, vars);
      chunk.forEach((_, i) => out.push(data[`h${i}`]?.steps[0]?.edge ?? null));
    }
    return out;
  }

  /** Starts the Hop.confidence probe early, so the first walk does not wait for it. */
  warmUp(): void {
    void this.hopSelection();
  }

  /**
   * Hop fields to ask for: `Hop.confidence` when this server has it (asked once, by introspection),
   * so edges can be drawn by their own confidence rather than a derived one.
   */
  private async hopSelection(): Promise<string> {
    this.hopFields ??= this.request<{ __type: { fields: Array<{ name: string }> } | null }>('query HopFields { __type(name: "Hop") { fields { name } } }')
      .then((d) => (d.__type?.fields.some((f) => f.name === 'confidence') ? 'from edge to arrival confidence' : 'from edge to arrival'))
      .catch(() => 'from edge to arrival');
    return this.hopFields;
  }

  async blastRadius(
    seeds: Array<{ id: string; at?: string | null }>,
    options: { minConfidence?: Confidence; maxHops?: number | null } = {},
    signal?: AbortSignal,
  ): Promise<BlastRadius> {
    const hop = await this.hopSelection();
    const query = `query BlastRadius($seeds: [SeedInput!], $options: BlastOptions) {
  blastRadius(seeds: $seeds, options: $options) {
    snapshotId
    seeds { id at }
    options
    affected { id kind name firstExposedAt hops confidence path { ${hop} } }
    customers { id name firstExposedAt reasons { via path { ${hop} } } node { id props } }
  }
}`;
    const data = await this.request<{ blastRadius: BlastRadius }>(
      query,
      { seeds: seeds.map((s) => ({ id: s.id, ...(s.at ? { at: s.at } : {}) })), options: walkOptions(options) },
      signal,
    );
    return data.blastRadius;
  }

  /**
   * Renders the blast radius's export (report, PDF, CSV, JSON, graph files, customer packs, VEX,
   * manifest) into one ZIP on the server; returns where to fetch it (`downloadFile`).
   */
  async exportBlastRadius(
    seeds: Array<{ id: string; at?: string | null }>,
    options: { minConfidence?: Confidence; maxHops?: number | null } = {},
    signal?: AbortSignal,
  ): Promise<ExportDownload> {
    const data = await this.request<{ exportBlastRadius: ExportDownload }>(
      `mutation ExportBlastRadius($seeds: [SeedInput!], $options: BlastOptions) {
  exportBlastRadius(seeds: $seeds, options: $options) { url fileName bytes sha256 affectedCount customerCount expiresAt }
}`,
      { seeds: seeds.map((s) => ({ id: s.id, ...(s.at ? { at: s.at } : {}) })), options: walkOptions(options) },
      signal,
    );
    return data.exportBlastRadius;
  }

  /**
   * GETs a file this server made (an export's `url`) with the bearer token, as a Blob. A plain link
   * cannot carry the token, hence fetch and then a local download of the Blob.
   */
  async downloadFile(url: string, signal?: AbortSignal): Promise<Blob> {
    const token = this.token();
    let response: Response;
    try {
      response = await this.fetchFn(url, { headers: token ? { authorization: `Bearer ${token}` } : {}, signal: signal ?? null });
    } catch (err) {
      if ((err as Error).name === 'AbortError') throw err;
      throw new ApiError(`the server did not answer (${(err as Error).message})`, 'NETWORK');
    }
    if (!response.ok) {
      let first: { message?: string; extensions?: { code?: string } } | undefined;
      try {
        first = ((await response.json()) as { errors?: Array<typeof first> }).errors?.[0];
      } catch {
        first = undefined;
      }
      throw new ApiError(first?.message ?? `the server answered ${response.status} ${response.statusText}`.trim(), first?.extensions?.code ?? `HTTP_${response.status}`);
    }
    return response.blob();
  }

  /**
   * The containment plan for a walk's seeds and options (`at` null: now), without the actions'
   * `cuts` (see incident-day.ts firstCutPath).
   */
  async containmentPlan(
    seeds: Array<{ id: string; at?: string | null }>,
    options: { minConfidence?: Confidence; maxHops?: number | null },
    at: string | null,
    costs: ActionCosts,
    signal?: AbortSignal,
  ): Promise<ContainmentPlan> {
    const data = await this.request<{ containmentPlan: ContainmentPlan }>(
      `query ContainmentPlan($seeds: [SeedInput!], $options: BlastOptions, $at: DateTime, $costs: ActionCostsInput) {
  containmentPlan(seeds: $seeds, options: $options, at: $at, costs: $costs) { ${PLAN_FIELDS} }
}`,
      { seeds: seeds.map((s) => ({ id: s.id, ...(s.at ? { at: s.at } : {}) })), options: walkOptions(options), at, costs: Object.keys(costs).length ? costs : null },
      signal,
    );
    return data.containmentPlan;
  }

  /** The credentials to rotate for a walk's seeds and options, most urgent first. */
  async rotationQueue(
    seeds: Array<{ id: string; at?: string | null }>,
    options: { minConfidence?: Confidence; maxHops?: number | null },
    signal?: AbortSignal,
  ): Promise<RotationQueue> {
    const data = await this.request<{ rotationQueue: RotationQueue }>(
      `query RotationQueue($seeds: [SeedInput!], $options: BlastOptions) { rotationQueue(seeds: $seeds, options: $options) { ${QUEUE_FIELDS} } }`,
      { seeds: seeds.map((s) => ({ id: s.id, ...(s.at ? { at: s.at } : {}) })), options: walkOptions(options) },
      signal,
    );
    return data.rotationQueue;
  }

  async neighborhood(id: string, hops = 1): Promise<Neighborhood | null> {
    const data = await this.request<{ neighborhood: Neighborhood | null }>(
      `query Neighborhood($id: ID!, $hops: Int) { neighborhood(id: $id, hops: $hops) {
        center { id kind name }
        nodes { id kind name }
        edges { key kind from to since until confidence access }
        truncated } }`,
      { id, hops },
    );
    return data.neighborhood;
  }

  /**
   * What the start page shows: the nodes marked compromised now (the first 50, and how many in all),
   * open incidents, and the graph's size (an empty graph gets the ingest instructions).
   */
  async startPage(): Promise<StartPageData> {
    const data = await this.request<{
      compromisedNodes: { total: number; nodes: ApiNode[] };
      incidents: { edges: Array<{ node: StartPageIncident }> };
      stats: { store: string; totalNodes: number; totalEdges: number };
    }>(
      `query StartPage {
  compromisedNodes(first: 50) { total nodes { id kind name compromisedAt props } }
  incidents(status: open, first: 20) { edges { node { id name status updatedAt seeds { id at } } } }
  stats { store totalNodes totalEdges }
}`,
    );
    return { compromised: data.compromisedNodes, incidents: data.incidents.edges.map((e) => e.node), stats: data.stats };
  }

  /** Marks a node compromised (analyst role). */
  async markCompromised(id: string, at: string | null, advisory: string | null): Promise<ApiNode> {
    const data = await this.request<{ markCompromised: ApiNode }>(
      `mutation Mark($id: ID!, $at: DateTime, $advisory: ID) { markCompromised(id: $id, at: $at, advisory: $advisory) { ${NODE_FIELDS} } }`,
      { id, at, advisory },
    );
    return data.markCompromised;
  }
}

/** The walk's options as BlastOptions: only what differs from the server's defaults. */
function walkOptions(options: { minConfidence?: Confidence; maxHops?: number | null }): Record<string, unknown> {
  const opts: Record<string, unknown> = {};
  if (options.minConfidence && options.minConfidence !== 'possible') opts.minConfidence = options.minConfidence;
  if (options.maxHops !== undefined && options.maxHops !== null) opts.maxHops = options.maxHops;
  return opts;
}
