// Runs @doyensec/electronegativity over src/ offline (the Electron version is given, the release-list check is off)
// and fails on any finding that .electronegativity.json does not accept with a reason.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';

const config = JSON.parse(readFileSync('.electronegativity.json', 'utf8'));
const out = 'test-results/electronegativity.sarif';
mkdirSync('test-results', { recursive: true });
const run = spawnSync(
  'electronegativity',
  ['-i', 'src', '-r', '-e', config.electronVersion, '-x', Object.keys(config.excludedChecks).join(','), '-o', out],
  { encoding: 'utf8' },
);
if (run.status !== 0) {
  process.stderr.write(run.stdout + run.stderr);
  process.exit(1);
}
const results = JSON.parse(readFileSync(out, 'utf8')).runs[0].results;
const accepted = (r) =>
  config.acceptedFindings.some(
    (a) => a.rule === r.ruleId && a.message === r.message.text && a.file === r.locations?.[0]?.physicalLocation?.artifactLocation?.uri,
  );
const findings = results.filter((r) => !accepted(r));
for (const r of findings) {
  const where = r.locations?.[0]?.physicalLocation;
  console.error(`electronegativity: ${r.ruleId} at src/${where?.artifactLocation?.uri}:${where?.region?.startLine}: ${r.message.text}`);
}
console.log(`electronegativity: ${results.length} findings, ${results.length - findings.length} accepted with a reason, ${findings.length} open`);
process.exit(findings.length === 0 ? 0 : 1);
