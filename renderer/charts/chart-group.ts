// The charts of one view (the live run, a comparison) share their x range:
// each reports the x extent of its data, every chart draws the union (so
// the live charts end at the same step), and a zoom on one (drag-select,
// ctrl+wheel, shift+drag to pan) applies to all of them until it is reset.
// While a run trains, an unzoomed view follows the data and a zoomed one
// stays where it is.

import { inject, provide, ref, shallowRef, type InjectionKey, type Ref, type ShallowRef } from 'vue';
import { unionRange, type Range } from './scale';

export interface ChartGroup {
  /** The zoomed x range; null: every chart shows all of the data. */
  zoom: ShallowRef<Range | null>;
  /** Changes when the union of the charts' extents does. */
  extentTick: Ref<number>;
  /** A chart's data extent (null: no data, or the chart left). */
  report(chart: symbol, extent: Range | null): void;
  /** What the charts show: the zoom, else the union of their data. */
  xRange(): Range | null;
  setZoom(range: Range | null): void;
}

const KEY: InjectionKey<ChartGroup> = Symbol('chart-group');

export function createChartGroup(): ChartGroup {
  const zoom = shallowRef<Range | null>(null);
  const extentTick = ref(0);
  const extents = new Map<symbol, Range>();
  let union: Range | null = null;
  return {
    zoom,
    extentTick,
    report(chart, extent) {
      if (extent) extents.set(chart, extent);
      else extents.delete(chart);
      const next = unionRange(extents.values());
      if (next?.min !== union?.min || next?.max !== union?.max) {
        union = next;
        extentTick.value++;
      }
    },
    xRange: () => zoom.value ?? union,
    setZoom(range) {
      zoom.value = range && range.max > range.min ? range : null;
    },
  };
}

/** A view's group, for the charts it holds. */
export function provideChartGroup(): ChartGroup {
  const g = createChartGroup();
  provide(KEY, g);
  return g;
}

/** The view's group, or a group of this chart alone. */
export function useChartGroup(): ChartGroup {
  return inject(KEY, null) ?? createChartGroup();
}
