import { Signal } from '@lumino/signaling';
import { AccordionPanel, Widget } from '@lumino/widgets';
import { describe, expect, it } from 'vitest';

import {
  relativeSizes,
  SECTION_MIN_HEIGHT,
  SectionSizer,
  sectionLimits
} from '../components/sectionSizes';

function panelOf(count: number): AccordionPanel {
  const panel = new AccordionPanel();
  for (let index = 0; index < count; index++) {
    const widget = new Widget();
    widget.title.label = `section ${index}`;
    panel.addWidget(widget);
  }
  Widget.attach(panel, document.body);
  return panel;
}

/** The natural height of each section's node, which a test may change. */
function naturalsOf(
  panel: AccordionPanel,
  heights: number[]
): Map<HTMLElement, number> {
  return new Map(
    panel.widgets.map((widget, index) => [widget.node, heights[index]])
  );
}

describe('section sizes', () => {
  it('follow the content: an empty section is small, a long list is not limited', () => {
    expect(sectionLimits(30)).toEqual({ min: 30, max: 30 });
    expect(sectionLimits(60)).toEqual({ min: 60, max: 60 });
    expect(sectionLimits(2000)).toEqual({ min: SECTION_MIN_HEIGHT, max: 2000 });
  });

  it('start from the content of the open sections, collapsed ones get none', () => {
    const sizes = relativeSizes([40, null, 800, 160]);
    expect(sizes[1]).toBe(0);
    expect(sizes[2]).toBeGreaterThan(sizes[3]);
    expect(sizes[3]).toBeGreaterThan(sizes[0]);
    expect(sizes.reduce((a, b) => a + b)).toBeCloseTo(1);
  });

  it('keep every open section its limits across collapse and expand in any order', () => {
    const panel = panelOf(3);
    const naturals = naturalsOf(panel, [20, 400, 1500]);
    const sizer = new SectionSizer(panel, node => naturals.get(node) ?? 0);
    for (const toggles of [
      [0, 0],
      [1, 2, 1, 2],
      [2, 0, 1, 0, 1, 2]
    ]) {
      for (const index of toggles) {
        if (panel.widgets[index].isHidden) {
          panel.expand(index);
        } else {
          panel.collapse(index);
        }
        sizer.apply();
      }
      const [empty, some, many] = panel.widgets.map(w => w.node.style);
      expect([empty.minHeight, empty.maxHeight]).toEqual(['20px', '20px']);
      expect([some.minHeight, some.maxHeight]).toEqual([
        `${SECTION_MIN_HEIGHT}px`,
        '400px'
      ]);
      expect([many.minHeight, many.maxHeight]).toEqual([
        `${SECTION_MIN_HEIGHT}px`,
        '1500px'
      ]);
      expect(panel.widgets.every(w => !w.isHidden)).toBe(true);
    }
    sizer.dispose();
    panel.dispose();
  });

  it('keep the sizes the user dragged to when the content changes, until a toggle', () => {
    const panel = panelOf(3);
    const naturals = naturalsOf(panel, [300, 400, 1500]);
    const sizer = new SectionSizer(panel, node => naturals.get(node) ?? 0);
    sizer.apply();
    const chosen = [0.5, 0.2, 0.3];
    panel.setRelativeSizes(chosen);
    // What SplitPanel emits when the user lets go of a handle it dragged.
    (panel.handleMoved as Signal<AccordionPanel, void>).emit();
    naturals.set(panel.widgets[1].node, 800);
    sizer.apply();
    panel
      .relativeSizes()
      .forEach((size, index) => expect(size).toBeCloseTo(chosen[index]));
    expect(panel.widgets[1].node.style.maxHeight).toBe('800px');

    panel.collapse(0);
    panel.expand(0);
    sizer.apply();
    expect(panel.relativeSizes()[2]).toBeGreaterThan(panel.relativeSizes()[0]);
    sizer.dispose();
    panel.dispose();
  });
});
