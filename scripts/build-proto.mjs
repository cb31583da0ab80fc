// Compiles every .proto under proto/trucom into one static ESM module with TypeScript typings
// (proto/gen/index.js + index.d.ts), skipping the work when nothing changed.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../proto/', import.meta.url).pathname;
const out = join(root, 'gen');
const protos = [];
(function walk(dir) {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (name.endsWith('.proto')) protos.push(p);
  }
})(join(root, 'trucom'));

const stamp = join(out, '.stamp');
const newest = Math.max(...protos.map((p) => statSync(p).mtimeMs), statSync(new URL(import.meta.url).pathname).mtimeMs);
if (existsSync(stamp) && Number(readFileSync(stamp, 'utf8')) >= newest) process.exit(0);

mkdirSync(out, { recursive: true });
const bin = (name) => new URL(`../node_modules/.bin/${name}`, import.meta.url).pathname;
execFileSync(bin('pbjs'), ['-t', 'static-module', '-w', 'es6', '--force-number', '--no-verify', '--no-convert', '--no-delimited', '-p', root, '-o', join(out, 'index.js'), ...protos], { stdio: 'inherit' });
execFileSync(bin('pbts'), ['-o', join(out, 'index.d.ts'), join(out, 'index.js')], { stdio: 'inherit' });
// 64-bit integers decode to plain numbers, as the typings (--force-number) promise, rather than to Long
// objects: ids, heights and epochs stay far below 2^53, and amounts travel as decimal strings.
const gen = join(out, 'index.js');
writeFileSync(
  gen,
  readFileSync(gen, 'utf8').replace(
    'const $Reader = $protobuf.Reader',
    '$protobuf.util.Long = undefined;\n$protobuf.configure();\n\nconst $Reader = $protobuf.Reader',
  ),
);
writeFileSync(stamp, String(newest));
