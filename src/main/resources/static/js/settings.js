// The training settings as the controls say: the request's (POST /training-jobs, a search's too)
// and the few a running job takes as a change (PATCH /training-jobs/{id}).

import { $, num } from './dom.js';

export const LEARNING_RATES = { sgd: 0.1, adam: 0.01, adamw: 0.01, rmsprop: 0.01, adagrad: 0.05 };

/** The inputs whose change goes to a running job, and the PATCH body each makes (null: nothing to send yet). */
export const LIVE_INPUTS = {
  'learning-rate': () => (num('learning-rate') == null ? null : { optimizer: { learningRate: num('learning-rate') } }),
  momentum: () => ({ optimizer: { momentum: num('momentum') ?? 0 } }),
  l1: () => ({ l1: num('l1') ?? 0 }),
  l2: () => ({ l2: num('l2') ?? 0 }),
  dropout: () => ({ dropout: num('dropout') ?? 0 }),
  speed: () => ({ epochsPerSecond: speed() }),
};

/** The controls a running job keeps as it started with: locked while it runs. */
export const RUN_INPUTS = ['optimizer', 'schedule', 'schedule-value', 'batch-size', 'epochs', 'validation-split',
  'early-stopping', 'patience'];

/** Epochs per second the job is let through, or null for as fast as it goes. */
export function speed() {
  return num('speed');
}

/** Batch size, optimizer, L1/L2, validation split and early stopping as the controls say (a search's too). */
export function trainingSettings() {
  const type = $('optimizer').value;
  const optimizer = { type, learningRate: num('learning-rate') };
  if (momentumApplies(type) && num('momentum')) optimizer.momentum = num('momentum');
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

export const momentumApplies = type => type === 'sgd' || type === 'rmsprop';

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

/** The controls that follow each other: the schedule's number, the optimizer's rate and momentum, patience. */
export function wireSettings() {
  $('schedule').addEventListener('change', () => {
    const chosen = SCHEDULE_VALUES[$('schedule').value];
    $('schedule-value').disabled = !chosen;
    if (chosen) {
      $('schedule-value-label').textContent = chosen.label;
      $('schedule-value').value = String(chosen.value);
    }
  });
  $('optimizer').addEventListener('change', () => {
    const type = $('optimizer').value;
    $('learning-rate').value = LEARNING_RATES[type];
    $('momentum').disabled = !momentumApplies(type);
  });
  $('early-stopping').addEventListener('change', () => { $('patience').disabled = !$('early-stopping').checked; });
}

/** Locks (or unlocks) the settings a running job keeps; unlocking restores which of them apply. */
export function lockSettings(locked) {
  for (const id of RUN_INPUTS) $(id).disabled = locked;
  if (!locked) {
    $('schedule-value').disabled = !SCHEDULE_VALUES[$('schedule').value];
    $('patience').disabled = !$('early-stopping').checked;
  }
  $('momentum').disabled = !momentumApplies($('optimizer').value);
}
