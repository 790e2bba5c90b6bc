// Two small canvas drawings, no chart library: the loss curve, and the decision boundary as a
// heat-map behind the data points. Colours follow the TensorFlow Playground: orange for the first
// class (or low values), blue for the second (or high values), white where the model is unsure.

export const ORANGE = [245, 147, 34];
/** How far the heat-map goes from white toward a class colour where the model is sure: lighter than the points. */
const FIELD_STRENGTH = 0.55;
export const BLUE = [8, 119, 189];
/** Class colours beyond two classes. */
const PALETTE = [ORANGE, BLUE, [46, 160, 67], [190, 60, 160], [220, 50, 47], [120, 94, 240], [90, 90, 90], [0, 160, 160]];

export function classColour(index, count) {
  return count <= 2 ? (index === 0 ? ORANGE : BLUE) : PALETTE[index % PALETTE.length];
}

export const css = ([r, g, b], a = 1) => `rgba(${r},${g},${b},${a})`;
const mix = (c, t) => c.map(v => Math.round(255 + (v - 255) * t)); // white → c as t goes 0 → 1

/** Sizes a canvas's backing store for the screen's pixel ratio; answers its 2-D context in CSS pixels. */
export function context(canvas) {
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth || canvas.width;
  const height = canvas.clientHeight || canvas.height;
  if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
  }
  const ctx = canvas.getContext('2d');
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  return { ctx, width, height };
}

/** loss and val_loss per epoch; canvas.dataset.points counts the loss points drawn. */
export class LossChart {
  constructor(canvas) {
    this.canvas = canvas;
    this.reset(0);
  }

  reset(epochs) {
    this.loss = [];
    this.valLoss = [];
    this.epochs = epochs;
    this.draw();
  }

  /**
   * Replaces the whole history (a 'state' event carries it). A long job's history is a summary of
   * evenly spaced epochs, so each point goes to its own epoch and the line joins them.
   */
  setHistory(history) {
    this.loss = [];
    this.valLoss = [];
    history.forEach(h => this.add(h));
    this.draw();
  }

  add(stats) {
    this.loss[stats.epoch - 1] = stats.loss;
    this.valLoss[stats.epoch - 1] = stats.valLoss;
  }

  draw() {
    const { ctx, width, height } = context(this.canvas);
    const pad = { left: 40, right: 8, top: 8, bottom: 18 };
    const w = width - pad.left - pad.right;
    const h = height - pad.top - pad.bottom;
    ctx.clearRect(0, 0, width, height);
    const finite = [...this.loss, ...this.valLoss].filter(v => v != null && Number.isFinite(v));
    const top = finite.length ? Math.max(...finite) * 1.05 || 1 : 1;
    const epochs = Math.max(this.epochs, this.loss.length, 2);
    const x = i => pad.left + (i / (epochs - 1)) * w;
    const y = v => pad.top + h - (Math.min(v, top) / top) * h;

    ctx.strokeStyle = '#ddd';
    ctx.fillStyle = '#777';
    ctx.font = '11px system-ui, sans-serif';
    ctx.lineWidth = 1;
    ctx.textAlign = 'right';
    const ticks = h < 100 ? 2 : 4;
    for (let k = 0; k <= ticks; k++) {
      const v = (top * k) / ticks;
      ctx.beginPath();
      ctx.moveTo(pad.left, y(v) + 0.5);
      ctx.lineTo(pad.left + w, y(v) + 0.5);
      ctx.stroke();
      ctx.fillText(v.toPrecision(2), pad.left - 4, y(v) + 4);
    }
    ctx.textAlign = 'center';
    ctx.fillText('1', x(0), height - 4);
    ctx.fillText(String(epochs), x(epochs - 1) - 8, height - 4);
    ctx.fillText('epoch', pad.left + w / 2, height - 4);

    this.line(ctx, this.valLoss, x, y, css(ORANGE), [5, 3]);
    this.line(ctx, this.loss, x, y, '#333', []);
    this.canvas.dataset.points = String(this.loss.filter(v => v != null).length);
  }

  line(ctx, values, x, y, colour, dash) {
    ctx.save();
    ctx.strokeStyle = colour;
    ctx.lineWidth = 2;
    ctx.setLineDash(dash);
    ctx.beginPath();
    let open = false;
    values.forEach((v, i) => {
      if (v == null || !Number.isFinite(v)) { open = false; return; }
      if (open) ctx.lineTo(x(i), y(v)); else ctx.moveTo(x(i), y(v));
      open = true;
    });
    ctx.stroke();
    ctx.restore();
  }
}

/**
 * The data points over a heat-map of the model's answer on a steps × steps grid.
 * canvas.dataset.epoch tells which epoch's weights the heat-map shows ("final" at the end).
 */
export class BoundaryView {
  constructor(canvas, steps = 64) {
    this.canvas = canvas;
    this.steps = steps;
    this.points = [];
    this.field = null;
    this.domain = { x0: -1, x1: 1, y0: -1, y1: 1 };
  }

  /** Square domain around the data, 10 % margin, so circles stay round. */
  fit(xs, ys) {
    const [ax, bx, ay, by] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    const half = (Math.max(bx - ax, by - ay) / 2) * 1.1 || 1;
    const cx = (ax + bx) / 2;
    const cy = (ay + by) / 2;
    this.domain = { x0: cx - half, x1: cx + half, y0: cy - half, y1: cy + half };
  }

  /** The grid's cell centres as instances [x, y], row by row from the top. */
  grid() {
    const { x0, x1, y0, y1 } = this.domain;
    const n = this.steps;
    const out = [];
    for (let r = 0; r < n; r++) {
      for (let c = 0; c < n; c++) {
        out.push([x0 + ((c + 0.5) / n) * (x1 - x0), y1 - ((r + 0.5) / n) * (y1 - y0)]);
      }
    }
    return out;
  }

  /** points: [{x, y, cls (index) or value (regression)}]; kind 'classes' with count, or 'values' with range. */
  setPoints(points, scale) {
    this.points = points;
    this.scale = scale;
    this.field = null;
    this.canvas.dataset.epoch = '0';
    this.draw();
  }

  /** colours: one [r, g, b] per grid cell, from grid() order. */
  setField(colours, epoch) {
    this.field = colours;
    this.canvas.dataset.epoch = String(epoch);
    this.draw();
  }

  clearField() {
    this.field = null;
    this.canvas.dataset.epoch = '0';
    this.draw();
  }

  draw() {
    const { ctx, width, height } = context(this.canvas);
    ctx.clearRect(0, 0, width, height);
    ctx.fillStyle = '#fafafa';
    ctx.fillRect(0, 0, width, height);
    if (this.field) {
      const n = this.steps;
      const image = new ImageData(n, n);
      this.field.forEach((rgb, i) => image.data.set([...rgb, 255], i * 4));
      const small = document.createElement('canvas');
      small.width = n;
      small.height = n;
      small.getContext('2d').putImageData(image, 0, 0);
      ctx.imageSmoothingEnabled = true;
      ctx.imageSmoothingQuality = 'high';
      ctx.drawImage(small, 0, 0, width, height);
    }
    if (!this.field && !this.points.length) {
      ctx.fillStyle = '#999';
      ctx.font = '13px system-ui, sans-serif';
      ctx.textAlign = 'center';
      ctx.fillText('Generate a dataset to see it here', width / 2, height / 2);
    }
    const { x0, x1, y0, y1 } = this.domain;
    for (const p of this.points) {
      const px = ((p.x - x0) / (x1 - x0)) * width;
      const py = ((y1 - p.y) / (y1 - y0)) * height;
      ctx.beginPath();
      ctx.arc(px, py, 3.2, 0, 2 * Math.PI);
      ctx.fillStyle = css(this.pointColour(p));
      ctx.fill();
      ctx.lineWidth = 1;
      ctx.strokeStyle = 'white';
      ctx.stroke();
    }
    this.canvas.dataset.points = String(this.points.length);
  }

  pointColour(p) {
    if (this.scale && this.scale.kind === 'values') return valueColour(p.value, this.scale);
    return classColour(p.cls, this.scale ? this.scale.count : 2);
  }
}

/** A heat-map cell for a classifier: probabilities in class order. */
export function probabilityColour(probabilities) {
  if (probabilities.length === 2) {
    const p = probabilities[1]; // 0 → orange, 0.5 → white, 1 → blue
    return p >= 0.5 ? mix(BLUE, (p - 0.5) * 2 * FIELD_STRENGTH) : mix(ORANGE, (0.5 - p) * 2 * FIELD_STRENGTH);
  }
  let best = 0;
  probabilities.forEach((p, k) => { if (p > probabilities[best]) best = k; });
  const confidence = (probabilities[best] - 1 / probabilities.length) / (1 - 1 / probabilities.length);
  return mix(classColour(best, probabilities.length), Math.max(0, confidence) * FIELD_STRENGTH);
}

/** A heat-map cell or point for regression: orange (low) to blue (high) over the target's range. */
export function valueColour(v, { min, max }, field = false) {
  const strength = field ? FIELD_STRENGTH : 1;
  const t = max > min ? Math.min(1, Math.max(0, (v - min) / (max - min))) : 0.5;
  return t >= 0.5 ? mix(BLUE, (t - 0.5) * 2 * strength) : mix(ORANGE, (0.5 - t) * 2 * strength);
}
