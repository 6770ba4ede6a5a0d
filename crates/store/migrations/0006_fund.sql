-- 0006: the warranty-deposit fund (保修金使用管理工作流程, nodes A3 … D8, B4).
-- Money is integer fen. The ledger is append-only: corrections are reversing entries.

-- 保修金台账: one per project × builder × contract (node A3, built by the project dept at B2).
CREATE TABLE fund_ledger (
    id             INTEGER PRIMARY KEY,
    project_id     INTEGER NOT NULL REFERENCES project(id),
    contractor_id  INTEGER NOT NULL REFERENCES contractor(id),
    contract_no    TEXT NOT NULL DEFAULT '',
    contract_name  TEXT NOT NULL DEFAULT '',
    trade          TEXT NOT NULL DEFAULT '',        -- 专业/分包内容
    contract_fen   INTEGER,                          -- 合同金额
    settled_fen    INTEGER,                          -- 结算金额
    retention_bp   INTEGER,                          -- 保修金比例 in basis points (3 % = 300)
    deposit_fen    INTEGER,                          -- 保修金金额 (settled × rate, as agreed)
    period_start   TEXT,                             -- 缺陷责任期起 YYYY-MM-DD
    period_end     TEXT,                             -- 缺陷责任期止
    note           TEXT NOT NULL DEFAULT '',
    -- Σ credit − Σ debit of the entries, kept by the trigger below; `wdesk check` recomputes it.
    balance_fen    INTEGER NOT NULL DEFAULT 0,
    created_at     INTEGER NOT NULL,
    UNIQUE (project_id, contractor_id, contract_no)
);
CREATE INDEX fund_ledger_contractor ON fund_ledger(contractor_id);

-- 保修金明细: entries, never edited or deleted. A reversal (冲销) carries the negated amounts of
-- the entry it reverses (红字冲销) and points at it; an entry is reversed at most once.
CREATE TABLE ledger_entry (
    id                  INTEGER PRIMARY KEY,
    ledger_id           INTEGER NOT NULL REFERENCES fund_ledger(id),
    entry_date          TEXT NOT NULL,               -- business date YYYY-MM-DD
    kind                TEXT NOT NULL CHECK (kind IN ('Opening', 'Retention', 'Deduction', 'Refund', 'Adjustment', 'Reversal')),
    voucher_no          TEXT NOT NULL DEFAULT '',    -- 凭证号
    summary             TEXT NOT NULL DEFAULT '',    -- 摘要
    ticket_id           INTEGER REFERENCES ticket(id),
    ticket_no           TEXT NOT NULL DEFAULT '',    -- 报修单号 as written (the department's file may name one we lack)
    payment_request_id  INTEGER REFERENCES payment_request(id),
    payment_request_no  TEXT NOT NULL DEFAULT '',    -- 付款申请号
    credit_fen          INTEGER NOT NULL DEFAULT 0,  -- 计提/收取 (贷方)
    debit_fen           INTEGER NOT NULL DEFAULT 0,  -- 扣款/支付/退还 (借方)
    reverses_id         INTEGER UNIQUE REFERENCES ledger_entry(id),
    handler             TEXT NOT NULL DEFAULT '',    -- 经办人
    note                TEXT NOT NULL DEFAULT '',
    import_id           INTEGER REFERENCES import_file(id),
    source_row          INTEGER,                     -- row of the imported sheet
    at                  INTEGER NOT NULL,
    actor_id            INTEGER REFERENCES staff(id)
);
CREATE INDEX ledger_entry_ledger ON ledger_entry(ledger_id, entry_date, id);
CREATE INDEX ledger_entry_date ON ledger_entry(entry_date);
CREATE INDEX ledger_entry_ticket ON ledger_entry(ticket_id) WHERE ticket_id IS NOT NULL;
CREATE TRIGGER ledger_entry_no_update BEFORE UPDATE ON ledger_entry
BEGIN SELECT RAISE(ABORT, '保修金明细只能追加，不能修改；请做冲销分录'); END;
CREATE TRIGGER ledger_entry_no_delete BEFORE DELETE ON ledger_entry
BEGIN SELECT RAISE(ABORT, '保修金明细只能追加，不能删除；请做冲销分录'); END;
CREATE TRIGGER ledger_entry_balance AFTER INSERT ON ledger_entry
BEGIN
    UPDATE fund_ledger SET balance_fen = balance_fen + NEW.credit_fen - NEW.debit_fen WHERE id = NEW.ledger_id;
END;

-- 委托维修 (fund flow 4.2): a hired firm repairs a ticket the builder did not; the cost is
-- charged to the builder's deposit (ledger_id). C5 = the center confirms the repair passed.
CREATE TABLE commission (
    id             INTEGER PRIMARY KEY,
    ticket_id      INTEGER NOT NULL REFERENCES ticket(id),
    ledger_id      INTEGER NOT NULL REFERENCES fund_ledger(id),
    firm_id        INTEGER NOT NULL REFERENCES contractor(id),
    reason         TEXT NOT NULL,                    -- why the builder did not perform
    commissioned_at INTEGER NOT NULL,
    commissioned_by INTEGER NOT NULL REFERENCES staff(id),
    confirmed_at   INTEGER,                          -- C5
    confirmed_by   INTEGER REFERENCES staff(id),
    confirm_note   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX commission_ticket ON commission(ticket_id);

-- 付款申请 (C6) → 审核 (A7) → 会签 → 付款 (D8). One request per commission: paying twice is refused.
CREATE TABLE payment_request (
    id             INTEGER PRIMARY KEY,
    no             TEXT NOT NULL UNIQUE,             -- FK-2026-0001
    commission_id  INTEGER NOT NULL UNIQUE REFERENCES commission(id),
    status         TEXT NOT NULL CHECK (status IN ('Submitted', 'Reviewed', 'Countersigned', 'Paid')),
    requested_fen  INTEGER NOT NULL,
    approved_fen   INTEGER,
    submitted_at   INTEGER NOT NULL,
    submitted_by   INTEGER NOT NULL REFERENCES staff(id),
    reviewed_at    INTEGER,
    reviewed_by    INTEGER REFERENCES staff(id),
    review_note    TEXT NOT NULL DEFAULT '',
    paid_on        TEXT,                             -- D8 business date
    paid_voucher   TEXT,
    paid_at        INTEGER,
    paid_by        INTEGER REFERENCES staff(id),
    entry_id       INTEGER UNIQUE REFERENCES ledger_entry(id)  -- the deduction it produced
);

-- Line items as the firm requested them; A7 may change quantity/price, keeping the originals.
-- Quantities are thousandths (2.5 m² = 2500), so amounts stay exact integers of fen.
CREATE TABLE payment_line (
    id                  INTEGER PRIMARY KEY,
    request_id          INTEGER NOT NULL REFERENCES payment_request(id),
    seq                 INTEGER NOT NULL,
    kind                TEXT NOT NULL CHECK (kind IN ('Material', 'Labour', 'Other')),
    item                TEXT NOT NULL,
    unit                TEXT NOT NULL DEFAULT '',
    quantity_milli      INTEGER NOT NULL,
    unit_price_fen      INTEGER NOT NULL,
    amount_fen          INTEGER NOT NULL,
    reviewed_quantity_milli INTEGER,
    reviewed_unit_price_fen INTEGER,
    reviewed_amount_fen INTEGER,
    review_reason       TEXT NOT NULL DEFAULT '',
    UNIQUE (request_id, seq)
);

-- 会签: one signature per required role, each given with that person's PIN.
CREATE TABLE countersign (
    id          INTEGER PRIMARY KEY,
    request_id  INTEGER NOT NULL REFERENCES payment_request(id),
    role        TEXT NOT NULL,
    staff_id    INTEGER NOT NULL REFERENCES staff(id),
    opinion     TEXT NOT NULL DEFAULT '',
    at          INTEGER NOT NULL,
    UNIQUE (request_id, role)
);

-- The department's spelling of a builder, confirmed once by a user and remembered (B4).
CREATE TABLE builder_alias (
    id             INTEGER PRIMARY KEY,
    alias_norm     TEXT NOT NULL UNIQUE,             -- normalised spelling
    alias          TEXT NOT NULL,                    -- as first seen
    contractor_id  INTEGER NOT NULL REFERENCES contractor(id),
    at             INTEGER NOT NULL,
    actor_id       INTEGER REFERENCES staff(id)
);

-- 对账 (B4): each reconciliation run that was saved: who, when, which file, what came out.
CREATE TABLE reconciliation (
    id              INTEGER PRIMARY KEY,
    project_id      INTEGER NOT NULL REFERENCES project(id),
    quarter         TEXT NOT NULL,                   -- 2026Q3
    file_name       TEXT NOT NULL,
    sha256          TEXT NOT NULL,
    matched         INTEGER NOT NULL,
    only_theirs     INTEGER NOT NULL,
    only_ours       INTEGER NOT NULL,
    amount_differs  INTEGER NOT NULL,
    result_json     TEXT NOT NULL,
    at              INTEGER NOT NULL,
    actor_id        INTEGER REFERENCES staff(id)
);
CREATE INDEX reconciliation_quarter ON reconciliation(project_id, quarter, id);
