import { act, fireEvent, render, screen } from '@testing-library/react';
import * as React from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { finishedCards, useFinishedCards } from '../components/finishedCards';

function Cards(props: { operations: { id: string; state: string }[] }) {
  const { shown, dismiss } = useFinishedCards(props.operations);
  return (
    <ul>
      {shown.map(operation => (
        <li key={operation.id}>
          {operation.id}
          <button onClick={() => dismiss(operation.id)}>
            {`dismiss ${operation.id}`}
          </button>
        </li>
      ))}
    </ul>
  );
}

const OPERATIONS = [
  { id: 'done', state: 'succeeded' },
  { id: 'broken', state: 'failed' },
  { id: 'busy', state: 'running' }
];

describe('finished operation cards', () => {
  const configured = finishedCards.clearAfterMinutes;
  afterEach(() => {
    vi.useRealTimers();
    finishedCards.clearAfterMinutes = configured;
  });

  it('clear themselves after the configured minutes when they succeeded, and on Dismiss', () => {
    vi.useFakeTimers();
    finishedCards.clearAfterMinutes = 2;
    render(<Cards operations={OPERATIONS} />);
    act(() => {
      vi.advanceTimersByTime(60_000);
    });
    expect(screen.queryByText('done')).toBeTruthy();
    act(() => {
      vi.advanceTimersByTime(65_000);
    });
    expect(screen.queryByText('done')).toBeNull();
    expect(screen.queryByText('broken')).toBeTruthy();
    fireEvent.click(screen.getByText('dismiss broken'));
    expect(screen.queryByText('broken')).toBeNull();
    expect(screen.queryByText('busy')).toBeTruthy();
  });

  it('stay until dismissed when the setting is 0', () => {
    vi.useFakeTimers();
    finishedCards.clearAfterMinutes = 0;
    render(<Cards operations={OPERATIONS} />);
    act(() => {
      vi.advanceTimersByTime(3_600_000);
    });
    expect(screen.queryByText('done')).toBeTruthy();
    fireEvent.click(screen.getByText('dismiss done'));
    expect(screen.queryByText('done')).toBeNull();
  });
});
