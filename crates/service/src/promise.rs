//! §8.2.1 承诺完成时间: the completion time the contractor promised, recorded when it is given (at
//! the survey or on arrival) rather than only with the finish, so that 今日待办 holds the repair
//! to it (`DutyKind::PromisedCompletion`) and the statistics judge the completion against it.

use crate::desk::{Desk, Session};
use crate::error::{DeskError, DeskResult};
use crate::repair::refused;
use desk_domain::audit::AuditAction;
use desk_domain::records::TicketDetail;
use desk_domain::repair::check_not_before;
use desk_domain::ticket::TicketStatus;
use desk_domain::time::{fmt_local, parse_local};
use desk_store::{audit, repair, tickets};

/// A promise further away than this is a typing mistake (a year of repair is not a promise).
const MAX_PROMISE_DAYS: i64 = 366;

impl Desk {
    /// Records (or moves) the promised completion time of dispatch notice `dispatch_no`: the
    /// ticket's latest slip, not yet completed, while dispatched or in repair.
    pub fn promise_completion(&self, s: &Session, dispatch_no: &str, at: &str) -> DeskResult<TicketDetail> {
        let now = self.now();
        let promised = parse_local(at.trim(), "promised_at")?;
        self.store.with_tx(|tx| {
            let (ticket_id, d) = repair::dispatch_by_no(tx, dispatch_no.trim())?;
            let status = tickets::status_of(tx, ticket_id)?;
            if !matches!(status, TicketStatus::Dispatched | TicketStatus::InRepair) {
                return Err(refused(format!("报修单状态为「{}」，只有已派工或维修中的报修单可以登记承诺完成时间", status.label())));
            }
            let latest = repair::dispatches_of(tx, ticket_id)?.into_iter().max_by_key(|x| (x.issued_at, x.id));
            if latest.as_ref().is_some_and(|l| l.id != d.id) {
                return Err(refused(format!("调度单 {} 已被后来的调度单取代，请在最新的调度单上登记承诺完成时间", d.no)));
            }
            if d.completed_at.is_some() {
                return Err(refused(format!("调度单 {} 已完工", d.no)));
            }
            check_not_before("promised_at", "承诺完成时间", promised, &format!("调度单 {} 的签发时间", d.no), d.issued_at)?;
            if promised > now + chrono::Duration::days(MAX_PROMISE_DAYS) {
                return Err(DeskError::invalid("promised_at", format!("承诺完成时间「{}」超过一年，请检查日期", fmt_local(promised))));
            }
            repair::set_promised(tx, d.id, promised.timestamp())?;
            let before = d.promised_at.map(|p| format!("（原承诺 {}）", fmt_local(p))).unwrap_or_default();
            let detail = format!("{} 承诺完成时间 {}{before}（§8.2.1）", d.no, fmt_local(promised));
            audit::append(tx, now, Some(s.staff_id), AuditAction::PromiseCompletion, "ticket", ticket_id, &detail)?;
            Ok(tickets::get_detail(tx, ticket_id)?)
        })
    }
}
