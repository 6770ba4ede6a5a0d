-- 0015: 保修金退还 (REGULATION.md §3, issue 14). One row per application on a builder contract's
-- ledger; each step fills its columns once (application → 14-day inspection → the director's
-- decision → payment, which books the refund entry). Rows are never deleted.
CREATE TABLE deposit_release (
    id                  INTEGER PRIMARY KEY,
    ledger_id           INTEGER NOT NULL REFERENCES fund_ledger(id),
    applied_on          TEXT NOT NULL,
    applicant           TEXT NOT NULL,
    applied_at          INTEGER NOT NULL,
    applied_by          INTEGER NOT NULL REFERENCES staff(id),
    inspected_at        INTEGER,
    inspected_by        INTEGER REFERENCES staff(id),
    open_tickets        INTEGER NOT NULL DEFAULT 0,
    open_ticket_nos     TEXT NOT NULL DEFAULT '',
    open_deductions_fen INTEGER NOT NULL DEFAULT 0,
    inspection_note     TEXT NOT NULL DEFAULT '',
    decision            TEXT,
    decided_on          TEXT,
    decided_at          INTEGER,
    decided_by          INTEGER REFERENCES staff(id),
    reason              TEXT NOT NULL DEFAULT '',
    amount_fen          INTEGER CHECK (amount_fen IS NULL OR amount_fen >= 0),
    paid_on             TEXT,
    paid_at             INTEGER,
    paid_by             INTEGER REFERENCES staff(id),
    voucher_no          TEXT NOT NULL DEFAULT '',
    entry_id            INTEGER UNIQUE REFERENCES ledger_entry(id)
);
CREATE INDEX deposit_release_ledger ON deposit_release(ledger_id, id);
-- One running application per ledger: not yet paid and not refused.
CREATE UNIQUE INDEX deposit_release_one_open ON deposit_release(ledger_id)
    WHERE paid_at IS NULL AND (decision IS NULL OR decision <> 'Refuse');
CREATE TRIGGER deposit_release_no_delete BEFORE DELETE ON deposit_release
BEGIN SELECT RAISE(ABORT, '保修金退还记录只能追加，不能删除'); END;
-- A step, once written, stays as written.
CREATE TRIGGER deposit_release_steps_once BEFORE UPDATE ON deposit_release
WHEN NEW.ledger_id <> OLD.ledger_id OR NEW.applied_on <> OLD.applied_on OR NEW.applied_at <> OLD.applied_at
  OR (OLD.inspected_at IS NOT NULL AND NEW.inspected_at IS NOT OLD.inspected_at)
  OR (OLD.decided_at IS NOT NULL AND (NEW.decided_at IS NOT OLD.decided_at OR NEW.decision IS NOT OLD.decision OR NEW.amount_fen IS NOT OLD.amount_fen))
  OR (OLD.paid_at IS NOT NULL)
BEGIN SELECT RAISE(ABORT, '保修金退还的每一步只记一次，不能修改'); END;

-- Developer-paid repairs (issue 14): what a repair the developer pays for cost, line by line
-- (materials and labour, as the commission's C6 lines: quantities in thousandths, amounts in
-- exact fen), on the ticket; totalled per project and month. `reason` is the director's when the
-- verdict named another payer. Append-only.
CREATE TABLE developer_cost (
    id             INTEGER PRIMARY KEY,
    ticket_id      INTEGER NOT NULL REFERENCES ticket(id),
    incurred_on    TEXT NOT NULL,
    kind           TEXT NOT NULL,
    item           TEXT NOT NULL,
    unit           TEXT NOT NULL DEFAULT '',
    quantity_milli INTEGER NOT NULL CHECK (quantity_milli > 0),
    unit_price_fen INTEGER NOT NULL CHECK (unit_price_fen >= 0),
    amount_fen     INTEGER NOT NULL CHECK (amount_fen >= 0),
    reason         TEXT NOT NULL DEFAULT '',
    at             INTEGER NOT NULL,
    actor_id       INTEGER NOT NULL REFERENCES staff(id)
);
CREATE INDEX developer_cost_ticket ON developer_cost(ticket_id);
CREATE INDEX developer_cost_month ON developer_cost(incurred_on);
CREATE TRIGGER developer_cost_no_update BEFORE UPDATE ON developer_cost
BEGIN SELECT RAISE(ABORT, '开发商承担的维修费用只能追加，不能修改'); END;
CREATE TRIGGER developer_cost_no_delete BEFORE DELETE ON developer_cost
BEGIN SELECT RAISE(ABORT, '开发商承担的维修费用只能追加，不能删除'); END;
-- The code triggers of the new columns, and audit_log.action with the new actions.
DROP TRIGGER IF EXISTS code_audit_log_action_insert;
CREATE TRIGGER code_audit_log_action_insert BEFORE INSERT ON audit_log
WHEN NEW.action NOT IN ('sign_in', 'sign_in_failed', 'print_full_phone', 'create_first_director', 'save_staff', 'save_project', 'save_batch', 'save_unit', 'save_contractor', 'choose_project', 'import_roster', 'intake', 'contact', 'classify', 'assign', 'status', 'photo', 'dispatch', 'arrival', 'SiteVisit', 'Feedback', 'finish', 'recheck', 'accept', 'notice', 'visit', 'hold', 'escalate', 'acknowledge', 'settings', 'export', 'export_owner_data', 'backup_settings', 'backup', 'export_f03', 'restore', 'import_ledger', 'add_ledger_entry', 'reverse_ledger_entry', 'confirm_builder_alias', 'save_reconciliation', 'commission', 'commission_confirm', 'countersign_roles', 'payment_submit', 'payment_review', 'payment_countersign', 'payment_pay', 'export_ledger', 'mark_f03_sent', 'promise_completion', 'reopen', 'change_phone', 'cs_department', 'release_apply', 'release_inspect', 'release_decide', 'release_pay', 'developer_cost')
BEGIN SELECT RAISE(ABORT, '数据表 audit_log 的 action 只能取已知代码，本次操作未保存'); END;
DROP TRIGGER IF EXISTS code_audit_log_action_update;
CREATE TRIGGER code_audit_log_action_update BEFORE UPDATE OF action ON audit_log
WHEN NEW.action NOT IN ('sign_in', 'sign_in_failed', 'print_full_phone', 'create_first_director', 'save_staff', 'save_project', 'save_batch', 'save_unit', 'save_contractor', 'choose_project', 'import_roster', 'intake', 'contact', 'classify', 'assign', 'status', 'photo', 'dispatch', 'arrival', 'SiteVisit', 'Feedback', 'finish', 'recheck', 'accept', 'notice', 'visit', 'hold', 'escalate', 'acknowledge', 'settings', 'export', 'export_owner_data', 'backup_settings', 'backup', 'export_f03', 'restore', 'import_ledger', 'add_ledger_entry', 'reverse_ledger_entry', 'confirm_builder_alias', 'save_reconciliation', 'commission', 'commission_confirm', 'countersign_roles', 'payment_submit', 'payment_review', 'payment_countersign', 'payment_pay', 'export_ledger', 'mark_f03_sent', 'promise_completion', 'reopen', 'change_phone', 'cs_department', 'release_apply', 'release_inspect', 'release_decide', 'release_pay', 'developer_cost')
BEGIN SELECT RAISE(ABORT, '数据表 audit_log 的 action 只能取已知代码，本次操作未保存'); END;
DROP TRIGGER IF EXISTS code_deposit_release_decision_insert;
CREATE TRIGGER code_deposit_release_decision_insert BEFORE INSERT ON deposit_release
WHEN NEW.decision NOT IN ('ReleaseAll', 'ReleaseBalance', 'Refuse')
BEGIN SELECT RAISE(ABORT, '数据表 deposit_release 的 decision 只能取已知代码，本次操作未保存'); END;
DROP TRIGGER IF EXISTS code_deposit_release_decision_update;
CREATE TRIGGER code_deposit_release_decision_update BEFORE UPDATE OF decision ON deposit_release
WHEN NEW.decision NOT IN ('ReleaseAll', 'ReleaseBalance', 'Refuse')
BEGIN SELECT RAISE(ABORT, '数据表 deposit_release 的 decision 只能取已知代码，本次操作未保存'); END;
DROP TRIGGER IF EXISTS code_developer_cost_kind_insert;
CREATE TRIGGER code_developer_cost_kind_insert BEFORE INSERT ON developer_cost
WHEN NEW.kind NOT IN ('Material', 'Labour', 'Other')
BEGIN SELECT RAISE(ABORT, '数据表 developer_cost 的 kind 只能取已知代码，本次操作未保存'); END;
DROP TRIGGER IF EXISTS code_developer_cost_kind_update;
CREATE TRIGGER code_developer_cost_kind_update BEFORE UPDATE OF kind ON developer_cost
WHEN NEW.kind NOT IN ('Material', 'Labour', 'Other')
BEGIN SELECT RAISE(ABORT, '数据表 developer_cost 的 kind 只能取已知代码，本次操作未保存'); END;
