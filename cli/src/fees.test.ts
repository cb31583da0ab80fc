import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_GAS_ADJUSTMENT, DEFAULT_GAS_PRICES, feeForTx, parseAmount, parseFeeFlags, SimulationError } from './fees.js';

const defaults = { gas: 'auto', gasPrices: DEFAULT_GAS_PRICES, gasAdjustment: DEFAULT_GAS_ADJUSTMENT };

test('default: simulate, scale by 1.4, price at 0.01utru', async () => {
  const plan = parseFeeFlags(defaults, false);
  assert.deepEqual(await feeForTx(plan, async () => 100_000), { amount: [{ denom: 'utru', amount: '1400' }], gas: '140000' });
});

test('--gas <n> with gas prices: no simulation', async () => {
  const plan = parseFeeFlags({ ...defaults, gas: '200000', gasPrices: '0.025utru' }, true);
  const fee = await feeForTx(plan, () => assert.fail('must not simulate'));
  assert.deepEqual(fee, { amount: [{ denom: 'utru', amount: '5000' }], gas: '200000' });
});

test('--fees: a fixed amount, gas simulated or given', async () => {
  const auto = parseFeeFlags({ ...defaults, fees: '5000utru' }, false);
  assert.deepEqual(await feeForTx(auto, async () => 50_001), { amount: [{ denom: 'utru', amount: '5000' }], gas: '70002' });
  const fixed = parseFeeFlags({ ...defaults, fees: '0utru', gas: '90000' }, false);
  assert.deepEqual(await feeForTx(fixed, () => assert.fail('must not simulate')), { amount: [{ denom: 'utru', amount: '0' }], gas: '90000' });
});

test('a failing simulation becomes a SimulationError', async () => {
  const plan = parseFeeFlags(defaults, false);
  await assert.rejects(
    feeForTx(plan, async () => {
      throw new Error('insufficient funds');
    }),
    (err: unknown) => err instanceof SimulationError && err.name === 'SimulationError' && /insufficient funds/.test(err.message),
  );
});

test('bad fee flags are refused', () => {
  assert.throws(() => parseFeeFlags({ ...defaults, fees: '5000utru' }, true), /either --fees or --gas-prices/);
  assert.throws(() => parseFeeFlags({ ...defaults, fees: '5000' }, false), /--fees/);
  assert.throws(() => parseFeeFlags({ ...defaults, gasPrices: 'cheap' }, true), /--gas-prices/);
  for (const gas of ['0', '-1', '1.5', 'lots', '1e6']) assert.throws(() => parseFeeFlags({ ...defaults, gas }, false), /--gas must be/);
  for (const gasAdjustment of ['0.5', 'x', 'Infinity']) assert.throws(() => parseFeeFlags({ ...defaults, gasAdjustment }, false), /--gas-adjustment/);
});

test('parseAmount: positive amounts, sorted by denom, no repeats', () => {
  assert.deepEqual(parseAmount('1000utru', 'amount'), [{ denom: 'utru', amount: '1000' }]);
  assert.deepEqual(parseAmount('1000utru,5stake', 'amount'), [
    { denom: 'stake', amount: '5' },
    { denom: 'utru', amount: '1000' },
  ]);
  assert.throws(() => parseAmount('0utru', 'amount'), /positive/);
  assert.throws(() => parseAmount('', 'amount'), /no amount/);
  assert.throws(() => parseAmount('1utru,2utru', 'amount'), /twice/);
  assert.throws(() => parseAmount('1.5utru', 'amount'), /amount: .*expected e\.g\. 1000utru/);
});
