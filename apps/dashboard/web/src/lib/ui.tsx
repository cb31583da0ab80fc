import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { useApp } from './app-context';
import { plainError } from './errors';

/** A link that navigates inside the app (keyboard and middle-click work as for any link). */
export function Link({ to, children, className }: { to: string; children: ReactNode; className?: string }) {
  const { navigate, path } = useApp();
  return (
    <a
      href={to}
      className={className}
      aria-current={path === to ? 'page' : undefined}
      onClick={(e) => {
        if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
        e.preventDefault();
        navigate(to);
      }}
    >
      {children}
    </a>
  );
}

export function ErrorNote({ error }: { error?: unknown }) {
  if (error === undefined || error === null || error === '') return null;
  return (
    <p className="error" role="alert">
      {typeof error === 'string' ? error : plainError(error)}
    </p>
  );
}

export function Note({ children }: { children: ReactNode }) {
  return (
    <p className="note" role="status">
      {children}
    </p>
  );
}

/** Loads `load()` now and every `everyMs` (0 = once); `reload()` asks again. */
export function usePolled<T>(load: () => Promise<T>, deps: unknown[], everyMs = 0): { data?: T; error?: unknown; reload: () => void } {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<unknown>();
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    let live = true;
    const run = () =>
      loadRef
        .current()
        .then((d) => live && (setData(d), setError(undefined)))
        .catch((e) => live && setError(e));
    void run();
    const timer = everyMs > 0 ? setInterval(run, everyMs) : undefined;
    return () => {
      live = false;
      if (timer) clearInterval(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick, everyMs]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, reload };
}

/** Runs an async action once at a time, keeping its error and a success note. */
export function useAction(): { busy: boolean; error?: unknown; done?: string; run: (action: () => Promise<string | void>) => Promise<void>; clear: () => void } {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<string>();
  const run = useCallback(async (action: () => Promise<string | void>) => {
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    try {
      const note = await action();
      if (note) setDone(note);
    } catch (e) {
      console.warn(e);
      setError(e);
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, done, run, clear: () => (setError(undefined), setDone(undefined)) };
}

export function ActionResult({ action }: { action: { error?: unknown; done?: string } }) {
  return (
    <>
      <ErrorNote error={action.error} />
      {action.done && <Note>{action.done}</Note>}
    </>
  );
}

/** Asks for the wallet to be unlocked before showing `children`. */
export function NeedsWallet({ children, what }: { children: ReactNode; what: string }) {
  const { wallet } = useApp();
  if (wallet.signer) return <>{children}</>;
  if (!wallet.stored)
    return (
      <p className="note">
        To {what}, first <Link to="/wallet">create or import a wallet, or connect Keplr</Link>.
      </p>
    );
  return (
    <p className="note">
      To {what}, <Link to="/wallet">unlock your wallet</Link> first.
    </p>
  );
}

export function Bar({ value, max, label }: { value: number; max: number; label: string }) {
  const pct = max <= 0 ? 0 : Math.max(0, Math.min(100, (value / max) * 100));
  return (
    <div className="bar" role="meter" aria-label={label} aria-valuemin={0} aria-valuemax={max} aria-valuenow={value}>
      <div className="bar-fill" style={{ width: `${pct}%` }} />
    </div>
  );
}

export function Progress({ value, label }: { value: number; label: string }) {
  return (
    <div className="progress">
      <label>
        {label} <span aria-hidden="true">{Math.floor(value)}%</span>
        <progress max={100} value={value} aria-label={label} />
      </label>
    </div>
  );
}

/** A small bar chart in SVG: one bar per point, labelled for screen readers by `summary`. */
export function BarChart({ points, summary, unit }: { points: { label: string; value: number }[]; summary: string; unit: string }) {
  // scaled to the largest bar, however small (a deal's spend per epoch can be thousandths of a TRU)
  const max = Math.max(0, ...points.map((p) => p.value)) || 1;
  const w = 600;
  const h = 140;
  const bw = points.length ? w / points.length : w;
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${w} ${h + 20}`} role="img" aria-label={summary} preserveAspectRatio="none">
        {points.map((p, i) => {
          const bh = (p.value / max) * h;
          return (
            <rect key={i} x={i * bw + 1} y={h - bh} width={Math.max(1, bw - 2)} height={bh} className="chart-bar">
              <title>{`${p.label}: ${p.value.toFixed(2)} ${unit}`}</title>
            </rect>
          );
        })}
        <line x1={0} x2={w} y1={h} y2={h} className="chart-axis" />
      </svg>
      <figcaption>{summary}</figcaption>
    </figure>
  );
}

/** A scrollable table (phone-sized screens scroll it sideways) with one column header per name. */
export function Table({ columns, testId, children }: { columns: readonly string[]; testId?: string; children: ReactNode }) {
  return (
    <div className="table-wrap">
      <table data-testid={testId}>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

/**
 * A card form whose submit runs `onSubmit` as one action: its button is disabled meanwhile, and the
 * error or note (the returned text) shows below. `after` goes right after the submit button.
 */
export function ActionForm({ title, submit, onSubmit, after, children }: { title: string; submit: string; onSubmit: () => Promise<string | void>; after?: ReactNode; children: ReactNode }) {
  const action = useAction();
  return (
    <form
      className="card"
      onSubmit={(e) => {
        e.preventDefault();
        void action.run(onSubmit);
      }}
    >
      <h2>{title}</h2>
      {children}
      <button type="submit" disabled={action.busy}>
        {submit}
      </button>
      {after}
      <ActionResult action={action} />
    </form>
  );
}
