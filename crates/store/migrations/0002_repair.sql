-- 0002: dispatch notices (F02) with their §8.2 repair record, follow-ups (site visits, feedback,
-- re-checks, completion notices, return visits) and the acceptance of a repair (§5.1.3.6).

CREATE TABLE dispatch_notice (
    id                INTEGER PRIMARY KEY,
    no                TEXT NOT NULL UNIQUE,
    ticket_id         INTEGER NOT NULL REFERENCES ticket(id),
    contractor_id     INTEGER NOT NULL REFERENCES contractor(id),
    site_contact      TEXT NOT NULL DEFAULT '',
    appointment_at    INTEGER NOT NULL,
    plan              TEXT NOT NULL DEFAULT '',
    materials         TEXT NOT NULL DEFAULT '',
    rework            INTEGER NOT NULL DEFAULT 0,
    issued_by         INTEGER NOT NULL REFERENCES staff(id),
    issued_at         INTEGER NOT NULL,
    arrived_at        INTEGER,
    person_in_charge  TEXT NOT NULL DEFAULT '',
    materials_used    TEXT NOT NULL DEFAULT '',
    promised_at       INTEGER,
    completed_at      INTEGER,
    cause             TEXT NOT NULL DEFAULT '',
    measures          TEXT NOT NULL DEFAULT '',
    reliability       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX dispatch_ticket ON dispatch_notice(ticket_id, id);

CREATE TABLE followup (
    id            INTEGER PRIMARY KEY,
    ticket_id     INTEGER NOT NULL REFERENCES ticket(id),
    kind          TEXT NOT NULL,
    at            INTEGER NOT NULL,
    actor_id      INTEGER NOT NULL REFERENCES staff(id),
    ok            INTEGER NOT NULL,
    note          TEXT NOT NULL DEFAULT '',
    next_due_at   INTEGER,
    satisfaction  TEXT,
    new_phone     TEXT NOT NULL DEFAULT '',
    out_of_scope  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX followup_ticket ON followup(ticket_id, kind, id);

CREATE TABLE acceptance (
    id               INTEGER PRIMARY KEY,
    ticket_id        INTEGER NOT NULL UNIQUE REFERENCES ticket(id),
    dispatch_id      INTEGER REFERENCES dispatch_notice(id),
    kind             TEXT NOT NULL,
    at               INTEGER NOT NULL,
    actor_id         INTEGER NOT NULL REFERENCES staff(id),
    owner_opinion    TEXT NOT NULL DEFAULT '',
    file             TEXT NOT NULL DEFAULT '',
    director_id      INTEGER REFERENCES staff(id),
    cs_assistant_id  INTEGER REFERENCES staff(id),
    notice_note      TEXT NOT NULL DEFAULT ''
);
