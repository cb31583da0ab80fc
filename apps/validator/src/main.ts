import '@trucom/nest-common/polyfills';
import { parseArgs } from 'node:util';
import { startValidator } from './validator.js';

/** `node apps/validator/dist/main.js --home <dir>`: one validator process (what the devnet spawns). */
const { values } = parseArgs({ options: { home: { type: 'string' } } });
const home = values.home ?? process.env.TRUCOM_HOME;
if (!home) {
  console.error('usage: validator --home <validator home directory>');
  process.exit(2);
}

const validator = await startValidator(home);
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    validator.stop().then(
      () => process.exit(0),
      (err) => {
        console.error(err);
        process.exit(1);
      },
    );
  });
}
