import { act, fireEvent, render, screen } from '@testing-library/react';
import * as React from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { AUTO_CLEAR_MS, useFinishedCards } from '../components/finishedCards';

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

describe('finished operation cards', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('clear themselves after a while when they succeeded, and on Dismiss', () => {
    vi.useFakeTimers();
    render(
      <Cards
        operations={[
          { id: 'done', state: 'succeeded' },
          { id: 'broken', state: 'failed' },
          { id: 'busy', state: 'running' }
        ]}
      />
    );
    expect(screen.queryByText('done')).toBeTruthy();
    act(() => {
      vi.advanceTimersByTime(AUTO_CLEAR_MS + 5_000);
    });
    expect(screen.queryByText('done')).toBeNull();
    expect(screen.queryByText('broken')).toBeTruthy();
    fireEvent.click(screen.getByText('dismiss broken'));
    expect(screen.queryByText('broken')).toBeNull();
    expect(screen.queryByText('busy')).toBeTruthy();
  });
});
