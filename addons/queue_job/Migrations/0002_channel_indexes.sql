-- The runner asks, per channel, for the next pending jobs in their order, the first one waiting for its eta,
-- and the earliest eta; sequential channels look for failed jobs of their channel.
DROP INDEX queue_job_pending_order_index;
CREATE INDEX queue_job_pending_channel_order_index ON queue_job (channel, priority, date_created, id) WHERE state = 'pending';
DROP INDEX queue_job_pending_eta_index;
CREATE INDEX queue_job_pending_channel_eta_index ON queue_job (channel, eta) WHERE state = 'pending' AND eta IS NOT NULL;
CREATE INDEX queue_job_failed_channel_index ON queue_job (channel) WHERE state = 'failed';
