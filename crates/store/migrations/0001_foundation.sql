-- 0001: the foundation — project master data, staff, tickets with their reports, contact
-- attempts, photos, the audit log, and the bigram search index.
-- Instants are INTEGER unix seconds (UTC); business dates are TEXT 'YYYY-MM-DD'.

CREATE TABLE project (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    code        TEXT NOT NULL,
    address     TEXT NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL
);

-- 期 / 交付批次: units delivered on one date (§5.2.2.4 counts per batch).
CREATE TABLE batch (
    id                      INTEGER PRIMARY KEY,
    project_id              INTEGER NOT NULL REFERENCES project(id),
    name                    TEXT NOT NULL,
    delivered_on            TEXT,
    completion_accepted_on  TEXT,
    UNIQUE (project_id, name)
);

CREATE TABLE unit (
    id          INTEGER PRIMARY KEY,
    project_id  INTEGER NOT NULL REFERENCES project(id),
    batch_id    INTEGER NOT NULL REFERENCES batch(id),
    building    TEXT NOT NULL,
    entrance    TEXT NOT NULL,
    room        TEXT NOT NULL,
    area_m2     REAL,
    UNIQUE (project_id, building, entrance, room)
);
CREATE INDEX unit_batch ON unit(batch_id);

CREATE TABLE owner (
    id       INTEGER PRIMARY KEY,
    unit_id  INTEGER NOT NULL REFERENCES unit(id),
    name     TEXT NOT NULL,
    note     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX owner_unit ON owner(unit_id);
CREATE INDEX owner_name ON owner(name);

CREATE TABLE owner_phone (
    id        INTEGER PRIMARY KEY,
    owner_id  INTEGER NOT NULL REFERENCES owner(id),
    phone     TEXT NOT NULL,
    suffix4   TEXT NOT NULL,
    UNIQUE (owner_id, phone)
);
CREATE INDEX owner_phone_phone ON owner_phone(phone);
CREATE INDEX owner_phone_suffix ON owner_phone(suffix4);

-- 施工单位 (builder with a warranty duty) / 维保单位 (maintenance firm).
CREATE TABLE contractor (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL UNIQUE,
    kind            TEXT NOT NULL CHECK (kind IN ('Builder', 'Maintenance')),
    trade           TEXT NOT NULL DEFAULT '',
    contact_person  TEXT NOT NULL DEFAULT '',
    phone           TEXT NOT NULL DEFAULT '',
    active          INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE staff (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    role          TEXT NOT NULL,
    pin_hash      TEXT NOT NULL,
    phone         TEXT NOT NULL DEFAULT '',
    active        INTEGER NOT NULL DEFAULT 1,
    failed_pins   INTEGER NOT NULL DEFAULT 0,
    locked_until  INTEGER
);

-- One call or visit; it may report several defects, each its own ticket.
CREATE TABLE report (
    id               INTEGER PRIMARY KEY,
    channel          TEXT NOT NULL,
    reported_at      INTEGER NOT NULL,
    caller_name      TEXT NOT NULL DEFAULT '',
    caller_phone     TEXT NOT NULL DEFAULT '',
    caller_relation  TEXT NOT NULL DEFAULT '',
    receptionist_id  INTEGER NOT NULL REFERENCES staff(id)
);

CREATE TABLE number_series (
    prefix  TEXT NOT NULL,
    year    INTEGER NOT NULL,
    last    INTEGER NOT NULL,
    PRIMARY KEY (prefix, year)
);

CREATE TABLE ticket (
    id               INTEGER PRIMARY KEY,
    no               TEXT NOT NULL UNIQUE,
    report_id        INTEGER NOT NULL REFERENCES report(id),
    project_id       INTEGER NOT NULL REFERENCES project(id),
    unit_id          INTEGER NOT NULL REFERENCES unit(id),
    building         TEXT NOT NULL,          -- copied from the unit: the list filters on it
    owner_id         INTEGER REFERENCES owner(id),
    owner_name       TEXT NOT NULL,          -- as reported (owners change; the record must not)
    phone            TEXT NOT NULL,
    phone_suffix     TEXT NOT NULL,
    channel          TEXT NOT NULL,
    description      TEXT NOT NULL,
    part             TEXT NOT NULL,
    category         TEXT NOT NULL,
    nature           TEXT NOT NULL DEFAULT 'HouseQuality',
    classification   TEXT,
    status           TEXT NOT NULL,
    reported_at      INTEGER NOT NULL,
    required_by      INTEGER,
    expected_visit   TEXT NOT NULL DEFAULT '',
    receptionist_id  INTEGER NOT NULL REFERENCES staff(id),
    steward_id       INTEGER REFERENCES staff(id),
    linked_to        INTEGER REFERENCES ticket(id),
    updated_at       INTEGER NOT NULL
);
-- Keyset pages, newest first (id grows with entry), for each filter the list offers.
CREATE INDEX ticket_status ON ticket(status, id);
CREATE INDEX ticket_steward ON ticket(steward_id, id);
CREATE INDEX ticket_status_steward ON ticket(status, steward_id, id);
CREATE INDEX ticket_building ON ticket(building, id);
CREATE INDEX ticket_category ON ticket(category, id);
CREATE INDEX ticket_unit ON ticket(unit_id, id);
CREATE INDEX ticket_phone ON ticket(phone, id);
CREATE INDEX ticket_phone_suffix ON ticket(phone_suffix, id);
CREATE INDEX ticket_report ON ticket(report_id);

CREATE TABLE contact_attempt (
    id         INTEGER PRIMARY KEY,
    ticket_id  INTEGER NOT NULL REFERENCES ticket(id),
    at         INTEGER NOT NULL,
    channel    TEXT NOT NULL,
    reached    INTEGER NOT NULL,
    note       TEXT NOT NULL DEFAULT '',
    actor_id   INTEGER NOT NULL REFERENCES staff(id)
);
CREATE INDEX contact_attempt_ticket ON contact_attempt(ticket_id, at);

CREATE TABLE photo (
    id         INTEGER PRIMARY KEY,
    ticket_id  INTEGER NOT NULL REFERENCES ticket(id),
    kind       TEXT NOT NULL,                -- Intake / Before / After
    file       TEXT NOT NULL,                -- relative to the data folder
    added_at   INTEGER NOT NULL,
    actor_id   INTEGER NOT NULL REFERENCES staff(id)
);
CREATE INDEX photo_ticket ON photo(ticket_id);

-- Who changed what, when. Append-only: the triggers below refuse UPDATE and DELETE.
CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    at         INTEGER NOT NULL,
    actor_id   INTEGER REFERENCES staff(id),
    action     TEXT NOT NULL,
    entity     TEXT NOT NULL,
    entity_id  INTEGER NOT NULL,
    detail     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_entity ON audit_log(entity, entity_id, id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, '审计记录只能追加，不能修改'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, '审计记录只能追加，不能删除'); END;

-- Free-text search: bigrams of owner name, unit, part, description (see desk_domain::search).
-- rowid = ticket.id; contentless, so the index holds only tokens.
CREATE VIRTUAL TABLE ticket_fts USING fts5(
    grams, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 0'
);

CREATE TABLE setting (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);

-- Files imported, so that a re-import after a crash cannot double them.
CREATE TABLE import_file (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL,
    sha256     TEXT NOT NULL,
    file_name  TEXT NOT NULL,
    rows       INTEGER NOT NULL,
    at         INTEGER NOT NULL,
    actor_id   INTEGER REFERENCES staff(id),
    UNIQUE (kind, sha256)
);
