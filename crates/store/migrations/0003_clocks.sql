-- 0003: the procedure's clocks. Deadlines themselves are never stored (they are computed from
-- the events at read time); what is stored is what people decide: holds that pause a ticket's
-- clocks, and escalations to the project GM (§5.2.2), each raised once and acknowledged.

CREATE TABLE ticket_hold (
    id           INTEGER PRIMARY KEY,
    ticket_id    INTEGER NOT NULL REFERENCES ticket(id),
    from_at      INTEGER NOT NULL,
    until_at     INTEGER,                      -- NULL while the hold lasts
    reason       TEXT NOT NULL,
    actor_id     INTEGER NOT NULL REFERENCES staff(id),
    released_by  INTEGER REFERENCES staff(id)
);
CREATE INDEX ticket_hold_ticket ON ticket_hold(ticket_id, from_at);
-- At most one running hold per ticket.
CREATE UNIQUE INDEX ticket_hold_running ON ticket_hold(ticket_id) WHERE until_at IS NULL;
-- A hold is released once; its start, reason and author never change.
CREATE TRIGGER ticket_hold_release_once BEFORE UPDATE ON ticket_hold
WHEN OLD.until_at IS NOT NULL OR NEW.from_at <> OLD.from_at OR NEW.reason <> OLD.reason
     OR NEW.actor_id <> OLD.actor_id OR NEW.ticket_id <> OLD.ticket_id
BEGIN SELECT RAISE(ABORT, 'ticket_hold: only the release of a running hold may be written'); END;
CREATE TRIGGER ticket_hold_no_delete BEFORE DELETE ON ticket_hold
BEGIN SELECT RAISE(ABORT, 'ticket_hold is append-only'); END;

CREATE TABLE escalation (
    id               INTEGER PRIMARY KEY,
    kind             TEXT NOT NULL,           -- EscalationKind code
    -- What the escalation is about: a ticket, a unit, or a batch + category. The key makes
    -- "raised once" a constraint: e.g. 'OpenTooLong:ticket:42', 'BatchWideDefect:batch:3:Leak'.
    key              TEXT NOT NULL UNIQUE,
    ticket_id        INTEGER REFERENCES ticket(id),
    unit_id          INTEGER REFERENCES unit(id),
    batch_id         INTEGER REFERENCES batch(id),
    detail           TEXT NOT NULL,
    raised_at        INTEGER NOT NULL,
    raised_by        INTEGER REFERENCES staff(id),    -- NULL: detected by the desk
    acknowledged_at  INTEGER,
    acknowledged_by  INTEGER REFERENCES staff(id),
    ack_note         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX escalation_open ON escalation(acknowledged_at, raised_at);
CREATE INDEX escalation_ticket ON escalation(ticket_id);
CREATE TRIGGER escalation_no_delete BEFORE DELETE ON escalation
BEGIN SELECT RAISE(ABORT, 'escalation is append-only'); END;
CREATE TRIGGER escalation_ack_once BEFORE UPDATE ON escalation
WHEN OLD.acknowledged_at IS NOT NULL OR NEW.key <> OLD.key OR NEW.detail <> OLD.detail OR NEW.raised_at <> OLD.raised_at
BEGIN SELECT RAISE(ABORT, 'escalation: only the acknowledgement may be written, once'); END;


-- The ≥ 20 % rule (§5.2.2.4) asks, per unit of a batch, "has it a ticket of this category?".
CREATE INDEX ticket_unit_category ON ticket(unit_id, category);
