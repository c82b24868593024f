import type { Page } from '@playwright/test';
import { expect, expectNoSeriousA11yViolations, openUnlockedVault, test, vaultOf } from './app-fixture';
import { failOnCspViolations } from './csp-watch';
import { seedDemoVault } from './demo-vault';

failOnCspViolations(test);

/**
 * Issue 12, defect 2: nothing in the list, its rows, the toolbar or the sidebar is clipped or overlaps at the sizes
 * people use, the toolbar is one row, and rows keep one height while the list scrolls.
 */
const SIZES = [
  { width: 800, height: 600 },
  { width: 1024, height: 700 },
  { width: 1280, height: 720 },
  { width: 1280, height: 800 },
  { width: 1600, height: 1000 },
] as const;

interface LayoutProblem {
  what: string;
  element: string;
}

/** Every problem on screen: a child outside its parent, overlapping siblings, a control whose own text is cut. */
async function layoutProblems(page: Page): Promise<LayoutProblem[]> {
  return page.evaluate(() => {
    const problems: { what: string; element: string }[] = [];
    const name = (el: Element) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} "${(el.textContent ?? '').trim().slice(0, 40)}"`;
    const visible = (el: Element) => {
      const r = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      return r.width > 0 && r.height > 0 && style.visibility !== 'hidden' && style.display !== 'none' && !el.classList.contains('visually-hidden');
    };
    const inside = (child: DOMRect, parent: DOMRect) => child.left >= parent.left - 1 && child.right <= parent.right + 1 && child.top >= parent.top - 1 && child.bottom <= parent.bottom + 1;
    const overlap = (a: DOMRect, b: DOMRect) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
    /** The children of each container stay inside it and do not overlap each other. */
    const checkGroup = (parent: Element | null, label: string) => {
      if (!parent || !visible(parent)) return;
      const box = parent.getBoundingClientRect();
      const kids = [...parent.children].filter(visible);
      for (const kid of kids) if (!inside(kid.getBoundingClientRect(), box)) problems.push({ what: `${label}: sticks out of its box`, element: name(kid) });
      for (let i = 0; i < kids.length; i++)
        for (let j = i + 1; j < kids.length; j++)
          if (overlap(kids[i]!.getBoundingClientRect(), kids[j]!.getBoundingClientRect())) problems.push({ what: `${label}: overlaps ${name(kids[j]!)}`, element: name(kids[i]!) });
    };
    /** Regions that must be wholly on screen. */
    const onScreen = (el: Element | null, label: string) => {
      if (!el) return problems.push({ what: `${label}: missing`, element: '' });
      const r = el.getBoundingClientRect();
      if (!inside(r, new DOMRect(0, 0, window.innerWidth, window.innerHeight))) problems.push({ what: `${label}: off screen`, element: name(el) });
    };
    checkGroup(document.querySelector('.shell'), 'window');
    checkGroup(document.querySelector('.toolbar'), 'toolbar');
    checkGroup(document.querySelector('.status-line'), 'status line');
    checkGroup(document.querySelector('.panes'), 'panes');
    checkGroup(document.querySelector('.sidebar'), 'sidebar');
    checkGroup(document.querySelector('.sidebar-footer'), 'sidebar footer');
    checkGroup(document.querySelector('.details-head'), 'details head');
    document.querySelectorAll('.actions').forEach((el) => checkGroup(el, 'actions'));
    document.querySelectorAll('.sidebar .ws').forEach((el) => checkGroup(el, 'workspace'));
    document.querySelectorAll('[role=option] .trow').forEach((el) => checkGroup(el, 'row'));
    onScreen(document.querySelector('.toolbar'), 'toolbar');
    onScreen(document.querySelector('.sidebar-footer'), 'sidebar footer');
    onScreen(document.querySelector('[role=listbox]'), 'list');
    // One toolbar row.
    const tops = [...(document.querySelector('.toolbar')?.children ?? [])].filter(visible).map((el) => Math.round(el.getBoundingClientRect().top));
    if (new Set(tops).size > 1) problems.push({ what: `toolbar wraps onto ${new Set(tops).size} rows`, element: tops.join(',') });
    // A button whose own label is cut.
    document.querySelectorAll('.toolbar button, .sidebar button, .details button, .status-line button').forEach((b) => {
      if (visible(b) && b.scrollWidth > b.clientWidth + 1) problems.push({ what: 'button text cut', element: name(b) });
    });
    return problems;
  });
}

/** Heights of the rows on screen at several scroll positions. */
async function rowHeightsWhileScrolling(page: Page): Promise<number[]> {
  return page.evaluate(async () => {
    const list = document.querySelector<HTMLElement>('[role=listbox]')!;
    const heights: number[] = [];
    for (const top of [0, 130, 400, 777, 100_000, 0]) {
      list.scrollTop = top;
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      document.querySelectorAll('[role=option]').forEach((o) => heights.push(Math.round(o.getBoundingClientRect().height)));
    }
    return heights;
  });
}

test('nothing is clipped or overlaps at 800x600 to 1600x1000, one toolbar row, constant row heights', async ({ app }) => {
  const { page } = app;
  await openUnlockedVault(app);
  // More workspaces than fit: the sidebar scrolls, its footer stays.
  const vault = vaultOf(app);
  for (let i = 0; i < 14; i++) vault.workspaces.create({ kind: 'manual', name: `team-with-a-rather-long-name-${i}` });
  await seedDemoVault(app);
  const list = page.getByRole('listbox', { name: 'Tokens' });
  for (const size of SIZES) {
    await page.setViewportSize(size);
    for (const theme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: theme });
      await list.getByRole('option').filter({ hasText: 'release-bot' }).click();
      await expect(page.getByRole('region', { name: 'release-bot' })).toBeVisible();
      const problems = await layoutProblems(page);
      expect(problems, `${size.width}x${size.height} ${theme}`).toEqual([]);
      const heights = await rowHeightsWhileScrolling(page);
      expect(new Set(heights), `row heights at ${size.width}x${size.height}`).toEqual(new Set([heights[0]]));
    }
  }
  await page.setViewportSize({ width: 800, height: 600 });
  await expectNoSeriousA11yViolations(page, 'list at 800x600');
});

test('at 1280x800 at least 12 tokens are visible in the list', async ({ app }) => {
  const { page } = app;
  await openUnlockedVault(app);
  await seedDemoVault(app);
  await page.setViewportSize({ width: 1280, height: 800 });
  const visibleRows = await page.evaluate(() => {
    const box = document.querySelector('[role=listbox]')!.getBoundingClientRect();
    return [...document.querySelectorAll('[role=option]')].filter((o) => {
      const r = o.getBoundingClientRect();
      return r.top >= box.top - 0.5 && r.bottom <= box.bottom + 0.5;
    }).length;
  });
  expect(visibleRows).toBeGreaterThanOrEqual(12);
  // Each row shows the provider mark, the name, the workspace, the status and the expiry at a glance.
  const row = page.getByRole('listbox', { name: 'Tokens' }).getByRole('option').filter({ hasText: 'release-bot' });
  await expect(row.locator('.mark')).toHaveText('GL');
  await expect(row).toContainText('acme-gitlab');
  await expect(row).toContainText('Active');
  await expect(row).toContainText(/in [23]d/);
});
