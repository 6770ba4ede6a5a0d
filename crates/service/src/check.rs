//! `wdesk check`: is the database sound? SQLite's own integrity check, plus the desk's
//! invariants (every ticket has its intake record in the audit log; no dangling references).

use crate::desk::Desk;
use crate::error::DeskResult;
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
        let c = self.store.conn();
        let mut problems: Vec<String> = self.store.integrity_problems()?.into_iter().map(|p| format!("数据库完整性：{p}")).collect();
        for no in audit::tickets_without_intake(c, 20)? {
            problems.push(format!("报修单 {no} 没有受理记录（审计日志缺失）"));
        }
        let fk = audit::foreign_key_problems(c)?;
        if fk > 0 {
            problems.push(format!("有 {fk} 条记录引用了不存在的数据（外键检查）"));
        }
        // The deposit ledger: every balance is the sum of its entries; reversals mirror what they reverse.
        for (id, builder, kept, sum) in desk_store::fund::balance_mismatches(c)? {
            problems.push(format!("保修金台账 #{id}（{builder}）的余额 {} 与分录合计 {} 不符",
                desk_domain::money::Fen(kept), desk_domain::money::Fen(sum)));
        }
        for (id, reason) in desk_store::fund::reversal_problems(c)? {
            problems.push(format!("保修金分录 #{id}：{reason}"));
        }
        Ok(CheckReport { ok: problems.is_empty(), problems })
    }
}
