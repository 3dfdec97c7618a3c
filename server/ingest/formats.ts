/**
 * Every supported input format, in detection order: the first whose detect() accepts the content wins.
 * Structured formats come first, each keyed on a field only it has (inventory `version` plus its
 * sections, CycloneDX `bomFormat`, SPDX `spdxVersion`, OSV `id` plus `modified`, package-lock
 * `lockfileVersion`, a workflow's `on` plus `jobs`, a Kubernetes object's `apiVersion` plus `kind`); then the TOML lockfiles, which parse as text
 * (uv.lock before poetry.lock: only uv writes a bare `version = 1`); requirements.txt, the loosest
 * test, last.
 */
import { cyclonedxFormat } from './cyclonedx.js';
import type { InputFormat } from './format.js';
import { githubWorkflowFormat } from './github-workflow.js';
import { inventoryFormat } from './inventory.js';
import { kubernetesFormat } from './kubernetes.js';
import { osvFormat } from './osv.js';
import { packageLockFormat } from './package-lock.js';
import { poetryLockFormat } from './poetry-lock.js';
import { requirementsFormat } from './requirements.js';
import { spdxFormat } from './spdx.js';
import { uvLockFormat } from './uv-lock.js';

/** Formats recognised by a marker field no inventory has. */
const MARKED: InputFormat[] = [cyclonedxFormat, spdxFormat, osvFormat, packageLockFormat, githubWorkflowFormat, kubernetesFormat];

/**
 * The inventory stays first, but its detect() accepts any mapping with `version` and a section name,
 * which every package-lock.json (`version` + `packages`) and a CycloneDX BOM with `services` also
 * are: a format's own marker (`lockfileVersion`, `bomFormat`, …) wins over that.
 */
const inventory: InputFormat = {
  ...inventoryFormat,
  detect: (input) => inventoryFormat.detect(input) && !MARKED.some((f) => f.detect(input)),
};

export const FORMATS: InputFormat[] = [
  inventory,
  ...MARKED,
  uvLockFormat,
  poetryLockFormat,
  requirementsFormat,
];
