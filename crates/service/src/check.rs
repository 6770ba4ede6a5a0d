//! `wdesk check`: is the database sound? SQLite's own integrity check, plus the desk's
//! invariants (every ticket has its intake record in the audit log; no dangling references;
//! every code column holds a known code; every setting reads).

use crate::desk::Desk;
use crate::error::{DeskError, DeskResult};
use desk_store::audit;
use serde::Serialize;

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct CheckReport {
    pub ok: bool,
    pub problems: Vec<String>,
}

impl Desk {
    pub fn check(&self) -> DeskResult<CheckReport> {
        let reader = self.store.reader()?;
        let c = &reader.db();
        // A damaged file is a finding, not a failure of the check: whatever cannot be read is
        // listed as a problem (with the advice to restore a backup) and the rest still runs.
        let mut problems: Vec<String> = match self.store.integrity_problems() {
            Ok(found) => found.into_iter().map(|p| format!("数据库完整性：{p}")).collect(),
            Err(e) => vec![format!("数据库完整性：{}", DeskError::from(e).message)],
        };
        let invariants = || -> DeskResult<Vec<String>> {
            let mut problems = Vec::new();
            for no in audit::tickets_without_intake(c, 20)? {
                problems.push(format!("报修单 {no} 没有受理记录（审计日志缺失）"));
            }
            let fk = audit::foreign_key_problems(c)?;
            if fk > 0 {
                problems.push(format!("有 {fk} 条记录引用了不存在的数据（外键检查）"));
            }
            // The deposit ledger: every balance is the sum of its entries; reversals mirror what they reverse.
            for (id, builder, kept, sum) in desk_store::fund::balance_mismatches(c)? {
                problems.push(format!(
                    "保修金台账 #{id}（{builder}）的余额 {} 与分录合计 {} 不符",
                    desk_domain::money::Fen(kept),
                    desk_domain::money::Fen(sum)
                ));
            }
            for (id, reason) in desk_store::fund::reversal_problems(c)? {
                problems.push(format!("保修金分录 #{id}：{reason}"));
            }
            // Codes no enum knows (written before migration 0010 refused them, or by another
            // program): each would stop the page that reads its row, so each is named.
            for u in desk_store::code::unknown_codes(c, 20)? {
                problems.push(u.to_string());
            }
            // Settings the desk cannot read and is replacing with their defaults.
            for (key, value) in desk_store::settings::all(c)? {
                if let Some(d) = crate::settings::check_value(&key, &value) {
                    problems.push(d.message);
                }
            }
            Ok(problems)
        };
        match invariants() {
            Ok(found) => problems.extend(found),
            Err(e) => problems.push(format!("无法完成检查：{}", e.message)),
        }
        Ok(CheckReport { ok: problems.is_empty(), problems })
    }
}
