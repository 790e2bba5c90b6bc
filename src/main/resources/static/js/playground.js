// The playground: pick or generate data, shape a network, train it on the service and watch it
// learn. Every number here comes from the API; the page itself trains nothing.

import { api, ApiError, apiKey, setApiKey, watchJob } from './api.js';
import { BoundaryView, LossChart, probabilityColour, valueColour } from './charts.js';
import { describe, legend, loadPoints, twoFeatures } from './data.js';
import { NetworkDiagram } from './diagram.js';
import { NetworkEditor } from './network.js';
import { predictFromForm, renderEvaluation, renderPredictForm, renderSummary } from './results.js';
import { SearchPanel } from './search.js';

const $ = id => document.getElementById(id);
const LIVE_INTERVAL_MS = 250;     // how often the live boundary asks the running job
const LEARNING_RATES = { sgd: 0.1, adam: 0.01, adamw: 0.01, rmsprop: 0.01, adagrad: 0.05 };

const state = {
  dataset: null, twoD: false, grid: null, scale: null,
  model: null, modelKey: null,
  job: null, watcher: null, liveTimer: null, liveBusy: false, drawnEpoch: 0, final: false,
};

const boundary = new BoundaryView($('boundary'));
const chart = new LossChart($('loss-chart'));
const diagram = new NetworkDiagram($('network-diagram'));
const network = new NetworkEditor({
  layers: $('layers'), add: $('add-layer'), remove: $('remove-layer'), hiddenCount: $('hidden-count'),
  inputUnits: $('input-units'), inputNames: $('input-names'), outputUnits: $('output-units'),
  outputActivation: $('output-activation'), outputParams: $('output-params'), lossName: $('loss-name'),
  paramCount: $('param-count'), paramConfirmed: $('param-confirmed'),
}, editor => {
  state.modelKey = null; // the next Train creates a model of the new shape
  diagram.setShape([editor.inputs, ...editor.spec().map(l => l.units)], editor.inputNames, editor.output.activation);
});

// ---- small helpers --------------------------------------------------------------------------

/** A number input's value, or null (the API's default) when empty. */
function num(id) {
  const text = $(id).value.trim();
  return text === '' ? null : Number(text);
}

function showError(e) {
  const error = e instanceof ApiError ? e : new ApiError(0, { title: 'Something went wrong', detail: String(e && e.message || e) });
  $('error-title').textContent = error.status ? `${error.title} (${error.status})` : error.title;
  $('error-detail').textContent = error.detail;
  $('error-list').replaceChildren(...error.errors.map(({ field, message }) => {
    const li = document.createElement('li');
    li.textContent = field ? `${field}: ${message}` : message;
    return li;
  }));
  $('error').hidden = false;
}

function clearError() {
  $('error').hidden = true;
}

/** Runs an action with its buttons off; any failure is shown in words. */
async function guarded(action) {
  clearError();
  try {
    await action();
  } catch (e) {
    showError(e);
  }
}

/** While a job runs the data stays as it is: the live boundary is drawn over its points. */
function setRunning(running) {
  for (const id of ['train', 'generate', 'dataset-select', 'upload']) $(id).disabled = running;
  $('cancel').disabled = !running;
}

function setJobState(job) {
  const el = $('job-state');
  el.dataset.state = job.state;
  el.textContent = job.cancelRequested && job.state === 'RUNNING' ? 'stopping' : job.state.toLowerCase();
  $('epoch-counter').textContent = `${job.epoch} / ${job.epochs}`;
}

function setLiveFigures(stats) {
  const f = v => (v == null ? '–' : Number(v).toFixed(4));
  $('live-loss').textContent = f(stats.loss);
  $('live-val-loss').textContent = f(stats.valLoss);
  $('live-metric').textContent = f(stats.accuracy ?? stats.r2);
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
  network.setDataset(dataset);
  $('results').hidden = true;
  chart.reset(0);
  renderPredictForm($('predict-form'), dataset);
  $('boundary').hidden = !state.twoD;
  $('boundary-legend').hidden = !state.twoD;
  $('boundary-note').hidden = state.twoD;
  if (state.twoD) {
    const { points, scale } = await loadPoints(dataset, features);
    state.scale = scale;
    boundary.fit(points.map(p => p.x), points.map(p => p.y));
    boundary.setPoints(points, scale);
    state.grid = boundary.grid();
    $('boundary-legend').replaceChildren(...legend(scale));
  }
  $('dataset-info').textContent = describe(dataset); // last: the page is ready for this dataset
}

async function refreshDatasetList() {
  const select = $('dataset-select');
  const chosen = select.value;
  const list = await api('GET', '/datasets');
  select.replaceChildren(new Option('— choose —', ''), ...list.map(d =>
    new Option(`${d.name} (${d.rows} rows, ${d.task})`, d.id, false, d.id === chosen)));
}

async function upload() {
  const file = $('upload-file').files[0];
  if (!file) throw new ApiError(0, { title: 'No file chosen', detail: 'Choose a CSV file to upload.' });
  const form = new FormData();
  form.append('file', file);
  form.append('name', file.name.replace(/\.csv$/i, ''));
  form.append('target', $('upload-target').value.trim());
  const dataset = await api('POST', '/datasets', form);
  await refreshDatasetList();
  $('dataset-select').value = dataset.id;
  await useDataset(dataset);
}

// ---- training -------------------------------------------------------------------------------

/** The model for the current network; reused while the network and the data width stay the same. */
async function ensureModel() {
  const spec = { inputs: state.dataset.inputWidth, layers: network.spec(), loss: network.loss() };
  const key = JSON.stringify(spec);
  if (state.model && state.modelKey === key) return state.model;
  const shape = [spec.inputs, ...spec.layers.map(l => l.units)].join('-');
  const model = await api('POST', '/models', { name: `playground ${shape}`, ...spec });
  state.model = model;
  state.modelKey = key;
  const shown = $('param-count').textContent;
  $('param-confirmed').textContent = String(model.parameters) === shown
    ? '✓ confirmed by the API' : `(the API counts ${model.parameters})`;
  return model;
}

/** Batch size, optimizer, L1/L2, validation split and early stopping as the controls say (a search's too). */
function trainingSettings() {
  const type = $('optimizer').value;
  const optimizer = { type, learningRate: num('learning-rate') };
  if ((type === 'sgd' || type === 'rmsprop') && num('momentum')) optimizer.momentum = num('momentum');
  const validationSplit = num('validation-split');
  const schedule = scheduleSetting(validationSplit);
  if (schedule) optimizer.schedule = schedule;
  const settings = { batchSize: num('batch-size'), optimizer, validationSplit };
  if (num('l1') > 0) settings.l1 = num('l1');
  if (num('l2') > 0) settings.l2 = num('l2');
  if ($('early-stopping').checked) {
    settings.earlyStopping = { monitor: validationSplit > 0 ? 'val_loss' : 'loss', patience: num('patience'), restoreBestWeights: true };
  }
  return settings;
}

/** What the schedule control's one number means for each schedule, and its starting value. */
const SCHEDULE_VALUES = {
  step: { label: 'every (epochs, ×0.5)', value: 50 },
  exponential: { label: 'rate per epoch', value: 0.99 },
  cosine: { label: 'warm-up epochs', value: 5 },
  reduce_on_plateau: { label: 'patience', value: 10 },
};

/** The optimizer's schedule as the controls say, or null for none. */
function scheduleSetting(validationSplit) {
  const v = num('schedule-value');
  switch ($('schedule').value) {
    case 'step': return { type: 'step', every: v, factor: 0.5 };
    case 'exponential': return { type: 'exponential', rate: v };
    case 'cosine': return { type: 'cosine', warmupEpochs: v };
    case 'reduce_on_plateau': return { type: 'reduce_on_plateau', monitor: validationSplit > 0 ? 'val_loss' : 'loss', patience: v };
    default: return null;
  }
}

$('schedule').addEventListener('change', () => {
  const chosen = SCHEDULE_VALUES[$('schedule').value];
  $('schedule-value').disabled = !chosen;
  if (chosen) {
    $('schedule-value-label').textContent = chosen.label;
    $('schedule-value').value = String(chosen.value);
  }
});

/** The dataset to train on: the current one, or (on the Generate tab) a new one from the form. */
async function ensureDataset() {
  if (!state.dataset) {
    if (!$('stored-form').hidden) throw new ApiError(0, { title: 'No dataset', detail: 'Choose a stored dataset or upload a CSV first.' });
    await generate();
  }
  return state.dataset;
}

async function train() {
  setRunning(true);
  try {
    await ensureDataset();
    const model = await ensureModel();
    const request = { modelId: model.id, datasetId: state.dataset.id, epochs: num('epochs'), ...trainingSettings() };
    watch(await api('POST', '/training-jobs', request));
  } catch (e) {
    setRunning(false);
    throw e;
  }
}

function watch(job) {
  state.job = job;
  state.drawnEpoch = 0;
  state.final = false;
  $('results').hidden = true;
  chart.reset(job.epochs);
  boundary.clearField();
  setJobState(job);
  let pending = null; // one chart redraw per 40 ms however fast the epochs come
  state.watcher = watchJob(job.id, {
    state: j => { chart.reset(j.epochs); chart.setHistory(j.history || []); setJobState(j); },
    epoch: e => {
      chart.add(e.stats);
      pending = pending || setTimeout(() => { pending = null; chart.draw(); }, 40);
      $('epoch-counter').textContent = `${e.epoch} / ${e.epochs}`;
      setLiveFigures(e.stats);
    },
    done: j => guarded(() => finished(j)),
    error: e => { stopLive(); setRunning(false); showError(e); },
  });
  if (state.twoD) state.liveTimer = setInterval(refreshLive, LIVE_INTERVAL_MS);
}

function stopLive() {
  clearInterval(state.liveTimer);
  state.liveTimer = null;
}

/** The running job's latest weights on the grid (POST /training-jobs/{id}/predict). */
async function refreshLive() {
  const job = state.job;
  if (state.liveBusy || state.final) return;
  state.liveBusy = true;
  try {
    const answer = await api('POST', `/training-jobs/${job.id}/predict`, { instances: state.grid });
    if (state.job === job && !state.final && answer.epoch > state.drawnEpoch) {
      state.drawnEpoch = answer.epoch;
      drawField(answer, answer.epoch);
    }
  } catch (e) {
    if (e.status !== 409) { stopLive(); showError(e); } // 409: no epoch yet, or the job has just finished
  } finally {
    state.liveBusy = false;
  }
}

function drawField(answer, epoch) {
  const colours = answer.task === 'classification'
    ? answer.predictions.map(p => probabilityColour(answer.classes.map(c => p.probabilities[c])))
    : answer.predictions.map(p => valueColour(Object.values(p.values)[0], state.scale, true));
  boundary.setField(colours, epoch);
}

async function finished(job) {
  stopLive();
  state.final = true;
  state.watcher = null;
  setRunning(false);
  setJobState(job);
  chart.reset(job.epochs);
  chart.setHistory(job.history || []);
  if (job.history && job.history.length) setLiveFigures(job.history[job.history.length - 1]);
  if (job.state === 'FAILED') throw new ApiError(0, { title: 'Training failed', detail: job.error || 'no reason given' });
  if (job.state !== 'SUCCEEDED') return;
  const { modelId, version } = job.result;
  const [summary, evaluation, weights] = await Promise.all([
    api('GET', `/models/${modelId}/summary`),
    api('POST', `/models/${modelId}/evaluate?version=${version}`, { datasetId: job.datasetId }),
    api('GET', `/models/${modelId}/versions/${version}/weights`),
    state.twoD ? api('POST', `/models/${modelId}/predict?version=${version}`, { instances: state.grid })
      .then(answer => drawField(answer, job.epoch)) : null,
  ]);
  diagram.setWeights(weights.layers.map(layer => layer.kernel));
  $('boundary').dataset.version = String(version);
  renderSummary($('summary-table'), summary);
  renderEvaluation({
    accuracy: $('metric-accuracy'), accuracyLabel: $('metric-accuracy-label'), loss: $('metric-loss'),
    stop: $('metric-stop'), scope: $('evaluation-scope'), confusion: $('confusion-matrix'), perClass: $('per-class'),
  }, evaluation, job);
  $('weights-link').href = `api/v1/models/${modelId}/versions/${version}/weights`;
  $('model-link').href = `api/v1/models/${modelId}`;
  $('predict-button').onclick = () => guarded(async () => {
    $('predict-result').textContent = await predictFromForm($('predict-form'), modelId, version);
  });
  $('predict-result').textContent = '';
  $('results').hidden = false;
}

async function cancel() {
  if (!state.job) return;
  try {
    setJobState(await api('POST', `/training-jobs/${state.job.id}/cancel`));
  } catch (e) {
    if (e.status !== 409) throw e; // 409: it finished meanwhile; the stream's done event says how
  }
}

// ---- wiring ---------------------------------------------------------------------------------

function selectTab(generateTab) {
  $('source-generate').classList.toggle('active', generateTab);
  $('source-stored').classList.toggle('active', !generateTab);
  $('source-generate').setAttribute('aria-selected', String(generateTab));
  $('source-stored').setAttribute('aria-selected', String(!generateTab));
  $('generate-form').hidden = !generateTab;
  $('stored-form').hidden = generateTab;
  if (!generateTab) guarded(refreshDatasetList);
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
$('refresh-datasets').addEventListener('click', () => guarded(refreshDatasetList));
$('upload').addEventListener('click', () => guarded(upload));
$('dataset-select').addEventListener('change', () => guarded(async () => {
  const id = $('dataset-select').value;
  if (id) await useDataset(await api('GET', `/datasets/${id}`));
}));
$('train').addEventListener('click', () => guarded(train));
$('cancel').addEventListener('click', () => guarded(cancel));
$('error-close').addEventListener('click', clearError);
$('optimizer').addEventListener('change', () => {
  const type = $('optimizer').value;
  $('learning-rate').value = LEARNING_RATES[type];
  $('momentum').disabled = type !== 'sgd' && type !== 'rmsprop';
});
$('early-stopping').addEventListener('change', () => { $('patience').disabled = !$('early-stopping').checked; });
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
window.addEventListener('resize', () => { boundary.draw(); chart.draw(); diagram.draw(); search.chart.draw(); });
boundary.draw();
chart.draw();
