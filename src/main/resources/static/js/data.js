// The data side of the page: a dataset in words, its rows as points for the boundary view (by
// class, or by value for regression), and the legend for their colours.

import { api } from './api.js';
import { classColour, valueColour } from './charts.js';

/** Rows drawn at most; the rest are left out of the picture, not out of training. */
const MAX_POINTS = 3000;
const PAGE = 1000; // GET /datasets/{id}/rows answers at most this many rows at a time

export function describe(dataset) {
  const classes = dataset.classes.map(c => `${c.label} (${c.count})`).join(', ');
  return `${dataset.name}: ${dataset.rows} rows, ${dataset.task}`
    + (classes ? `, classes ${classes}` : `, target ${dataset.targets.join(', ')}`)
    + `; inputs ${dataset.inputs.join(', ')}.`;
}

/** The names of the two numeric features a boundary can be drawn over, or null. */
export function twoFeatures(dataset) {
  const features = dataset.columns.filter(c => c.role === 'feature');
  return dataset.inputWidth === 2 && features.length === 2 && features.every(c => c.type === 'numeric')
    ? features.map(c => c.name) : null;
}

/** The rows as points {x, y, cls} or {x, y, value}, and the scale that colours them. */
export async function loadPoints(dataset, [fx, fy]) {
  const rows = [];
  const wanted = Math.min(dataset.rows, MAX_POINTS);
  for (let offset = 0; offset < wanted; offset += PAGE) {
    const page = await api('GET', `/datasets/${dataset.id}/rows?offset=${offset}&limit=${Math.min(PAGE, wanted - offset)}`);
    rows.push(...page.rows);
  }
  const target = dataset.targets[0];
  if (dataset.task === 'classification') {
    const labels = dataset.classes.map(c => c.label);
    return {
      scale: { kind: 'classes', count: labels.length, labels },
      points: rows.map(r => ({ x: r[fx], y: r[fy], cls: labels.indexOf(String(r[target])) })),
    };
  }
  const values = rows.map(r => Number(r[target]));
  return {
    scale: { kind: 'values', min: Math.min(...values), max: Math.max(...values) },
    points: rows.map((r, i) => ({ x: r[fx], y: r[fy], value: values[i] })),
  };
}

/** Legend entries: a swatch and a class label each, or the lowest and highest value. */
export function legend(scale) {
  const entry = (rgb, text) => {
    const span = document.createElement('span');
    const swatch = document.createElement('span');
    swatch.className = 'swatch';
    swatch.style.background = `rgb(${rgb})`;
    span.append(swatch, ` ${text}`);
    return span;
  };
  if (scale.kind === 'values') {
    return [entry(valueColour(scale.min, scale), scale.min.toPrecision(3)), entry(valueColour(scale.max, scale), scale.max.toPrecision(3))];
  }
  return scale.labels.map((label, i) => entry(classColour(i, scale.count), label));
}
