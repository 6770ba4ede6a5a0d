//! Duplicate reports (重复报修): a report the front desk linked, at intake, to an open ticket of
//! the same unit and part. It is that defect again, so it runs no clocks, raises no §5.2.2
//! escalation and has no on-time rates of its own (the store leaves it out of them); contacts
//! and dispatches are logged on the original, and it ends when the original ends.

use crate::error::{DeskError, DeskResult, ErrorKind};
use chrono::{DateTime, Utc};
use desk_domain::audit::AuditAction;
use desk_domain::ticket::TicketStatus;
use desk_store::{audit, tickets, Db};

/// Refuses a step of the repair on a duplicate while its original is open, naming the original.
pub(crate) fn refuse_on_duplicate(c: &Db, id: i64, what: &str) -> DeskResult<()> {
    if let Some((orig, no)) = tickets::original_of(c, id)? {
        if tickets::status_of(c, orig)?.is_open() {
            return Err(DeskError::new(ErrorKind::Refused, format!("此单是 {no} 的重复报修，{what}请在原单 {no} 上登记")));
        }
    }
    Ok(())
}

/// The original ended (`to`: 已关闭, 已取消 or 非保修范围): its open duplicates end with it, each
/// with a line in its timeline. A direct status change, not a step of the procedure: a duplicate
/// never went through the steps, its original did.
pub(crate) fn follow_original(c: &Db, id: i64, to: TicketStatus, now: DateTime<Utc>, actor: i64) -> DeskResult<()> {
    let dups = tickets::open_duplicates_of(c, id)?;
    if dups.is_empty() {
        return Ok(());
    }
    let no = desk_store::clocks::ticket_no(c, id)?;
    for (dup, from) in dups {
        tickets::set_status(c, dup, to, now.timestamp())?;
        audit::append(c, now, Some(actor), AuditAction::Status, "ticket", dup, &format!("状态：{} → {}（重复报修，随原单 {no}）", from.label(), to.label()))?;
    }
    Ok(())
}
