/**
 * The secret rules on their own (server/model/secrets.ts, secret-rules.ts): which keys hold secret
 * values and which are metadata, every provider format in the table, and the shapes that are not
 * secrets (digests, ids, paths, prose) that real inputs are full of.
 */
import { describe, expect, it } from 'vitest';
import { findSecret, secretInValue, secretKey, secretShape, SECRET_RULES } from '../../server/model/secrets.js';
import { parseInput } from '../../server/ingest/parsed-input.js';
import { BlastError } from '../../server/model/errors.js';

/** Deterministic letters and digits, so no real token sits in this file. */
function rnd(seed: number, n: number, alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'): string {
  let x = seed;
  let out = '';
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    out += alphabet[x % alphabet.length];
  }
  return out;
}
const hex = (seed: number, n: number) => rnd(seed, n, '0123456789abcdef');

describe('secret keys', () => {
  it.each(['password', 'db_password', 'SMTP_PASSWORD', 'dbPassword', 'aws_secret_access_key', 'secretAccessKey', 'private_key', 'privateKey', 'apiKey', 'api-key', 'client_secret', 'GITHUB_TOKEN', 'token', 'secret', 'value', 'passphrase', 'signing_key', 'credential'])(
    '%s holds a secret value',
    (key) => expect(secretKey(key)).toMatch(/would hold a secret value/),
  );

  it.each(['type', 'scope', 'fingerprint', 'createdAt', 'rotatedAt', 'revokedAt', 'tokenType', 'secretName', 'credentialId', 'passwordRotatedAt', 'token_url', 'id-token', 'secrets', 'credentials', 'maxTokens', 'keyId', 'holds', 'grants'])(
    '%s is metadata',
    (key) => expect(secretKey(key)).toBeNull(),
  );

  it('a reference to a secret kept elsewhere is not a value; a literal is', () => {
    for (const ref of ['${{ secrets.PYPI_PUBLISH_PASSWORD }}', '${DB_PASSWORD}', '$DB_PASSWORD', 'vault:secret/data/db', 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db', 'op://prod/db/password']) {
      expect(findSecret({ password: ref }), ref).toBeNull();
    }
    expect(findSecret({ creds: { db_password: 'hunter22' } })).toEqual({ pointer: '/creds/db_password', reason: expect.stringMatching(/db_password/) });
    expect(findSecret({ password: 1234 })).not.toBeNull();
    expect(findSecret({ password: true, token: '', secretName: 'X', tokenType: 'bearer' })).toBeNull();
  });

  it('a token as a key is refused at its mapping, without spelling it', () => {
    const pat = `ghp_${rnd(1, 36)}`;
    const hit = findSecret({ props: { [pat]: 'ci' } });
    expect(hit?.pointer).toBe('/props');
    expect(JSON.stringify(hit)).not.toContain(pat);
  });
});

describe('secret shapes', () => {
  const samples: Record<string, string> = {
    'AWS access key id': `AKIA${rnd(2, 16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}`,
    'AWS secret access key': `aws_secret_access_key = ${rnd(3, 40)}`,
    'Google API key': `AIza${rnd(4, 35)}`,
    'Google OAuth client secret': `GOCSPX-${rnd(5, 28)}`,
    'Azure storage account key': `DefaultEndpointsProtocol=https;AccountName=x;AccountKey=${rnd(6, 86)}==`,
    'DigitalOcean token': `dop_v1_${hex(7, 64)}`,
    'Databricks token': `dapi${hex(8, 32)}`,
    'GitHub token': `github_pat_${rnd(9, 82)}`,
    'GitLab token': `glpat-${rnd(10, 20)}`,
    'npm token': `npm_${rnd(11, 36)}`,
    'PyPI token': `pypi-AgEIcHlwaS5vcmc${rnd(12, 60)}`,
    'Hugging Face token': `hf_${rnd(13, 34)}`,
    'Anthropic API key': `sk-ant-api03-${rnd(14, 90)}`,
    'OpenAI API key': `sk-proj-${rnd(15, 48)}`,
    'Slack token': `xoxb-${rnd(16, 40)}`,
    'Slack webhook URL': `https://hooks.slack.com/services/T${rnd(17, 8, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')}/B${rnd(18, 8, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')}/${rnd(19, 24)}`,
    'Stripe secret key': `sk_live_${rnd(20, 24)}`,
    'SendGrid API key': `SG.${rnd(21, 22)}.${rnd(22, 43)}`,
    'Shopify token': `shpat_${hex(23, 32)}`,
    'Linear API key': `lin_api_${rnd(24, 40)}`,
    '1Password service account token': `ops_eyJ${rnd(25, 200)}`,
    'Twilio API key': `SK${hex(26, 32)}`,
    'JSON Web Token': `eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjaSJ9.${rnd(27, 40)}`,
    'PEM private key': '-----BEGIN OPENSSH PRIVATE KEY-----',
    'PGP private key': '-----BEGIN PGP PRIVATE KEY BLOCK-----',
    'private key (base64 DER, PKCS#1)': `MIIEowIBAAKCAQEA${rnd(28, 64, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/')}`,
    'private key (base64 DER, PKCS#8)': `MIIEvQIBADANBgkqhkiG9w0BAQEFAASC${rnd(29, 64)}`,
    'private key (base64 DER, EC)': `MHcCAQEEI${rnd(30, 64)}`,
    'private key (base64 DER, Ed25519)': `MC4CAQAwBQYDK2VwBCIEI${rnd(31, 32)}`,
    'OpenSSH private key': `b3BlbnNzaC1rZXktdjEAAAAA${rnd(32, 40)}`,
  };

  it('every rule in the table has a sample here, and each sample is named by its rule', () => {
    expect(Object.keys(samples).sort()).toEqual(SECRET_RULES.map((r) => r.name).sort());
    for (const rule of SECRET_RULES) expect(rule.docs).toMatch(/^https:\/\//);
    for (const [name, sample] of Object.entries(samples)) expect(secretShape(`see ${sample} here`), name).toBe(name);
  });

  it('URL userinfo, .env lines, "Password:" in prose, split and encoded PEM, random tokens in text', () => {
    expect(secretShape('https://ci:s3cret-pw@pypi.example.com/simple')).toMatch(/URL with a password/);
    expect(secretShape('https://ci:${PYPI_PASSWORD}@pypi.example.com/simple')).toBeNull();
    expect(secretShape('DATABASE_URL=postgres://app:pw1234@db:5432/app')).toMatch(/URL with a password/);
    expect(secretShape('export SMTP_PASSWORD="correcthorse"')).toMatch(/assignment of SMTP_PASSWORD/);
    expect(secretShape('Password: correcthorse')).toMatch(/assignment/);
    expect(secretShape('API_TOKEN=Zx81kQm2Lw')).toMatch(/assignment/);
    expect(secretShape('-----BEGIN RSA PRIVATE\n KEY-----')).toBe('PEM private key');
    expect(secretShape(Buffer.from('-----BEGIN PRIVATE KEY-----\nMIIEvQ...').toString('base64'))).toBe('base64-encoded PEM private key');
    expect(findSecret({ lines: ['-----BEGIN RSA', 'PRIVATE KEY-----'] })?.pointer).toBe('/lines');
    expect(secretInValue(`new key ${rnd(33, 40)} issued`)).toMatch(/high entropy/);
  });

  it('leaves alone what real inputs hold: digests, ids, purls, paths, prose about secrets, references', () => {
    const fine = [
      hex(40, 64),
      `sha512-${Buffer.from(rnd(41, 64)).toString('base64')}`,
      'pkg:pypi/litellm@1.82.8',
      'cred:labelwise/gateway-db-password',
      'pkg:golang/github.com/Azure/go-autorest/autorest/adal@v0.9.23',
      'https://github.com/Homebrew/homebrew-core/blob/785817ba05ed32eef15490bb105f67bd973aa7c2/Formula/t/trivy.rb',
      'MAL-0000-google-open-source-security-6a89401cbf53902e',
      'The token: rotated on Friday; the password policy requires 16 characters.',
      'TWINE_PASSWORD: ${{ secrets.PYPI_PUBLISH_PASSWORD }}',
      'id-token: write',
      'TWINE_USERNAME=__token__',
      '-----BEGIN CERTIFICATE-----',
      'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0',
      '123e4567-e89b-12d3-a456-426614174000',
    ];
    for (const text of fine) expect(secretInValue(text), text).toBeNull();
  });
});

describe('structured inputs (parsed-input.ts)', () => {
  const refused = (name: string, text: string) => {
    try {
      parseInput(name, text);
    } catch (err) {
      expect(err).toBeInstanceOf(BlastError);
      return err as BlastError;
    }
    throw new Error(`${name} was accepted`);
  };

  it('a token used as a key, in JSON and YAML: SECRET_REFUSED at its line, not spelled out', () => {
    const pat = `ghp_${rnd(50, 36)}`;
    const j = refused('x.json', `{\n  "version": 1,\n  "${pat}": "ci"\n}`);
    expect([j.code, j.input, j.location]).toEqual(['SECRET_REFUSED', 'x.json', 'line 3']);
    expect(j.oneLine()).not.toContain(pat);
    const y = refused('x.yaml', `version: 1\nservices:\n  - id: svc:a/b\n    props:\n      ${pat}: ci\n`);
    expect([y.code, y.input]).toEqual(['SECRET_REFUSED', 'x.yaml']);
    expect(y.oneLine()).not.toContain(pat);
  });
});
