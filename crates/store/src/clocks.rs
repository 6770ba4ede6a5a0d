//! What the procedure's clocks are computed from: the events of every open ticket, read in bulk
//! (one query per event table, not one per ticket), plus holds and escalations.
//!
//! Nothing here computes a deadline: `desk_domain::clock` does, at read time, from these facts.

use crate::tickets::ids_json;
use crate::{code, from_unix, Result};
use desk_domain::clock::escalation::EscalationKind;
use desk_domain::clock::rules::{ContactFact, DispatchFact, FeedbackFact, HoldFact, NoticeFact, TicketFacts};
use desk_domain::ticket::{Category, TicketStatus};

use crate::Db;
use rusqlite::{params, OptionalExtension};
use std::collections::HashMap;

/// Statuses that still owe the owner something (Closed: the return visit, §5.1.5).
pub const WITH_DUTIES: &str = "('Reported','Contacted','Dispatched','InRepair','AwaitingAcceptance','Accepted','Closed')";

/// Per open ticket: its project, and the facts its clocks run on.
pub struct OpenTicket {
    pub id: i64,
    pub project_id: i64,
    pub facts: TicketFacts,
}

/// Every ticket that may owe a duty, with all its events. Only `ticket_ids` when given.
pub fn open_tickets(c: &Db, only: Option<&[i64]>) -> Result<Vec<OpenTicket>> {
    let filter = open_filter(only);
    Ok(join_facts(facts_first_half(c, &filter)?, facts_second_half(c, &filter)?))
}

/// [`open_tickets`] in two halves for two read connections that see one state
/// (`Store::read_pair`): 今日待办's counters are on every screen's header, and reading thousands
/// of open tickets' events is most of their time. Join them with [`join_facts`].
pub fn open_tickets_first_half(c: &Db) -> Result<FactsFirstHalf> {
    facts_first_half(c, &open_filter(None))
}

/// The other half of [`open_tickets_first_half`].
pub fn open_tickets_second_half(c: &Db) -> Result<FactsSecondHalf> {
    facts_second_half(c, &open_filter(None))
}

fn open_filter(only: Option<&[i64]>) -> String {
    let filter = match only {
        Some(ids) => format!("t.id IN (SELECT value FROM json_each('{}'))", ids_json(ids)),
        None => format!("t.status IN {WITH_DUTIES}"),
    };
    // A duplicate report runs no clocks of its own: its original owes the duties.
    format!("{filter} AND t.linked_to IS NULL")
}

/// Every defect ticket (not 已取消, not 非保修范围) reported in `[from, to)` (unix seconds), with
/// all its events — what the on-time rates of the statistics (§4.3.3) are computed from.
pub fn reported_between(c: &Db, from: i64, to: i64) -> Result<Vec<OpenTicket>> {
    // A duplicate has no clocks of its own, so it has no on-time rates either.
    let filter = format!("t.reported_at >= {from} AND t.reported_at < {to} AND t.status NOT IN ('Cancelled', 'OutOfScope') AND t.linked_to IS NULL");
    Ok(join_facts(facts_first_half(c, &filter)?, facts_second_half(c, &filter)?))
}

/// One event of a ticket: (ticket id, order key, tie-breaker, the fact).
type Event<T> = (i64, i64, i64, T);

/// A follow-up as read: (kind, at, ok, next due at).
type FollowupRow = (String, i64, bool, Option<i64>);

/// The tickets themselves, their contact attempts, acceptance and pauses (holds, closed spans).
pub struct FactsFirstHalf {
    tickets: Vec<OpenTicket>,
    contacts: Vec<Event<ContactFact>>,
    accepted: Vec<Event<i64>>,
    holds: Vec<Event<HoldFact>>,
}

impl FactsFirstHalf {
    /// The tickets read, their events not yet joined.
    pub fn tickets(&self) -> &[OpenTicket] {
        &self.tickets
    }
}

/// Their dispatch notices and follow-ups (site visits, feedback, re-checks, notices, visits).
pub struct FactsSecondHalf {
    dispatches: Vec<Event<DispatchFact>>,
    followups: Vec<Event<FollowupRow>>,
}

/// Each event table is read in one pass without ORDER BY — a sort of every event of a year
/// (millions of rows) in SQLite's sorter was most of the statistics' time — and put in order
/// here, per ticket, by the same keys: (time, id), or id for dispatch notices. `filter` is a
/// condition on `ticket t`, made by this module.
fn read_events<T>(c: &Db, sql: &str, filter: &str, row: impl Fn(&rusqlite::Row) -> rusqlite::Result<(i64, i64, T)>) -> Result<Vec<Event<T>>> {
    let mut stmt = c.prepare(&sql.replace("{filter}", filter))?;
    let mut rows = stmt.query([])?;
    let mut v = Vec::new();
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let (key, tie, x) = row(r)?;
        v.push((id, key, tie, x));
    }
    // Stable order per ticket: (ticket, key, tie); ids are unique, so no two rows compare equal.
    v.sort_unstable_by_key(|e| (e.0, e.1, e.2));
    Ok(v)
}

fn facts_first_half(c: &Db, filter: &str) -> Result<FactsFirstHalf> {
    let mut tickets: Vec<OpenTicket> = Vec::new();
    {
        let mut stmt =
            c.prepare(&format!("SELECT t.id, t.project_id, t.reported_at, t.status, t.classification FROM ticket t WHERE {filter} ORDER BY t.id"))?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            tickets.push(OpenTicket {
                id,
                project_id: r.get(1)?,
                facts: TicketFacts {
                    reported_at: from_unix(r.get(2)?),
                    status: code::get(r, 3, "ticket", "status", id)?,
                    classification: code::get_opt(r, 4, "ticket", "classification", id)?,
                    contacts: Vec::new(),
                    dispatches: Vec::new(),
                    site_visits: Vec::new(),
                    feedbacks: Vec::new(),
                    rechecks: Vec::new(),
                    accepted_at: None,
                    completion_notices: Vec::new(),
                    return_visits: Vec::new(),
                    holds: Vec::new(),
                },
            });
        }
    }
    if tickets.is_empty() {
        return Ok(FactsFirstHalf { tickets, contacts: Vec::new(), accepted: Vec::new(), holds: Vec::new() });
    }
    let contacts =
        read_events(c, "SELECT x.ticket_id, x.at, x.reached, x.id FROM ticket t JOIN contact_attempt x ON x.ticket_id = t.id WHERE {filter}", filter, |r| {
            let at: i64 = r.get(1)?;
            Ok((at, r.get(3)?, ContactFact { at: from_unix(at), reached: r.get(2)? }))
        })?;
    let accepted = read_events(c, "SELECT x.ticket_id, x.at FROM ticket t JOIN acceptance x ON x.ticket_id = t.id WHERE {filter}", filter, |r| {
        Ok((0, 0, r.get::<_, i64>(1)?))
    })?;
    let mut holds = read_events(
        c,
        "SELECT x.ticket_id, x.from_at, x.until_at, x.reason, x.id, x.upset_owner FROM ticket t JOIN ticket_hold x ON x.ticket_id = t.id WHERE {filter}",
        filter,
        |r| {
            let from: i64 = r.get(1)?;
            let reason: String = r.get(3)?;
            // §6.5: an upset owner's hold says who must act wherever it is shown.
            let reason = if r.get::<_, bool>(5)? { desk_domain::paths::upset_owner_hold_text(&reason) } else { reason };
            Ok((from, r.get(4)?, HoldFact { from: from_unix(from), until: r.get::<_, Option<i64>>(2)?.map(from_unix), reason }))
        },
    )?;
    // A reopened ticket's closed span is a pause (issue 14): its clocks run on from the reopening.
    holds.extend(read_events(
        c,
        "SELECT x.ticket_id, x.closed_at, x.at, x.id FROM ticket t JOIN ticket_reopen x ON x.ticket_id = t.id WHERE {filter}",
        filter,
        |r| {
            let from: i64 = r.get(1)?;
            Ok((from, r.get(3)?, HoldFact { from: from_unix(from), until: Some(from_unix(r.get(2)?)), reason: "已关闭（重新打开前）".to_string() }))
        },
    )?);
    Ok(FactsFirstHalf { tickets, contacts, accepted, holds })
}

fn facts_second_half(c: &Db, filter: &str) -> Result<FactsSecondHalf> {
    let dispatches = read_events(
        c,
        "SELECT x.ticket_id, x.issued_at, x.appointment_at, x.arrived_at, x.completed_at, x.promised_at, x.id
         FROM ticket t JOIN dispatch_notice x ON x.ticket_id = t.id WHERE {filter}",
        filter,
        |r| {
            let id: i64 = r.get(6)?;
            Ok((
                id,
                0,
                DispatchFact {
                    issued_at: from_unix(r.get(1)?),
                    appointment_at: from_unix(r.get(2)?),
                    arrived_at: r.get::<_, Option<i64>>(3)?.map(from_unix),
                    completed_at: r.get::<_, Option<i64>>(4)?.map(from_unix),
                    promised_at: r.get::<_, Option<i64>>(5)?.map(from_unix),
                },
            ))
        },
    )?;
    let followups = read_events(
        c,
        "SELECT x.ticket_id, x.kind, x.at, x.ok, x.next_due_at, x.id FROM ticket t JOIN followup x ON x.ticket_id = t.id WHERE {filter}",
        filter,
        |r| {
            let at: i64 = r.get(2)?;
            let kind: String = r.get(1)?;
            Ok((at, r.get(5)?, (kind, at, r.get::<_, bool>(3)?, r.get::<_, Option<i64>>(4)?)))
        },
    )?;
    Ok(FactsSecondHalf { dispatches, followups })
}

/// The tickets with their events in order. Events of a ticket the first half did not see (a
/// filter on a ticket's status read twice can only agree within one state, which `read_pair`
/// guarantees) are left out.
pub fn join_facts(first: FactsFirstHalf, second: FactsSecondHalf) -> Vec<OpenTicket> {
    let FactsFirstHalf { mut tickets, contacts, accepted, holds } = first;
    let index: HashMap<i64, usize> = tickets.iter().enumerate().map(|(i, t)| (t.id, i)).collect();
    let facts = |id: i64| index.get(&id).copied();
    for (id, _, _, x) in contacts {
        if let Some(i) = facts(id) {
            tickets[i].facts.contacts.push(x);
        }
    }
    for (id, _, _, x) in second.dispatches {
        if let Some(i) = facts(id) {
            tickets[i].facts.dispatches.push(x);
        }
    }
    for (id, _, _, (kind, at, ok, next)) in second.followups {
        let Some(i) = facts(id) else { continue };
        let f = &mut tickets[i].facts;
        let at = from_unix(at);
        match kind.as_str() {
            "SiteVisit" => f.site_visits.push(at),
            "Feedback" => f.feedbacks.push(FeedbackFact { at, next_due_at: next.map(from_unix) }),
            "Recheck" => f.rechecks.push(at),
            "CompletionNotice" => f.completion_notices.push(NoticeFact { at, reached: ok }),
            "ReturnVisit" => f.return_visits.push(at),
            _ => {}
        }
    }
    for (id, _, _, at) in accepted {
        if let Some(i) = facts(id) {
            tickets[i].facts.accepted_at = Some(from_unix(at));
        }
    }
    for (id, _, _, x) in holds {
        if let Some(i) = facts(id) {
            tickets[i].facts.holds.push(x);
        }
    }
    for t in &mut tickets {
        t.facts.holds.sort_by_key(|h| h.from);
    }
    tickets
}

// ---- holds ------------------------------------------------------------------------------------

/// A hold row, for the timeline.
pub struct HoldRow {
    pub id: i64,
    pub from_at: i64,
    pub until_at: Option<i64>,
    pub reason: String,
    pub actor: String,
    pub released_by: Option<String>,
}

pub fn running_hold(c: &Db, ticket_id: i64) -> Result<Option<i64>> {
    Ok(c.query_row("SELECT id FROM ticket_hold WHERE ticket_id = ?1 AND until_at IS NULL", [ticket_id], |r| r.get(0)).optional()?)
}

pub fn start_hold(c: &Db, ticket_id: i64, at: i64, reason: &str, actor_id: i64) -> Result<i64> {
    c.execute("INSERT INTO ticket_hold(ticket_id, from_at, reason, actor_id) VALUES (?1, ?2, ?3, ?4)", params![ticket_id, at, reason, actor_id])?;
    Ok(c.last_insert_rowid())
}

pub fn release_hold(c: &Db, hold_id: i64, at: i64, actor_id: i64) -> Result<()> {
    c.execute("UPDATE ticket_hold SET until_at = ?2, released_by = ?3 WHERE id = ?1", params![hold_id, at, actor_id])?;
    Ok(())
}

pub fn holds_of(c: &Db, ticket_id: i64) -> Result<Vec<HoldRow>> {
    let mut stmt = c.prepare_cached(
        "SELECT h.id, h.from_at, h.until_at, h.reason, a.name, r.name FROM ticket_hold h
         JOIN staff a ON a.id = h.actor_id LEFT JOIN staff r ON r.id = h.released_by
         WHERE h.ticket_id = ?1 ORDER BY h.from_at, h.id",
    )?;
    let rows = stmt.query_map([ticket_id], |r| {
        Ok(HoldRow { id: r.get(0)?, from_at: r.get(1)?, until_at: r.get(2)?, reason: r.get(3)?, actor: r.get(4)?, released_by: r.get(5)? })
    })?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

// ---- escalations ------------------------------------------------------------------------------

pub struct NewEscalation<'a> {
    pub kind: EscalationKind,
    pub key: &'a str,
    pub ticket_id: Option<i64>,
    pub unit_id: Option<i64>,
    pub batch_id: Option<i64>,
    pub detail: &'a str,
    pub raised_at: i64,
    pub raised_by: Option<i64>,
}

/// Raises an escalation unless one with the same key exists. Returns the new id, or None.
pub fn raise(c: &Db, e: &NewEscalation) -> Result<Option<i64>> {
    let n = c.execute(
        "INSERT INTO escalation(kind, key, ticket_id, unit_id, batch_id, detail, raised_at, raised_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT(key) DO NOTHING",
        params![e.kind.code(), e.key, e.ticket_id, e.unit_id, e.batch_id, e.detail, e.raised_at, e.raised_by],
    )?;
    Ok(if n == 1 { Some(c.last_insert_rowid()) } else { None })
}

pub struct EscalationRow {
    pub id: i64,
    pub kind: EscalationKind,
    pub ticket_no: Option<String>,
    pub unit: Option<String>,
    pub detail: String,
    pub raised_at: i64,
    pub raised_by: Option<String>,
    pub acknowledged_at: Option<i64>,
    pub acknowledged_by: Option<String>,
    pub ack_note: String,
}

/// Escalations, unacknowledged first, newest first; `ticket_id` narrows to one ticket.
pub fn escalations(c: &Db, ticket_id: Option<i64>, limit: u32) -> Result<Vec<EscalationRow>> {
    let mut stmt = c.prepare_cached(
        "SELECT e.id, e.kind, t.no, COALESCE(u.building || '-' || u.entrance || '-' || u.room, ut.building || '-' || ut.entrance || '-' || ut.room),
                e.detail, e.raised_at, rb.name, e.acknowledged_at, ab.name, e.ack_note
         FROM escalation e
         LEFT JOIN ticket t ON t.id = e.ticket_id
         LEFT JOIN unit u ON u.id = e.unit_id
         LEFT JOIN unit ut ON ut.id = t.unit_id
         LEFT JOIN staff rb ON rb.id = e.raised_by
         LEFT JOIN staff ab ON ab.id = e.acknowledged_by
         WHERE ?1 IS NULL OR e.ticket_id = ?1
         ORDER BY e.acknowledged_at IS NOT NULL, e.raised_at DESC, e.id DESC LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![ticket_id, limit], |r| {
        let id: i64 = r.get(0)?;
        Ok(EscalationRow {
            id,
            kind: code::get(r, 1, "escalation", "kind", id)?,
            ticket_no: r.get(2)?,
            unit: r.get(3)?,
            detail: r.get(4)?,
            raised_at: r.get(5)?,
            raised_by: r.get(6)?,
            acknowledged_at: r.get(7)?,
            acknowledged_by: r.get(8)?,
            ack_note: r.get(9)?,
        })
    })?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

pub fn count_unacknowledged(c: &Db) -> Result<i64> {
    Ok(c.query_row("SELECT count(*) FROM escalation WHERE acknowledged_at IS NULL", [], |r| r.get(0))?)
}

/// Returns false when the escalation is unknown or already acknowledged.
pub fn acknowledge(c: &Db, id: i64, at: i64, by: i64, note: &str) -> Result<bool> {
    let n = c.execute(
        "UPDATE escalation SET acknowledged_at = ?2, acknowledged_by = ?3, ack_note = ?4 WHERE id = ?1 AND acknowledged_at IS NULL",
        params![id, at, by, note],
    )?;
    Ok(n == 1)
}

/// (id, part, reported_at, finished_at, status, no) of one ticket of a unit.
pub type UnitHistoryRow = (i64, String, i64, Option<i64>, TicketStatus, String);

/// For the repeat-at-same-part and continuous-repairs checks: a unit's tickets as
/// (id, part, reported_at, finished_at, status, no) where finished_at is the acceptance time, if any.
pub fn unit_history(c: &Db, unit_id: i64) -> Result<Vec<UnitHistoryRow>> {
    let mut stmt = c.prepare_cached(
        "SELECT t.id, t.part, t.reported_at, a.at, t.status, t.no FROM ticket t LEFT JOIN acceptance a ON a.ticket_id = t.id
         WHERE t.unit_id = ?1 AND t.status NOT IN ('Cancelled', 'OutOfScope') AND t.linked_to IS NULL ORDER BY t.reported_at, t.id",
    )?;
    let rows = stmt.query_map([unit_id], |r| {
        let id: i64 = r.get(0)?;
        Ok((id, r.get(1)?, r.get(2)?, r.get(3)?, code::get(r, 4, "ticket", "status", id)?, r.get(5)?))
    })?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// For the ≥ 20 % rule (§5.2.2.4), checked when a ticket is recorded: (units in the batch,
/// units of the batch with a house-quality ticket of `category`). Index walks over one batch.
pub fn batch_spread(c: &Db, batch_id: i64, category: Category) -> Result<(i64, i64)> {
    let units: i64 = c.query_row("SELECT count(*) FROM unit WHERE batch_id = ?1", [batch_id], |r| r.get(0))?;
    // One index probe per unit (ticket_unit_category), not a walk over the batch's tickets.
    let with: i64 = c.query_row(
        "SELECT count(*) FROM unit u WHERE u.batch_id = ?1 AND EXISTS (
             SELECT 1 FROM ticket t WHERE t.unit_id = u.id AND t.category = ?2
             AND t.nature = 'HouseQuality' AND t.status NOT IN ('Cancelled', 'OutOfScope'))",
        params![batch_id, category.code()],
        |r| r.get(0),
    )?;
    Ok((units, with))
}

/// Whether an escalation with this key was raised already (then its checks need not run).
pub fn escalation_raised(c: &Db, key: &str) -> Result<bool> {
    Ok(c.query_row("SELECT EXISTS (SELECT 1 FROM escalation WHERE key = ?1)", [key], |r| r.get(0))?)
}

/// The tickets that already carry an escalation of `kind` (to raise only the new ones).
pub fn tickets_escalated(c: &Db, kind: EscalationKind) -> Result<std::collections::HashSet<i64>> {
    let mut stmt = c.prepare_cached("SELECT ticket_id FROM escalation WHERE kind = ?1 AND ticket_id IS NOT NULL")?;
    let rows = stmt.query_map([kind.code()], |r| r.get(0))?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// The units of a batch with a ticket of `category` (the list an escalation carries).
pub fn batch_units_with_category(c: &Db, batch_id: i64, category: Category) -> Result<Vec<String>> {
    let mut stmt = c.prepare_cached(
        "SELECT DISTINCT u.building || '-' || u.entrance || '-' || u.room FROM ticket t JOIN unit u ON u.id = t.unit_id
         WHERE u.batch_id = ?1 AND t.category = ?2 AND t.status NOT IN ('Cancelled', 'OutOfScope') ORDER BY 1",
    )?;
    let rows = stmt.query_map(params![batch_id, category.code()], |r| r.get(0))?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// The batch a unit was delivered in, with the batch's name.
pub fn unit_batch(c: &Db, unit_id: i64) -> Result<(i64, String)> {
    Ok(c.query_row("SELECT b.id, b.name FROM unit u JOIN batch b ON b.id = u.batch_id WHERE u.id = ?1", [unit_id], |r| Ok((r.get(0)?, r.get(1)?)))?)
}

/// A ticket's number (for messages).
pub fn ticket_no(c: &Db, id: i64) -> Result<String> {
    Ok(c.query_row("SELECT no FROM ticket WHERE id = ?1", [id], |r| r.get(0))?)
}

/// A unit's batch dates: (completion acceptance, delivery), as stored (`YYYY-MM-DD`).
pub fn batch_dates(c: &Db, unit_id: i64) -> Result<(Option<String>, Option<String>)> {
    Ok(c.query_row("SELECT b.completion_accepted_on, b.delivered_on FROM unit u JOIN batch b ON b.id = u.batch_id WHERE u.id = ?1", [unit_id], |r| {
        Ok((r.get(0)?, r.get(1)?))
    })?)
}
