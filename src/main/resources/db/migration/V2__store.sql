-- Cluster mode: datasets, model definitions, versions and aliases in PostgreSQL (the store's migration;
-- even numbers are the store's, odd ones the job tables'). README, "Datasets and versions in PostgreSQL".

-- What the data directory holds as files, by the same relative path ("datasets/ds-1a2b.bin",
-- "models/<id>/versions/3.json") and in the same format, cut into chunks of at most 1 MiB: a 100 MB
-- dataset is written and read a chunk at a time, never as one value in memory. A file is written
-- (old chunks replaced) in one transaction, so a reader sees the old content or the new, never half.
CREATE TABLE store_file (
    path       text        PRIMARY KEY,
    bytes      bigint      NOT NULL,
    chunks     integer     NOT NULL,
    written_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE store_chunk (
    path text    NOT NULL REFERENCES store_file (path) ON DELETE CASCADE,
    seq  integer NOT NULL,
    data bytea   NOT NULL,
    PRIMARY KEY (path, seq)
);
-- Out of line and uncompressed: float32 arrays and JSON of floats hardly compress, so pglz would
-- only cost time.
ALTER TABLE store_chunk ALTER COLUMN data SET STORAGE EXTERNAL;

-- A dataset exists when its row does; metadata is the data directory's <id>.json (schema, statistics,
-- the data file's length and CRC-32), its arrays the file datasets/<id>.bin.
CREATE TABLE dataset (
    id         text        PRIMARY KEY,
    name       text        NOT NULL,
    created_at timestamptz NOT NULL,
    metadata   text        NOT NULL
);

-- Names are unique across the replicas; last_version numbers the versions: taken under the row's
-- lock in the publishing transaction, so the numbers are gapless and never given twice.
CREATE TABLE model (
    id           text        PRIMARY KEY,
    name         text        NOT NULL UNIQUE,
    created_at   timestamptz NOT NULL,
    definition   text        NOT NULL,
    last_version integer     NOT NULL DEFAULT 0
);

-- A version's content (weights, scaling, lineage with the per-epoch history) is the file
-- models/<model_id>/versions/<version>.json; a training job publishes at most one version.
CREATE TABLE model_version (
    model_id        text        NOT NULL REFERENCES model (id) ON DELETE CASCADE,
    version         integer     NOT NULL CHECK (version > 0),
    created_at      timestamptz NOT NULL,
    training_job_id text        UNIQUE,
    dataset_id      text,
    PRIMARY KEY (model_id, version)
);

CREATE TABLE model_alias (
    model_id text    NOT NULL,
    alias    text    NOT NULL,
    version  integer NOT NULL,
    PRIMARY KEY (model_id, alias),
    FOREIGN KEY (model_id, version) REFERENCES model_version (model_id, version) ON DELETE CASCADE
);
