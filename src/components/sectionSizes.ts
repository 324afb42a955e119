import { IDisposable } from '@lumino/disposable';
import { AccordionPanel, Widget } from '@lumino/widgets';

/**
 * The least height (px) of an open section that has more than that to show.
 * A section that needs less keeps all it shows (an empty section's message
 * with its links), whatever room a long list beside it asks for.
 */
export const SECTION_MIN_HEIGHT = 128;

/** Natural heights that differ by less than this (px) are the same. */
const SAME_HEIGHT = 2;

/**
 * The height limits of an open section from the height of its content: at
 * least `SECTION_MIN_HEIGHT` (less when the content needs less: an empty
 * section is small), at most what the content needs (a section with one row
 * is not as tall as one with twenty, and a long list gets the room left and
 * scrolls inside).
 */
export function sectionLimits(natural: number): { min: number; max: number } {
  const min = Math.min(Math.ceil(natural), SECTION_MIN_HEIGHT);
  return { min, max: Math.max(Math.ceil(natural), min) };
}

/**
 * The starting relative sizes of the sections: each open one its natural
 * height (the layout clamps them to their limits and shares the rest), the
 * collapsed ones nothing.
 */
export function relativeSizes(naturals: (number | null)[]): number[] {
  const sizes = naturals.map(natural =>
    natural === null ? 0 : sectionLimits(natural).max
  );
  const total = sizes.reduce((sum, size) => sum + size, 0);
  return total > 0 ? sizes.map(size => size / total) : sizes;
}

function px(value: string): number {
  return parseFloat(value) || 0;
}

/**
 * The height `element` needs for what it shows, whatever height the layout
 * gave it: what overflows counts, and a child that only fills its parent (a
 * flex or 100% height box) counts with what it needs itself.
 */
export function naturalHeight(element: HTMLElement): number {
  const style = getComputedStyle(element);
  const frame =
    px(style.paddingTop) +
    px(style.paddingBottom) +
    px(style.borderTopWidth) +
    px(style.borderBottomWidth);
  if (element.scrollHeight > element.clientHeight + 1) {
    return (
      element.scrollHeight +
      px(style.borderTopWidth) +
      px(style.borderBottomWidth)
    );
  }
  const inner =
    element.clientHeight - px(style.paddingTop) - px(style.paddingBottom);
  const children = Array.from(element.children).filter(
    (child): child is HTMLElement =>
      child instanceof HTMLElement &&
      child.offsetHeight > 0 &&
      getComputedStyle(child).position !== 'absolute' &&
      getComputedStyle(child).position !== 'fixed'
  );
  if (children.length === 0) {
    return element.offsetHeight;
  }
  // Children side by side (a row) count once, children one under the other add up.
  let total = 0;
  let lineTop = -Infinity;
  let lineBottom = -Infinity;
  let lineHeight = 0;
  for (const child of children) {
    const box = child.getBoundingClientRect();
    const margins =
      px(getComputedStyle(child).marginTop) +
      px(getComputedStyle(child).marginBottom);
    const childStyle = getComputedStyle(child);
    // Its height may be the layout's, not its content's: a box that fills its parent,
    // grows in a flex box, or scrolls what it holds.
    const sizedByLayout =
      box.height >= inner - 1 ||
      px(childStyle.flexGrow) > 0 ||
      child.scrollHeight > child.clientHeight + 1;
    const height =
      (sizedByLayout ? naturalHeight(child) : box.height) + margins;
    if (box.top >= lineBottom - 1) {
      total += lineHeight;
      lineTop = box.top;
      lineHeight = height;
    } else {
      lineHeight = Math.max(lineHeight, height, box.bottom - lineTop);
    }
    lineBottom = Math.max(lineBottom, box.bottom);
  }
  total += lineHeight;
  return Math.max(total + frame, px(style.minHeight));
}

/**
 * Keep the open sections of `panel` sized to their content: limits from
 * `sectionLimits` (so no open section shrinks to nothing, whatever order
 * sections are collapsed and expanded in) and, when what they show or which
 * are open changes, sizes that start from their content. Sizes the user
 * chose by dragging a handle stay, within the limits, until a section is
 * collapsed or expanded.
 */
export class SectionSizer implements IDisposable {
  constructor(
    private readonly panel: AccordionPanel,
    private readonly measure: (node: HTMLElement) => number = naturalHeight
  ) {
    this._mutations = new MutationObserver(() => this.schedule());
    this._resizes =
      typeof ResizeObserver === 'undefined'
        ? null
        : new ResizeObserver(() => this.schedule());
    panel.expansionToggled.connect(this._toggled, this);
    panel.handleMoved.connect(this._moved, this);
    this.observe();
  }

  get isDisposed(): boolean {
    return this._disposed;
  }

  /** Watch the panel's current widgets (call after a section was replaced). */
  observe(): void {
    this._mutations.disconnect();
    this._resizes?.disconnect();
    for (const widget of this.panel.widgets) {
      this._mutations.observe(widget.node, {
        childList: true,
        subtree: true,
        characterData: true
      });
      this._resizes?.observe(widget.node);
    }
    // A sidebar shown again (from its tab) has room again: measure then.
    this._resizes?.observe(this.panel.node);
    this._last = [];
    this.schedule();
  }

  /** Measure on the next frame (once however many changes came first). */
  schedule(): void {
    if (this._frame === null && !this._disposed) {
      this._frame = requestAnimationFrame(() => {
        this._frame = null;
        this.apply();
      });
    }
  }

  /** Measure the open sections and size them, when anything changed. */
  apply(): void {
    if (!this.panel.isVisible) {
      return;
    }
    const widgets = this.panel.widgets;
    const naturals = widgets.map(widget =>
      widget.isHidden ? null : this.measure(widget.node)
    );
    const same =
      naturals.length === this._last.length &&
      naturals.every((natural, index) => {
        const last = this._last[index];
        return natural === null || last === null
          ? natural === last
          : Math.abs(natural - last) < SAME_HEIGHT;
      });
    if (same) {
      return;
    }
    this._last = naturals;
    widgets.forEach((widget: Widget, index) => {
      const natural = naturals[index];
      if (natural !== null) {
        const limits = sectionLimits(natural);
        widget.node.style.minHeight = `${limits.min}px`;
        widget.node.style.maxHeight = `${limits.max}px`;
      }
    });
    if (!this._chosen && naturals.some(natural => natural !== null)) {
      this.panel.setRelativeSizes(relativeSizes(naturals));
    }
    this.panel.fit();
  }

  dispose(): void {
    if (this._disposed) {
      return;
    }
    this._disposed = true;
    this.panel.expansionToggled.disconnect(this._toggled, this);
    this.panel.handleMoved.disconnect(this._moved, this);
    this._mutations.disconnect();
    this._resizes?.disconnect();
    if (this._frame !== null) {
      cancelAnimationFrame(this._frame);
    }
  }

  private _toggled(): void {
    // Lumino's own sizes for the toggle can leave an open section with none.
    this._chosen = false;
    this._last = [];
    this.schedule();
  }

  private _moved(): void {
    this._chosen = true;
  }

  private _chosen = false;
  private _disposed = false;
  private _frame: number | null = null;
  private _last: (number | null)[] = [];
  private readonly _mutations: MutationObserver;
  private readonly _resizes: ResizeObserver | null;
}
