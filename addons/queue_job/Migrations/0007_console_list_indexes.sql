-- The Jobs list, filtered on a state that is off the job path (failed, cancelled, waiting for parents), newest first:
-- one partial index, so the jobs that go pending → enqueued → started → done pay nothing for it. The default order
-- and the done tab read queue_job_date_created_index; pending, enqueued and started read the runner's partial indexes.
CREATE INDEX queue_job_console_state_index ON queue_job (state, date_created DESC, id DESC)
    WHERE state IN ('failed', 'cancelled', 'wait_dependencies');
