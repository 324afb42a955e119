import { Clipboard, Notification } from '@jupyterlab/apputils';
import { nullTranslator } from '@jupyterlab/translation';
import { fireEvent, render, screen } from '@testing-library/react';
import * as React from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { IdText } from '../components/IdText';

const trans = nullTranslator.load('jupyterlab_modelarts');
const ID = '0123456789abcdef0123456789abcdef';

describe('a long id', () => {
  afterEach(() => vi.restoreAllMocks());

  it('shows the whole id in its tooltip and copies it with a "Copied" notification', () => {
    const copy = vi
      .spyOn(Clipboard, 'copyToSystem')
      .mockImplementation(() => undefined);
    const success = vi.spyOn(Notification, 'success');
    const opened = vi.fn();
    render(
      <div onClick={opened}>
        <IdText id={ID} trans={trans} />
      </div>
    );
    expect(screen.getByText(ID).getAttribute('title')).toBe(ID);
    fireEvent.click(screen.getByRole('button', { name: `Copy ${ID}` }));
    expect(copy).toHaveBeenCalledWith(ID);
    expect(success.mock.calls[0][0]).toBe(`Copied ${ID}`);
    // The row around it does not open on the copy.
    expect(opened).not.toHaveBeenCalled();
  });
});
