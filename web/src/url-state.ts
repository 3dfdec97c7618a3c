/**
 * The view state lives in the URL, so a view is a link: `/?seed=pkg:pypi/litellm@1.82.8` walks from
 * that node; the rest (start time, scrubber instant, filters, selection, focus) rides along. Only
 * values that differ from the defaults are written, in a fixed order, so equal views give equal links.
 */
import { CONFIDENCES, NODE_KINDS, type Confidence, type NodeKind } from './types.js';
import { VERSION_MODES, type VersionMode } from './version-groups.js';

export interface ViewState {
  /** Seeds of the walk (`seed`, repeated). */
  seeds: string[];
  /** Start time given to every seed (`at`); null: each seed's own compromisedAt/publishedAt. */
  at: string | null;
  /** The scrubber's instant (`t`); null: the end of the walk (or play it from the start when `play`). */
  t: string | null;
  /** Node kinds hidden by the filter (`hide`, comma-separated). */
  hide: NodeKind[];
  /** Weakest edge confidence the walk crosses (`conf`), passed to the API as minConfidence. */
  minConfidence: Confidence;
  /** Longest path in hops (`hops`); null: no limit. */
  maxHops: number | null;
  /** Selected node (`sel`). */
  selected: string | null;
  /** Customer whose paths are in focus (`focus`). */
  focus: string | null;
  /** How package versions are shown (`pv`). */
  versions: VersionMode;
  /** `walk` (layered) or `neighborhood` (force layout around `center`). */
  view: 'walk' | 'neighborhood';
  /** Centre of a neighbourhood view (`center`). */
  center: string | null;
  /** Neighbourhood radius, 1..4 (`depth`). */
  depth: number;
  /** Draw the walk as groups (`ov`): `auto` above the explorer's threshold, `on` always, `off` never. */
  overview: OverviewMode;
  /** Overview groups drawn expanded (`open`, repeated). */
  open: string[];
  /** The walk's layout (`layout`): `layered` (columns by hop) or `lanes` (x: first exposure, y: kind). */
  layout: WalkLayout;
}

export type OverviewMode = 'auto' | 'on' | 'off';
export const OVERVIEW_MODES: readonly OverviewMode[] = ['auto', 'on', 'off'];
export type WalkLayout = 'layered' | 'lanes';
export const WALK_LAYOUTS: readonly WalkLayout[] = ['layered', 'lanes'];

export const DEFAULT_STATE: ViewState = {
  seeds: [],
  at: null,
  t: null,
  hide: [],
  minConfidence: 'possible',
  maxHops: null,
  selected: null,
  focus: null,
  versions: 'show',
  view: 'walk',
  center: null,
  depth: 1,
  overview: 'auto',
  open: [],
  layout: 'layered',
};

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

function time(value: string | null): string | null {
  if (value === null || !ISO.test(value)) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** Reads a query string (`location.search`); anything malformed falls back to its default. */
export function parseViewState(search: string): ViewState {
  const q = new URLSearchParams(search);
  const seeds = [...new Set(q.getAll('seed').map((s) => s.trim()).filter((s) => s !== '' && s.length <= 512))].slice(0, 50);
  const hide = (q.get('hide') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s): s is NodeKind => (NODE_KINDS as readonly string[]).includes(s));
  const conf = q.get('conf');
  const hops = q.get('hops');
  const maxHops = hops !== null && /^\d{1,3}$/.test(hops) ? Number(hops) : null;
  const pv = q.get('pv');
  const depth = Number(q.get('depth'));
  const id = (key: string) => {
    const v = q.get(key)?.trim();
    return v && v.length <= 512 ? v : null;
  };
  const center = id('center');
  const ov = q.get('ov');
  const layout = q.get('layout');
  const open = [...new Set(q.getAll('open').map((s) => s.trim()).filter((s) => s.startsWith('grp:') && s.length <= 512))].sort().slice(0, 200);
  return {
    seeds,
    at: time(q.get('at')),
    t: time(q.get('t')),
    hide: [...new Set(hide)],
    minConfidence: (CONFIDENCES as readonly string[]).includes(conf ?? '') ? (conf as Confidence) : 'possible',
    maxHops,
    selected: id('sel'),
    focus: id('focus'),
    versions: (VERSION_MODES as readonly string[]).includes(pv ?? '') ? (pv as VersionMode) : 'show',
    view: q.get('view') === 'neighborhood' && center ? 'neighborhood' : 'walk',
    center,
    depth: Number.isInteger(depth) && depth >= 1 && depth <= 4 ? depth : 1,
    overview: (OVERVIEW_MODES as readonly string[]).includes(ov ?? '') ? (ov as OverviewMode) : 'auto',
    open,
    layout: (WALK_LAYOUTS as readonly string[]).includes(layout ?? '') ? (layout as WalkLayout) : 'layered',
  };
}

/** The query string for a state (with a leading `?`, or '' for the default view). */
export function serializeViewState(state: ViewState): string {
  const q = new URLSearchParams();
  for (const s of state.seeds) q.append('seed', s);
  if (state.at) q.set('at', state.at);
  if (state.t) q.set('t', state.t);
  if (state.hide.length) q.set('hide', NODE_KINDS.filter((k) => state.hide.includes(k)).join(','));
  if (state.minConfidence !== 'possible') q.set('conf', state.minConfidence);
  if (state.maxHops !== null) q.set('hops', String(state.maxHops));
  if (state.selected) q.set('sel', state.selected);
  if (state.focus) q.set('focus', state.focus);
  if (state.versions !== 'show') q.set('pv', state.versions);
  if (state.view === 'neighborhood' && state.center) {
    q.set('view', 'neighborhood');
    q.set('center', state.center);
    if (state.depth !== 1) q.set('depth', String(state.depth));
  }
  if (state.overview !== 'auto') q.set('ov', state.overview);
  for (const g of [...state.open].sort()) q.append('open', g);
  if (state.layout !== 'layered') q.set('layout', state.layout);
  // URLSearchParams would escape `:`, `/`, `@` and `,`, which RFC 3986 allows in a query: keep links
  // readable (`?seed=pkg:pypi/litellm@1.82.8`).
  const text = [...q].map(([k, v]) => `${k}=${readable(v)}`).join('&');
  return text ? `?${text}` : '';
}

function readable(value: string): string {
  return encodeURIComponent(value).replace(/%(3A|2F|40|2C)/g, (m) => decodeURIComponent(m));
}
