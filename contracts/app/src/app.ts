import { Application, type CommittedState, type SignatureCache, type DecodedTx } from '@trucom/chain';
import { AuthKeeper, authModule, createAnteHandler, parseGasPrice, signatureChecks } from '@trucom/auth';
import { BankKeeper, bankModule } from '@trucom/bank';
import { StakingKeeper, stakingModule } from '@trucom/staking';
import { DistributionKeeper, distributionModule } from '@trucom/distribution';
import { SlashingKeeper, slashingModule } from '@trucom/slashing';
import { MarketKeeper, marketModule } from '@trucom/market';
import { SitesKeeper, sitesModule } from '@trucom/sites';
import { GrantsKeeper, grantsModule } from '@trucom/grants';
import { AnchorsKeeper, anchorsModule } from '@trucom/anchors';
import { verifyStorageProof } from '@trucom/content';
import { DENOM } from './genesis.js';

export interface TrucomAppOptions {
  readonly chainId: string;
  readonly state: CommittedState;
  readonly signatures: SignatureCache;
  /** Node-local fee floor for CheckTx, e.g. "0.01utru"; omit to accept any fee. */
  readonly minGasPrice?: string;
  readonly maxTxBytes?: number;
}

/** CometBFT's default max_tx_bytes. */
export const MAX_TX_BYTES = 1024 * 1024;

/** The Trucom ledger: its modules in genesis order, wired to each other through narrow keepers. */
export function createTrucomApp(options: TrucomAppOptions): Application {
  const auth = new AuthKeeper();
  const bank = new BankKeeper(auth);
  const staking = new StakingKeeper(bank);
  const distribution = new DistributionKeeper(staking, bank);
  staking.addHooks(distribution.hooks());
  const slashing = new SlashingKeeper(staking);
  const market = new MarketKeeper(bank, verifyStorageProof);
  const sites = new SitesKeeper(market);
  const grants = new GrantsKeeper(market);
  const anchors = new AnchorsKeeper();
  return new Application(
    {
      chainId: options.chainId,
      // Genesis, begin block and end block run in this order: distribution pays for the last block
      // before slashing jails anyone; staking's end block computes the validator set; the market
      // settles an epoch's proofs after them (its genesis checks balances bank has minted); grants'
      // genesis key holders must be market providers.
      modules: [
        authModule(auth),
        bankModule(bank),
        stakingModule(staking, bank),
        distributionModule(distribution, staking, bank),
        slashingModule(slashing),
        marketModule(market),
        sitesModule(sites),
        grantsModule(grants),
        anchorsModule(anchors),
      ],
      ante: createAnteHandler({ auth, bank, minGasPrice: options.minGasPrice ? parseGasPrice(options.minGasPrice) : undefined }),
      signatureChecks: signatureChecks(auth),
      signatures: options.signatures,
      maxTxBytes: options.maxTxBytes ?? MAX_TX_BYTES,
      priority: feePerGas,
    },
    options.state,
  );
}

function feePerGas(tx: DecodedTx): bigint {
  const gas = tx.authInfo.fee?.gasLimit ?? 0n;
  const fee = tx.authInfo.fee?.amount.find((c) => c.denom === DENOM)?.amount ?? '0';
  return gas > 0n ? BigInt(fee) / gas : 0n;
}
