//! Constraint violations in words: SQLite says "UNIQUE constraint failed: staff.name"; a clerk
//! reads "同名的员工已存在". Every `rusqlite::Error` becomes a [`StoreError`] through
//! [`classify`], so none of SQLite's English reaches the user, and the service tells the cases
//! apart by variant ([`StoreError::Exists`], [`StoreError::Missing`], [`StoreError::Refused`]),
//! never by text.
//!
//! Use cases that know better name the thing themselves (e.g. `staff::add` says which name);
//! this is the net under them.

use crate::StoreError;
use rusqlite::ffi;

/// What a UNIQUE key means, by the columns SQLite reports (`table.col, table.col`).
const UNIQUE_KEYS: &[(&str, &str)] = &[
    ("project.name", "同名的项目"),
    ("batch.project_id, batch.name", "该项目中同名的批次"),
    ("unit.project_id, unit.building, unit.entrance, unit.room", "该项目中相同楼栋、单元、房号的房屋"),
    ("owner_phone.owner_id, owner_phone.phone", "该业主的这个电话号码"),
    ("contractor.name", "同名的单位"),
    ("staff.name", "同名的员工"),
    ("ticket.no", "相同编号的报修单"),
    ("number_series.prefix, number_series.year", "该年度的编号序列"),
    ("import_file.kind, import_file.sha256", "相同内容的导入文件"),
    ("dispatch_notice.no", "相同编号的派工单"),
    ("acceptance.ticket_id", "该报修单的验收记录"),
    ("ticket_hold.ticket_id", "该报修单进行中的暂停"),
    ("escalation.key", "相同的升级事项"),
    ("countersign.request_id, countersign.role", "该角色的会签"),
    ("liability.batch_id, liability.part_class", "该批次该类部位的责任施工单位"),
    ("setting.key", "该设置项"),
];

/// Chinese names of the tables, for the keys and rules not listed above.
const TABLES: &[(&str, &str)] = &[
    ("project", "项目"),
    ("batch", "批次"),
    ("unit", "房屋"),
    ("owner", "业主"),
    ("owner_phone", "业主电话"),
    ("contractor", "单位"),
    ("staff", "员工"),
    ("report", "报修记录"),
    ("ticket", "报修单"),
    ("contact_attempt", "联系记录"),
    ("photo", "照片"),
    ("audit_log", "审计记录"),
    ("setting", "设置"),
    ("import_file", "导入文件"),
    ("dispatch_notice", "派工单"),
    ("followup", "跟进记录"),
    ("acceptance", "验收记录"),
    ("ticket_hold", "暂停记录"),
    ("escalation", "升级事项"),
    ("fund_ledger", "保修金台账"),
    ("ledger_entry", "保修金明细"),
    ("commission", "委托维修"),
    ("payment_request", "付款申请"),
    ("payment_line", "付款明细行"),
    ("countersign", "会签"),
    ("builder_alias", "单位别名"),
    ("reconciliation", "对账记录"),
    ("liability", "责任施工单位设置"),
];

fn table_name(t: &str) -> String {
    TABLES.iter().find(|(k, _)| *k == t).map_or_else(|| format!("数据表 {t} "), |(_, v)| (*v).to_string())
}

/// The store's error for a SQLite error: constraint violations in Chinese, the rest as they are.
pub(crate) fn classify(e: rusqlite::Error) -> StoreError {
    let (ext, msg) = match &e {
        rusqlite::Error::SqliteFailure(f, m) if f.code == rusqlite::ErrorCode::ConstraintViolation => (f.extended_code, m.clone().unwrap_or_default()),
        _ => return StoreError::Sqlite(e),
    };
    match ext {
        ffi::SQLITE_CONSTRAINT_UNIQUE | ffi::SQLITE_CONSTRAINT_PRIMARYKEY => StoreError::Exists(unique_thing(&msg)),
        ffi::SQLITE_CONSTRAINT_FOREIGNKEY => StoreError::Missing("所引用的记录不存在（或要删除的记录仍被其他记录引用），本次操作未保存".into()),
        ffi::SQLITE_CONSTRAINT_NOTNULL => {
            let cols = msg.rsplit(": ").next().unwrap_or_default();
            let (t, c) = cols.split_once('.').unwrap_or(("", cols));
            StoreError::Refused(format!("{}的 {c} 不能为空，本次操作未保存", table_name(t)))
        }
        ffi::SQLITE_CONSTRAINT_CHECK => StoreError::Refused(check_rule(&msg)),
        // Our triggers' RAISE(ABORT, '…') speak Chinese already (migration 0010 replaced the
        // English ones); anything else is named without SQLite's words.
        _ if !msg.is_ascii() => StoreError::Refused(msg),
        _ => StoreError::Refused("数据库规则不允许这次写入，本次操作未保存".into()),
    }
}

/// "UNIQUE constraint failed: staff.name" → "同名的员工".
fn unique_thing(msg: &str) -> String {
    let cols = msg.split_once(": ").map_or("", |(_, c)| c).trim();
    if let Some((_, name)) = UNIQUE_KEYS.iter().find(|(k, _)| *k == cols) {
        return (*name).to_string();
    }
    let table = cols.split('.').next().unwrap_or_default();
    format!("相同的{}记录", table_name(table).trim_end())
}

/// "CHECK constraint failed: kind IN ('Builder', …)" → the rule in words. SQLite names the
/// expression (or the constraint); every CHECK of our schema limits a column to its codes.
fn check_rule(msg: &str) -> String {
    let expr = msg.split_once(": ").map_or("", |(_, c)| c).trim();
    let column: String = expr.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
    if column.is_empty() {
        "数据库规则不允许这个值，本次操作未保存".into()
    } else {
        format!("字段 {column} 只能取规定的代码，本次操作未保存")
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::Store;

    fn store() -> Store {
        Store::open_in_memory().unwrap()
    }

    fn has_no_english(s: &str) -> bool {
        !s.contains("constraint") && !s.contains("failed") && !s.contains("UNIQUE") && !s.contains("FOREIGN")
    }

    #[test]
    fn a_duplicate_staff_name_is_named_in_chinese() {
        let s = store();
        let e = s
            .with_tx(|tx| {
                tx.execute("INSERT INTO staff(name, role, pin_hash) VALUES ('张三', 'FrontDesk', 'x')", [])?;
                tx.execute("INSERT INTO staff(name, role, pin_hash) VALUES ('张三', 'Steward', 'x')", [])?;
                Ok(())
            })
            .unwrap_err();
        assert!(matches!(e, StoreError::Exists(_)), "{e:?}");
        assert_eq!(e.to_string(), "同名的员工已存在");
    }

    #[test]
    fn a_missing_reference_says_it_does_not_exist() {
        let s = store();
        let e = s
            .with_tx(|tx| {
                tx.execute("INSERT INTO batch(project_id, name) VALUES (999, '一期')", [])?;
                Ok(())
            })
            .unwrap_err();
        assert!(matches!(e, StoreError::Missing(_)), "{e:?}");
        assert!(e.to_string().contains("不存在") && has_no_english(&e.to_string()), "{e}");
    }

    #[test]
    fn a_check_constraint_states_the_rule() {
        // contractor.kind has a CHECK since 0001; 0010's trigger answers first, so it is dropped
        // here to let SQLite's own CHECK speak, as it would in a file without the trigger.
        let s = store();
        let e = s
            .with_tx(|tx| {
                tx.execute("INSERT INTO contractor(name, kind) VALUES ('甲', 'Builder')", [])?;
                tx.execute_batch("DROP TRIGGER code_contractor_kind_update")?;
                tx.execute("UPDATE contractor SET kind = 'Nobody' WHERE id = 1", [])?;
                Ok(())
            })
            .unwrap_err();
        assert!(matches!(e, StoreError::Refused(_)), "{e:?}");
        assert_eq!(e.to_string(), "字段 kind 只能取规定的代码，本次操作未保存");
    }

    #[test]
    fn a_missing_value_names_the_table_in_chinese() {
        let s = store();
        let e = s
            .with_tx(|tx| {
                tx.execute("INSERT INTO project(name, code, created_at) VALUES ('P', NULL, 0)", [])?;
                Ok(())
            })
            .unwrap_err();
        assert!(matches!(e, StoreError::Refused(_)), "{e:?}");
        assert_eq!(e.to_string(), "项目的 code 不能为空，本次操作未保存");
    }

    #[test]
    fn a_trigger_of_0003_now_refuses_in_chinese() {
        let s = store();
        let e = s
            .with_tx(|tx| {
                tx.execute("INSERT INTO project(name, code, created_at) VALUES ('P', 'P', 0)", [])?;
                tx.execute("INSERT INTO escalation(kind, key, detail, raised_at) VALUES ('Complaint', 'k', '投诉', 0)", [])?;
                tx.execute("DELETE FROM escalation", [])?;
                Ok::<_, StoreError>(())
            })
            .unwrap_err();
        assert_eq!(e.to_string(), "升级事项只能追加，不能删除");
        assert!(e.refusal().is_some());
    }

    #[test]
    fn an_unknown_code_is_refused_on_write_with_its_column_named() {
        let s = store();
        let e = s
            .with_tx(|tx| {
                tx.execute("INSERT INTO staff(name, role, pin_hash) VALUES ('李四', 'Janitor', 'x')", [])?;
                Ok(())
            })
            .unwrap_err();
        assert!(matches!(e, StoreError::Refused(_)), "{e:?}");
        assert!(e.to_string().contains("staff") && e.to_string().contains("role"), "{e}");
    }
}
