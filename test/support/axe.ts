/**
 * axe-core in a Playwright page, for the browser walk's accessibility gate (WCAG 2.1 A and AA). The
 * sites' CSP allows no scripts, so axe is not added as a `<script>`: its source is evaluated through
 * the DevTools protocol (`page.evaluate`), which the page's CSP does not govern.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

/** The axe rule tags of WCAG 2.0 and 2.1, levels A and AA. */
export const WCAG_21_AA_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] as const;

/** One rule that failed, with the elements it failed on. */
export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
  summary: string;
}

let source: string | undefined;

function axeSource(): string {
  source ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  return source;
}

/**
 * Runs axe with the WCAG 2.1 A/AA rules on the page as it is now and returns the violations.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  const loaded = await page.evaluate('typeof window.axe === "object"');
  if (!loaded) await page.evaluate(axeSource());
  return page.evaluate(
    async (tags) => {
      type AxeNode = { target: unknown[]; failureSummary?: string };
      type AxeResult = { id: string; impact: string | null; help: string; nodes: AxeNode[] };
      type Axe = { run(options: unknown): Promise<{ violations: AxeResult[] }> };
      const { axe } = globalThis as unknown as { axe: Axe };
      const result = await axe.run({ runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
      return result.violations.map((violation) => ({
        id: violation.id,
        impact: violation.impact,
        help: violation.help,
        targets: violation.nodes.map((node) => node.target.join(' ')),
        summary: violation.nodes[0]?.failureSummary ?? '',
      }));
    },
    [...WCAG_21_AA_TAGS],
  );
}

/**
 * One line per violation: where, which rule, how serious, and on which elements.
 */
export function formatViolations(found: Array<{ state: string; violation: AxeViolation }>): string {
  return found
    .map(
      ({ state, violation }) =>
        `${state}: ${violation.id} (${violation.impact}) ${violation.help} on ${violation.targets.slice(0, 5).join(', ')}\n    ${violation.summary.replace(/\n/g, ' ')}`,
    )
    .join('\n');
}
