import { describe, expect, it } from 'vitest';
import { judge, ruleOf, type AdvisoryRule } from '../../server/ingest/advisory-rules.js';
import { compareDotted, comparePep440, compareSemver, versionsInRanges, type OsvRange } from '../../server/ingest/osv-ranges.js';
import { completeBatch } from '../../server/model/record.js';
import { edges, ids, prepareFixture } from './helpers.js';

const range = (...events: OsvRange['events']): OsvRange => ({ type: 'ECOSYSTEM', events });

describe('versionsInRanges', () => {
  it('PEP 440 (PyPI): [introduced 1.82.7, last_affected 1.82.8] holds 1.82.7 and 1.82.8, not 1.82.6 or 1.82.9', () => {
    const r = [range({ introduced: '1.82.7' }, { last_affected: '1.82.8' })];
    expect(versionsInRanges('PyPI', r, ['1.82.6', '1.82.7', '1.82.8', '1.82.9', '1.82.10', '1.82.8.post1', '1.82.7rc1'])).toEqual(['1.82.7', '1.82.8']);
  });

  it('PEP 440 orders pre-, post- and dev-releases and numeric parts, unlike string order', () => {
    expect(comparePep440('1.82.10', '1.82.9')).toBe(1);
    expect(comparePep440('1.0rc1', '1.0')).toBe(-1);
    expect(comparePep440('1.0.post1', '1.0')).toBe(1);
    expect(comparePep440('1.0', '1.0.0')).toBe(0);
    expect(comparePep440('main', '1.0')).toBeNull();
    expect(versionsInRanges('PyPI', [range({ introduced: '0' }, { fixed: '2.0' })], ['1.9', '2.0rc1', '2.0', 'not-a-version'])).toEqual(['1.9', '2.0rc1']);
  });

  it('semver (npm): fixed is exclusive, pre-releases sort before their release, several intervals', () => {
    const r = [range({ introduced: '1.0.0' }, { fixed: '1.2.3' }, { introduced: '2.0.0-beta.1' }, { fixed: '2.0.1' })];
    expect(versionsInRanges('npm', r, ['0.9.0', '1.0.0', '1.2.2', '1.2.3', '2.0.0-alpha', '2.0.0-beta.1', '2.0.0', '2.0.1', '3.0.0'])).toEqual(['1.0.0', '1.2.2', '2.0.0-beta.1', '2.0.0']);
    expect(compareSemver('v1.2.3', '1.2.3')).toBe(0);
    expect(compareSemver('1.2', 'x')).toBeNull();
  });

  it('GitHub Actions tags: 0.33.1 < 0.35.0, a leading v ignored, branch names and SHAs never match', () => {
    expect(compareDotted('0.33.1', '0.35.0')).toBe(-1);
    expect(compareDotted('v0.34.2', '0.35.0')).toBe(-1);
    expect(compareDotted('v4', '4.0.0')).toBe(0);
    expect(compareDotted('1.0-rc1', '1.0')).toBe(-1);
    const trivy = [range({ introduced: '0' }, { fixed: '0.35.0' })];
    expect(versionsInRanges('GitHub Actions', trivy, ['0.0.1', '0.33.1', '0.34.0', 'v0.34.2', '0.35.0', '0.36.0', 'main', '57a97c7e7821a5776cebc9bb87c984fa69cba8f1'])).toEqual([
      '0.0.1',
      '0.33.1',
      '0.34.0',
      'v0.34.2',
    ]);
  });

  it('SEMVER ranges use semver whatever the ecosystem (Go with v-prefixed versions); limit caps; GIT is not evaluated', () => {
    const r: OsvRange[] = [{ type: 'SEMVER', events: [{ introduced: '0.69.4' }, { fixed: '0.69.5' }] }];
    expect(versionsInRanges('Go', r, ['v0.69.3', 'v0.69.4', '0.69.4', 'v0.69.5'])).toEqual(['v0.69.4', '0.69.4']);
    expect(versionsInRanges('npm', [range({ introduced: '0' }, { limit: '2.0.0' })], ['1.0.0', '2.0.0', '3.0.0'])).toEqual(['1.0.0']);
    expect(versionsInRanges('npm', [{ type: 'GIT', events: [{ introduced: '0' }] }], ['1.0.0'])).toEqual([]);
  });

  it('a range whose events are not versions of the scheme matches nothing; unknown ecosystems compare dotted numbers', () => {
    expect(versionsInRanges('PyPI', [range({ introduced: 'abc def' }, { fixed: '2.0' })], ['1.0'])).toEqual([]);
    expect(versionsInRanges('PyPI', [{ type: 'ECOSYSTEM', events: [{ introduced: '1', fixed: '2' }] }], ['1.5'])).toEqual([]);
    expect(versionsInRanges('RubyGems', [range({ introduced: '6.0' }, { fixed: '6.1.7.1' })], ['5.2', '6.1.7', '6.1.7.1'])).toEqual(['6.1.7']);
  });
});

describe('an advisory rule judges versions (advisory-rules.ts)', () => {
  const ruleOfFixture = (rel: string) => {
    const { batch } = prepareFixture(rel);
    return ruleOf(batch.nodes.find((n) => n.kind === 'Advisory')!)!;
  };
  const matched = (rule: AdvisoryRule, versions: string[]) => versions.filter((v) => judge(rule, v).match);

  it('GHSA-5mg7 (ranges only) holds litellm 1.82.7 and 1.82.8, and only those', () => {
    const rule = ruleOfFixture('osv/GHSA-5mg7-485q-xm76.json');
    expect([...rule.packages]).toEqual(['pkg:pypi/litellm']);
    expect(rule.malicious).toBe(true);
    expect(matched(rule, ['pkg:pypi/litellm@1.82.6', 'pkg:pypi/litellm@1.82.7', 'pkg:pypi/litellm@1.82.8', 'pkg:pypi/litellm@1.82.9', 'pkg:pypi/openai@1.82.8'])).toEqual([
      'pkg:pypi/litellm@1.82.7',
      'pkg:pypi/litellm@1.82.8',
    ]);
  });

  it('PYSEC-2026-2 lists the versions and the range: both agree', () => {
    const rule = ruleOfFixture('osv/PYSEC-2026-2.yaml');
    expect(matched(rule, ['pkg:pypi/litellm@1.82.7', 'pkg:pypi/litellm@1.82.8', 'pkg:pypi/litellm@1.82.9'])).toEqual(['pkg:pypi/litellm@1.82.7', 'pkg:pypi/litellm@1.82.8']);
  });

  it('GHSA-69fq holds the trivy-action tags below 0.35.0; a branch or a commit cannot be judged', () => {
    const rule = ruleOfFixture('osv/GHSA-69fq-xp46-6x23.json');
    const action = (v: string) => `pkg:githubactions/aquasecurity/trivy-action@${v}`;
    expect(matched(rule, [action('0.33.1'), action('v0.34.0'), action('0.35.0'), 'pkg:githubactions/aquasecurity/setup-trivy@v0.2.5', 'pkg:githubactions/aquasecurity/setup-trivy@v0.2.6', 'pkg:golang/github.com/aquasecurity/trivy@0.69.4'])).toEqual([
      action('0.33.1'),
      action('v0.34.0'),
      'pkg:githubactions/aquasecurity/setup-trivy@v0.2.5',
      'pkg:golang/github.com/aquasecurity/trivy@0.69.4',
    ]);
    expect(judge(rule, action('master'))).toEqual({ match: false, unjudged: true });
    expect(judge(rule, action('3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f'))).toEqual({ match: false, unjudged: true });
    expect(judge(rule, 'pkg:golang/github.com/aquasecurity/trivy@0.69.5')).toEqual({ match: false, unjudged: false });
  });
});
