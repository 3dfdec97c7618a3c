/** Screenshots of the explorer in browser tests, once its drawing has settled, under test-artifacts/web/. */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { repoRoot } from '../../scripts/bench/browser-bench.js';

export const ARTIFACTS = join(repoRoot(), 'test-artifacts', 'web');

export async function shot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => (window as any).blast.afterRender());
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
}
