// Draws every PNG the app and its packages use from build/icon.svg, in Debian's Chromium through Playwright
// (already a dev dependency): `node scripts/render-icons.mjs`. The PNGs are committed; run this again after
// changing the SVG. test/packaging checks that each file the app asks for exists in both sizes.
//   build/icon.png             1024 px, electron-builder makes the macOS .icns and the Windows .ico from it
//   build/icons/NxN.png        the Linux icon set (desktop entry, hicolor theme)
//   build/runtime-icons/       what the running app shows: window icon, tray (macOS template, light, dark,
//                              colour), Windows taskbar overlays with the attention count; each with an @2x
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from '@playwright/test';

const svg = readFileSync('build/icon.svg', 'utf8');
const glyphOnly = (color) =>
  svg
    .replace(/<rect x="16"[^>]*\/>/, '')
    .replace('<g id="glyph" fill="#ffffff">', `<g id="glyph" fill="${color}">`)
    // The glyph alone fills its square: a tray icon has no room for the background's margin.
    .replace('viewBox="0 0 512 512"', 'viewBox="56 56 400 400"');
const overlay = (label) => `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32" width="32" height="32">
  <circle cx="16" cy="16" r="15" fill="#c62828" stroke="#ffffff" stroke-width="2"/>
  <text x="16" y="16" dy="0.36em" text-anchor="middle" font-family="DejaVu Sans, Arial, sans-serif" font-weight="700"
    font-size="${label.length > 1 ? 15 : 20}" fill="#ffffff">${label}</text>
</svg>`;

const jobs = [
  ['build/icon.png', svg, 1024],
  ...[16, 24, 32, 48, 64, 128, 256, 512].map((n) => [`build/icons/${n}x${n}.png`, svg, n]),
];
const runtime = 'build/runtime-icons';
const both = (name, source, size) => [
  [join(runtime, `${name}.png`), source, size],
  [join(runtime, `${name}@2x.png`), source, size * 2],
];
jobs.push([join(runtime, 'app.png'), svg, 256]);
jobs.push(...both('trayTemplate', glyphOnly('#000000'), 16));
jobs.push(...both('tray-light', glyphOnly('#ffffff'), 16));
jobs.push(...both('tray-dark', glyphOnly('#1f2937'), 16));
jobs.push(...both('tray-color', svg, 22));
for (const n of [1, 2, 3, 4, 5, 6, 7, 8, 9]) jobs.push(...both(`overlay-${n}`, overlay(String(n)), 16));
jobs.push(...both('overlay-9plus', overlay('9+'), 16));

mkdirSync('build/icons', { recursive: true });
mkdirSync(runtime, { recursive: true });
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage();
  for (const [file, source, size] of jobs) {
    await page.setViewportSize({ width: size, height: size });
    const sized = source.replace(/width="\d+" height="\d+"/, `width="${size}" height="${size}"`);
    await page.setContent(`<!doctype html><html><body style="margin:0;background:transparent">${sized}</body></html>`);
    await page.screenshot({ path: file, omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
  }
} finally {
  await browser.close();
}
console.log(`${jobs.length} images written`);
