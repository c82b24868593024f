import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

export const RESULTS_PATH = resolve('bench/results.json');

/** Merges one benchmark's figures into bench/results.json under its own key, and prints them as a table. */
export function recordBench(key: string, figures: Record<string, unknown>, rows?: Record<string, unknown>[]): void {
  const all: Record<string, unknown> = existsSync(RESULTS_PATH) ? JSON.parse(readFileSync(RESULTS_PATH, 'utf8')) : {};
  all[key] = { measuredAt: new Date().toISOString(), node: process.version, ...figures };
  writeFileSync(RESULTS_PATH, JSON.stringify(all, null, 2) + '\n');
  if (rows && rows.length > 0) {
    process.stdout.write(`\n${key}\n`);
    console.table(rows);
  }
}

/** Median of a list of numbers (milliseconds, bytes...). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}
