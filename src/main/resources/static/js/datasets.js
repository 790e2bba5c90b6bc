// The stored datasets (GET /datasets, newest first) as a table: name, id, when it was made, rows
// and task, a button to use one and one to delete it (DELETE /datasets/{id}; a second click
// confirms, so one slip loses nothing).

import { api } from './api.js';

const when = iso => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '–' : d.toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' });
};

export class DatasetList {
  /** table: where the list goes; onUse(summary) when one is chosen, onDeleted(id) after a delete. */
  constructor(table, { onUse, onDeleted, guarded }) {
    this.table = table;
    this.onUse = onUse;
    this.onDeleted = onDeleted;
    this.guarded = guarded;
    this.chosen = null;
    this.locked = false;
    this.datasets = [];
  }

  async refresh() {
    this.datasets = await api('GET', '/datasets');
    this.render();
  }

  /** Marks the dataset in use (by id), or none. */
  choose(id) {
    this.chosen = id;
    this.render();
  }

  /** While a job runs no dataset can be chosen or deleted. */
  setLocked(locked) {
    this.locked = locked;
    this.render();
  }

  render() {
    if (!this.datasets.length) {
      const empty = document.createElement('caption');
      empty.textContent = 'No stored dataset yet.';
      this.table.replaceChildren(empty);
      return;
    }
    const head = document.createElement('thead');
    head.innerHTML = '<tr><th>Dataset · created</th><th></th></tr>';
    const body = document.createElement('tbody');
    for (const d of this.datasets) {
      const tr = document.createElement('tr');
      tr.dataset.id = d.id;
      if (d.id === this.chosen) tr.className = 'chosen';
      const about = document.createElement('td');
      about.innerHTML = '<b></b> <span class="muted"></span><br><code></code><br><span class="created"></span>';
      about.querySelector('b').textContent = d.name;
      about.querySelector('.muted').textContent = `${d.rows} rows, ${d.task}`;
      about.querySelector('code').textContent = d.id;
      const created = about.querySelector('.created');
      created.textContent = when(d.createdAt);
      created.title = d.createdAt;
      const actions = document.createElement('td');
      actions.className = 'actions';
      actions.append(this.button('use', 'Use', () => this.onUse(d)), this.deleteButton(d));
      tr.append(about, actions);
      body.append(tr);
    }
    this.table.replaceChildren(head, body);
  }

  button(kind, text, action) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = kind;
    b.textContent = text;
    b.disabled = this.locked;
    b.addEventListener('click', () => this.guarded(action));
    return b;
  }

  deleteButton(d) {
    const b = this.button('delete', 'Delete', async () => {
      if (!b.classList.contains('confirm')) {
        b.classList.add('confirm');
        b.textContent = 'Sure?';
        b.title = `Click again to delete ${d.id} and its files`;
        return;
      }
      await api('DELETE', `/datasets/${encodeURIComponent(d.id)}`);
      await this.refresh();
      this.onDeleted(d.id);
    });
    b.title = `Delete ${d.id}`;
    return b;
  }
}
