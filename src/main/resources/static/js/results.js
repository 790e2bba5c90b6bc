// After training: the Keras summary, the evaluation (metrics, confusion matrix, per-class
// figures) and a form that asks the published version for one prediction.

import { api } from './api.js';

const fmt = (v, digits = 3) => (v == null || !Number.isFinite(v) ? '–' : Number(v).toFixed(digits));

function cell(tag, text, className) {
  const el = document.createElement(tag);
  el.textContent = text;
  if (className) el.className = className;
  return el;
}

function row(tag, values) {
  const tr = document.createElement('tr');
  values.forEach(v => tr.append(v instanceof Node ? v : cell(tag, String(v))));
  return tr;
}

/** GET /models/{id}/summary as a table: layer, output shape, parameters, and the total. */
export function renderSummary(table, summary) {
  const head = document.createElement('thead');
  head.append(row('th', ['Layer (type)', 'Output shape', 'Param #']));
  const body = document.createElement('tbody');
  for (const layer of summary.layers) {
    const shape = `(${layer.outputShape.map(d => (d == null ? 'None' : d)).join(', ')})`;
    body.append(row('td', [`${layer.name} (${layer.type}, ${layer.activation})`, shape, layer.parameters]));
  }
  const foot = document.createElement('tfoot');
  foot.append(row('td', ['Total params', '', summary.totalParameters]));
  table.replaceChildren(head, body, foot);
}

/** POST /models/{id}/evaluate: accuracy (or R²), loss, the confusion matrix and per-class figures. */
export function renderEvaluation(el, evaluation, job) {
  const classifier = evaluation.task === 'classification';
  el.accuracyLabel.textContent = classifier ? 'accuracy' : 'R²';
  el.accuracy.textContent = fmt(classifier ? evaluation.accuracy : evaluation.r2);
  el.loss.textContent = fmt(evaluation.loss, 4);
  el.stop.textContent = job.stopReason ? `${job.stopReason.replace('_', ' ')} (epoch ${job.epoch})` : '–';
  el.scope.textContent = `on all ${evaluation.rows} rows of the dataset, version ${evaluation.version}`;
  if (!classifier) {
    el.confusion.replaceChildren(row('td', ['MSE', fmt(evaluation.mse, 4), 'MAE', fmt(evaluation.mae, 4)]));
    el.perClass.replaceChildren();
    return;
  }
  const { labels, counts } = evaluation.confusionMatrix;
  const max = Math.max(1, ...counts.flat());
  const head = document.createElement('thead');
  head.append(row('th', ['true \\ predicted', ...labels]));
  const body = document.createElement('tbody');
  counts.forEach((line, i) => {
    const tr = row('td', []);
    tr.append(cell('th', labels[i]));
    line.forEach((n, j) => {
      const td = cell('td', String(n), i === j ? 'hit' : 'miss');
      td.style.setProperty('--shade', (n / max).toFixed(3));
      tr.append(td);
    });
    body.append(tr);
  });
  el.confusion.replaceChildren(head, body);
  const perHead = document.createElement('thead');
  perHead.append(row('th', ['class', 'precision', 'recall', 'F1', 'support']));
  const perBody = document.createElement('tbody');
  for (const c of evaluation.perClass) {
    perBody.append(row('td', [c.label, fmt(c.precision), fmt(c.recall), fmt(c.f1), c.support]));
  }
  el.perClass.replaceChildren(perHead, perBody);
}

/** One input per feature column (a choice for categorical ones), prefilled with its mean or first level. */
export function renderPredictForm(form, dataset) {
  form.replaceChildren();
  for (const column of dataset.columns.filter(c => c.role === 'feature')) {
    const label = cell('label', `${column.name} `);
    let input;
    if (column.type === 'categorical') {
      input = document.createElement('select');
      for (const level of column.levels) input.add(new Option(level.value, level.value));
    } else {
      input = document.createElement('input');
      input.type = 'number';
      input.step = 'any';
      input.value = column.mean != null ? Number(column.mean.toPrecision(3)) : 0;
    }
    input.name = column.name;
    input.dataset.numeric = String(column.type !== 'categorical');
    label.append(input);
    form.append(label);
  }
}

/** POST /models/{id}/predict with the form's instance, by column name; answers the text to show. */
export async function predictFromForm(form, modelId, version) {
  const instance = {};
  for (const input of form.querySelectorAll('input, select')) {
    instance[input.name] = input.dataset.numeric === 'true' && input.value.trim() !== '' ? Number(input.value) : input.value;
  }
  const answer = await api('POST', `/models/${modelId}/predict?version=${version}`, { instances: [instance] });
  const p = answer.predictions[0];
  if (answer.task === 'classification') {
    const probabilities = Object.entries(p.probabilities).map(([k, v]) => `${k}: ${fmt(v)}`).join(', ');
    return `label ${p.label} (${probabilities})`;
  }
  return Object.entries(p.values).map(([k, v]) => `${k} = ${fmt(v, 4)}`).join(', ');
}
