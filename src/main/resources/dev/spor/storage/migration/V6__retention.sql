-- Retention: per site, the last run of the retention job (page views and events older than the
-- site's retentionDays are deleted), shown at GET /api/v1/retention, and the lease of a run in
-- progress. Every node runs the job; the lease lets one do a site's work while the others skip it.
-- Written in the SQL that PostgreSQL and H2 (in PostgreSQL mode) both accept.

CREATE TABLE retention_runs (
    site               VARCHAR(40)              NOT NULL PRIMARY KEY,
    -- the last finished run (all NULL until the first has finished)
    ran_at             TIMESTAMP WITH TIME ZONE,
    -- rows from before this were deleted
    cutoff             TIMESTAMP WITH TIME ZONE,
    retention_days     INTEGER,
    page_views_deleted BIGINT,
    events_deleted     BIGINT,
    -- a run in progress holds the site until then (NULL: none); an expired lease may be taken over
    claimed_until      TIMESTAMP WITH TIME ZONE
);
