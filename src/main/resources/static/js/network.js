// The network editor: hidden layers (units and activation each), the output layer and loss that
// follow the task, the inputs (the dataset's, plus the derived features asked for), and the
// parameter count as Keras counts it (PReLU adds one slope per unit). Locked while a job runs:
// a running job keeps the network it started with.

export const HIDDEN_ACTIVATIONS = ['relu', 'tanh', 'sigmoid', 'linear', 'leaky_relu', 'elu', 'prelu', 'softplus', 'threshold'];
const MAX_LAYERS = 6;

/** Output layer and loss for a dataset description (null before there is one: the lecture's binary case). */
export function outputFor(dataset) {
  if (dataset && dataset.task === 'regression') {
    return { units: dataset.outputWidth, activation: 'linear', loss: 'mse' };
  }
  const classes = dataset ? dataset.classes.length : 2;
  return classes <= 2
    ? { units: 1, activation: 'sigmoid', loss: 'binary_crossentropy' }
    : { units: classes, activation: 'softmax', loss: 'categorical_crossentropy' };
}

/** Weights + biases (+ PReLU slopes) per layer, first hidden to output. */
export function parameterCounts(inputs, layers) {
  let width = inputs;
  return layers.map(layer => {
    const units = Number.isFinite(layer.units) ? layer.units : 0;
    const count = width * units + units + (layer.activation === 'prelu' ? units : 0);
    width = units;
    return count;
  });
}

export class NetworkEditor {
  /** onChange() runs after every edit. */
  constructor(elements, onChange) {
    this.el = elements;
    this.onChange = onChange;
    this.hidden = [{ units: 20, activation: 'relu' }];
    this.dataInputs = 2;
    this.dataNames = ['x1', 'x2'];
    this.derived = [];
    this.dropout = 0;
    this.locked = false;
    this.output = outputFor(null);
    elements.add.addEventListener('click', () => this.addLayer());
    elements.remove.addEventListener('click', () => this.removeLayer());
    this.render();
  }

  /** Network inputs: the dataset's encoded columns, then one per derived feature. */
  get inputs() {
    return this.dataInputs + this.derived.length;
  }

  get inputNames() {
    return [...this.dataNames, ...this.derived];
  }

  /**
   * The layers of POST /models: hidden ones as typed (0 units reaches the API, which says why not),
   * each with the page's dropout when there is one, then the output.
   */
  spec() {
    return [...this.hidden.map(l => (this.dropout > 0 ? { units: l.units, activation: l.activation, dropout: this.dropout }
      : { units: l.units, activation: l.activation })),
      { units: this.output.units, activation: this.output.activation }];
  }

  /** The hidden layers' dropout (0 for none); out of [0, 1) reaches the API, which says why not. */
  setDropout(rate) {
    this.dropout = Number.isFinite(rate) ? rate : 0;
    this.onChange(this);
  }

  /** The derived features' names (x1^2, sin(x1), ...), appended to the inputs in this order. */
  setDerived(names) {
    this.derived = [...names];
    this.render();
  }

  /** While a job runs nothing here can change: the inputs, buttons and selects are disabled. */
  setLocked(locked) {
    this.locked = locked;
    this.el.layers.querySelectorAll('input, select').forEach(e => { e.disabled = locked; });
    this.el.add.disabled = locked || this.hidden.length >= MAX_LAYERS;
    this.el.remove.disabled = locked || this.hidden.length === 0;
  }

  loss() {
    return this.output.loss;
  }

  /** The activation a search gives every hidden layer: the first hidden layer's (relu without one). */
  hiddenActivation() {
    return this.hidden.length ? this.hidden[0].activation : 'relu';
  }

  /** Replaces the hidden layers by these widths, each with hiddenActivation() (a search's best, for instance). */
  setHidden(units) {
    const activation = this.hiddenActivation();
    this.hidden = units.slice(0, MAX_LAYERS).map(u => ({ units: u, activation }));
    this.render();
  }

  setDataset(dataset) {
    this.dataInputs = dataset.inputWidth;
    this.dataNames = dataset.inputs;
    this.output = outputFor(dataset);
    this.render();
  }

  addLayer() {
    if (this.hidden.length >= MAX_LAYERS) return;
    const last = this.hidden[this.hidden.length - 1];
    this.hidden.push({ units: last ? Math.max(2, Math.round(last.units / 2)) : 8, activation: last ? last.activation : 'relu' });
    this.render();
  }

  removeLayer() {
    if (this.hidden.length === 0) return;
    this.hidden.pop();
    this.render();
  }

  render() {
    const { layers, add, remove } = this.el;
    layers.replaceChildren(...this.hidden.map((layer, i) => this.layerCard(layer, i)));
    add.disabled = this.locked || this.hidden.length >= MAX_LAYERS;
    remove.disabled = this.locked || this.hidden.length === 0;
    this.el.hiddenCount.textContent = `${this.hidden.length} hidden layer${this.hidden.length === 1 ? '' : 's'}`;
    this.el.inputUnits.textContent = String(this.inputs);
    this.el.inputNames.textContent = this.inputNames.length > 6
      ? `${this.inputNames.slice(0, 5).join(', ')}, … (${this.inputNames.length})` : this.inputNames.join(', ');
    this.el.outputUnits.textContent = String(this.output.units);
    this.el.outputActivation.textContent = this.output.activation;
    this.el.lossName.textContent = this.output.loss;
    this.updateCounts();
  }

  updateCounts() {
    const counts = parameterCounts(this.inputs, this.spec());
    counts.slice(0, -1).forEach((c, i) => {
      const params = this.el.layers.querySelector(`#layer-params-${i}`);
      if (params) params.textContent = `${c} params`;
    });
    this.el.outputParams.textContent = `${counts[counts.length - 1]} params`;
    this.el.paramCount.textContent = String(counts.reduce((a, b) => a + b, 0));
    this.el.paramConfirmed.textContent = '';
    this.onChange(this);
  }

  layerCard(layer, i) {
    const card = document.createElement('div');
    card.className = 'layer';
    card.innerHTML = `<h3>Hidden ${i + 1}</h3>
      <label>units <input id="layer-units-${i}" class="units-input" type="number" min="1" max="4096"></label>
      <label>activation <select id="layer-activation-${i}"></select></label>
      <div class="params" id="layer-params-${i}"></div>`;
    const units = card.querySelector('input');
    units.value = Number.isFinite(layer.units) ? String(layer.units) : '';
    units.addEventListener('input', () => {
      layer.units = units.value.trim() === '' ? NaN : Number(units.value);
      this.updateCounts();
    });
    units.disabled = this.locked;
    const select = card.querySelector('select');
    select.disabled = this.locked;
    for (const name of HIDDEN_ACTIVATIONS) select.add(new Option(name, name, false, name === layer.activation));
    select.addEventListener('change', () => {
      layer.activation = select.value;
      this.updateCounts();
    });
    return card;
  }
}
