-- A try's token: written by the claim that started the try; every outcome of that try is written under it, so a
-- late outcome never touches a later try, and a claim whose answer was lost is given back by its token alone.
ALTER TABLE queue_job ADD COLUMN try_token uuid;

-- A settling executor hands its slot to the next due pending job in the runner's order, across channels.
CREATE INDEX queue_job_pending_order_index ON queue_job (priority, date_created, id) WHERE state = 'pending';

-- When the sleeping runner wakes up anyway, in milliseconds since the epoch: a job due later need not wake it.
-- A sequence, so the runner sets it without a transaction of its own to commit.
CREATE SEQUENCE queue_job_runner_wakeup MINVALUE 0;

-- Wakes the runner only while it sleeps, and only for work due before it wakes up anyway ($1 null: due now). A
-- sleeping runner holds the advisory lock 2293787760715711919 in exclusive mode; a writer that gets it in shared
-- mode instead holds it until its commit, so a runner about to sleep waits for that commit and then sees the
-- writer's jobs in the look it takes before sleeping.
CREATE FUNCTION queue_job_wake_runner(due timestamptz DEFAULT NULL) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF NOT pg_try_advisory_xact_lock_shared(2293787760715711919)
       AND (due IS NULL OR due < to_timestamp((SELECT last_value FROM queue_job_runner_wakeup) / 1000.0)) THEN
        PERFORM pg_notify('queue_job', '');
    END IF;
END
$$;

-- The runner is needed when a job becomes runnable (an eta before the runner wakes up anyway), or fails or is
-- cancelled (capacity freed). A done job's capacity is handed over by the settling executor, which wakes the
-- runner itself where it cannot. Inserts: once per statement, for the earliest due job inserted.
CREATE OR REPLACE FUNCTION queue_job_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM changed_rows WHERE state = 'pending') THEN
        PERFORM queue_job_wake_runner((SELECT CASE WHEN bool_or(eta IS NULL) THEN NULL ELSE min(eta) END
                                       FROM changed_rows WHERE state = 'pending'));
    END IF;
    RETURN NULL;
END
$$;

-- Updates: per row, and only for rows that become pending, failed or cancelled, so the hot path (a job started or
-- done) fires nothing and captures no transition table.
DROP TRIGGER IF EXISTS queue_job_notify_update ON queue_job;
CREATE FUNCTION queue_job_notify_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM queue_job_wake_runner(CASE WHEN NEW.state = 'pending' THEN NEW.eta END);
    RETURN NULL;
END
$$;
CREATE TRIGGER queue_job_notify_update AFTER UPDATE OF state ON queue_job
    FOR EACH ROW WHEN (NEW.state IN ('pending', 'failed', 'cancelled')) EXECUTE FUNCTION queue_job_notify_row();

-- The active runner's lease, renewed from its loop: a standby that finds it older than the node timeout cuts the
-- holder of the runner's advisory lock off (only the session named here) and takes over.
CREATE TABLE queue_job_runner_lease (
    id integer PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    node varchar NOT NULL,
    backend_pid integer NOT NULL,
    renewed timestamptz NOT NULL DEFAULT now()
);

-- Done and cancelled jobs by age, for the purge.
CREATE INDEX queue_job_finished_index ON queue_job (coalesce(date_done, date_cancelled, date_created)) WHERE state IN ('done', 'cancelled');
