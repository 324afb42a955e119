import { nullTranslator } from '@jupyterlab/translation';
import { Signal } from '@lumino/signaling';
import { act, fireEvent, render, screen } from '@testing-library/react';
import * as React from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { IServerEvent, ServerEvents } from '../model/events';
import { ITrainingJob } from '../training/api';
import { JobsPanel } from '../training/JobsPanel';
import {
  rowOffsets,
  typicalHeight,
  visibleRange,
  WindowedList
} from '../training/WindowedList';

const requests: string[] = [];
let jobList: ITrainingJob[] = [];

vi.mock('../api', async importOriginal => ({
  ...(await importOriginal<typeof import('../api')>()),
  requestAPI: vi.fn(async (endPoint: string) => {
    requests.push(endPoint);
    if (endPoint.startsWith('training/jobs')) {
      return { jobs: jobList };
    }
    if (endPoint.startsWith('operations')) {
      return { operations: [] };
    }
    return { jobs: [] };
  })
}));

const trans = nullTranslator.load('jupyterlab_modelarts');
const ROW = 30;
const VIEW = 300;

/**
 * jsdom lays nothing out: give the scroll container a height, and the list
 * the box it would have at the container's scrollTop.
 */
function layOut(scroller: HTMLElement): void {
  Object.defineProperty(scroller, 'clientHeight', {
    configurable: true,
    value: VIEW
  });
  scroller.getBoundingClientRect = () => new DOMRect(0, 0, 200, VIEW);
  const list = scroller.querySelector('ul') as HTMLElement;
  list.getBoundingClientRect = () =>
    new DOMRect(0, -scroller.scrollTop, 200, list.offsetHeight);
}

function scrollTo(scroller: HTMLElement, top: number): void {
  act(() => {
    scroller.scrollTop = top;
    fireEvent.scroll(scroller);
  });
}

/** The harness with 1,000 items, laid out; its scroll container. */
function renderThousandItems(): HTMLElement {
  const items = Array.from({ length: 1000 }, (_, i) => `item ${i}`);
  render(<Harness items={items} />);
  const scroller = screen.getByTestId('scroller');
  layOut(scroller);
  return scroller;
}

function Harness(props: { items: string[] }): JSX.Element {
  const scroller = React.useRef<HTMLDivElement>(null);
  return (
    <div data-testid="scroller" ref={scroller} style={{ overflowY: 'auto' }}>
      <WindowedList
        items={props.items}
        itemKey={item => item}
        rowHeight={ROW}
        overscan={5}
        scroller={scroller}
        aria-label="items"
        renderRow={item => <button>{item}</button>}
      />
    </div>
  );
}

describe('the windowed list', () => {
  it('computes offsets, the typical height and the rows in view', () => {
    const heights = new Map<string, number>([['b', 100]]);
    const offsets = rowOffsets(['a', 'b', 'c', 'd'], heights, ROW);
    expect(Array.from(offsets)).toEqual([0, 30, 130, 160, 190]);
    // Three measured rows of one height make it the estimate for the others.
    expect(typicalHeight(heights, ROW)).toBe(ROW);
    heights.set('a', 40).set('c', 40);
    expect(typicalHeight(heights, ROW)).toBe(ROW);
    heights.set('d', 40);
    expect(typicalHeight(heights, ROW)).toBe(40);
    expect(visibleRange(offsets, 0, 30, 0)).toEqual({ start: 0, end: 1 });
    expect(visibleRange(offsets, 31, 50, 0)).toEqual({ start: 1, end: 2 });
    expect(visibleRange(offsets, 120, 50, 1)).toEqual({ start: 0, end: 4 });
    expect(visibleRange(offsets, 10_000, 50, 0)).toEqual({ start: 3, end: 4 });
    expect(visibleRange(new Float64Array(1), 0, 50, 5)).toEqual({
      start: 0,
      end: 0
    });
  });

  it('puts only the rows in view (and the overscan) in the DOM', () => {
    const scroller = renderThousandItems();
    scrollTo(scroller, 0);
    const list = screen.getByRole('list', { name: 'items' });
    expect(list.style.height).toBe(`${1000 * ROW}px`);
    const rows = screen.getAllByRole('listitem');
    // 300 px of 30 px rows, and 5 more below.
    expect(rows).toHaveLength(VIEW / ROW + 5);
    expect(rows[0].getAttribute('aria-posinset')).toBe('1');
    expect(rows[0].getAttribute('aria-setsize')).toBe('1000');
    expect(rows[3].style.top).toBe(`${3 * ROW}px`);
    expect(screen.queryByText('item 20')).toBeNull();
    expect(screen.queryByText('item 999')).toBeNull();
  });

  it('brings the last row in when scrolled to the end', () => {
    const scroller = renderThousandItems();
    scrollTo(scroller, 1000 * ROW - VIEW);
    expect(screen.getByText('item 999')).toBeTruthy();
    expect(screen.getByText('item 990')).toBeTruthy();
    expect(screen.getByText('item 985')).toBeTruthy(); // overscan above
    expect(screen.queryByText('item 984')).toBeNull();
    expect(screen.queryByText('item 0')).toBeNull();
    const last = screen.getByText('item 999').closest('li') as HTMLElement;
    expect(last.getAttribute('aria-posinset')).toBe('1000');
    expect(last.style.top).toBe(`${999 * ROW}px`);
    scrollTo(scroller, 0);
    expect(screen.getByText('item 0')).toBeTruthy();
    expect(screen.queryByText('item 999')).toBeNull();
  });

  it('keeps the focused row while it is scrolled out', () => {
    const scroller = renderThousandItems();
    scrollTo(scroller, 0);
    const button = screen.getByText('item 2');
    act(() => button.focus());
    scrollTo(scroller, 500 * ROW);
    expect(screen.getByText('item 500')).toBeTruthy();
    expect(screen.getByText('item 2')).toBe(document.activeElement);
    expect(screen.queryByText('item 3')).toBeNull();
  });
});

class FakeEvents {
  readonly received = new Signal<this, IServerEvent>(this);
}

function job(id: number): ITrainingJob {
  return {
    job_id: id,
    job_name: `job-${id}`,
    version_id: id,
    create_time: id,
    duration: 1000,
    job_desc: null,
    version_count: 1,
    status: 10,
    status_name: 'completed',
    status_meaning: 'Completed',
    terminal: true,
    stoppable: false
  };
}

describe('the Training section', () => {
  afterEach(() => {
    requests.length = 0;
  });

  it('renders a window of a thousand jobs, and one reload per burst of events', async () => {
    jobList = Array.from({ length: 1000 }, (_, i) => job(1000 - i));
    const events = new FakeEvents();
    const { container } = render(
      <JobsPanel
        events={events as unknown as ServerEvents}
        trans={trans}
        actions={{
          openLog: vi.fn(),
          importModel: vi.fn(),
          openOutput: vi.fn(),
          deployOutput: vi.fn(),
          showConfigs: vi.fn(),
          showAlgorithms: vi.fn()
        }}
      />
    );
    await screen.findByText('job-1000');
    const rows = container.querySelectorAll('.jp-ModelArts-trainJob');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(60);
    expect(screen.queryByText('job-1')).toBeNull();
    const list = screen.getByRole('list', { name: 'Training jobs' });
    expect(list.firstElementChild?.getAttribute('aria-setsize')).toBe('1000');

    // Expanded jobs are kept by the panel: toggling shows the job's actions.
    fireEvent.click(screen.getByText('job-1000'));
    expect(screen.getByText('Delete job')).toBeTruthy();

    // The first poll publishes one event per job: two list requests, not 1000.
    const before = requests.filter(r => r === 'training/jobs').length;
    await act(async () => {
      for (let i = 0; i < 1000; i++) {
        events.received.emit({
          type: 'resource',
          data: { kind: 'training_jobs', change: 'upsert', id: String(i) }
        });
      }
      await new Promise(resolve => setTimeout(resolve, 10));
    });
    const after = requests.filter(r => r === 'training/jobs').length;
    expect(after - before).toBe(2);
  });
});
