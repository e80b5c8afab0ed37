/**
 * The OpenLayers map: EPSG:3857 view (EPSG:4326 on demand, for tiles in WorldCRS84Quad), a background that needs no tile server (plain colour,
 * optionally a graticule), zoom/scale/attribution/cursor-position controls.
 */
import OlMap from 'ol/Map.js';
import View from 'ol/View.js';
import { defaults as defaultControls } from 'ol/control/defaults.js';
import MousePosition from 'ol/control/MousePosition.js';
import ScaleLine from 'ol/control/ScaleLine.js';
import { createStringXY } from 'ol/coordinate.js';
import Graticule from 'ol/layer/Graticule.js';
import { transform } from 'ol/proj.js';
import Stroke from 'ol/style/Stroke.js';

export type Background = 'graticule' | 'plain';

/** The projections the map can show: tiles in other CRSs would need reprojecting in the browser. */
export type MapProjection = 'EPSG:3857' | 'EPSG:4326';

export interface ViewerMap {
  map: OlMap;
  setBackground(kind: Background): void;
  /**
   * Shows the map in `code` (a new view, centred on the same place) unless it already is, so
   * tiles of a tile matrix set in that CRS are drawn as they are instead of reprojected.
   */
  setProjection(code: MapProjection): void;
}

function createView(projection: string, center: number[], zoom: number): View {
  return new View({ projection, center, zoom, maxZoom: 24 });
}

export function createMap(target: HTMLElement): ViewerMap {
  const graticule = new Graticule({
    strokeStyle: new Stroke({ color: 'rgba(60, 80, 110, 0.35)', width: 1, lineDash: [2, 3] }),
    showLabels: true,
    wrapX: true,
    zIndex: -1,
    properties: { background: true },
  });
  const map = new OlMap({
    target,
    layers: [graticule],
    view: createView('EPSG:3857', [0, 0], 2),
    controls: defaultControls({ attributionOptions: { collapsible: true } }).extend([
      new ScaleLine(),
      new MousePosition({ coordinateFormat: createStringXY(5), projection: 'EPSG:4326', className: 'ol-mouse-position tw-mouse-position', placeholder: '' }),
    ]),
  });
  target.dataset['projection'] = 'EPSG:3857';
  return {
    map,
    setBackground(kind) {
      graticule.setVisible(kind === 'graticule');
      target.dataset['background'] = kind;
    },
    setProjection(code) {
      const view = map.getView();
      const from = view.getProjection().getCode();
      if (from === code) return;
      const center = view.getCenter() ?? [0, 0];
      // The zoom carries over only roughly (a zoom's resolution differs between the two
      // projections); the page fits the view to the new layer right after.
      map.setView(createView(code, transform(center, from, code), view.getZoom() ?? 2));
      target.dataset['projection'] = code;
    },
  };
}
