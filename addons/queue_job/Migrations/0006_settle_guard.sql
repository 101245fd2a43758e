-- Raised by a settle statement when one of its jobs is no longer its try (rescued or requeued while it ran): the
-- executor sends the transaction's COMMIT with the settle, in one round trip, and this error turns that COMMIT into a
-- rollback, so no write of a try taken away commits. SQLSTATE QJ001 tells the executor the try was taken.
CREATE FUNCTION queue_job_try_taken(settled bigint, expected bigint) RETURNS int LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'queue_job: % of % jobs settled, the others are no longer this try', settled, expected
        USING ERRCODE = 'QJ001';
END
$$;
