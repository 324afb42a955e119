import * as React from 'react';

/**
 * A list that puts in the DOM only the rows in view, plus `overscan` rows
 * beyond each edge: a thousand training jobs cost the layout of about forty.
 *
 * Rows are `rowHeight` pixels high until measured (or as high as most
 * measured rows): a row that is rendered is measured (after each render, and
 * whenever it resizes, e.g. expanded), and keeps its height by key when it
 * scrolls out. Each row is an absolutely
 * placed `li` inside a `ul` as high as all the rows, so the scroll container's
 * scrollbar, keyboard scrolling and `scrollTop` behave as for the full list.
 *
 * The scroll container is `scroller` when given, else the list's nearest
 * scrolling ancestor; other content may sit above and below the list in it.
 * A row that holds the focus stays rendered while it is scrolled out, so the
 * focus is not lost; tabbing onwards scrolls the next row in.
 */
export interface IWindowedListProps<T> {
  items: readonly T[];
  itemKey: (item: T) => string | number;
  /** Height in px of a row until it has been measured. */
  rowHeight: number;
  /** Rows rendered beyond each edge of the view (default 10). */
  overscan?: number;
  /** The content of row `index` (it is wrapped in an `li`). */
  renderRow: (item: T, index: number) => React.ReactNode;
  scroller?: React.RefObject<HTMLElement>;
  className?: string;
  'aria-label'?: string;
}

/** The rows from `start` (included) to `end` (excluded). */
export interface IRange {
  start: number;
  end: number;
}

/** Rows of one height measured before that height becomes the estimate. */
const TYPICAL_MIN = 3;

/**
 * The height assumed for rows not measured yet: the most common measured
 * height once `TYPICAL_MIN` rows have it (a theme with other sizes corrects
 * the estimate after the first rows are measured), else `rowHeight`.
 */
export function typicalHeight(
  heights: ReadonlyMap<string | number, number>,
  rowHeight: number
): number {
  const counts = new Map<number, number>();
  let best = rowHeight;
  let bestCount = TYPICAL_MIN - 1;
  for (const height of heights.values()) {
    const count = (counts.get(height) ?? 0) + 1;
    counts.set(height, count);
    if (count > bestCount) {
      best = height;
      bestCount = count;
    }
  }
  return best;
}

/** Tops of the rows, and the total height as the last entry. */
export function rowOffsets(
  keys: readonly (string | number)[],
  heights: ReadonlyMap<string | number, number>,
  rowHeight: number
): Float64Array {
  const estimate = typicalHeight(heights, rowHeight);
  const offsets = new Float64Array(keys.length + 1);
  for (let i = 0; i < keys.length; i++) {
    offsets[i + 1] = offsets[i] + (heights.get(keys[i]) ?? estimate);
  }
  return offsets;
}

/** The first index whose offset is greater than `y` (binary search). */
function firstAbove(offsets: Float64Array, y: number): number {
  let low = 0;
  let high = offsets.length - 1;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (offsets[middle] > y) {
      high = middle;
    } else {
      low = middle + 1;
    }
  }
  return low;
}

/** Rows intersecting [top, top + height), widened by `overscan` each side. */
export function visibleRange(
  offsets: Float64Array,
  top: number,
  height: number,
  overscan: number
): IRange {
  const count = offsets.length - 1;
  if (count <= 0) {
    return { start: 0, end: 0 };
  }
  const first = Math.min(count - 1, Math.max(0, firstAbove(offsets, top) - 1));
  const last = Math.min(count, firstAbove(offsets, top + height - 0.5));
  return {
    start: Math.max(0, first - overscan),
    end: Math.min(count, Math.max(last, first + 1) + overscan)
  };
}

function scrollingAncestor(node: HTMLElement): HTMLElement {
  for (let at = node.parentElement; at; at = at.parentElement) {
    if (/(auto|scroll)/.test(getComputedStyle(at).overflowY)) {
      return at;
    }
  }
  return (document.scrollingElement as HTMLElement) ?? document.body;
}

export function WindowedList<T>(props: IWindowedListProps<T>): JSX.Element {
  const { items, itemKey, rowHeight, renderRow } = props;
  const overscan = props.overscan ?? 10;
  const list = React.useRef<HTMLUListElement>(null);
  const heights = React.useRef(new Map<string | number, number>());
  const focused = React.useRef<string | number | null>(null);
  const [measured, setMeasured] = React.useState(0);

  const keys = React.useMemo(() => items.map(itemKey), [items, itemKey]);
  const offsets = React.useMemo(
    () => rowOffsets(keys, heights.current, rowHeight),
    // `measured` changes when a row's height does.
    [keys, rowHeight, measured]
  );

  const scroller = React.useCallback(
    (): HTMLElement | null =>
      props.scroller?.current ??
      (list.current ? scrollingAncestor(list.current) : null),
    [props.scroller]
  );

  // Where the scroll container's box is, in the list's coordinates, as
  // "top:height". While the container has no size (hidden, or no layout), a
  // window's height is assumed. An external store: React renders its changes
  // synchronously, so the rows scrolled in are painted in the scroll's frame.
  const readView = React.useCallback((): string => {
    const box = scroller();
    if (!list.current || !box) {
      return `0:${window.innerHeight}`;
    }
    const top =
      box.getBoundingClientRect().top -
      list.current.getBoundingClientRect().top;
    return `${top}:${box.clientHeight || window.innerHeight}`;
  }, [scroller]);
  const subscribe = React.useCallback(
    (notify: () => void) => {
      const box = scroller();
      if (!box) {
        return () => undefined;
      }
      box.addEventListener('scroll', notify, { passive: true });
      window.addEventListener('resize', notify);
      const resized =
        typeof ResizeObserver === 'function'
          ? new ResizeObserver(notify)
          : null;
      resized?.observe(box);
      return () => {
        box.removeEventListener('scroll', notify);
        window.removeEventListener('resize', notify);
        resized?.disconnect();
      };
    },
    [scroller]
  );
  const [viewTop, viewHeight] = React.useSyncExternalStore(subscribe, readView)
    .split(':')
    .map(Number);

  // Rendered rows are measured; a changed height re-lays the rows out.
  const measure = React.useCallback(() => {
    const node = list.current;
    if (!node) {
      return;
    }
    const estimate = typicalHeight(heights.current, rowHeight);
    let changed = false;
    for (const child of Array.from(node.children) as HTMLElement[]) {
      const index = Number(child.dataset.index);
      const height = child.offsetHeight;
      const key = keys[index];
      if (height > 0 && key !== undefined) {
        const known = heights.current.get(key);
        if (known === undefined || Math.abs(known - height) >= 0.5) {
          heights.current.set(key, height);
          changed = changed || Math.abs((known ?? estimate) - height) >= 0.5;
        }
      }
    }
    if (changed) {
      setMeasured(count => count + 1);
    }
  }, [keys, rowHeight]);

  const observer = React.useMemo(
    () =>
      typeof ResizeObserver === 'function' ? new ResizeObserver(measure) : null,
    [measure]
  );
  React.useEffect(() => () => observer?.disconnect(), [observer]);

  const range = visibleRange(offsets, viewTop, viewHeight, overscan);
  const shown: number[] = [];
  for (let i = range.start; i < range.end; i++) {
    shown.push(i);
  }
  const focusedIndex =
    focused.current === null ? -1 : keys.indexOf(focused.current);
  if (
    focusedIndex >= 0 &&
    !(range.start <= focusedIndex && focusedIndex < range.end)
  ) {
    shown.push(focusedIndex);
  }

  React.useLayoutEffect(() => {
    measure();
    if (observer && list.current) {
      observer.disconnect();
      for (const child of Array.from(list.current.children)) {
        observer.observe(child);
      }
    }
  });

  return (
    <ul
      ref={list}
      className={`jp-ModelArts-windowedList ${props.className ?? ''}`}
      aria-label={props['aria-label']}
      style={{ height: offsets[keys.length] }}
      onFocus={event => {
        const row = (event.target as HTMLElement).closest('[data-index]');
        const index = row ? Number((row as HTMLElement).dataset.index) : -1;
        focused.current = index >= 0 ? (keys[index] ?? null) : null;
      }}
      onBlur={() => {
        focused.current = null;
      }}
    >
      {shown.map(index => (
        <li
          key={keys[index]}
          className="jp-ModelArts-windowedRow"
          data-index={index}
          aria-posinset={index + 1}
          aria-setsize={keys.length}
          style={{ top: offsets[index] }}
        >
          {renderRow(items[index], index)}
        </li>
      ))}
    </ul>
  );
}
