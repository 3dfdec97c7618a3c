import { describe, expect, it } from 'vitest';
import { blastGraph } from '../../web/src/blast-elements.js';
import { csvCell, viewCsv, viewJson } from '../../web/src/export-view.js';
import { DEFAULT_STATE } from '../../web/src/url-state.js';
import { fixture, SEED } from './fixture.js';

describe('export', () => {
  const g = blastGraph(fixture());
  const input = { link: 'http://127.0.0.1:4000/?seed=x', snapshotId: 'snap-1', state: { ...DEFAULT_STATE, seeds: [SEED] }, nodes: g.nodes, edges: g.edges };

  it('JSON: deterministic, time order, with evidence paths', () => {
    const a = viewJson(input, (id) => (id === 'org:meta' ? [SEED, 'svc:acme/ci', 'org:meta'] : undefined));
    const b = viewJson({ ...input, nodes: [...g.nodes].reverse(), edges: [...g.edges].reverse() }, (id) => (id === 'org:meta' ? [SEED, 'svc:acme/ci', 'org:meta'] : undefined));
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(a.nodes[0]!.id).toBe(SEED);
    expect(a.nodes.find((n) => n.id === 'org:meta')!.path).toEqual([SEED, 'svc:acme/ci', 'org:meta']);
    expect(a.edges).toHaveLength(g.edges.length);
  });

  it('CSV: quoted per RFC 4180, formulas defused', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell(null)).toBe('');
    const csv = viewCsv(viewJson(input));
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe('id,kind,name,seed,firstExposedAt,hops,confidence,path');
    expect(lines).toHaveLength(g.nodes.length + 1);
    expect(csv).toContain('<img src=x onerror=alert(1)>');
  });
});
