// Choose the hidden size: a k-fold cross-validation search over hidden layouts (POST /searches)
// on the page's dataset, output layer and training settings, followed on its event stream, shown
// as a table and as the over-fitting picture; "Use the best" puts the winner into the network.

import { api, ApiError, watchSearch } from './api.js';
import { ScoreChart } from './scorechart.js';

const fmt = (v, digits = 3) => (v == null || !Number.isFinite(v) ? '–' : Number(v).toFixed(digits));
const score = s => (s ? `${fmt(s.mean)} ± ${fmt(s.std)}` : '–');
const time = ms => (ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`);
const metricName = metric => (metric === 'r2' ? 'R²' : metric || 'score');

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

export class SearchPanel {
  /**
   * el: the panel's elements. page: dataset() (a promise of the dataset to search on), settings()
   * (the training settings), network (the NetworkEditor), guarded(action), showError(e).
   */
  constructor(el, page) {
    this.el = el;
    this.page = page;
    this.search = null;
    this.watcher = null;
    this.chart = new ScoreChart(el.chart);
    el.start.addEventListener('click', () => page.guarded(() => this.start()));
    el.cancel.addEventListener('click', () => page.guarded(() => this.cancel()));
    el.useBest.addEventListener('click', () => this.useBest());
    this.render();
  }

  async start() {
    this.setRunning(true);
    try {
      const candidates = parseCandidates(this.el.candidates.value);
      const dataset = await this.page.dataset();
      const network = this.page.network;
      const number = input => (input.value.trim() === '' ? null : Number(input.value));
      const request = {
        datasetId: dataset.id,
        baseModel: { layers: network.spec().slice(-1), loss: network.loss(), activation: network.hiddenActivation() },
        candidates, ...this.page.settings(), folds: number(this.el.folds), epochs: number(this.el.epochs), seed: 0,
      };
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
    this.renderTable(s, best);
    this.chart.set(complete, { metric: s.metric, rows: s.rows, best });
    el.useBest.disabled = best == null;
    el.best.textContent = s.best
      ? `best: ${s.best.hidden.join('-')} hidden (${s.best.parameters} parameters), validation ${metricName(s.metric)} ${score(s.best.validationScore)}`
      : '';
    if (best == null) el.bestNote.textContent = '';
  }

  renderTable(s, best) {
    const metric = metricName(s.metric);
    const head = document.createElement('thead');
    head.append(row('th', ['Layout', 'Parameters', 'Params / N', `Train ${metric}`, `Validation ${metric}`, 'Time', 'Rank']));
    const body = document.createElement('tbody');
    for (const c of s.candidates || []) {
      const done = c.foldsDone === s.folds;
      const tr = row('td', [c.layout, c.parameters, fmt(c.parametersPerRow, 2),
        done ? score(c.trainScore) : '…', done ? score(c.validationScore) : `${c.foldsDone} / ${s.folds} folds`,
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
