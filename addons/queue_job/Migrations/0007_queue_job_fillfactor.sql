-- A job row is updated at each change of state (enqueued, started, done): room left on its page lets the new version
-- go beside the old one, with no other page to find and pin, and lets a page's dead versions be pruned in place.
ALTER TABLE queue_job SET (fillfactor = 70);
