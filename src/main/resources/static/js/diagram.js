// The network as neurons and connections, as the TensorFlow Playground draws it. Before training
// the connections are grey; after it they take the published weights (GET .../weights): blue for
// positive, orange for negative, thicker for larger. Its hidden units answer the pointer:
// unitAt(x, y) names the one under it, and highlight() rings the one whose heat-map is shown.
// canvas.dataset.hiddenUnits lists where each drawn hidden unit is ("layer:unit@x,y", 1-based).

import { BLUE, ORANGE } from './charts.js';

const MAX_SHOWN = 10; // neurons drawn per layer; the rest are summed up as "+ n"

export class NetworkDiagram {
  constructor(canvas) {
    this.canvas = canvas;
    this.widths = [2, 20, 1];
    this.labels = { first: [], last: '' };
    this.kernels = null;
    this.highlighted = null;
    this.hiddenUnits = [];
  }

  /** The hidden unit drawn at canvas point (x, y) in CSS pixels: {layer (1-based), unit (0-based)}, or null. */
  unitAt(x, y) {
    let best = null;
    let bestDistance = 10; // px: a little more than the circle, so a hand need not be exact
    for (const u of this.hiddenUnits) {
      const d = Math.hypot(u.x - x, u.y - y);
      if (d < bestDistance) {
        best = { layer: u.layer, unit: u.unit };
        bestDistance = d;
      }
    }
    return best;
  }

  /** Rings this hidden unit ({layer, unit}), or none. */
  highlight(unit) {
    this.highlighted = unit;
    this.draw();
  }

  /** widths: inputs, then the units of every layer; forgets the weights of the network drawn before. */
  setShape(widths, inputNames, outputActivation) {
    this.kernels = null;
    this.highlighted = null;
    this.widths = widths.map(w => (Number.isFinite(w) ? Math.max(0, w) : 0));
    this.labels = { first: inputNames, last: outputActivation };
    this.draw();
  }

  /** kernels[layer][input][unit] from the weights export, or null. */
  setWeights(kernels) {
    this.kernels = kernels;
    this.draw();
  }

  draw() {
    const ratio = window.devicePixelRatio || 1;
    const width = this.canvas.clientWidth || this.canvas.width;
    const height = this.canvas.clientHeight || this.canvas.height;
    this.canvas.width = Math.round(width * ratio);
    this.canvas.height = Math.round(height * ratio);
    const ctx = this.canvas.getContext('2d');
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, height);

    const columns = this.widths.length;
    const x = i => 40 + (i * (width - 80)) / Math.max(1, columns - 1);
    const shown = this.widths.map(w => Math.min(w, MAX_SHOWN));
    const y = (i, k) => {
      const n = shown[i];
      const gap = Math.min(18, (height - 30) / Math.max(1, n));
      return height / 2 - ((n - 1) * gap) / 2 + k * gap - 6;
    };
    const biggest = this.kernels ? Math.max(1e-6, ...this.kernels.flat(2).map(Math.abs)) : 1;

    for (let i = 0; i + 1 < columns; i++) {
      for (let a = 0; a < shown[i]; a++) {
        for (let b = 0; b < shown[i + 1]; b++) {
          const w = this.kernels && this.kernels[i] && this.kernels[i][a] ? this.kernels[i][a][b] : null;
          ctx.beginPath();
          ctx.moveTo(x(i), y(i, a));
          ctx.lineTo(x(i + 1), y(i + 1, b));
          if (w == null) {
            ctx.strokeStyle = 'rgba(0,0,0,0.10)';
            ctx.lineWidth = 1;
          } else {
            const t = Math.abs(w) / biggest;
            const [r, g, bl] = w >= 0 ? BLUE : ORANGE;
            ctx.strokeStyle = `rgba(${r},${g},${bl},${0.15 + 0.75 * t})`;
            ctx.lineWidth = 0.5 + 3 * t;
          }
          ctx.stroke();
        }
      }
    }
    ctx.font = '11px system-ui, sans-serif';
    ctx.textAlign = 'center';
    this.hiddenUnits = [];
    const lit = this.highlighted;
    for (let i = 0; i < columns; i++) {
      const io = i === 0 || i === columns - 1;
      for (let k = 0; k < shown[i]; k++) {
        const on = !io && lit && lit.layer === i && lit.unit === k;
        ctx.beginPath();
        ctx.arc(x(i), y(i, k), on ? 7 : 5, 0, 2 * Math.PI);
        ctx.fillStyle = io ? '#fff4e6' : on ? 'rgb(8,119,189)' : '#fff';
        ctx.fill();
        ctx.lineWidth = on ? 2.5 : 1.5;
        ctx.strokeStyle = io ? 'rgb(245,147,34)' : 'rgb(8,119,189)';
        ctx.stroke();
        if (!io) this.hiddenUnits.push({ layer: i, unit: k, x: x(i), y: y(i, k) });
      }
      ctx.fillStyle = '#777';
      const more = this.widths[i] - shown[i];
      const bottom = y(i, Math.max(0, shown[i] - 1)) + 20;
      if (more > 0) ctx.fillText(`+ ${more}`, x(i), bottom);
      else if (i === 0 && this.labels.first.length && this.labels.first.length <= 3) ctx.fillText(this.labels.first.join(' '), x(i), bottom);
      else if (i === columns - 1) ctx.fillText(this.labels.last, x(i), bottom);
    }
    this.canvas.dataset.hiddenUnits = this.hiddenUnits
      .map(u => `${u.layer}:${u.unit + 1}@${Math.round(u.x)},${Math.round(u.y)}`).join(' ');
  }
}
