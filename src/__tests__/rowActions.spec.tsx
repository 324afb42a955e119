import { nullTranslator } from '@jupyterlab/translation';
import { fireEvent, render, screen } from '@testing-library/react';
import * as React from 'react';
import { describe, expect, it, vi } from 'vitest';

import { RowActions } from '../components/RowActions';

const trans = nullTranslator.load('jupyterlab_modelarts');

describe('row actions', () => {
  it('keeps every action reachable: buttons, then a "..." menu', () => {
    const restart = vi.fn();
    render(
      <RowActions
        trans={trans}
        primary={[{ label: 'Open', reason: null, run: vi.fn() }]}
        secondary={[
          { label: 'Restart', reason: null, run: restart },
          {
            label: 'Delete',
            reason: 'a running instance must be stopped first',
            run: vi.fn()
          }
        ]}
      />
    );
    expect(screen.getByRole('button', { name: 'Open' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Restart' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'More actions' }));
    const items = Array.from(
      document.querySelectorAll<HTMLElement>(
        '.jp-ModelArts-rowMenu .lm-Menu-item'
      )
    );
    expect(items.map(item => item.textContent)).toEqual(['Restart', 'Delete']);
    expect(items[1].classList.contains('lm-mod-disabled')).toBe(true);
    expect(items[1].title).toBe('a running instance must be stopped first');
  });
});
