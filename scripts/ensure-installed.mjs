// Installs npm dependencies when they are missing or older than package-lock.json, so that
// `npm start` and `npm test` work on a fresh clone. (`npm install`, not `npm ci`: see README.)
import { execSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
const installed = `${root}node_modules/.package-lock.json`;
const lock = `${root}package-lock.json`;
if (!existsSync(installed) || (existsSync(lock) && statSync(lock).mtimeMs > statSync(installed).mtimeMs)) {
  console.error('[trucom] installing npm dependencies…');
  execSync('npm install --no-audit --no-fund', { cwd: root, stdio: 'inherit' });
}

// Debian packages driven for real: ffmpeg/ffprobe transcode video on gateways, Chromium plays it in the
// browser tests. Installed with apt when missing and this user may (root, or passwordless sudo).
const tools = ['ffmpeg', 'ffprobe', 'chromium'];
const missing = tools.filter((t) => {
  try {
    execSync(`command -v ${t}`, { stdio: 'ignore', shell: '/bin/sh' });
    return false;
  } catch {
    return true;
  }
});
if (missing.length > 0) {
  const sudo = process.getuid?.() === 0 ? '' : 'sudo -n ';
  console.error(`[trucom] installing Debian packages for ${missing.join(', ')}…`);
  try {
    execSync(`${sudo}apt-get update -qq && DEBIAN_FRONTEND=noninteractive ${sudo}apt-get install -y -qq --no-install-recommends ffmpeg chromium`, { stdio: 'inherit', shell: '/bin/sh' });
  } catch {
    console.error(`[trucom] could not install ${missing.join(', ')}: run \`sudo apt-get install ffmpeg chromium\` (video publishing and browser tests need them)`);
  }
}
