import type { Logger } from 'pino';

/** Runs `task` every `ms`, never two at once; a failure is logged and the next turn comes anyway. */
export function every(ms: number, name: string, task: () => Promise<unknown>, log: Logger): () => void {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const turn = async () => {
    try {
      await task();
    } catch (err) {
      log.warn({ task: name, err: (err as Error).message }, 'background task failed');
    }
    if (!stopped) timer = setTimeout(turn, ms);
  };
  timer = setTimeout(turn, 0);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
