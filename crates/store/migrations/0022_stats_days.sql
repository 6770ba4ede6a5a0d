-- 0022: issue 16. The statistics keep each past day's figures (the defect tickets reported that
-- day: breakdowns, scorecard, satisfaction, on-time tallies) so that a year's page adds up 365
-- rows instead of replaying every event of 200,000 tickets. A row is a cache, never a record:
-- the triggers below delete it whenever anything it was computed from changes (the ticket, its
-- events, its unit's batch), and the next look computes it again. `stats_epoch` counts those
-- changes, so figures computed on a snapshot that a save has since overtaken are not kept.
CREATE TABLE stats_day (
    day          INTEGER PRIMARY KEY,   -- local (UTC+8) day number: (reported_at + 28800) / 86400
    fingerprint  TEXT NOT NULL,         -- the rules it was judged by (deadline settings, calendar)
    figures      TEXT NOT NULL          -- JSON: desk_service::stats::days::DayFigures
);
CREATE TABLE stats_epoch (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    n   INTEGER NOT NULL
);
INSERT INTO stats_epoch (id, n) VALUES (1, 0);

CREATE TRIGGER stats_day_ticket_insert AFTER INSERT ON ticket BEGIN
    UPDATE stats_epoch SET n = n + 1 WHERE id = 1;
    DELETE FROM stats_day WHERE day = (NEW.reported_at + 28800) / 86400;
END;
CREATE TRIGGER stats_day_ticket_update AFTER UPDATE ON ticket BEGIN
    UPDATE stats_epoch SET n = n + 1 WHERE id = 1;
    DELETE FROM stats_day WHERE day IN ((OLD.reported_at + 28800) / 86400, (NEW.reported_at + 28800) / 86400);
END;
CREATE TRIGGER stats_day_ticket_delete AFTER DELETE ON ticket BEGIN
    UPDATE stats_epoch SET n = n + 1 WHERE id = 1;
    DELETE FROM stats_day WHERE day = (OLD.reported_at + 28800) / 86400;
END;
CREATE TRIGGER stats_day_unit_batch AFTER UPDATE OF batch_id ON unit BEGIN
    UPDATE stats_epoch SET n = n + 1 WHERE id = 1;
    DELETE FROM stats_day WHERE day IN (SELECT (t.reported_at + 28800) / 86400 FROM ticket t WHERE t.unit_id = NEW.id);
END;

-- The events the on-time judging, the scorecard and the satisfaction read.
CREATE TRIGGER stats_day_contact_attempt_insert AFTER INSERT ON contact_attempt BEGIN
    UPDATE stats_epoch SET n = n + 1 WHERE id = 1;
    DELETE FROM stats_day WHERE day IN (SELECT (t.reported_at + 28800) / 86400 FROM ticket t WHERE t.id IN (NEW.ticket_id));
END;
CREATE TRIGGER stats_day_contact_attempt_update AFTER UPDATE ON contact_attempt BEGIN
    UPDATE stats_epoch SET n = n + 1 WHERE id = 1;
    DELETE FROM stats_day WHERE day IN (SELECT (t.reported_at + 28800) / 86400 FROM ticket t WHERE t.id IN (OLD.ticket_id, NEW.ticket_id));
END;
CREATE TRIGGER stats_day_contact_attempt_delete AFTER DELETE ON contact_attempt BEGIN
    UPDATE stats_epoch SET n = n + 1 WHERE id = 1;
    DELETE FROM stats_day WHERE day IN (SELECT (t.reported_at + 28800) / 86400 FROM ticket t WHERE t.id IN (OLD.ticket_id));
END;
CREATE TRIGGER stats_day_dispatch_notice_insert AFTER INSERT ON dispatch_notice BEGIN
    UPDATE stats_epoch SET n = n + 1 WHERE id = 1;
    DELETE FROM stats_day WHERE day IN (SELECT (t.reported_at + 28800) / 86400 FROM ticket t WHERE t.id IN (NEW.ticket_id));
END;
CREATE TRIGGER stats_day_dispatch_notice_update AFTER UPDATE ON dispatch_notice BEGIN
    UPDATE stats_epoch SET n = n + 1 WHERE id = 1;
    DELETE FROM stats_day WHERE day IN (SELECT (t.reported_at + 28800) / 86400 FROM ticket t WHERE t.id IN (OLD.ticket_id, NEW.ticket_id));
END;
CREATE TRIGGER stats_day_dispatch_notice_delete AFTER DELETE ON dispatch_notice BEGIN
    UPDATE stats_epoch SET n = n + 1 WHERE id = 1;
    DELETE FROM stats_day WHERE day IN (SELECT (t.reported_at + 28800) / 86400 FROM ticket t WHERE t.id IN (OLD.ticket_id));
END;
CREATE TRIGGER stats_day_followup_insert AFTER INSERT ON followup BEGIN
    UPDATE stats_epoch SET n = n + 1 WHERE id = 1;
    DELETE FROM stats_day WHERE day IN (SELECT (t.reported_at + 28800) / 86400 FROM ticket t WHERE t.id IN (NEW.ticket_id));
END;
CREATE TRIGGER stats_day_followup_update AFTER UPDATE ON followup BEGIN
    UPDATE stats_epoch SET n = n + 1 WHERE id = 1;
    DELETE FROM stats_day WHERE day IN (SELECT (t.reported_at + 28800) / 86400 FROM ticket t WHERE t.id IN (OLD.ticket_id, NEW.ticket_id));
END;
CREATE TRIGGER stats_day_followup_delete AFTER DELETE ON followup BEGIN
    UPDATE stats_epoch SET n = n + 1 WHERE id = 1;
    DELETE FROM stats_day WHERE day IN (SELECT (t.reported_at + 28800) / 86400 FROM ticket t WHERE t.id IN (OLD.ticket_id));
END;
CREATE TRIGGER stats_day_acceptance_insert AFTER INSERT ON acceptance BEGIN
    UPDATE stats_epoch SET n = n + 1 WHERE id = 1;
    DELETE FROM stats_day WHERE day IN (SELECT (t.reported_at + 28800) / 86400 FROM ticket t WHERE t.id IN (NEW.ticket_id));
END;
CREATE TRIGGER stats_day_acceptance_update AFTER UPDATE ON acceptance BEGIN
    UPDATE stats_epoch SET n = n + 1 WHERE id = 1;
    DELETE FROM stats_day WHERE day IN (SELECT (t.reported_at + 28800) / 86400 FROM ticket t WHERE t.id IN (OLD.ticket_id, NEW.ticket_id));
END;
CREATE TRIGGER stats_day_acceptance_delete AFTER DELETE ON acceptance BEGIN
    UPDATE stats_epoch SET n = n + 1 WHERE id = 1;
    DELETE FROM stats_day WHERE day IN (SELECT (t.reported_at + 28800) / 86400 FROM ticket t WHERE t.id IN (OLD.ticket_id));
END;
CREATE TRIGGER stats_day_ticket_hold_insert AFTER INSERT ON ticket_hold BEGIN
    UPDATE stats_epoch SET n = n + 1 WHERE id = 1;
    DELETE FROM stats_day WHERE day IN (SELECT (t.reported_at + 28800) / 86400 FROM ticket t WHERE t.id IN (NEW.ticket_id));
END;
CREATE TRIGGER stats_day_ticket_hold_update AFTER UPDATE ON ticket_hold BEGIN
    UPDATE stats_epoch SET n = n + 1 WHERE id = 1;
    DELETE FROM stats_day WHERE day IN (SELECT (t.reported_at + 28800) / 86400 FROM ticket t WHERE t.id IN (OLD.ticket_id, NEW.ticket_id));
END;
CREATE TRIGGER stats_day_ticket_hold_delete AFTER DELETE ON ticket_hold BEGIN
    UPDATE stats_epoch SET n = n + 1 WHERE id = 1;
    DELETE FROM stats_day WHERE day IN (SELECT (t.reported_at + 28800) / 86400 FROM ticket t WHERE t.id IN (OLD.ticket_id));
END;
CREATE TRIGGER stats_day_ticket_reopen_insert AFTER INSERT ON ticket_reopen BEGIN
    UPDATE stats_epoch SET n = n + 1 WHERE id = 1;
    DELETE FROM stats_day WHERE day IN (SELECT (t.reported_at + 28800) / 86400 FROM ticket t WHERE t.id IN (NEW.ticket_id));
END;
CREATE TRIGGER stats_day_ticket_reopen_update AFTER UPDATE ON ticket_reopen BEGIN
    UPDATE stats_epoch SET n = n + 1 WHERE id = 1;
    DELETE FROM stats_day WHERE day IN (SELECT (t.reported_at + 28800) / 86400 FROM ticket t WHERE t.id IN (OLD.ticket_id, NEW.ticket_id));
END;
CREATE TRIGGER stats_day_ticket_reopen_delete AFTER DELETE ON ticket_reopen BEGIN
    UPDATE stats_epoch SET n = n + 1 WHERE id = 1;
    DELETE FROM stats_day WHERE day IN (SELECT (t.reported_at + 28800) / 86400 FROM ticket t WHERE t.id IN (OLD.ticket_id));
END;
