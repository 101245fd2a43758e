-- An optional time limit per job function: a job running longer fails with JobTimeoutError.
ALTER TABLE queue_job_function ADD COLUMN timeout integer CONSTRAINT queue_job_function_timeout_positive CHECK (timeout > 0);
