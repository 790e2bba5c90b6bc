// The over-fitting picture of a search: mean train and validation score (± std over the folds as
// error bars) against the parameter count on a log axis. Train keeps rising with more parameters;
// validation rises, levels off and, with too many for the N rows, falls again. The best is ringed.
// Against a searched setting instead (the learning rate, L2: log axis when every value is > 0),
// each candidate is a point: too small a rate has not learned yet, too large a one fails.

import { BLUE, ORANGE, context, css } from './charts.js';

const TRAIN = '#333';
const VALIDATION = css(ORANGE);
const kilo = v => (v >= 1e6 ? `${v / 1e6}M` : v >= 1e3 ? `${v / 1e3}k` : v > 0 && v < 1e-3 ? v.toExponential(0) : String(Number(v.toPrecision(2))));

export class ScoreChart {
  constructor(canvas) {
    this.canvas = canvas;
    this.set([], {});
  }

  /**
   * candidates: measured ones ({hidden, parameters, settings, trainScore, validationScore}); metric, rows (N), best
   * index, axis: 'parameters' or the path of a searched setting.
   */
  set(candidates, { metric = 'accuracy', rows = 0, best = null, axis = 'parameters' }) {
    this.axis = axis || 'parameters';
    this.at = this.axis === 'parameters' ? c => c.parameters : c => (c.settings ? c.settings[this.axis] : undefined);
    this.points = candidates.filter(c => c.validationScore && c.trainScore && typeof this.at(c) === 'number')
      .sort((a, b) => this.at(a) - this.at(b) || a.index - b.index);
    this.log = this.points.every(p => this.at(p) > 0);
    this.metric = metric;
    this.rows = rows;
    this.best = best;
    this.draw();
  }

  draw() {
    const { ctx, width, height } = context(this.canvas);
    const pad = { left: 46, right: 14, top: 14, bottom: 36 };
    const w = width - pad.left - pad.right;
    const h = height - pad.top - pad.bottom;
    ctx.clearRect(0, 0, width, height);
    ctx.font = '11px system-ui, sans-serif';
    this.canvas.dataset.points = String(this.points.length);
    if (!this.points.length) {
      ctx.fillStyle = '#999';
      ctx.textAlign = 'center';
      ctx.font = '13px system-ui, sans-serif';
      ctx.fillText('Run a search: train and validation score against parameter count', width / 2, height / 2);
      return;
    }
    // x: log10 of the parameter count (or of the setting), a little room either side
    const scale = v => (this.log ? Math.log10(v) : v);
    const logs = this.points.map(p => scale(this.at(p)));
    const spread = Math.max(...logs) - Math.min(...logs);
    const margin = this.log ? Math.max(0.15, spread * 0.08) : Math.max(spread * 0.08, Math.abs(logs[0]) * 0.1 || 0.1);
    const x0 = Math.min(...logs) - margin;
    const x1 = Math.max(...logs) + margin;
    const x = p => pad.left + ((scale(p) - x0) / (x1 - x0)) * w;
    // y: the scores and their error bars, to 1 at the top (accuracy and R² go no higher)
    const ends = this.points.flatMap(p => [p.trainScore, p.validationScore].map(s => s.mean - s.std));
    let y0 = Math.floor((Math.min(...ends) - 0.02) * 10) / 10;
    if (this.metric === 'accuracy') y0 = Math.max(0, y0);
    const y1 = 1;
    if (y1 - y0 < 0.1) y0 = y1 - 0.1;
    this.bottom = pad.top + h;
    const y = v => pad.top + h - ((Math.max(y0, Math.min(y1, v)) - y0) / (y1 - y0)) * h;

    this.axes(ctx, { pad, w, h, x, y, x0, x1, y0, y1, height });
    const series = [['trainScore', TRAIN, [], -3], ['validationScore', VALIDATION, [5, 3], 3]];
    for (const [key, colour, dash, dx] of series) this.series(ctx, key, colour, dash, p => x(this.at(p)) + dx, y);
    this.labels(ctx, x, y);
  }

  axes(ctx, { pad, w, h, x, y, x0, x1, y0, y1, height }) {
    ctx.lineWidth = 1;
    ctx.strokeStyle = '#e4e4e4';
    ctx.fillStyle = '#777';
    ctx.textAlign = 'right';
    const step = y1 - y0 > 0.5 ? 0.2 : y1 - y0 > 0.2 ? 0.1 : 0.05;
    for (let v = y1; v >= y0 - 1e-9; v -= step) {
      ctx.beginPath();
      ctx.moveTo(pad.left, Math.round(y(v)) + 0.5);
      ctx.lineTo(pad.left + w, Math.round(y(v)) + 0.5);
      ctx.stroke();
      ctx.fillText(v.toFixed(step < 0.1 ? 2 : 1), pad.left - 5, y(v) + 4);
    }
    ctx.textAlign = 'center';
    if (!this.log) { // a linear setting: five ticks
      for (let i = 0; i <= 4; i++) {
        const v = x0 + ((x1 - x0) * i) / 4;
        const px = Math.round(x(v)) + 0.5;
        ctx.strokeStyle = '#eee';
        ctx.beginPath();
        ctx.moveTo(px, pad.top);
        ctx.lineTo(px, pad.top + h);
        ctx.stroke();
        ctx.fillText(String(Number(v.toPrecision(2))), px, pad.top + h + 13);
      }
    }
    for (let d = Math.floor(x0); this.log && d <= Math.ceil(x1); d++) {
      for (let m = 1; m <= 9; m++) {
        const p = m * 10 ** d;
        const log = Math.log10(p);
        if (log < x0 || log > x1) continue;
        const px = Math.round(x(p)) + 0.5;
        ctx.strokeStyle = m === 1 ? '#d6d6d6' : '#f0f0f0';
        ctx.beginPath();
        ctx.moveTo(px, pad.top);
        ctx.lineTo(px, pad.top + h);
        ctx.stroke();
        if (m === 1 || (x1 - x0 < 1.2 && (m === 2 || m === 5))) ctx.fillText(kilo(p), px, pad.top + h + 13);
      }
    }
    const yardstick = this.axis === 'parameters' && this.rows && Math.log10(this.rows) > x0 && Math.log10(this.rows) < x1;
    if (yardstick) { // the lecture's yardstick: P = N
      const px = Math.round(x(this.rows)) + 0.5;
      ctx.save();
      ctx.strokeStyle = css(BLUE, 0.5);
      ctx.setLineDash([2, 3]);
      ctx.beginPath();
      ctx.moveTo(px, pad.top);
      ctx.lineTo(px, pad.top + h);
      ctx.stroke();
      ctx.restore();
      ctx.fillStyle = css(BLUE);
      ctx.fillText(`P = N = ${this.rows}`, px, pad.top - 3);
      ctx.fillStyle = '#777';
    }
    ctx.fillText(`${this.axis}${this.log ? ' (log scale)' : ''}`, pad.left + w / 2, height - 4);
    ctx.save();
    ctx.translate(11, pad.top + h / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.fillText(this.metric === 'r2' ? 'R²' : this.metric, 0, 0);
    ctx.restore();
  }

  /** One score's line through the means, its error bars (mean ± std) and its points. */
  series(ctx, key, colour, dash, px, y) {
    ctx.save();
    ctx.strokeStyle = colour;
    ctx.fillStyle = colour;
    ctx.lineWidth = 2;
    ctx.setLineDash(dash);
    if (this.axis === 'parameters') { // a line through the layouts; a searched setting's draws stay points
      ctx.beginPath();
      this.points.forEach((p, i) => (i ? ctx.lineTo : ctx.moveTo).call(ctx, px(p), y(p[key].mean)));
      ctx.stroke();
    }
    ctx.setLineDash([]);
    ctx.lineWidth = 1.5;
    for (const p of this.points) {
      const { mean, std } = p[key];
      const [top, bottom] = [y(mean + std), y(mean - std)];
      ctx.beginPath();
      ctx.moveTo(px(p), top);
      ctx.lineTo(px(p), bottom);
      for (const end of [top, bottom]) {
        ctx.moveTo(px(p) - 4, end);
        ctx.lineTo(px(p) + 4, end);
      }
      ctx.stroke();
      ctx.beginPath();
      ctx.arc(px(p), y(mean), 4, 0, 2 * Math.PI);
      ctx.fill();
    }
    ctx.restore();
  }

  /** Each candidate's hidden layout (or setting) under its points; a ring around the best validation point. */
  labels(ctx, x, y) {
    ctx.textAlign = 'center';
    for (const p of this.points) {
      const low = Math.min(p.trainScore.mean - p.trainScore.std, p.validationScore.mean - p.validationScore.std);
      ctx.fillStyle = '#555';
      const label = this.axis === 'parameters' ? p.hidden.join('-') : kilo(this.at(p));
      if (this.axis === 'parameters' || this.points.length <= 12) {
        ctx.fillText(label, x(this.at(p)), Math.min(y(low) + 20, this.bottom - 4));
      }
      if (p.index === this.best) {
        ctx.strokeStyle = css(BLUE);
        ctx.lineWidth = 2;
        ctx.beginPath();
        ctx.arc(x(this.at(p)) + 3, y(p.validationScore.mean), 8, 0, 2 * Math.PI);
        ctx.stroke();
      }
    }
  }
}
