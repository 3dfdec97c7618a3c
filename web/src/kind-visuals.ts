/**
 * How each node kind looks: shape, colour (light and dark schemes), icon and a short text tag, plus
 * how each confidence draws an edge. Shape, colour and tag each tell the kind on their own, so the
 * graph reads in greyscale, for colour-blind users and in the WebGL renderer (which draws every edge
 * solid: confidence is therefore also carried by width and opacity, not by the dash pattern alone).
 */
import type { Confidence, NodeKind } from './types.js';

export type ColorScheme = 'light' | 'dark';

export interface KindVisual {
  /** Cytoscape node shape. */
  shape: 'ellipse' | 'round-rectangle' | 'diamond' | 'hexagon' | 'round-triangle' | 'barrel' | 'round-pentagon' | 'round-octagon' | 'round-tag';
  /** Fill colours; both pass 3:1 against the scheme's background and hold a white icon. */
  color: Record<ColorScheme, string>;
  /** A served SVG file (web/public/icons), same origin, so CSP `img-src 'self'` covers it. */
  icon: string;
  /** Short tag for text lists and the legend, e.g. `SVC`. */
  tag: string;
  /** Human label for the legend and filters. */
  label: string;
}

/**
 * Per-kind defaults. Colours are from the Okabe-Ito palette family (distinguishable under the common
 * colour-vision deficiencies), darkened for light backgrounds and lightened for dark ones.
 */
export const KIND_VISUALS: Record<NodeKind, KindVisual> = {
  Package: { shape: 'barrel', color: { light: '#6b5a00', dark: '#c9b458' }, icon: 'icons/package.svg', tag: 'PKG', label: 'Package' },
  PackageVersion: { shape: 'hexagon', color: { light: '#a35200', dark: '#e69f00' }, icon: 'icons/package-version.svg', tag: 'VER', label: 'Package version' },
  Service: { shape: 'round-rectangle', color: { light: '#0062a3', dark: '#56b4e9' }, icon: 'icons/service.svg', tag: 'SVC', label: 'Service' },
  Credential: { shape: 'diamond', color: { light: '#b0306a', dark: '#e778b0' }, icon: 'icons/credential.svg', tag: 'KEY', label: 'Credential' },
  Dataset: { shape: 'round-octagon', color: { light: '#007a5a', dark: '#3fc49a' }, icon: 'icons/dataset.svg', tag: 'DATA', label: 'Dataset' },
  Customer: { shape: 'ellipse', color: { light: '#6d3fa0', dark: '#b39ddb' }, icon: 'icons/customer.svg', tag: 'ORG', label: 'Customer / partner' },
  Advisory: { shape: 'round-triangle', color: { light: '#b22222', dark: '#ff7b72' }, icon: 'icons/advisory.svg', tag: 'ADV', label: 'Advisory' },
  Incident: { shape: 'round-tag', color: { light: '#4d4d4d', dark: '#a8a8a8' }, icon: 'icons/incident.svg', tag: 'INC', label: 'Incident' },
};

export interface ConfidenceVisual {
  lineStyle: 'solid' | 'dashed' | 'dotted';
  /** Edge width in model px. */
  width: number;
  opacity: number;
  label: string;
}

/** Solid confirmed, dashed likely, dotted possible; weaker is also thinner and fainter. */
export const CONFIDENCE_VISUALS: Record<Confidence, ConfidenceVisual> = {
  confirmed: { lineStyle: 'solid', width: 2.5, opacity: 0.95, label: 'confirmed' },
  likely: { lineStyle: 'dashed', width: 2, opacity: 0.8, label: 'likely' },
  possible: { lineStyle: 'dotted', width: 1.75, opacity: 0.65, label: 'possible' },
};

/** Colours that are not per kind. */
export interface Palette {
  background: string;
  text: string;
  edge: string;
  seed: string;
  highlight: string;
  selected: string;
  dim: number;
  groupFill: string;
  groupBorder: string;
}

export const PALETTES: Record<ColorScheme, Palette> = {
  light: {
    background: '#ffffff',
    text: '#1b1f24',
    edge: '#5b6470',
    seed: '#d1242f',
    highlight: '#e36209',
    selected: '#0969da',
    dim: 0.15,
    groupFill: '#f3efe2',
    groupBorder: '#a38f3a',
  },
  dark: {
    background: '#0d1117',
    text: '#e6edf3',
    edge: '#9aa4af',
    seed: '#ff6b6b',
    highlight: '#ffa657',
    selected: '#58a6ff',
    dim: 0.18,
    groupFill: '#262114',
    groupBorder: '#c9b458',
  },
};
