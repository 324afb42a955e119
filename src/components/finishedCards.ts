import * as React from 'react';

/**
 * How long a succeeded operation's card stays after it was seen finished
 * (the setting "finishedOperationMinutes"; 0: until dismissed).
 */
export const finishedCards = { clearAfterMinutes: 3 };

interface IOperationLike {
  id: string;
  state: string;
}

/**
 * The operation cards still shown: any the user dismissed are left out, and a
 * succeeded one clears itself `finishedCards.clearAfterMinutes` after this tab
 * saw it finish (failed ones stay until dismissed: they say what to do).
 */
export function useFinishedCards<T extends IOperationLike>(
  operations: T[]
): { shown: T[]; dismiss: (id: string) => void } {
  const [hidden, setHidden] = React.useState<Set<string>>(new Set());
  const [, setTick] = React.useState(0);
  const succeededAt = React.useRef(new Map<string, number>());
  const now = Date.now();
  const clearAfterMs = finishedCards.clearAfterMinutes * 60_000;
  for (const operation of operations) {
    if (
      operation.state === 'succeeded' &&
      !succeededAt.current.has(operation.id)
    ) {
      succeededAt.current.set(operation.id, now);
    }
  }
  React.useEffect(() => {
    const timer = window.setInterval(() => setTick(tick => tick + 1), 5_000);
    return () => window.clearInterval(timer);
  }, []);
  const shown = operations.filter(operation => {
    const at = succeededAt.current.get(operation.id);
    return (
      !hidden.has(operation.id) &&
      (operation.state !== 'succeeded' ||
        at === undefined ||
        clearAfterMs <= 0 ||
        now - at < clearAfterMs)
    );
  });
  return {
    shown,
    dismiss: id => setHidden(current => new Set([...current, id]))
  };
}
