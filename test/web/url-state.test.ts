import { describe, expect, it } from 'vitest';
import { DEFAULT_STATE, parseViewState, serializeViewState, type ViewState } from '../../web/src/url-state.js';

describe('view state in the URL', () => {
  it('reads /?seed=ID as a walk from that node', () => {
    expect(parseViewState('?seed=pkg:pypi/litellm@1.82.8')).toEqual({ ...DEFAULT_STATE, seeds: ['pkg:pypi/litellm@1.82.8'] });
    expect(parseViewState('?seed=pkg%3Apypi%2Flitellm%401.82.8').seeds).toEqual(['pkg:pypi/litellm@1.82.8']);
  });

  it('round-trips every field, writing only what differs from the defaults', () => {
    const state: ViewState = {
      seeds: ['pkg:githubactions/aquasecurity/trivy-action@0.33.1', 'cred:acme/a b&c'],
      at: '2026-03-19T17:43:00Z',
      t: '2026-03-24T11:05:00Z',
      hide: ['Credential', 'PackageVersion'],
      minConfidence: 'likely',
      maxHops: 6,
      selected: 'org:meta',
      focus: 'org:meta',
      versions: 'collapse',
      view: 'neighborhood',
      center: 'svc:labelwise/llm-gateway',
      depth: 2,
      overview: 'off',
      open: ['grp:PackageVersion:pkg:pypi/litellm', 'grp:Service:acme'],
      layout: 'lanes',
    };
    const text = serializeViewState(state);
    expect(text).toContain('seed=pkg:githubactions/aquasecurity/trivy-action@0.33.1');
    expect(text).toContain('hide=PackageVersion,Credential');
    expect(parseViewState(text)).toEqual({ ...state, hide: ['PackageVersion', 'Credential'] });
    expect(serializeViewState(DEFAULT_STATE)).toBe('');
  });

  it('drops anything malformed back to its default', () => {
    const s = parseViewState('?seed=&at=yesterday&t=2026-13-45T99:00:00Z&hide=Nope,Dataset&conf=maybe&hops=-1&pv=explode&view=neighborhood&depth=9');
    expect(s).toEqual({ ...DEFAULT_STATE, hide: ['Dataset'] });
  });

  it('normalises time zones to UTC', () => {
    expect(parseViewState('?at=2026-03-19T19:43:00%2B02:00').at).toBe('2026-03-19T17:43:00Z');
  });
});
