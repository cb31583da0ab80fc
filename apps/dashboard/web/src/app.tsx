import { useEffect, useRef } from 'react';
import { AppProvider, useApp } from './lib/app-context';
import type { AppConfig } from './lib/config';
import { shortAddress } from './lib/format';
import { Link } from './lib/ui';
import { DealPage, DealsPage } from './pages/deals';
import { MessagesPage } from './pages/messages';
import { NetworkPage } from './pages/network';
import { PaymentsPage } from './pages/payments';
import { PublishPage } from './pages/publish';
import { StreamsPage } from './pages/streams';
import { ValidatorsPage } from './pages/validators';
import { WalletPage } from './pages/wallet';

const NAV: [string, string][] = [
  ['/wallet', 'Wallet'],
  ['/publish', 'Publish'],
  ['/deals', 'Deals'],
  ['/payments', 'Payments'],
  ['/streams', 'Streams'],
  ['/messages', 'Messages'],
  ['/validators', 'Validators'],
  ['/network', 'Network'],
];

function Page() {
  const { path } = useApp();
  const deal = /^\/deals\/(\d+)$/.exec(path);
  if (deal) return <DealPage id={deal[1]!} />;
  const stream = /^\/streams\/([a-z0-9-]+)$/.exec(path);
  if (stream) return <StreamsPage content={stream[1]!} />;
  switch (path) {
    case '/':
    case '/wallet':
      return <WalletPage />;
    case '/publish':
      return <PublishPage />;
    case '/deals':
      return <DealsPage />;
    case '/payments':
      return <PaymentsPage />;
    case '/streams':
      return <StreamsPage />;
    case '/messages':
      return <MessagesPage />;
    case '/validators':
      return <ValidatorsPage />;
    case '/network':
      return <NetworkPage />;
    default:
      return (
        <section>
          <h1>Not found</h1>
          <p>
            There is no page at {path}. <Link to="/wallet">Go to your wallet</Link>.
          </p>
        </section>
      );
  }
}

function Shell() {
  const { path, wallet, config } = useApp();
  const main = useRef<HTMLElement>(null);
  useEffect(() => {
    // Moving between pages puts the keyboard focus on the new page, as a page load would.
    main.current?.focus();
    const name = NAV.find(([p]) => path.startsWith(p))?.[1] ?? 'Wallet';
    document.title = `${name} · Trucom dashboard`;
  }, [path]);
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <span className="brand">Trucom</span>
        <nav aria-label="Main">
          <ul>
            {NAV.map(([to, label]) => (
              <li key={to}>
                <Link to={to}>{label}</Link>
              </li>
            ))}
          </ul>
        </nav>
        <span className="who" aria-label="Wallet status">
          {wallet.address ? `${shortAddress(wallet.address)}${wallet.signer ? (wallet.signer.kind === 'keplr' ? ' (Keplr)' : '') : ' (locked)'}` : 'no wallet'} · {config.chainId}
        </span>
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        <Page />
      </main>
    </>
  );
}

export function App({ config }: { config: AppConfig }) {
  return (
    <AppProvider config={config}>
      <Shell />
    </AppProvider>
  );
}
