// Choose by cross-validation: a k-fold search (POST /searches) over hidden layouts and, on a log
// scale, the learning rate and L2 (grid, random or halving), on the page's dataset, output layer
// and training settings, followed on its event stream, shown as a table and as a chart of the
// validation score against the parameter count or any searched setting; "Use the best" puts the
// winning layout into the network.

import { api, ApiError, watchSearch } from './api.js';
import { ScoreChart } from './scorechart.js';

const fmt = (v, digits = 3) => (v == null || !Number.isFinite(v) ? '–' : Number(v).toFixed(digits));
const score = s => (s ? `${fmt(s.mean)} ± ${fmt(s.std)}` : '–');
const time = ms => (ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`);
const metricName = metric => (metric === 'r2' ? 'R²' : metric || 'score');
/** A setting's value for a person: numbers to 3 significant digits, layouts as 20-20. */
const value = v => (typeof v === 'number' ? Number(v.toPrecision(3)).toString() : Array.isArray(v) ? v.join('-') : String(v));

/** "1, 5, 20, 50, 20-20" → [[1], [5], [20], [50], [20, 20]]; a bad item is answered in words. */
export function parseCandidates(text) {
  const items = text.split(/[,;]/).map(s => s.trim()).filter(Boolean);
  if (!items.length) {
    throw new ApiError(0, { title: 'No hidden layouts', detail: 'Write the layouts to compare, such as 1, 5, 20, 50, 20-20.' });
  }
  return items.map(item => {
    const units = item.split(/[\s\-x×]+/).filter(Boolean);
    if (!units.length || !units.every(u => /^\d+$/.test(u))) {
      throw new ApiError(0, { title: 'Not a hidden layout', detail: `"${item}": write the units of each hidden layer, such as 20 or 20-20, and commas between layouts.` });
    }
    return units.map(Number);
  });
}

/**
 * A searched number: "0.0001 - 0.1" (or "1e-4..1e-1") is drawn log-uniformly from that range, "0.001, 0.01, 0.1" is a list
 * of values; empty is not searched (null).
 */
export function parseRange(text, name) {
  const t = text.trim();
  if (!t) return null;
  const number = s => (/^[+]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s.trim()) ? Number(s) : NaN);
  const range = t.match(/^(\S+?)\s*(?:\.\.|\s-\s|–)\s*(\S+)$/);
  if (range) {
    const [low, high] = [number(range[1]), number(range[2])];
    if (Number.isFinite(low) && Number.isFinite(high)) return { log_uniform: [low, high] };
  }
  const values = t.split(/[,;]/).map(s => s.trim()).filter(Boolean).map(number);
  if (values.length && values.every(Number.isFinite)) return values;
  throw new ApiError(0, { title: `Not a ${name} range`, detail: `"${t}": write a range drawn on a log scale, such as 0.0001 - 0.1, or values with commas between, such as 0.001, 0.01, 0.1.` });
}

const SEARCHED = [['lr', 'optimizer.learningRate', 'learning rate'], ['l2', 'l2', 'L2']];
/** A searched setting's column: the panel's own name for it, else its path. */
const label = path => ({ 'optimizer.learningRate': 'Learning rate', l2: 'L2' }[path] || path);

export class SearchPanel {
  /**
   * el: the panel's elements. page: dataset() (a promise of the dataset to search on), settings()
   * (the training settings), network (the NetworkEditor), guarded(action), showError(e).
   */
  constructor(el, page) {
    const $ = id => document.getElementById(id);
    // The space's own controls, found here so the page's wiring stays as it was.
    this.el = { strategy: $('search-strategy'), draws: $('search-draws'), lr: $('search-lr'), l2: $('search-l2'), axis: $('search-axis'), ...el };
    this.page = page;
    this.search = null;
    this.watcher = null;
    this.chart = new ScoreChart(el.chart);
    el.start.addEventListener('click', () => page.guarded(() => this.start()));
    el.cancel.addEventListener('click', () => page.guarded(() => this.cancel()));
    el.useBest.addEventListener('click', () => this.useBest());
    this.el.axis.addEventListener('change', () => { this.axisChosen = true; this.render(); });
    this.el.strategy.addEventListener('change', () => { this.el.draws.disabled = this.el.strategy.value === 'grid'; });
    this.el.draws.disabled = this.el.strategy.value === 'grid';
    this.render();
  }

  async start() {
    this.setRunning(true);
    try {
      const space = {};
      for (const [key, path, name] of SEARCHED) {
        const values = parseRange(this.el[key].value, name);
        if (values) space[path] = values;
      }
      const searching = Object.keys(space).length > 0;
      const network = this.page.network;
      const candidates = searching && !this.el.candidates.value.trim()
        ? [network.spec().slice(0, -1).map(l => l.units)] : parseCandidates(this.el.candidates.value);
      const dataset = await this.page.dataset();
      const number = input => (input.value.trim() === '' ? null : Number(input.value));
      const strategy = this.el.strategy.value;
      const request = {
        datasetId: dataset.id,
        baseModel: { layers: network.spec().slice(-1), loss: network.loss(), activation: network.hiddenActivation() },
        candidates, ...this.page.settings(), folds: number(this.el.folds), epochs: number(this.el.epochs), seed: 0,
      };
      if (searching) request.space = space;
      if (strategy !== 'grid') Object.assign(request, { strategy, maxCandidates: number(this.el.draws) });
      this.axisChosen = false;
      this.follow(await api('POST', '/searches', request), dataset);
    } catch (e) {
      this.setRunning(false);
      throw e;
    }
  }

  follow(search, dataset) {
    if (this.watcher) this.watcher.close();
    this.search = search;
    this.dataset = dataset;
    this.render();
    const progress = e => Object.assign(this.search, { fitsDone: e.fitsDone, fitsTotal: e.fitsTotal, progress: e.progress, etaSeconds: e.etaSeconds });
    this.watcher = watchSearch(search.id, {
      state: s => { this.search = s; this.render(); },
      fold: e => {
        progress(e);
        const c = this.search.candidates[e.candidate];
        if (c) c.foldsDone = Math.min(this.search.folds, c.foldsDone + 1);
        this.render();
      },
      candidate: e => { progress(e); this.search.candidates[e.candidate.index] = e.candidate; this.render(); },
      done: s => { this.search = s; this.watcher = null; this.finished(); },
      error: e => { this.watcher = null; this.setRunning(false); this.page.showError(e); },
    });
  }

  finished() {
    this.setRunning(false);
    this.render();
    const s = this.search;
    if (s.state === 'FAILED') this.page.showError(new ApiError(0, { title: 'The search failed', detail: s.error || 'no reason given' }));
  }

  async cancel() {
    if (!this.search) return;
    try {
      const s = await api('POST', `/searches/${this.search.id}/cancel`);
      this.search.cancelRequested = s.cancelRequested;
      this.render();
    } catch (e) {
      if (e.status !== 409) throw e; // 409: it finished meanwhile; the stream's done event says how
    }
  }

  useBest() {
    const best = this.search && this.search.best;
    if (!best) return;
    this.page.network.setHidden(best.hidden);
    this.el.bestNote.textContent = `The network now has ${best.hidden.join('-')} hidden units (${best.parameters} parameters): press Train to fit it on all rows.`;
  }

  setRunning(running) {
    this.el.start.disabled = running;
    this.el.cancel.disabled = !running;
  }

  render() {
    const s = this.search;
    const { el } = this;
    if (!s) {
      this.chart.set([], {});
      el.useBest.disabled = true;
      return;
    }
    el.state.dataset.state = s.state;
    el.state.textContent = s.cancelRequested && s.state === 'RUNNING' ? 'stopping' : s.state.toLowerCase();
    el.progress.value = s.progress;
    el.fits.textContent = `${s.fitsDone} / ${s.fitsTotal} fits`
      + (s.etaSeconds && s.state === 'RUNNING' ? ` · about ${s.etaSeconds} s left` : '');
    el.scope.textContent = `${s.folds}-fold on ${this.dataset ? this.dataset.name : s.datasetId}, N = ${s.rows} rows`;
    const complete = (s.candidates || []).filter(c => c.foldsDone === s.folds);
    const best = s.best ? s.best.index : null;
    const searched = this.searched(s);
    this.renderTable(s, best, searched);
    this.renderAxes(searched);
    this.chart.set(complete, { metric: s.metric, rows: s.rows, best, axis: el.axis.value });
    el.useBest.disabled = best == null;
    const settings = s.best ? searched.map(path => `${path} ${value(s.best.settings[path])}`) : [];
    el.best.textContent = s.best
      ? `best: ${s.best.hidden.join('-')} hidden (${s.best.parameters} parameters)${settings.length ? `, ${settings.join(', ')}` : ''},`
        + ` validation ${metricName(s.metric)} ${score(s.best.validationScore)}`
      : '';
    if (best == null) el.bestNote.textContent = '';
  }

  /** The searched settings the table and chart show beside the layout (numbers: the learning rate, L2, ...). */
  searched(s) {
    const first = (s.candidates || [])[0];
    return first && first.settings ? Object.keys(first.settings).filter(path => path !== 'hidden') : [];
  }

  /** The chart's x axis: the parameter count, or a searched setting (the first, until the user picks). */
  renderAxes(searched) {
    const { axis } = this.el;
    const wanted = ['parameters', ...searched];
    if ([...axis.options].map(o => o.value).join() !== wanted.join()) {
      const chosen = axis.value;
      axis.replaceChildren(...wanted.map(path => new Option(path === 'parameters' ? 'parameters' : path, path)));
      axis.value = wanted.includes(chosen) && this.axisChosen ? chosen : (searched[0] || 'parameters');
    }
    axis.disabled = wanted.length < 2;
  }

  renderTable(s, best, searched = []) {
    const metric = metricName(s.metric);
    const head = document.createElement('thead');
    head.append(row('th', ['Layout', 'Parameters', 'Params / N', `Train ${metric}`, `Validation ${metric}`, ...searched.map(label),
      'Time', 'Rank']));
    const body = document.createElement('tbody');
    for (const c of s.candidates || []) {
      const done = c.foldsDone === s.folds;
      const validation = done ? score(c.validationScore) + (c.stopReason === 'diverged' ? ' (diverged)' : '')
        : `${c.foldsDone} / ${s.folds} folds`;
      const tr = row('td', [c.layout, c.parameters, fmt(c.parametersPerRow, 2),
        done ? score(c.trainScore) : '…', validation, ...searched.map(path => value(c.settings[path])),
        c.trainingMillis ? time(c.trainingMillis) : '–', c.rank ?? '–']);
      tr.dataset.index = String(c.index);
      if (c.rank != null) tr.dataset.rank = String(c.rank);
      if (c.index === best) tr.className = 'best';
      body.append(tr);
    }
    this.el.table.replaceChildren(head, body);
  }
}

function row(tag, values) {
  const tr = document.createElement('tr');
  for (const v of values) {
    const cell = document.createElement(tag);
    cell.textContent = String(v);
    tr.append(cell);
  }
  return tr;
}
