// The mlp-service API as the page uses it: JSON in and out under api/v1 (relative, so the page
// also works behind a path prefix), problem+json failures turned into an ApiError that says in
// words what went wrong, and a job's Server-Sent Events.

const BASE = 'api/v1';
const KEY_STORAGE = 'mlp-service.api-key';

/** A failed call: the problem's title, detail and errors[] ({field, message}). */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.title = problem.title || `HTTP ${status}`;
    this.detail = problem.detail || '';
    this.errors = Array.isArray(problem.errors) ? problem.errors : [];
  }
}

export function apiKey() {
  return sessionStorage.getItem(KEY_STORAGE) || '';
}

export function setApiKey(key) {
  if (key) sessionStorage.setItem(KEY_STORAGE, key); else sessionStorage.removeItem(KEY_STORAGE);
}

function headers(extra) {
  const h = { Accept: 'application/json, application/problem+json', ...extra };
  if (apiKey()) h['X-API-Key'] = apiKey();
  return h;
}

/** Calls the API; answers the parsed JSON body (null when empty) or throws an ApiError. */
export async function api(method, path, body) {
  const form = body instanceof FormData;
  const init = { method, headers: headers(body === undefined || form ? {} : { 'Content-Type': 'application/json' }) };
  if (body !== undefined) init.body = form ? body : JSON.stringify(body);
  let response;
  try {
    response = await fetch(`${BASE}${path}`, init);
  } catch (e) {
    throw new ApiError(0, { title: 'The service does not answer', detail: `${method} ${path}: ${e.message}` });
  }
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: a proxy's error page, for instance; its first words below
  }
  if (!response.ok) {
    throw new ApiError(response.status, json && typeof json === 'object'
      ? json : { title: `HTTP ${response.status}`, detail: text.slice(0, 300) });
  }
  return json;
}

/**
 * Follows an event stream with EventSource: handlers[name](data) for each of the names, then
 * handlers.done(data) and the stream is closed. EventSource cannot send a header, so an API key
 * travels as ?api_key= (the service takes it there for event streams only). Answers {close()}.
 */
function follow(path, names, handlers) {
  const key = apiKey();
  const source = new EventSource(`${BASE}${path}` + (key ? `?api_key=${encodeURIComponent(key)}` : ''));
  const dispatch = (name, data) => handlers[name] && handlers[name](JSON.parse(data));
  for (const name of names) source.addEventListener(name, e => dispatch(name, e.data));
  source.addEventListener('done', e => { source.close(); dispatch('done', e.data); });
  // A dropped connection is reopened by EventSource itself; its first 'state' event restores the history.
  // An answer that is not a stream (401, 404) closes it for good: say so.
  source.onerror = () => {
    if (source.readyState === EventSource.CLOSED && handlers.error) {
      handlers.error(new ApiError(0, { title: 'Event stream closed', detail: `GET ${path.slice(1)} was refused; check the API key` }));
    }
  };
  return { close: () => source.close() };
}

/**
 * A training job's events: state(job) at the start and on every change of state (paused,
 * resumed), epoch(event), change(event) when a setting was changed, done(job).
 */
export function watchJob(jobId, handlers) {
  return follow(`/training-jobs/${encodeURIComponent(jobId)}/events`, ['state', 'epoch', 'change'], handlers);
}

/**
 * Steering a training job: each answers the job as it is afterwards, or throws an ApiError (409
 * with the job's state when the job cannot do it now, 400 for a bad value).
 */
export const steer = {
  pause: id => api('POST', `/training-jobs/${encodeURIComponent(id)}/pause`),
  resume: id => api('POST', `/training-jobs/${encodeURIComponent(id)}/resume`),
  /** Trains a paused job this many more epochs; answers once they are done (paused again, or finished). */
  step: (id, epochs = 1) => api('POST', `/training-jobs/${encodeURIComponent(id)}/step?epochs=${epochs}`),
  /** Changes settings from the next mini-batch: {optimizer: {learningRate, momentum}, l1, l2, dropout, epochsPerSecond}. */
  change: (id, settings) => api('PATCH', `/training-jobs/${encodeURIComponent(id)}`, settings),
  cancel: id => api('POST', `/training-jobs/${encodeURIComponent(id)}/cancel`),
};

/**
 * The hidden layers' activations on these instances, from a running job's latest weights
 * (source {jobId}) or a published version (source {modelId, version}); layer is 1-based, or
 * undefined for every hidden layer. Answers {layers: [{layer, units, activation, values}]}.
 */
export function activations(source, instances, layer) {
  const path = source.jobId
    ? `/training-jobs/${encodeURIComponent(source.jobId)}/activations`
    : `/models/${encodeURIComponent(source.modelId)}/activations?version=${source.version}`;
  return api('POST', path, layer === undefined ? { instances } : { instances, layer });
}

/** A search's events: state(search), fold(event), candidate(event), done(search). */
export function watchSearch(searchId, handlers) {
  return follow(`/searches/${encodeURIComponent(searchId)}/events`, ['state', 'fold', 'candidate'], handlers);
}
