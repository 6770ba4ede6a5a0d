-- 0005: statistics (§4.3.3, §8). The period of every statistic is a range of ticket.reported_at
-- (indexed by 0004, ticket_reported_at). Repeat repairs look, for every unit + part of the period,
-- for earlier tickets at the same place: a place is the unit and the part as typed, trimmed (the
-- query must read `trim(part)` for SQLite to use this index); status makes the count index-only.
-- At 1M tickets this takes the year's repeat count from ~19 s to ~0.7 s.

CREATE INDEX IF NOT EXISTS ticket_unit_part ON ticket(unit_id, trim(part), reported_at, status);
