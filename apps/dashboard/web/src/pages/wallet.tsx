import { useState } from 'react';
import { useApp } from '../lib/app-context';
import { balanceOf, newMnemonic, sendTx } from '../lib/chain';
import { formatTru, parseTru } from '../lib/format';
import { injectedKeplr, KEPLR_INSTALL_URL } from '../lib/signer';
import { QrCode } from '../lib/qr';
import { ActionForm, ActionResult, ErrorNote, useAction, usePolled } from '../lib/ui';

export function WalletPage() {
  const { wallet } = useApp();
  return (
    <section aria-labelledby="wallet-title">
      <h1 id="wallet-title">Wallet</h1>
      {wallet.signer ? (
        <Unlocked />
      ) : (
        <>
          {wallet.stored ? <Unlock /> : <SetupWallet />}
          <ConnectKeplr />
        </>
      )}
    </section>
  );
}

/** Keplr instead of a seed phrase here: the browser extension holds the keys and asks its user to approve each signature. */
function ConnectKeplr() {
  const { wallet } = useApp();
  const action = useAction();
  const keplr = injectedKeplr();
  return (
    <div className="card">
      <h2>Keplr</h2>
      {keplr ? (
        <>
          <p>Sign with your Keplr wallet instead: Keplr keeps the keys and asks you to approve every transaction.</p>
          <button type="button" disabled={action.busy} onClick={() => void action.run(() => wallet.connectKeplr(keplr))}>
            Connect Keplr
          </button>
        </>
      ) : (
        <p data-testid="keplr-missing">
          Keplr is not installed in this browser. It is a browser extension that keeps your keys and signs for you;{' '}
          <a href={KEPLR_INSTALL_URL} target="_blank" rel="noreferrer">
            install Keplr
          </a>{' '}
          and reload this page to connect it, or use a seed phrase above.
        </p>
      )}
      <ActionResult action={action} />
    </div>
  );
}

function SetupWallet() {
  const { wallet } = useApp();
  const [phrase, setPhrase] = useState('');
  const [pass, setPass] = useState('');
  const [generated, setGenerated] = useState<string>();
  const action = useAction();
  return (
    <>
      <p>Your seed phrase stays in this browser, encrypted with a passphrase you choose. Nobody else ever sees it.</p>
      <form
        className="card"
        onSubmit={(e) => {
          e.preventDefault();
          void action.run(() => wallet.save(phrase, pass));
        }}
      >
        <h2>Import or create a wallet</h2>
        <button
          type="button"
          onClick={() =>
            void action.run(async () => {
              const m = await newMnemonic();
              setGenerated(m);
              setPhrase(m);
            })
          }
        >
          Create a new seed phrase
        </button>
        {generated && <p className="warn">Write these 24 words down and keep them safe: they are the only way to recover this wallet.</p>}
        <label>
          Seed phrase
          <textarea name="mnemonic" rows={3} value={phrase} onChange={(e) => setPhrase(e.target.value)} required autoComplete="off" spellCheck={false} />
        </label>
        <label>
          Passphrase (at least 8 characters, encrypts the seed phrase here)
          <input name="passphrase" type="password" value={pass} onChange={(e) => setPass(e.target.value)} required minLength={8} autoComplete="new-password" />
        </label>
        <button type="submit" disabled={action.busy}>
          Save wallet
        </button>
        <ActionResult action={action} />
      </form>
    </>
  );
}

function Unlock() {
  const { wallet } = useApp();
  const [pass, setPass] = useState('');
  return (
    <ActionForm
      title="Unlock"
      submit="Unlock"
      onSubmit={() => wallet.unlock(pass)}
      after={
        <button type="button" className="secondary" onClick={() => confirm('Remove the wallet from this browser? Without its seed phrase it cannot be recovered.') && wallet.forget()}>
          Remove wallet from this browser
        </button>
      }
    >
      <p>
        Wallet <code>{wallet.address}</code> is stored in this browser.
      </p>
      <label>
        Passphrase
        <input name="passphrase" type="password" value={pass} onChange={(e) => setPass(e.target.value)} required autoComplete="current-password" />
      </label>
    </ActionForm>
  );
}

function Unlocked() {
  const { wallet, config } = useApp();
  const signer = wallet.signer!;
  const address = signer.address;
  const balance = usePolled(() => balanceOf(config, address), [address], 4000);
  const faucet = useAction();
  const [to, setTo] = useState('');
  const [amount, setAmount] = useState('');
  return (
    <>
      {signer.kind === 'keplr' && (
        <p className="note" data-testid="keplr-account">
          Connected through Keplr: account <strong>{signer.name}</strong>. Keplr asks you to approve each transaction.
        </p>
      )}
      <div className="card">
        <h2>Balance</h2>
        <p className="big" data-testid="balance" aria-live="polite">
          {balance.data === undefined ? '…' : formatTru(balance.data)}
        </p>
        <ErrorNote error={balance.error} />
        {config.faucet && (
          <button
            type="button"
            disabled={faucet.busy}
            onClick={() =>
              void faucet.run(async () => {
                const res = await fetch(`${config.rest}/faucet`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ address }) });
                const body = (await res.json().catch(() => ({}))) as { error?: string };
                if (!res.ok) throw new Error(body.error ?? `the faucet answered ${res.status}`);
                balance.reload();
                return 'The faucet sent you TRU; it shows here within a block.';
              })
            }
          >
            Get devnet TRU from the faucet
          </button>
        )}
        <ActionResult action={faucet} />
      </div>
      <div className="card">
        <h2>Receive</h2>
        <p>
          Your address: <code data-testid="address">{address}</code>{' '}
          <button type="button" className="secondary" onClick={() => void navigator.clipboard?.writeText(address)}>
            Copy
          </button>
        </p>
        <QrCode value={address} label={`QR code of ${address}`} />
      </div>
      <ActionForm
        title="Send"
        submit="Send"
        onSubmit={async () => {
          const utru = parseTru(amount);
          const r = await sendTx(config, wallet.signer!, (from) => [
            { typeUrl: '/cosmos.bank.v1beta1.MsgSend', value: { fromAddress: from, toAddress: to.trim(), amount: [{ denom: config.denom, amount: utru.toString() }] } },
          ]);
          balance.reload();
          setAmount('');
          return `Sent ${formatTru(utru)} to ${to.trim()} (block ${r.height}).`;
        }}
      >
        <label>
          To address
          <input name="to" value={to} onChange={(e) => setTo(e.target.value)} required placeholder="tru1…" autoComplete="off" spellCheck={false} />
        </label>
        <label>
          Amount (TRU)
          <input name="amount" inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} required placeholder="1.5" />
        </label>
      </ActionForm>
      <p>
        {signer.kind === 'keplr' ? (
          <button type="button" className="secondary" onClick={() => wallet.disconnectKeplr()}>
            Disconnect Keplr
          </button>
        ) : (
          <button type="button" className="secondary" onClick={() => wallet.lock()}>
            Lock wallet
          </button>
        )}
      </p>
    </>
  );
}
