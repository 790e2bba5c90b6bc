-- Cluster mode: the job table is the queue and the registry of every replica (README, "Cluster mode").
-- A replica with a free worker claims the oldest QUEUED row with FOR UPDATE SKIP LOCKED, owns it while
-- its lease lasts (renewed by heartbeat) and bumps the fence with each claim; publication checks the
-- fence in its own transaction, so a job may run twice but publishes at most once.
CREATE TABLE jobs (
    id               text PRIMARY KEY,
    seq              bigserial NOT NULL,               -- orders jobs created in the same instant
    kind             text NOT NULL,                    -- training | search
    state            text NOT NULL,                    -- QUEUED, RUNNING, PAUSED, SUCCEEDED, FAILED, CANCELLED
    request          text NOT NULL,                    -- the request as JSON: any replica plans the job again from it
    submitted_view   text NOT NULL,                    -- the job as it was queued (JSON); a requeued job shows it again
    view             text NOT NULL,                    -- the job now (JSON), what GET answers on a replica that does not run it
    eta_seconds      bigint,                           -- for a full queue's Retry-After
    owner            text,                             -- the replica that runs it; null while queued and once finished
    lease_until      timestamptz,                      -- the owner's claim lasts until then, unless renewed
    fence            bigint NOT NULL DEFAULT 0,        -- incremented by each claim
    attempts         integer NOT NULL DEFAULT 0,       -- claims that ran it (a hand-back at shutdown gives one back)
    max_attempts     integer NOT NULL,
    cancel_requested boolean NOT NULL DEFAULT false,
    cancel_note      text,
    error            text,
    published_at     timestamptz,                      -- set in the transaction that publishes its version
    event_seq        bigint NOT NULL DEFAULT 0,        -- the last event the view includes
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL DEFAULT now(),
    finished_at      timestamptz
);
CREATE INDEX jobs_queued ON jobs (created_at, seq) WHERE state = 'QUEUED';
CREATE INDEX jobs_owned ON jobs (owner) WHERE owner IS NOT NULL;
CREATE INDEX jobs_kind_created ON jobs (kind, created_at DESC, seq DESC);

-- What a job told its listeners (epochs, pauses, its end), in order: every replica's event streams
-- replay them, so a client on one replica watches a job that runs on another. Written in batches.
CREATE TABLE job_events (
    job_id  text NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    seq     bigint NOT NULL,
    fence   bigint NOT NULL,                           -- the claim that wrote it
    type    text NOT NULL,                             -- the event's type (EpochCompleted, JobFinished, ...)
    data    text NOT NULL,                             -- the event as JSON
    PRIMARY KEY (job_id, seq)
);

-- The replicas that heartbeat: /actuator/info counts them; their URLs reach the owner of a job.
CREATE TABLE replicas (
    id           text PRIMARY KEY,
    url          text,
    started_at   timestamptz NOT NULL DEFAULT now(),
    heartbeat_at timestamptz NOT NULL DEFAULT now()
);
