// The playground: pick or generate data, shape a network, train it on the service and watch it
// learn; pause, step and steer the running job. Every number here comes from the API; the page
// itself trains nothing.

import { api, ApiError, apiKey, setApiKey } from './api.js';
import { clearError, guarded, showError } from './errors.js';
import { BoundaryView, LossChart } from './charts.js';
import { DatasetList } from './datasets.js';
import { describe, legend, loadPoints, twoFeatures } from './data.js';
import { NetworkDiagram } from './diagram.js';
import { $, num } from './dom.js';
import { HeatMap } from './heatmap.js';
import { NetworkEditor } from './network.js';
import { predictFromForm, renderEvaluation, renderPredictForm, renderSummary } from './results.js';
import { Run } from './run.js';
import { SearchPanel } from './search.js';
import { LIVE_INPUTS, lockSettings, speed, trainingSettings, wireSettings } from './settings.js';
import { validationRows } from './split.js';
import { UnitPicker } from './unitpicker.js';

const LIVE_INTERVAL_MS = 250; // how often the heat-map asks the running job
/** The page's jobs are seeded: the same seed chooses the test rows here (split.js) and on the service. */
const TRAINING_SEED = 0;

const state = {
  dataset: null, twoD: false, grid: null, scale: null, points: [],
  model: null, modelKey: null, split: null, liveTimer: null,
};

const boundary = new BoundaryView($('boundary'));
const chart = new LossChart($('loss-chart'));
const diagram = new NetworkDiagram($('network-diagram'));
const heatmap = new HeatMap(boundary, e => { stopLive(); showError(e); });
const units = new UnitPicker($('heatmap-of'), $('network-diagram'), diagram, heatmap);
const network = new NetworkEditor({
  layers: $('layers'), add: $('add-layer'), remove: $('remove-layer'), hiddenCount: $('hidden-count'),
  inputUnits: $('input-units'), inputNames: $('input-names'), outputUnits: $('output-units'),
  outputActivation: $('output-activation'), outputParams: $('output-params'), lossName: $('loss-name'),
  paramCount: $('param-count'), paramConfirmed: $('param-confirmed'),
}, editor => {
  state.modelKey = null; // the next Train creates a model of the new shape
  diagram.setShape([editor.inputs, ...editor.spec().map(l => l.units)], editor.inputNames, editor.output.activation);
  units.render(editor);
});

// ---- the job ----------------------------------------------------------------------------------

const run = new Run({
  onActive: locked => lock(locked),
  onStart: job => {
    $('results').hidden = true;
    $('changes').textContent = '';
    chart.reset(job.epochs);
    boundary.clearField();
    heatmap.setSource({ jobId: job.id, epoch: () => (run.job ? run.job.epoch : 0) });
    if (state.twoD) state.liveTimer = setInterval(() => heatmap.refresh(), LIVE_INTERVAL_MS);
  },
  onState: job => {
    liveDropout(job);
    if (job.history) {
      chart.reset(job.epochs);
      chart.setHistory(job.history);
    }
  },
  onEpoch: e => {
    chart.add(e.stats);
    chart.pending = chart.pending || setTimeout(() => { chart.pending = null; chart.draw(); }, 40);
    setLiveFigures(e.stats);
  },
  onChange: e => showChange(e),
  onFinished: job => finished(job),
  guarded,
  showError,
});

/**
 * While a job runs the page holds what the job was started with: the data, the network, the
 * batch and optimizer settings are locked, and a note says which settings still reach the job.
 */
function lock(locked) {
  for (const id of ['generate', 'upload', 'upload-file', 'upload-target', 'data-samples', 'data-noise', 'data-factor',
    'data-seed', 'refresh-datasets', 'source-generate', 'source-stored']) $(id).disabled = locked;
  document.querySelectorAll('#data-kinds .kind, #derived-features input').forEach(b => { b.disabled = locked; });
  network.setLocked(locked);
  datasets.setLocked(locked);
  lockSettings(locked);
  $('lock-note').hidden = !locked;
  document.body.classList.toggle('job-running', locked);
  if (!locked) {
    stopLive();
    liveDropout(null);
  }
}

function stopLive() {
  clearInterval(state.liveTimer);
  state.liveTimer = null;
}

function setLiveFigures(stats) {
  const f = v => (v == null ? '–' : Number(v).toFixed(4));
  const regression = stats.accuracy == null && stats.r2 != null;
  $('live-metric-label').textContent = regression ? 'R² · train' : 'accuracy · train';
  $('live-val-metric-label').textContent = regression ? 'R² · test' : 'accuracy · test';
  $('live-loss').textContent = f(stats.loss);
  $('live-val-loss').textContent = f(stats.valLoss);
  $('live-metric').textContent = f(stats.accuracy ?? stats.r2);
  $('live-val-metric').textContent = f(stats.valAccuracy ?? stats.valR2);
}

/** A change the job recorded ({epoch, batch, field, from, to}: it trained with `to` from there on), in words. */
function showChange(change) {
  const value = v => (v == null ? 'none' : String(v));
  $('changes').textContent = `${change.field} ${value(change.from)} → ${value(change.to)} from epoch ${change.epoch},`
    + ` mini-batch ${change.batch + 1}`;
}

// ---- data -----------------------------------------------------------------------------------

async function generate() {
  const kind = $('data-kind').value;
  const body = { kind, samples: num('data-samples'), noise: num('data-noise'), seed: num('data-seed') };
  if (kind === 'circles') body.factor = num('data-factor');
  await useDataset(await api('POST', '/datasets/generate', body));
}

async function useDataset(dataset) {
  state.dataset = dataset;
  const features = twoFeatures(dataset);
  state.twoD = features != null;
  $('derived-features').hidden = !state.twoD;
  if (!state.twoD) $('derived-features').querySelectorAll('input').forEach(c => { c.checked = false; });
  network.setDataset(dataset);
  network.setDerived(derivedFeatures());
  datasets.choose(dataset.id);
  $('results').hidden = true;
  chart.reset(0);
  heatmap.setSource(null);
  renderPredictForm($('predict-form'), dataset);
  for (const id of ['boundary', 'boundary-legend']) $(id).hidden = !state.twoD;
  $('boundary-note').hidden = state.twoD;
  state.points = [];
  if (state.twoD) {
    const { points, scale } = await loadPoints(dataset, features);
    state.scale = scale;
    state.points = points;
    boundary.fit(points.map(p => p.x), points.map(p => p.y));
    boundary.setPoints(points, scale);
    markTestRows();
    state.grid = boundary.grid();
    heatmap.setGrid(state.grid, scale);
    $('boundary-legend').replaceChildren(...legend(scale));
  }
  $('dataset-info').textContent = describe(dataset); // last: the page is ready for this dataset
}

/** Marks the rows the next job (or the running one) tests on, as the test split and seed choose them. */
function markTestRows() {
  if (!state.dataset || !state.points.length) return;
  const split = run.active && state.split ? state.split : { validationSplit: num('validation-split') || 0, seed: TRAINING_SEED };
  boundary.setTestRows(validationRows(state.dataset.rows, split.validationSplit, split.seed));
}

/** The derived features ticked (x1^2, ...), in the Playground's order. */
function derivedFeatures() {
  return [...document.querySelectorAll('#derived-features input:checked')].map(c => c.value);
}

const datasets = new DatasetList($('dataset-list'), {
  guarded,
  onUse: async summary => useDataset(await api('GET', `/datasets/${encodeURIComponent(summary.id)}`)),
  onDeleted: id => {
    if (state.dataset && state.dataset.id === id) {
      state.dataset = null;
      $('dataset-info').textContent = `Dataset ${id} deleted: choose another, or generate one.`;
    }
  },
});

async function upload() {
  const file = $('upload-file').files[0];
  if (!file) throw new ApiError(0, { title: 'No file chosen', detail: 'Choose a CSV file to upload.' });
  const form = new FormData();
  form.append('file', file);
  form.append('name', file.name.replace(/\.csv$/i, ''));
  form.append('target', $('upload-target').value.trim());
  const dataset = await api('POST', '/datasets', form);
  await datasets.refresh();
  await useDataset(dataset);
}

// ---- training -------------------------------------------------------------------------------

/** The model for the current network; reused while the network and the data width stay the same. */
async function ensureModel() {
  const spec = { inputs: network.inputs, layers: network.spec(), loss: network.loss() };
  const key = JSON.stringify(spec);
  if (state.model && state.modelKey === key) return state.model;
  const shape = [spec.inputs, ...spec.layers.map(l => l.units)].join('-');
  // Model names are unique on the service: the shape for a person, a time stamp so a second one is not refused.
  const model = await api('POST', '/models', { name: `playground ${shape} ${new Date().toISOString()}`, ...spec });
  state.model = model;
  state.modelKey = key;
  const shown = $('param-count').textContent;
  $('param-confirmed').textContent = String(model.parameters) === shown
    ? '✓ confirmed by the API' : `(the API counts ${model.parameters})`;
  return model;
}

/** The dataset to train on: the current one, or (on the Generate tab) a new one from the form. */
async function ensureDataset() {
  if (!state.dataset) {
    if (!$('stored-form').hidden) throw new ApiError(0, { title: 'No dataset', detail: 'Choose a stored dataset or upload a CSV first.' });
    await generate();
  }
  return state.dataset;
}

/** Train: a new job with the page's settings; on a paused job, Resume. */
async function train() {
  if (run.state === 'PAUSED') return run.resume();
  $('train').disabled = true;
  try {
    await ensureDataset();
    const model = await ensureModel();
    const request = { modelId: model.id, datasetId: state.dataset.id, epochs: num('epochs'), ...trainingSettings(), seed: TRAINING_SEED };
    if (speed() != null) request.epochsPerSecond = speed();
    const derived = derivedFeatures();
    if (derived.length) request.derivedFeatures = derived;
    state.split = { validationSplit: request.validationSplit || 0, seed: TRAINING_SEED };
    run.follow(await api('POST', '/training-jobs', request));
  } finally {
    run.render();
  }
}

async function finished(job) {
  stopLive();
  chart.setHistory(job.history || []);
  chart.rescale(Math.max(1, job.epoch)); // the epochs it ran: an early stop or a cancel ends the axis there
  if (job.history && job.history.length) setLiveFigures(job.history[job.history.length - 1]);
  if (job.state === 'FAILED') throw new ApiError(0, { title: 'Training failed', detail: job.error || 'no reason given' });
  if (job.state === 'CANCELLED' && job.error) $('changes').textContent = `Cancelled by the service: ${job.error}`; // a pause held too long
  if (job.state !== 'SUCCEEDED') return;
  const { modelId, version } = job.result;
  heatmap.setSource({ modelId, version, epoch: job.epoch });
  const [summary, evaluation, weights] = await Promise.all([
    api('GET', `/models/${modelId}/summary`),
    api('POST', `/models/${modelId}/evaluate?version=${version}`, { datasetId: job.datasetId }),
    api('GET', `/models/${modelId}/versions/${version}/weights`),
    state.twoD ? heatmap.refresh() : null,
  ]);
  diagram.setWeights(weights.layers.map(layer => layer.kernel));
  diagram.highlight(units.pinned);
  $('boundary').dataset.version = String(version);
  renderSummary($('summary-table'), summary);
  renderEvaluation({
    accuracy: $('metric-accuracy'), accuracyLabel: $('metric-accuracy-label'), loss: $('metric-loss'),
    stop: $('metric-stop'), scope: $('evaluation-scope'), confusion: $('confusion-matrix'), perClass: $('per-class'),
  }, evaluation, job);
  $('test-evaluation').textContent = await testAccuracy(modelId, version);
  $('weights-link').href = `api/v1/models/${modelId}/versions/${version}/weights`;
  $('model-link').href = `api/v1/models/${modelId}`;
  $('predict-button').onclick = () => guarded(async () => {
    $('predict-result').textContent = await predictFromForm($('predict-form'), modelId, version);
  });
  $('predict-result').textContent = '';
  $('results').hidden = false;
}

/** The published version's accuracy on the test points drawn (the job's validation rows), in words. */
async function testAccuracy(modelId, version) {
  const tests = state.points.filter(p => p.test);
  if (!tests.length || !state.scale || state.scale.kind !== 'classes') return '';
  const answer = await api('POST', `/models/${modelId}/predict?version=${version}`, { instances: tests.map(p => [p.x, p.y]) });
  const right = answer.predictions.filter((p, i) => p.label === state.scale.labels[tests[i].cls]).length;
  $('test-evaluation').dataset.accuracy = String(right / tests.length);
  return `On the ${tests.length} test rows only (held out, never trained on): accuracy ${(right / tests.length).toFixed(3)}.`;
}

/** Reset: ends the job (cancelled if it runs) and clears its curves, heat-map and results. */
async function reset() {
  stopLive();
  heatmap.setSource(null);
  await run.reset();
  chart.reset(0);
  boundary.clearField();
  setLiveFigures({});
  $('results').hidden = true;
  $('changes').textContent = '';
}

/** A live setting changed: the running job takes it from its next mini-batch (its stream's `change` event says where). */
async function changeLive(id) {
  const body = LIVE_INPUTS[id]();
  if (run.active && body) await run.change(body);
}

/** Dropout can change while a job runs only when its model was made with dropout (the job's settings say). */
function liveDropout(job) {
  const fixed = run.active && job && job.settings && job.settings.dropout == null;
  $('dropout').disabled = fixed;
  $('dropout').title = fixed ? 'This job\'s model was made without dropout: set it before Train to change it while it runs'
    : 'Fraction of every hidden layer\'s outputs dropped at random in each training step';
}

// ---- wiring ---------------------------------------------------------------------------------

function selectTab(generateTab) {
  $('source-generate').classList.toggle('active', generateTab);
  $('source-stored').classList.toggle('active', !generateTab);
  $('source-generate').setAttribute('aria-selected', String(generateTab));
  $('source-stored').setAttribute('aria-selected', String(!generateTab));
  $('generate-form').hidden = !generateTab;
  $('stored-form').hidden = generateTab;
  if (!generateTab) guarded(() => datasets.refresh());
}

for (const button of document.querySelectorAll('#data-kinds .kind')) {
  button.addEventListener('click', () => {
    document.querySelectorAll('#data-kinds .kind').forEach(b => b.classList.toggle('active', b === button));
    $('data-kind').value = button.dataset.kind;
    $('factor-label').hidden = button.dataset.kind !== 'circles';
  });
}
$('source-generate').addEventListener('click', () => selectTab(true));
$('source-stored').addEventListener('click', () => selectTab(false));
$('generate').addEventListener('click', () => guarded(generate));
$('refresh-datasets').addEventListener('click', () => guarded(() => datasets.refresh()));
$('upload').addEventListener('click', () => guarded(upload));
$('derived-features').addEventListener('change', () => network.setDerived(derivedFeatures()));
$('train').addEventListener('click', () => guarded(train));
$('pause').addEventListener('click', () => guarded(() => run.pause()));
$('step').addEventListener('click', () => guarded(() => run.step()));
$('cancel').addEventListener('click', () => guarded(() => run.cancel()));
$('reset').addEventListener('click', () => guarded(reset));
for (const id of Object.keys(LIVE_INPUTS)) $(id).addEventListener('change', () => guarded(() => changeLive(id)));
$('dropout').addEventListener('input', () => network.setDropout(num('dropout'))); // the next model's; a running job's by PATCH
$('validation-split').addEventListener('input', markTestRows);
$('show-test').addEventListener('change', () => boundary.setShowTest($('show-test').checked));
$('log-scale').addEventListener('change', () => chart.setLog($('log-scale').checked));
$('error-close').addEventListener('click', clearError);
wireSettings();
$('api-key').value = apiKey();
$('api-key').addEventListener('change', () => setApiKey($('api-key').value.trim()));
// The search: the same dataset and output layer; its validation split only feeds early stopping.
const search = new SearchPanel({
  candidates: $('search-candidates'), folds: $('search-folds'), epochs: $('search-epochs'), start: $('search-start'),
  cancel: $('search-cancel'), state: $('search-state'), progress: $('search-progress'), fits: $('search-fits'),
  scope: $('search-scope'), table: $('search-table'), chart: $('search-chart'), useBest: $('search-use-best'),
  best: $('search-best'), bestNote: $('search-best-note'),
}, {
  dataset: ensureDataset, network, guarded, showError,
  settings: () => ({ ...trainingSettings(), validationSplit: $('early-stopping').checked ? num('validation-split') : 0 }),
});
// "Use the best" reshapes the network: not while a job holds it (the note above says why).
$('search-use-best').addEventListener('click', event => {
  if (!run.active) return;
  event.stopImmediatePropagation();
  showError(new ApiError(0, { title: 'The network is locked', detail: 'A job is running on it: reset (↺) or let it end, then use the best.' }));
}, true);
window.addEventListener('resize', () => { boundary.draw(); chart.draw(); diagram.draw(); search.chart.draw(); });
boundary.draw();
chart.draw();
