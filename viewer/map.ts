/**
 * The OpenLayers map: EPSG:3857 view, a background that needs no tile server (plain colour,
 * optionally a graticule), zoom/scale/attribution/cursor-position controls.
 */
import OlMap from 'ol/Map.js';
import View from 'ol/View.js';
import { defaults as defaultControls } from 'ol/control/defaults.js';
import MousePosition from 'ol/control/MousePosition.js';
import ScaleLine from 'ol/control/ScaleLine.js';
import { createStringXY } from 'ol/coordinate.js';
import Graticule from 'ol/layer/Graticule.js';
import Stroke from 'ol/style/Stroke.js';

export type Background = 'graticule' | 'plain';

export interface ViewerMap {
  map: OlMap;
  setBackground(kind: Background): void;
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
    view: new View({ center: [0, 0], zoom: 2, maxZoom: 24 }),
    controls: defaultControls({ attributionOptions: { collapsible: true } }).extend([
      new ScaleLine(),
      new MousePosition({ coordinateFormat: createStringXY(5), projection: 'EPSG:4326', className: 'ol-mouse-position tw-mouse-position', placeholder: '' }),
    ]),
  });
  return {
    map,
    setBackground(kind) {
      graticule.setVisible(kind === 'graticule');
      target.dataset['background'] = kind;
    },
  };
}
