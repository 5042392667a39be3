/**
 * The accessibility gate of the browser walks: every page or state they reach is checked with axe
 * (WCAG 2.1 A/AA) and for sideways scrolling (WCAG 1.4.10 reflow) at a desktop and a phone width,
 * with an optional screenshot at each. Findings are collected, so a walk reports all of them at once.
 */
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { axeViolations, type AxeViolation } from './axe';

/** A width a state is checked at; a screenshot's name gets the suffix. */
export interface Viewport {
  label: string;
  size: { width: number; height: number };
  suffix: string;
}

/** The widths every state is checked at. */
export const VIEWPORTS: readonly Viewport[] = [
  { label: '1280×800', size: { width: 1280, height: 800 }, suffix: '' },
  { label: '375×812', size: { width: 375, height: 812 }, suffix: '-phone' },
];

/** What an audit collected: the violations, and every state and width it checked. */
export interface AccessibilityAudit {
  found: Array<{ state: string; violation: AxeViolation }>;
  covered: string[];
  /**
   * Checks the page as it is now at each width (both by default), under the name `state`; with
   * `screenshot`, saves one per width into the audit's directory. Leaves the page at the desktop width.
   */
  check(page: Page, state: string, screenshot?: string, widths?: readonly Viewport[]): Promise<void>;
}

/**
 * A new audit whose screenshots go to `screenshotDir`.
 */
export function accessibilityAudit(screenshotDir: string): AccessibilityAudit {
  const found: AccessibilityAudit['found'] = [];
  const covered: string[] = [];
  return {
    found,
    covered,
    async check(page, state, screenshot, widths = VIEWPORTS) {
      for (const viewport of widths) {
        await page.setViewportSize(viewport.size);
        const at = `${state} at ${viewport.label}`;
        for (const violation of await axeViolations(page)) found.push({ state: at, violation });
        // Nothing but the page itself may scroll sideways, at any width.
        const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
        if (overflow > 0)
          found.push({
            state: at,
            violation: {
              id: 'page-scrolls-sideways',
              impact: 'serious',
              help: `${overflow}px wider than the viewport`,
              targets: ['html'],
              summary: '',
            },
          });
        covered.push(at);
        if (screenshot)
          await page.screenshot({
            path: resolve(screenshotDir, `${screenshot}${viewport.suffix}.png`),
            fullPage: true,
          });
      }
      // The walk goes on at the desktop width.
      await page.setViewportSize(VIEWPORTS[0].size);
    },
  };
}
