// Runs every compiled test with node's test runner in one invocation: unit tests (*.test.js in each
// package's dist), then cross-process tests (test/dist/**/*.test.js). Files run one at a time because
// cross-process tests start real nodes on the devnet ports. Arguments filter by path substring.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const filters = process.argv.slice(2);

function find(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (name === 'node_modules') continue;
    if (statSync(p).isDirectory()) find(p, out);
    else if (name.endsWith('.test.js')) out.push(p);
  }
  return out;
}

const workspaces = ['libs', 'contracts', 'apps'].flatMap((d) => readdirSync(join(root, d)).map((w) => join(root, d, w, 'dist')));
const pick = (files) => files.map((f) => relative(root, f)).filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)));
const unit = pick(workspaces.flatMap((d) => find(d)).concat(find(join(root, 'cli', 'dist'))));
const integration = pick(find(join(root, 'test', 'dist')));

const files = [...unit, ...integration];
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--test', '--test-concurrency=1', '--test-reporter=spec', ...files], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
