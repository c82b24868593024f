import { describe, expect, it } from 'vitest';
import { rowWindow, scrollTopFor } from '../../src/renderer/src/lib/row-window';

describe('the rows on screen of a fixed-height list, by arithmetic', () => {
  it('covers the viewport plus the overscan, clamped to the list', () => {
    expect(rowWindow(0, 480, 48, 50_000, 6)).toEqual({ start: 0, end: 17 });
    expect(rowWindow(48 * 1000, 480, 48, 50_000, 6)).toEqual({ start: 994, end: 1017 });
    expect(rowWindow(48 * 49_990, 480, 48, 50_000, 6)).toEqual({ start: 49_984, end: 50_000 });
    // A filter shrank the list below the old scroll position (before the browser clamps scrollTop).
    expect(rowWindow(48 * 1000, 480, 48, 3, 6)).toEqual({ start: 0, end: 3 });
    expect(rowWindow(0, 0, 48, 0, 6)).toEqual({ start: 0, end: 0 });
    expect(rowWindow(-30, 480, 48, 10, 6)).toEqual({ start: 0, end: 10 });
  });

  it('scrolls a row into view with the least movement', () => {
    expect(scrollTopFor(5, 0, 480, 48)).toBe(0);
    expect(scrollTopFor(20, 0, 480, 48)).toBe(21 * 48 - 480);
    expect(scrollTopFor(2, 480, 480, 48)).toBe(96);
  });
});
