// What the boundary canvas shows behind the points: the network's answer (the decision boundary),
// or one hidden unit's activation, on the page's grid; from the running job's latest weights
// (POST /training-jobs/{id}/predict and /activations) or from a published version
// (POST /models/{id}/predict and /activations?version=). canvas.dataset.view names the view drawn
// ("output" or "layer:unit", both 1-based), dataset.epoch whose weights drew it.

import { api, activations } from './api.js';
import { probabilityColour, unitColour, valueColour } from './charts.js';

/** "output", or "2:5" for the fifth unit of the second hidden layer. */
export const viewKey = view => (view ? `${view.layer}:${view.unit + 1}` : 'output');

/** The epoch a source's weights are from when the answer does not say: a number, or a function of now. */
const epochOf = source => (typeof source.epoch === 'function' ? source.epoch() : source.epoch ?? 0);

export class HeatMap {
  /** boundary: the BoundaryView; onError(e) for a failure that is not "no weights yet" (409). */
  constructor(boundary, onError) {
    this.boundary = boundary;
    this.onError = onError;
    this.grid = null;
    this.scale = null;
    this.source = null;
    this.view = null;
    this.drawn = { key: null, epoch: 0 };
    this.busy = false;
    this.again = false;
  }

  /** The grid's instances and the target's scale (regression colours). */
  setGrid(grid, scale) {
    this.grid = grid;
    this.scale = scale;
  }

  /** {jobId, epoch()} while a job runs, {modelId, version, epoch} once published, null for nothing to ask. */
  setSource(source) {
    this.source = source;
    this.drawn = { key: null, epoch: 0 };
  }

  /** null for the network's output, {layer (1-based), unit (0-based), activation} for one hidden unit. */
  setView(view) {
    if (viewKey(view) === viewKey(this.view)) return;
    this.view = view;
    this.refresh();
  }

  /** Asks for the current view's values and draws them when they are newer, or a different view. */
  async refresh() {
    if (!this.source || !this.grid) return;
    if (this.busy) {
      this.again = true;
      return;
    }
    this.busy = true;
    const { source, view } = this;
    try {
      const { colours, epoch } = view ? await this.unit(source, view) : await this.output(source);
      const key = viewKey(view);
      if (source === this.source && key === viewKey(this.view) && (key !== this.drawn.key || epoch > this.drawn.epoch)) {
        this.drawn = { key, epoch };
        this.boundary.canvas.dataset.view = key;
        this.boundary.setField(colours, epoch);
      }
    } catch (e) {
      if (e.status !== 409) this.onError(e); // 409: no epoch yet, or the job has just finished
    } finally {
      this.busy = false;
    }
    if (this.again) {
      this.again = false;
      this.refresh();
    }
  }

  async output(source) {
    const answer = source.jobId
      ? await api('POST', `/training-jobs/${encodeURIComponent(source.jobId)}/predict`, { instances: this.grid })
      : await api('POST', `/models/${encodeURIComponent(source.modelId)}/predict?version=${source.version}`, { instances: this.grid });
    const colours = answer.task === 'classification'
      ? answer.predictions.map(p => probabilityColour(answer.classes.map(c => p.probabilities[c])))
      : answer.predictions.map(p => valueColour(Object.values(p.values)[0], this.scale, true));
    return { colours, epoch: answer.epoch ?? epochOf(source) };
  }

  async unit(source, view) {
    const answer = await activations(source, this.grid, view.layer);
    const layer = answer.layers.find(l => l.layer === view.layer);
    const values = layer.values.map(row => row[view.unit]);
    const biggest = Math.max(1e-9, ...values.map(Math.abs));
    return { colours: values.map(v => unitColour(v / biggest)), epoch: answer.epoch ?? epochOf(source) };
  }
}
