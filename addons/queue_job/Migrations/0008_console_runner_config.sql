-- The Job Queue dashboard compares configurations: each node's heartbeat row carries its channels string (as the
-- node parsed it, in a canonical form), so the active runner's configuration is the row of the lease's node; and
-- the lease says since when its runner leads.
ALTER TABLE queue_job_node ADD COLUMN channels varchar;
ALTER TABLE queue_job_runner_lease ADD COLUMN taken timestamptz NOT NULL DEFAULT now();
