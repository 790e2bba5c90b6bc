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

/**
 * loss (training rows) and val_loss (test rows) per epoch. The x axis spans the epochs asked for
 * while a job runs and the epochs it ran once it ends (early stop, cancel: rescale(epochs)); the y
 * axis is linear from 0, or logarithmic (setLog) to show a loss still falling by decades.
 * canvas.dataset.points counts the loss points drawn, dataset.epochs the x axis' end, dataset.scale
 * the y axis ("linear" or "log").
 */
export class LossChart {
  constructor(canvas) {
    this.canvas = canvas;
    this.log = false;
    this.reset(0);
  }

  reset(epochs) {
    this.loss = [];
    this.valLoss = [];
    this.epochs = epochs;
    this.draw();
  }

  /** The x axis ends at this epoch: the epochs a finished job ran. */
  rescale(epochs) {
    this.epochs = epochs;
    this.loss.length = Math.min(this.loss.length, epochs);
    this.valLoss.length = Math.min(this.valLoss.length, epochs);
    this.draw();
  }

  setLog(log) {
    this.log = log;
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

  /** The y axis: value → pixel, and the tick values, linear from 0 or log over the decades shown. */
  axis(values, top, h) {
    if (this.log) {
      const positive = values.filter(v => v > 0);
      const hi = positive.length ? Math.log10(Math.max(...positive)) : 0;
      let lo = positive.length ? Math.log10(Math.min(...positive)) : -1;
      if (hi - lo < 1) lo = hi - 1; // at least one decade, so the ticks mean something
      const y = v => top + h - ((Math.log10(Math.max(v, 10 ** lo)) - lo) / (hi - lo)) * h;
      // 1, 2 and 5 per decade on a short axis, powers of ten alone on a long one; the ends when too few.
      const steps = hi - lo > 2 ? [1] : [1, 2, 5];
      const ticks = [];
      for (let e = Math.floor(lo); e <= Math.ceil(hi); e++) {
        for (const m of steps) {
          const v = m * 10 ** e;
          if (Math.log10(v) >= lo - 1e-9 && Math.log10(v) <= hi + 1e-9) ticks.push(v);
        }
      }
      if (ticks.length < 2) ticks.splice(0, ticks.length, 10 ** lo, 10 ** hi);
      return { y, ticks };
    }
    const max = values.length ? Math.max(...values) * 1.05 || 1 : 1;
    const y = v => top + h - (Math.min(v, max) / max) * h;
    const count = h < 100 ? 2 : 4;
    return { y, ticks: Array.from({ length: count + 1 }, (_, k) => (max * k) / count) };
  }

  draw() {
    const { ctx, width, height } = context(this.canvas);
    const pad = { left: 40, right: 8, top: 8, bottom: 18 };
    const w = width - pad.left - pad.right;
    const h = height - pad.top - pad.bottom;
    ctx.clearRect(0, 0, width, height);
    const finite = [...this.loss, ...this.valLoss].filter(v => v != null && Number.isFinite(v));
    const epochs = Math.max(this.epochs, this.loss.length, 2);
    const x = i => pad.left + (i / (epochs - 1)) * w;
    const { y, ticks } = this.axis(finite, pad.top, h);

    ctx.strokeStyle = '#ddd';
    ctx.fillStyle = '#777';
    ctx.font = '11px system-ui, sans-serif';
    ctx.lineWidth = 1;
    ctx.textAlign = 'right';
    for (const v of ticks) {
      ctx.beginPath();
      ctx.moveTo(pad.left, y(v) + 0.5);
      ctx.lineTo(pad.left + w, y(v) + 0.5);
      ctx.stroke();
      ctx.fillText(this.log ? Number(v.toPrecision(2)).toString() : v.toPrecision(2), pad.left - 4, y(v) + 4);
    }
    ctx.textAlign = 'center';
    ctx.fillText('1', x(0), height - 4);
    ctx.fillText(String(epochs), x(epochs - 1) - 8, height - 4);
    ctx.fillText(this.log ? 'epoch (loss on a log scale)' : 'epoch', pad.left + w / 2, height - 4);

    this.line(ctx, this.valLoss, x, y, css(ORANGE), [5, 3]);
    this.line(ctx, this.loss, x, y, '#333', []);
    this.canvas.dataset.points = String(this.loss.filter(v => v != null).length);
    this.canvas.dataset.epochs = String(epochs);
    this.canvas.dataset.scale = this.log ? 'log' : 'linear';
  }

  line(ctx, values, x, y, colour, dash) {
    ctx.save();
    ctx.strokeStyle = colour;
    ctx.lineWidth = 2;
    ctx.setLineDash(dash);
    ctx.beginPath();
    let open = false;
    values.forEach((v, i) => {
      if (v == null || !Number.isFinite(v) || (this.log && v <= 0)) { open = false; return; }
      if (open) ctx.lineTo(x(i), y(v)); else ctx.moveTo(x(i), y(v));
      open = true;
    });
    ctx.stroke();
    ctx.restore();
  }
}

/**
 * The data points over a heat-map of the model's answer on a steps × steps grid. Training points
 * have a white ring; test points (the job's validation rows) a dark one, and are drawn only with
 * showTest on, as the TensorFlow Playground's "Show test data". canvas.dataset.epoch tells which
 * epoch's weights the heat-map shows; dataset.points and dataset.testPoints count what is drawn.
 */
export class BoundaryView {
  constructor(canvas, steps = 64) {
    this.canvas = canvas;
    this.steps = steps;
    this.points = [];
    this.showTest = false;
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

  /** points: [{x, y, cls (index) or value (regression), test}]; kind 'classes' with count, or 'values' with range. */
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

  /** Which points are test points: a Set of row indices (the points' order is the rows'). */
  setTestRows(rows) {
    this.points.forEach((p, i) => { p.test = rows.has(i); });
    this.draw();
  }

  setShowTest(show) {
    this.showTest = show;
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
    let drawn = 0;
    let tests = 0;
    for (const p of this.points) {
      if (p.test && !this.showTest) continue;
      const px = ((p.x - x0) / (x1 - x0)) * width;
      const py = ((y1 - p.y) / (y1 - y0)) * height;
      ctx.beginPath();
      ctx.arc(px, py, 3.2, 0, 2 * Math.PI);
      ctx.fillStyle = css(this.pointColour(p));
      ctx.fill();
      ctx.lineWidth = p.test ? 1.6 : 1;
      ctx.strokeStyle = p.test ? '#222' : 'white';
      ctx.stroke();
      drawn++;
      if (p.test) tests++;
    }
    this.canvas.dataset.points = String(drawn);
    this.canvas.dataset.testPoints = String(tests);
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

/** A hidden unit's activation on the heat-map, scaled to [-1, 1] by the largest on the grid: orange below 0, blue above. */
export function unitColour(t) {
  return t >= 0 ? mix(BLUE, Math.min(1, t) * 0.85) : mix(ORANGE, Math.min(1, -t) * 0.85);
}
