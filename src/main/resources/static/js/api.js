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

/** A training job's events: state(job), epoch(event), done(job). */
export function watchJob(jobId, handlers) {
  return follow(`/training-jobs/${encodeURIComponent(jobId)}/events`, ['state', 'epoch'], handlers);
}

/** A search's events: state(search), fold(event), candidate(event), done(search). */
export function watchSearch(searchId, handlers) {
  return follow(`/searches/${encodeURIComponent(searchId)}/events`, ['state', 'fold', 'candidate'], handlers);
}
