//! Typed codes: every domain enum the store keeps as a text code is written and read through
//! [`StoredCode`], and [`CODE_COLUMNS`] lists every column that holds one.
//!
//! A stored value that is not a known code is an error naming the table, the row and the
//! value ([`UnknownCode`]) — never a default: a status read as 已报修 because the file was
//! damaged would send a steward to the wrong place without a word. Migration 0010 makes the
//! database refuse such values on write (its trigger lists are compared with [`CODE_COLUMNS`] by a
//! test), and `wdesk check` lists the rows that hold one from before ([`unknown_codes`]).
//!
//! The trait lives here, not in the domain, so the domain stays free of storage; `ToSql`/`FromSql`
//! cannot be implemented for the domain's enums in this crate (the orphan rule), so reads go
//! through [`get`] / [`get_opt`] and writes through [`StoredCode::code`].

use crate::{Db, Result};
use desk_domain::audit::AuditAction;
use desk_domain::clock::escalation::EscalationKind;
use desk_domain::compensation::CompensationPayer;
use desk_domain::coverage::PartClass;
use desk_domain::fund::ledger::EntryKind;
use desk_domain::fund::payment::{LineKind, PaymentStatus};
use desk_domain::fund::release::ReleaseDecision;
use desk_domain::matters::ComplaintLevel;
use desk_domain::not_ours::HandOverTo;
use desk_domain::records::ContractorKind;
use desk_domain::repair::{AcceptanceKind, DispatchReason, FollowUpKind, Satisfaction};
use desk_domain::staff::Role;
use desk_domain::ticket::{Category, Channel, Classification, DefectNature, TicketStatus};
use rusqlite::types::Type;
use rusqlite::Row;

/// A domain enum stored as a text code.
pub trait StoredCode: Sized + Copy + 'static {
    /// Every value, in the domain's order.
    fn all() -> &'static [Self];
    /// The stable code written to the database.
    fn stored(self) -> &'static str;
    /// The value of an exact stored code (no labels, no trimming: we wrote it).
    fn from_stored(s: &str) -> Option<Self> {
        Self::all().iter().copied().find(|x| x.stored() == s)
    }
    /// Every code, for the database's allowed lists and `check`.
    fn codes() -> Vec<&'static str> {
        Self::all().iter().map(|x| x.stored()).collect()
    }
}

macro_rules! stored_code {
    ($($t:ty => $all:expr),+ $(,)?) => {$(
        impl StoredCode for $t {
            fn all() -> &'static [Self] { $all }
            fn stored(self) -> &'static str { self.code() }
        }
    )+};
}

const ROLES: &[Role] = &Role::ALL;

stored_code! {
    Channel => Channel::ALL,
    Category => Category::ALL,
    Classification => Classification::ALL,
    DefectNature => DefectNature::ALL,
    TicketStatus => TicketStatus::ALL,
    Satisfaction => Satisfaction::ALL,
    AcceptanceKind => AcceptanceKind::ALL,
    FollowUpKind => FollowUpKind::ALL,
    EntryKind => EntryKind::ALL,
    PaymentStatus => PaymentStatus::ALL,
    LineKind => LineKind::ALL,
    ContractorKind => ContractorKind::ALL,
    Role => ROLES,
    EscalationKind => EscalationKind::ALL,
    PartClass => PartClass::ALL,
    AuditAction => AuditAction::ALL,
    DispatchReason => DispatchReason::ALL,
    ReleaseDecision => ReleaseDecision::ALL,
    ComplaintLevel => ComplaintLevel::ALL,
    HandOverTo => HandOverTo::ALL,
    CompensationPayer => CompensationPayer::ALL,
}

/// A stored value that is not a known code: where it is and what it says.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("数据表 {table} 第 {row} 行 {column} 的值「{value}」不是已知代码")]
pub struct UnknownCode {
    pub table: &'static str,
    pub row: i64,
    pub column: &'static str,
    pub value: String,
}

/// A stored business date that is not `YYYY-MM-DD`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("数据表 {table} 第 {row} 行 {column} 的值「{value}」不是有效日期")]
pub struct BadDate {
    pub table: &'static str,
    pub row: i64,
    pub column: &'static str,
    pub value: String,
}

/// Reads the code in column `idx` of a row of `table` (row id `row`). An unknown code comes back
/// as a conversion failure carrying [`UnknownCode`], which [`crate::StoreError`] unwraps.
pub(crate) fn get<T: StoredCode>(r: &Row, idx: usize, table: &'static str, column: &'static str, row: i64) -> rusqlite::Result<T> {
    let s: String = r.get(idx)?;
    parse(&s, idx, table, column, row)
}

/// [`get`] for a column that may be NULL (not decided yet, e.g. the classification).
pub(crate) fn get_opt<T: StoredCode>(r: &Row, idx: usize, table: &'static str, column: &'static str, row: i64) -> rusqlite::Result<Option<T>> {
    let s: Option<String> = r.get(idx)?;
    s.map(|s| parse(&s, idx, table, column, row)).transpose()
}

fn parse<T: StoredCode>(s: &str, idx: usize, table: &'static str, column: &'static str, row: i64) -> rusqlite::Result<T> {
    T::from_stored(s)
        .ok_or_else(|| rusqlite::Error::FromSqlConversionFailure(idx, Type::Text, Box::new(UnknownCode { table, row, column, value: s.to_string() })))
}

/// A code read outside a row closure (the value is already in hand).
pub(crate) fn known<T: StoredCode>(s: &str, table: &'static str, column: &'static str, row: i64) -> Result<T> {
    T::from_stored(s).ok_or_else(|| UnknownCode { table, row, column, value: s.to_string() }.into())
}

/// A column that holds a code, with its allowed codes and whether NULL is allowed.
pub struct CodeColumn {
    pub table: &'static str,
    pub column: &'static str,
    pub nullable: bool,
    /// Extra values besides the enum's codes (the liability table's '' = the general contractor).
    pub extra: &'static [&'static str],
    pub codes: fn() -> Vec<&'static str>,
}

impl CodeColumn {
    /// Every value the column may hold (NULL aside).
    pub fn allowed(&self) -> Vec<&'static str> {
        let mut v: Vec<&'static str> = self.extra.to_vec();
        v.extend((self.codes)());
        v
    }
}

const fn col(table: &'static str, column: &'static str, nullable: bool, codes: fn() -> Vec<&'static str>) -> CodeColumn {
    CodeColumn { table, column, nullable, extra: &[], codes }
}

/// Every code column of the schema. Migration 0010's triggers list exactly these (a test checks
/// it), and `wdesk check` scans them.
pub const CODE_COLUMNS: &[CodeColumn] = &[
    col("contractor", "kind", false, ContractorKind::codes),
    col("staff", "role", false, Role::codes),
    col("report", "channel", false, Channel::codes),
    col("ticket", "channel", false, Channel::codes),
    col("ticket", "category", false, Category::codes),
    col("ticket", "nature", false, DefectNature::codes),
    col("ticket", "classification", true, Classification::codes),
    col("ticket", "status", false, TicketStatus::codes),
    col("contact_attempt", "channel", false, Channel::codes),
    col("followup", "kind", false, FollowUpKind::codes),
    col("followup", "satisfaction", true, Satisfaction::codes),
    col("acceptance", "kind", false, AcceptanceKind::codes),
    col("acceptance_undone", "kind", false, AcceptanceKind::codes),
    col("escalation", "kind", false, EscalationKind::codes),
    col("ledger_entry", "kind", false, EntryKind::codes),
    col("payment_request", "status", false, PaymentStatus::codes),
    col("payment_line", "kind", false, LineKind::codes),
    col("countersign", "role", false, Role::codes),
    CodeColumn { table: "liability", column: "part_class", nullable: false, extra: &[""], codes: PartClass::codes },
    col("audit_log", "action", false, AuditAction::codes),
    col("dispatch_notice", "reason", false, DispatchReason::codes),
    col("deposit_release", "decision", true, ReleaseDecision::codes),
    col("developer_cost", "kind", false, LineKind::codes),
    col("complaint", "level", false, ComplaintLevel::codes),
    col("hand_over", "to_party", false, HandOverTo::codes),
    col("compensation", "payer", true, CompensationPayer::codes),
];

/// Rows whose code column holds a value that is not a known code (written before migration
/// 0010, or by another program), at most `limit` per column.
pub fn unknown_codes(c: &Db, limit: usize) -> Result<Vec<UnknownCode>> {
    let mut out = Vec::new();
    for cc in CODE_COLUMNS {
        let list = sql_list(&cc.allowed());
        let null = if cc.nullable { format!("{} IS NOT NULL AND ", cc.column) } else { String::new() };
        // Table and column names come from CODE_COLUMNS (ours), never from input.
        let sql = format!(
            "SELECT rowid, coalesce(CAST({col} AS TEXT), 'NULL') FROM {t} WHERE {null}({col} IS NULL OR {col} NOT IN ({list})) ORDER BY rowid LIMIT {limit}",
            col = cc.column,
            t = cc.table,
        );
        let mut stmt = c.prepare(&sql)?;
        let rows = stmt.query_map([], |r| Ok(UnknownCode { table: cc.table, row: r.get(0)?, column: cc.column, value: r.get(1)? }))?;
        for r in rows {
            out.push(r?);
        }
    }
    Ok(out)
}

/// The two triggers (insert, update) that refuse an unknown code in one code column, as
/// `(name, statement without its final semicolon)` — the text SQLite keeps in `sqlite_master`.
pub fn column_triggers(cc: &CodeColumn) -> Vec<(String, String)> {
    let list = sql_list(&cc.allowed());
    let (t, c) = (cc.table, cc.column);
    [("insert", "INSERT".to_string()), ("update", format!("UPDATE OF {c}"))]
        .into_iter()
        .map(|(op, on)| {
            // NULL NOT IN (…) is NULL, so NULL passes here and NOT NULL (where declared) answers.
            let name = format!("code_{t}_{c}_{op}");
            let sql = format!(
                "CREATE TRIGGER {name} BEFORE {on} ON {t}\nWHEN NEW.{c} NOT IN ({list})\nBEGIN SELECT RAISE(ABORT, '数据表 {t} 的 {c} 只能取已知代码，本次操作未保存'); END"
            );
            (name, sql)
        })
        .collect()
}

/// The triggers that refuse an unknown code in every code column, generated from
/// [`CODE_COLUMNS`]. Migration 0010 holds this text as it was then; a column or code added later
/// comes with a migration that drops and recreates that column's triggers, and a test compares
/// the triggers of a freshly migrated database with this text (and prints what to paste).
pub fn triggers_sql() -> String {
    CODE_COLUMNS.iter().flat_map(column_triggers).map(|(_, sql)| format!("{sql};\n")).collect()
}

/// `'a', 'b'` — codes are ASCII identifiers (letters, digits, `_`; checked by a test), so quoting is plain.
pub fn sql_list(codes: &[&str]) -> String {
    codes.iter().map(|c| format!("'{c}'")).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn every_code_is_a_plain_identifier_and_unique_in_its_column() {
        for cc in CODE_COLUMNS {
            let allowed = cc.allowed();
            for c in &allowed {
                assert!(c.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '_'), "{}.{}: {c}", cc.table, cc.column);
            }
            let mut sorted = allowed.clone();
            sorted.sort();
            sorted.dedup();
            assert_eq!(sorted.len(), allowed.len(), "{}.{} lists a code twice", cc.table, cc.column);
        }
    }

    #[test]
    fn the_migrated_schema_refuses_exactly_the_codes_of_the_enums() {
        // The triggers in force are those of the latest migration that wrote them (0010, or a
        // later one for a column or code added since). When this fails after an enum gained a
        // value: shipped migrations never change; add a migration with the printed text.
        let s = crate::Store::open_in_memory().unwrap();
        let mut stale = String::new();
        for cc in CODE_COLUMNS {
            for (name, want) in column_triggers(cc) {
                let have: Option<String> = s
                    .read(|db| {
                        let mut stmt = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?1")?;
                        let mut rows = stmt.query([&name])?;
                        Ok::<_, crate::StoreError>(match rows.next()? {
                            Some(r) => Some(r.get(0)?),
                            None => None,
                        })
                    })
                    .unwrap();
                if have.as_deref() != Some(want.as_str()) {
                    stale.push_str(&format!("DROP TRIGGER IF EXISTS {name};\n{want};\n"));
                }
            }
        }
        assert!(stale.is_empty(), "the schema's code triggers disagree with CODE_COLUMNS; a new migration needs:\n{stale}");
    }

    #[test]
    fn migration_0010_holds_the_generated_text_of_its_day() {
        // 0010 shipped with the generated text between its markers; every trigger it created
        // that no later migration replaced must still be that text (checked above), and the
        // markers must still frame statements (a hand edit would break the checksum anyway).
        let text = include_str!("../migrations/0010_codes.sql");
        let start = text.find(BEGIN).map(|i| i + BEGIN.len()).unwrap();
        let end = text.find(END).unwrap();
        assert!(text[start..end].starts_with("CREATE TRIGGER code_contractor_kind_insert"));
    }
    const BEGIN: &str = "-- BEGIN generated by desk_store::code::triggers_sql()\n";
    const END: &str = "-- END generated\n";

    #[test]
    fn every_code_column_of_the_schema_is_listed() {
        // A text column named like a code column that CODE_COLUMNS misses would go unchecked.
        let s = crate::Store::open_in_memory().unwrap();
        let listed: Vec<(String, String)> = CODE_COLUMNS.iter().map(|c| (c.table.to_string(), c.column.to_string())).collect();
        let found: Vec<(String, String)> = s
            .read(|db| {
                let mut stmt = db.prepare(
                    "SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p
                     WHERE m.type = 'table' AND p.name IN ('kind', 'status', 'role', 'channel', 'category', 'nature',
                       'classification', 'satisfaction', 'part_class')
                     ORDER BY 1, 2",
                )?;
                let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
                Ok::<_, crate::StoreError>(rows.collect::<rusqlite::Result<Vec<_>>>()?)
            })
            .unwrap();
        // Not domain enums: the photo's kind (Intake/Before/After, written by the service as
        // text) and the import file's kind (the importer's name).
        let free = [("import_file", "kind"), ("photo", "kind")];
        for (t, c) in found {
            if free.iter().any(|(ft, fc)| *ft == t && *fc == c) {
                continue;
            }
            assert!(listed.contains(&(t.clone(), c.clone())), "{t}.{c} holds codes but is not in CODE_COLUMNS");
        }
    }

    #[test]
    fn a_row_with_an_unknown_code_is_an_error_and_is_listed_by_check() {
        // A file written before 0010 (or by another program) may hold any text: the triggers are
        // dropped here to write one as such a file would.
        let s = crate::Store::open_in_memory().unwrap();
        s.with_tx(|db| {
            crate::staff::insert(db, "王五", Role::Steward, "x", "")?;
            db.execute_batch("DROP TRIGGER code_staff_role_insert")?;
            db.execute("INSERT INTO staff(name, role, pin_hash) VALUES ('赵六', 'Janitor', 'x')", [])?;
            Ok::<_, crate::StoreError>(())
        })
        .unwrap();
        let e = s.read(|db| crate::staff::list(db, true)).unwrap_err();
        assert!(matches!(e, crate::StoreError::UnknownCode(_)), "{e:?}");
        assert_eq!(e.to_string(), "数据表 staff 第 2 行 role 的值「Janitor」不是已知代码");
        // The good row still reads on its own, and check names exactly the bad one.
        assert_eq!(s.read(|db| crate::staff::get(db, 1)).unwrap().role, Role::Steward);
        let found = s.read(|db| unknown_codes(db, 10)).unwrap();
        assert_eq!(found, vec![UnknownCode { table: "staff", row: 2, column: "role", value: "Janitor".into() }]);
    }

    #[test]
    fn a_code_reads_back_only_exactly() {
        assert_eq!(TicketStatus::from_stored("Closed"), Some(TicketStatus::Closed));
        // Labels and padded codes are for typed input, never for what the store wrote.
        assert_eq!(TicketStatus::from_stored("已关闭"), None);
        assert_eq!(TicketStatus::from_stored(" Closed"), None);
        for r in Role::ALL {
            assert_eq!(Role::from_stored(r.stored()), Some(r));
        }
    }

    #[test]
    fn an_unknown_code_names_table_row_column_and_value() {
        let e = UnknownCode { table: "ticket", row: 12, column: "status", value: "xyz".into() };
        assert_eq!(e.to_string(), "数据表 ticket 第 12 行 status 的值「xyz」不是已知代码");
    }
}
