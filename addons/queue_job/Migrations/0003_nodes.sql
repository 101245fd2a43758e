-- Nodes running executors: each heartbeats; the runner requeues the jobs of a node that stopped heartbeating.
CREATE TABLE queue_job_node (
    id varchar PRIMARY KEY,
    host varchar NOT NULL,
    pid integer NOT NULL,
    date_started timestamptz NOT NULL DEFAULT now(),
    heartbeat timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE queue_job ADD COLUMN worker_node varchar;
