// Failures in words: the error box under the controls shows an ApiError's title, status, detail and
// every errors[] entry ({field, message}); anything else as "Something went wrong".

import { ApiError } from './api.js';
import { $ } from './dom.js';

export function showError(e) {
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

export function clearError() {
  $('error').hidden = true;
}

/** Runs an action; any failure is shown in words. */
export async function guarded(action) {
  clearError();
  try {
    await action();
  } catch (e) {
    showError(e);
  }
}
