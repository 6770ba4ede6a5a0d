-- 0004: the daily report F03 (§5.1.6) reads one day of events from each table: index the
-- event times, so a day costs the same on a desk with a million tickets as on a new one.
-- IF NOT EXISTS: another migration may add the same index under the same name.

CREATE INDEX IF NOT EXISTS ticket_reported_at ON ticket(reported_at);
CREATE INDEX IF NOT EXISTS acceptance_at ON acceptance(at);
CREATE INDEX IF NOT EXISTS followup_at ON followup(at, kind);
CREATE INDEX IF NOT EXISTS escalation_raised_at ON escalation(raised_at);
