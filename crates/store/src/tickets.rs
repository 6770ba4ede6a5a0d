//! Tickets, the calls (reports) they came from, the number series, and the search index.
//!
//! Lists are newest first (by id: the order tickets were recorded) and paged by keyset
//! (`before_id`), never by OFFSET, so the thousandth page costs what the first does.

use crate::Db;
use crate::{audit, code, contacts, from_unix, Result, StoreError};
use desk_domain::records::{Photo, TicketDetail, TicketSummary};
use desk_domain::search::{index_grams, SearchQuery};
use desk_domain::ticket::{Category, Channel, Classification, DefectNature, TicketStatus};
use rusqlite::types::ToSql;
use rusqlite::{params, OptionalExtension};

/// One call or visit (报修): the tickets recorded from it share it.
pub struct NewReport<'a> {
    pub channel: Channel,
    pub reported_at: i64,
    pub caller_name: &'a str,
    pub caller_phone: &'a str,
    pub caller_relation: &'a str,
    pub receptionist_id: i64,
}

pub fn insert_report(c: &Db, r: &NewReport) -> Result<i64> {
    c.execute(
        "INSERT INTO report(channel, reported_at, caller_name, caller_phone, caller_relation, receptionist_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![r.channel.code(), r.reported_at, r.caller_name, r.caller_phone, r.caller_relation, r.receptionist_id],
    )?;
    Ok(c.last_insert_rowid())
}

/// Takes the next number of a yearly series (inside the caller's transaction, so a rolled-back
/// intake gives its number back).
pub fn next_seq(c: &Db, prefix: &str, year: i32) -> Result<i64> {
    Ok(c.query_row(
        "INSERT INTO number_series(prefix, year, last) VALUES (?1, ?2, 1)
         ON CONFLICT(prefix, year) DO UPDATE SET last = last + 1 RETURNING last",
        params![prefix, year],
        |r| r.get(0),
    )?)
}

pub struct NewTicket<'a> {
    pub no: &'a str,
    pub report_id: i64,
    pub project_id: i64,
    pub unit_id: i64,
    pub building: &'a str,
    pub unit_address: &'a str,
    pub owner_id: Option<i64>,
    pub owner_name: &'a str,
    pub phone: &'a str,
    pub phone_suffix: &'a str,
    pub channel: Channel,
    pub description: &'a str,
    pub part: &'a str,
    pub category: Category,
    pub nature: DefectNature,
    pub classification: Option<Classification>,
    pub status: TicketStatus,
    pub reported_at: i64,
    pub required_by: Option<i64>,
    pub expected_visit: &'a str,
    pub receptionist_id: i64,
    pub steward_id: Option<i64>,
    pub linked_to: Option<i64>,
    pub now: i64,
}

pub fn insert(c: &Db, t: &NewTicket) -> Result<i64> {
    c.prepare_cached(
        "INSERT INTO ticket(no, report_id, project_id, unit_id, building, owner_id, owner_name, phone, phone_suffix, channel,
            description, part, category, nature, classification, status, reported_at, required_by, expected_visit,
            receptionist_id, steward_id, linked_to, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23)",
    )?
    .execute(params![
        t.no,
        t.report_id,
        t.project_id,
        t.unit_id,
        t.building,
        t.owner_id,
        t.owner_name,
        t.phone,
        t.phone_suffix,
        t.channel.code(),
        t.description,
        t.part,
        t.category.code(),
        t.nature.code(),
        t.classification.map(|x| x.code()),
        t.status.code(),
        t.reported_at,
        t.required_by,
        t.expected_visit,
        t.receptionist_id,
        t.steward_id,
        t.linked_to,
        t.now
    ])?;
    let id = c.last_insert_rowid();
    let text = format!("{} {} {} {} {}", t.owner_name, t.unit_address, t.part, t.category.label(), t.description);
    c.prepare_cached("INSERT INTO ticket_fts(rowid, grams) VALUES (?1, ?2)")?.execute(params![id, index_grams(&text)])?;
    Ok(id)
}

pub fn id_by_no(c: &Db, no: &str) -> Result<i64> {
    c.query_row("SELECT id FROM ticket WHERE no = ?1", [no], |r| r.get(0)).optional()?.ok_or_else(|| StoreError::not_found(format!("报修单「{no}」")))
}

/// (status, unit_id, part) — what the rules of a step need to know about a ticket.
pub fn status_of(c: &Db, id: i64) -> Result<TicketStatus> {
    c.query_row("SELECT status FROM ticket WHERE id = ?1", [id], |r| code::get(r, 0, "ticket", "status", id))
        .optional()?
        .ok_or_else(|| StoreError::not_found("报修单"))
}

pub fn set_status(c: &Db, id: i64, s: TicketStatus, now: i64) -> Result<()> {
    c.execute("UPDATE ticket SET status = ?2, updated_at = ?3 WHERE id = ?1", params![id, s.code(), now])?;
    Ok(())
}

pub fn set_classification(c: &Db, id: i64, x: Classification, now: i64) -> Result<()> {
    c.execute("UPDATE ticket SET classification = ?2, updated_at = ?3 WHERE id = ?1", params![id, x.code(), now])?;
    Ok(())
}

pub fn set_steward(c: &Db, id: i64, steward_id: i64, now: i64) -> Result<()> {
    c.execute("UPDATE ticket SET steward_id = ?2, updated_at = ?3 WHERE id = ?1", params![id, steward_id, now])?;
    Ok(())
}

pub fn count_all(c: &Db) -> Result<i64> {
    Ok(c.query_row("SELECT count(*) FROM ticket", [], |r| r.get(0))?)
}

const SUMMARY_SELECT: &str = "SELECT t.id, t.no, u.building || '-' || u.entrance || '-' || u.room, t.owner_name, t.phone, t.status,
        t.category, t.part, t.description, t.classification, s.name, t.reported_at
     FROM ticket t JOIN unit u ON u.id = t.unit_id LEFT JOIN staff s ON s.id = t.steward_id";

fn row_to_summary(r: &rusqlite::Row) -> rusqlite::Result<TicketSummary> {
    let id: i64 = r.get(0)?;
    Ok(TicketSummary {
        id,
        no: r.get(1)?,
        unit: r.get(2)?,
        owner: r.get(3)?,
        phone: r.get(4)?,
        status: code::get(r, 5, "ticket", "status", id)?,
        category: code::get(r, 6, "ticket", "category", id)?,
        part: r.get(7)?,
        description: r.get(8)?,
        classification: code::get_opt(r, 9, "ticket", "classification", id)?,
        steward: r.get(10)?,
        reported_at: from_unix(r.get(11)?),
    })
}

/// Open tickets at the same unit and part: offered at intake to link instead of duplicating.
pub fn open_at_same_place(c: &Db, unit_id: i64, part: &str) -> Result<Vec<TicketSummary>> {
    let mut stmt = c.prepare_cached(&format!(
        "{SUMMARY_SELECT} WHERE t.unit_id = ?1 AND t.part = ?2 AND t.status NOT IN ('Closed', 'Visited', 'OutOfScope', 'Cancelled') ORDER BY t.id DESC LIMIT 10"
    ))?;
    let rows = stmt.query_map(params![unit_id, part], row_to_summary)?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// `[1,2,3]` for `json_each`: ids are integers we read ourselves, so the text carries nothing else.
pub fn ids_json(ids: &[i64]) -> String {
    let parts: Vec<String> = ids.iter().map(|i| i.to_string()).collect();
    format!("[{}]", parts.join(","))
}

/// The summaries of the given tickets (any order).
pub fn summaries_by_ids(c: &Db, ids: &[i64]) -> Result<Vec<TicketSummary>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut stmt = c.prepare_cached(&format!("{SUMMARY_SELECT} WHERE t.id IN (SELECT value FROM json_each(?1))"))?;
    let rows = stmt.query_map([ids_json(ids)], row_to_summary)?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// The tickets of a unit, newest first (the caller's earlier reports).
pub fn of_unit(c: &Db, unit_id: i64, limit: u32) -> Result<Vec<TicketSummary>> {
    let mut stmt = c.prepare_cached(&format!("{SUMMARY_SELECT} WHERE t.unit_id = ?1 ORDER BY t.id DESC LIMIT ?2"))?;
    let rows = stmt.query_map(params![unit_id, limit], row_to_summary)?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// Filters of the ticket list; every one is optional.
#[derive(Debug, Clone)]
pub struct ListQuery {
    pub status: Option<TicketStatus>,
    pub steward_id: Option<i64>,
    pub building: Option<String>,
    pub category: Option<Category>,
    pub search: SearchQuery,
    /// Only these tickets (the deadline filters: computed from the clocks, not stored).
    pub only_ids: Option<Vec<i64>>,
    /// Keyset cursor: only tickets with a smaller id (the last id of the previous page).
    pub before_id: Option<i64>,
    pub limit: u32,
}

/// Builds FROM/WHERE for a list query. A free-text query drives from the FTS index (in rowid
/// order, newest first) so that a word found in 100,000 tickets still returns its first page at once.
fn where_clause(q: &ListQuery, with_cursor: bool) -> (String, Vec<Box<dyn ToSql>>) {
    let mut conds: Vec<String> = Vec::new();
    let mut args: Vec<Box<dyn ToSql>> = Vec::new();
    let mut from = "FROM ticket t".to_string();
    let mut id_col = "t.id";
    match &q.search {
        SearchQuery::Empty => {}
        SearchQuery::TicketNo(no) => {
            args.push(Box::new(no.clone()));
            conds.push(format!("t.no = ?{}", args.len()));
        }
        SearchQuery::Phone(p) => {
            args.push(Box::new(p.clone()));
            conds.push(format!("t.phone = ?{}", args.len()));
        }
        SearchQuery::PhoneSuffix(s) => {
            args.push(Box::new(s.clone()));
            conds.push(format!("t.phone_suffix = ?{}", args.len()));
        }
        SearchQuery::Unit(a) => {
            args.push(Box::new(a.building.clone()));
            args.push(Box::new(a.entrance.clone()));
            args.push(Box::new(a.room.clone()));
            let n = args.len();
            conds.push(format!("t.unit_id IN (SELECT id FROM unit WHERE building = ?{} AND entrance = ?{} AND room = ?{})", n - 2, n - 1, n));
        }
        SearchQuery::Text(m) => {
            from = "FROM ticket_fts f CROSS JOIN ticket t ON t.id = f.rowid".to_string();
            id_col = "f.rowid";
            args.push(Box::new(m.clone()));
            conds.push(format!("ticket_fts MATCH ?{}", args.len()));
        }
    }
    if let Some(ids) = &q.only_ids {
        args.push(Box::new(ids_json(ids)));
        conds.push(format!("t.id IN (SELECT value FROM json_each(?{}))", args.len()));
    }
    if let Some(s) = q.status {
        args.push(Box::new(s.code()));
        conds.push(format!("t.status = ?{}", args.len()));
    }
    if let Some(s) = q.steward_id {
        args.push(Box::new(s));
        conds.push(format!("t.steward_id = ?{}", args.len()));
    }
    if let Some(b) = &q.building {
        args.push(Box::new(b.clone()));
        conds.push(format!("t.building = ?{}", args.len()));
    }
    if let Some(cat) = q.category {
        args.push(Box::new(cat.code()));
        conds.push(format!("t.category = ?{}", args.len()));
    }
    if with_cursor {
        if let Some(b) = q.before_id {
            args.push(Box::new(b));
            conds.push(format!("{id_col} < ?{}", args.len()));
        }
    }
    let where_ = if conds.is_empty() { String::new() } else { format!(" WHERE {}", conds.join(" AND ")) };
    (format!("{from}{where_} ORDER BY {id_col} DESC"), args)
}

/// One page of the list, newest first.
pub fn list(c: &Db, q: &ListQuery) -> Result<Vec<TicketSummary>> {
    let (tail, mut args) = where_clause(q, true);
    args.push(Box::new(q.limit));
    // Pick the page's ids first (index-only where possible), then fetch the 50 rows with their joins.
    let sql = format!("{SUMMARY_SELECT} WHERE t.id IN (SELECT t.id {tail} LIMIT ?{n}) ORDER BY t.id DESC", n = args.len());
    let mut stmt = c.prepare_cached(&sql)?;
    let refs: Vec<&dyn ToSql> = args.iter().map(|b| b.as_ref()).collect();
    let rows = stmt.query_map(refs.as_slice(), row_to_summary)?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// How many tickets match, counting at most `cap` (a list header says "10000+" past that).
pub fn count(c: &Db, q: &ListQuery, cap: i64) -> Result<i64> {
    let (tail, mut args) = where_clause(q, false);
    args.push(Box::new(cap));
    let sql = format!("SELECT count(*) FROM (SELECT 1 {tail} LIMIT ?{})", args.len());
    let refs: Vec<&dyn ToSql> = args.iter().map(|b| b.as_ref()).collect();
    Ok(c.prepare_cached(&sql)?.query_row(refs.as_slice(), |r| r.get(0))?)
}

pub fn get_detail(c: &Db, id: i64) -> Result<TicketDetail> {
    let mut d = c
        .query_row(
            "SELECT t.id, t.no, t.report_id, t.unit_id, u.building || '-' || u.entrance || '-' || u.room, b.name, b.delivered_on,
                    t.owner_id, t.owner_name, t.phone, t.channel, r.caller_name, r.caller_relation, t.description, t.part,
                    t.category, t.nature, t.classification, t.status, t.reported_at, t.required_by, t.expected_visit,
                    rs.name, t.steward_id, ss.name, lt.no
             FROM ticket t JOIN unit u ON u.id = t.unit_id JOIN batch b ON b.id = u.batch_id
             JOIN report r ON r.id = t.report_id JOIN staff rs ON rs.id = t.receptionist_id
             LEFT JOIN staff ss ON ss.id = t.steward_id LEFT JOIN ticket lt ON lt.id = t.linked_to
             WHERE t.id = ?1",
            [id],
            |r| {
                let s = |i: usize| -> rusqlite::Result<String> { r.get(i) };
                let delivered: Option<String> = r.get(6)?;
                Ok(TicketDetail {
                    id: r.get(0)?,
                    no: s(1)?,
                    report_id: r.get(2)?,
                    unit_id: r.get(3)?,
                    unit: s(4)?,
                    batch_name: s(5)?,
                    delivered_on: delivered.and_then(|d| chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
                    owner_id: r.get(7)?,
                    owner: s(8)?,
                    phone: s(9)?,
                    channel: code::get(r, 10, "ticket", "channel", id)?,
                    caller_name: s(11)?,
                    caller_relation: s(12)?,
                    description: s(13)?,
                    part: s(14)?,
                    category: code::get(r, 15, "ticket", "category", id)?,
                    nature: code::get(r, 16, "ticket", "nature", id)?,
                    classification: code::get_opt(r, 17, "ticket", "classification", id)?,
                    status: code::get(r, 18, "ticket", "status", id)?,
                    next_statuses: Vec::new(),
                    reported_at: from_unix(r.get(19)?),
                    required_by: r.get::<_, Option<i64>>(20)?.map(from_unix),
                    expected_visit: s(21)?,
                    receptionist: s(22)?,
                    steward_id: r.get(23)?,
                    steward: r.get(24)?,
                    linked_to: r.get(25)?,
                    siblings: Vec::new(),
                    contacts: Vec::new(),
                    photos: Vec::new(),
                    dispatches: Vec::new(),
                    followups: Vec::new(),
                    acceptance: None,
                    timeline: Vec::new(),
                    // Filled by the service, which reads the project's deadline settings.
                    unreachable_close_ready: false,
                    max_failed_notices: 0,
                    arrival_tolerance_min: 0,
                    previous_ticket: None,
                    reopen_until: None,
                    reopens: Vec::new(),
                    running_hold: None,
                    phone_inquiries: Vec::new(),
                    major_matters: Vec::new(),
                    complaints: Vec::new(),
                    hand_overs: Vec::new(),
                    surveys: Vec::new(),
                    compensations: Vec::new(),
                })
            },
        )
        .optional()?
        .ok_or_else(|| StoreError::not_found("报修单"))?;
    let mut stmt = c.prepare_cached("SELECT no FROM ticket WHERE report_id = ?1 AND id <> ?2 ORDER BY id")?;
    d.siblings = stmt.query_map(params![d.report_id, d.id], |r| r.get(0))?.collect::<std::result::Result<_, _>>()?;
    d.next_statuses = d.status.next_statuses();
    d.contacts = contacts::list(c, id)?;
    d.photos = photos(c, id)?;
    d.dispatches = crate::repair::dispatches_of(c, id)?;
    d.followups = crate::repair::followups_of(c, id)?;
    d.acceptance = crate::repair::acceptance_of(c, id)?;
    d.timeline = audit::list_for(c, "ticket", id)?;
    d.previous_ticket = crate::paths::previous_of(c, id)?;
    d.reopens = crate::paths::reopens_of(c, id)?;
    d.running_hold = crate::paths::running_hold_view(c, id)?;
    d.phone_inquiries = crate::paths::phone_inquiries_of(c, id)?;
    d.major_matters = crate::matters::major_matters_of(c, id)?;
    d.complaints = crate::matters::complaints_of(c, id)?;
    d.hand_overs = crate::not_ours::hand_overs_of(c, id)?;
    d.surveys = crate::survey::surveys_of(c, id)?;
    d.compensations = crate::compensation::of_ticket(c, id)?;
    Ok(d)
}

pub fn insert_photo(c: &Db, ticket_id: i64, kind: &str, file: &str, now: i64, actor_id: i64) -> Result<i64> {
    c.execute("INSERT INTO photo(ticket_id, kind, file, added_at, actor_id) VALUES (?1, ?2, ?3, ?4, ?5)", params![ticket_id, kind, file, now, actor_id])?;
    Ok(c.last_insert_rowid())
}

fn photos(c: &Db, ticket_id: i64) -> Result<Vec<Photo>> {
    let mut stmt = c.prepare_cached("SELECT id, kind, file, added_at FROM photo WHERE ticket_id = ?1 ORDER BY id")?;
    let rows = stmt.query_map([ticket_id], |r| Ok(Photo { id: r.get(0)?, kind: r.get(1)?, file: r.get(2)?, added_at: from_unix(r.get(3)?) }))?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// The project a ticket belongs to.
pub fn project_of(c: &Db, id: i64) -> Result<i64> {
    Ok(c.query_row("SELECT project_id FROM ticket WHERE id = ?1", [id], |r| r.get(0))?)
}

/// The unit a ticket was reported at.
pub fn unit_of(c: &Db, id: i64) -> Result<i64> {
    Ok(c.query_row("SELECT unit_id FROM ticket WHERE id = ?1", [id], |r| r.get(0))?)
}

/// The original a ticket was linked to as a duplicate (id, number), if any.
pub fn original_of(c: &Db, id: i64) -> Result<Option<(i64, String)>> {
    Ok(c.query_row("SELECT o.id, o.no FROM ticket t JOIN ticket o ON o.id = t.linked_to WHERE t.id = ?1", [id], |r| Ok((r.get(0)?, r.get(1)?))).optional()?)
}

/// The duplicates of a ticket that are still open (they follow it when it ends).
pub fn open_duplicates_of(c: &Db, id: i64) -> Result<Vec<(i64, TicketStatus)>> {
    let mut stmt =
        c.prepare_cached("SELECT id, status FROM ticket WHERE linked_to = ?1 AND status NOT IN ('Closed', 'Visited', 'Cancelled', 'OutOfScope') ORDER BY id")?;
    let rows = stmt.query_map([id], |r| {
        let dup: i64 = r.get(0)?;
        Ok((dup, code::get(r, 1, "ticket", "status", dup)?))
    })?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}
