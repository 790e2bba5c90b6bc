// One training job as the page follows and steers it: its event stream, the epoch counter and
// state, the transport buttons (train/resume, pause, step, cancel) that fit its state, and the
// settings changes sent to it while it runs. The stream's `done` is the last word: an answer to
// a call made earlier (a cancel that says "stopping") never overwrites a finished job.

import { steer, watchJob } from './api.js';
import { $ } from './dom.js';

/** States in which a job still runs (holds its settings, can be cancelled). */
const ACTIVE = new Set(['QUEUED', 'RUNNING', 'PAUSED']);

export class Run {
  /**
   * page: onActive(active) when a job starts or stops holding the page's settings, onStart(job),
   * onState(job) for every state the job reports, onEpoch(event), onFinished(job) (may throw),
   * guarded(action), showError(e).
   */
  constructor(page) {
    this.page = page;
    this.job = null;
    this.final = true;
    this.watcher = null;
    this.steps = 0; // step calls under way: the pause/step buttons wait for them
    this.render();
  }

  get active() {
    return this.job != null && !this.final;
  }

  get id() {
    return this.job && this.job.id;
  }

  get state() {
    return this.job ? this.job.state : 'IDLE';
  }

  /** Follows a job just accepted (202): its stream from the first `state` to `done`. */
  follow(job) {
    this.close();
    this.job = job;
    this.final = false;
    this.page.onActive(true);
    this.page.onStart(job);
    this.apply(job);
    const id = job.id;
    this.watcher = watchJob(id, {
      state: j => this.apply(j),
      epoch: e => {
        if (this.id !== id || this.final) return;
        this.job = { ...this.job, epoch: e.epoch, epochs: e.epochs };
        this.render();
        this.page.onEpoch(e);
      },
      change: e => this.page.onChange && this.page.onChange(e),
      done: j => this.page.guarded(() => this.finish(j)),
      error: e => {
        if (this.id !== id || this.final) return;
        this.final = true;
        this.page.onActive(false);
        this.render();
        this.page.showError(e);
      },
    });
  }

  /** A job as an answer or a `state` event tells it; ignored once the stream said `done`, or for another job. */
  apply(job) {
    if (!job || job.id !== this.id || this.final) return;
    this.job = job;
    this.render();
    this.page.onState(job);
  }

  async finish(job) {
    if (job.id !== this.id || this.final) return;
    this.final = true;
    this.job = job;
    this.watcher = null;
    this.page.onActive(false);
    this.render();
    await this.page.onFinished(job);
  }

  /** Stops following (the job itself goes on unless cancelled). */
  close() {
    if (this.watcher) this.watcher.close();
    this.watcher = null;
  }

  /** Forgets the job: cancels it when it still runs, and the counter reads 0 again. */
  async reset() {
    const running = this.active ? this.id : null;
    this.close();
    this.job = null;
    this.final = true;
    this.render();
    this.page.onActive(false);
    if (running) await ignoreConflict(steer.cancel(running));
  }

  async pause() {
    if (this.state === 'RUNNING') this.apply(await steer.pause(this.id));
  }

  async resume() {
    if (this.state === 'PAUSED') this.apply(await steer.resume(this.id));
  }

  /** One more epoch of a paused job; the answer comes once it is trained. */
  async step() {
    if (this.state !== 'PAUSED') return;
    this.steps++;
    this.render();
    try {
      this.apply(await steer.step(this.id, 1));
    } finally {
      this.steps--;
      this.render();
    }
  }

  async cancel() {
    if (this.active) this.apply(await ignoreConflict(steer.cancel(this.id)));
  }

  /** Sends a settings change to the running job; answers the job afterwards, or null when none runs. */
  async change(settings) {
    if (!this.active) return null;
    const job = await steer.change(this.id, settings);
    this.apply(job);
    return job;
  }

  render() {
    const job = this.job;
    const state = this.state;
    const stopping = job && job.cancelRequested && ACTIVE.has(state);
    const el = $('job-state');
    el.dataset.state = state;
    el.textContent = stopping ? 'stopping' : state.toLowerCase();
    $('epoch-counter').textContent = job ? `${job.epoch} / ${job.epochs}` : '0 / 0';
    const paused = state === 'PAUSED' && !stopping;
    $('train').disabled = this.active && !paused;
    $('train-label').textContent = paused ? 'Resume' : 'Train';
    $('train').title = paused ? 'Resume the paused job' : 'Train a new job';
    $('pause').disabled = state !== 'RUNNING' || stopping || this.final;
    $('step').disabled = !paused || this.steps > 0;
    $('cancel').disabled = !this.active || stopping;
    $('reset').disabled = job == null;
  }
}

/** A cancel of a job that has just finished is 409: its stream's `done` says how it ended. */
async function ignoreConflict(call) {
  try {
    return await call;
  } catch (e) {
    if (e.status === 409) return null;
    throw e;
  }
}
