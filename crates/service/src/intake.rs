//! Intake (§5.1.1, §8.1): find the caller (phone, its last digits, unit, part of a unit, name),
//! record one call with one or more defects.

use crate::desk::{Desk, Session};
use crate::error::{DeskError, DeskResult};
use desk_domain::audit::AuditAction;
use desk_domain::phone::Phone;
use desk_domain::records::{OwnerRecord, TicketSummary, UnitRecord};
use desk_domain::search::{classify, SearchQuery};
use desk_domain::ticket::{self, Category, Channel, Classification, DefectNature, TicketStatus};
use desk_domain::time::{fmt_local, parse_local};
use desk_domain::unit::{parse_partial, UnitAddress};
use desk_store::{audit, contacts, master, staff, tickets};
use serde::{Deserialize, Serialize};

/// What the clerk sees after typing a phone number, its last 4 digits, a unit, part of a unit
/// (`1502`, `3号楼1502`) or a name.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct CallerLookup {
    pub units: Vec<UnitRecord>,
    /// The owners the query itself matched (by phone, its last 4 digits or name): the one to
    /// fill in when a unit is chosen. Their co-owners are only offered beside them.
    pub matched_owner_ids: Vec<i64>,
    /// Earlier reports of those units, newest first; the UI shows the chosen unit's.
    pub tickets: Vec<TicketSummary>,
}

#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct DefectInput {
    pub description: String,
    pub part: String,
    pub category: Category,
    pub nature: Option<DefectNature>,
    pub classification: Option<Classification>,
    pub steward_id: Option<i64>,
    /// 要求完成时间, local time text.
    pub required_by: Option<String>,
    /// 期望上门时间, as the owner said it.
    pub expected_visit: String,
    /// Ticket number of an open ticket at the same place that this one repeats.
    pub link_to: Option<String>,
    /// Ticket number of a closed ticket of the same failure, closed longer ago than the reopen
    /// window: the new ticket follows it and counts as a second repair at the spot (§5.2.2.2).
    #[serde(default)]
    pub previous: Option<String>,
    /// Image files to copy into the data folder.
    pub photos: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct ReportInput {
    pub channel: Channel,
    /// Local time text; empty means now.
    pub reported_at: Option<String>,
    /// `3-2-1502`.
    pub unit: String,
    pub owner_id: Option<i64>,
    pub owner_name: String,
    pub phone: String,
    /// Who called, when relayed (代为转告) or not the owner.
    pub caller_name: String,
    pub caller_relation: String,
    pub defects: Vec<DefectInput>,
}

impl Desk {
    /// Finds the caller by phone (whole or last 4 digits), unit (`3-2-1502`), part of a unit
    /// (`1502`, `3号楼1502`, `3-1502`: the candidate units) or owner name. Four digits are both a
    /// phone's last digits and a room: the phone matches come first.
    pub fn lookup_caller(&self, q: &str) -> DeskResult<CallerLookup> {
        let project = self.active_project()?;
        let reader = self.store.reader()?;
        let c = &reader.db();
        let query = classify(q);
        let mut units = match &query {
            SearchQuery::Empty | SearchQuery::TicketNo(_) => Vec::new(),
            SearchQuery::Phone(p) => master::units_by_phone(c, p)?,
            SearchQuery::PhoneSuffix(s) => master::units_by_phone_suffix(c, s)?,
            SearchQuery::Unit(a) => match master::find_unit(c, project.id, a)? {
                Some(id) => vec![master::get_unit(c, id)?],
                None => Vec::new(),
            },
            SearchQuery::Text(_) => master::units_by_owner_name(c, q.trim())?,
        };
        if let Some(p) = parse_partial(q) {
            for u in master::units_by_room(c, project.id, p.building.as_deref(), &p.room)? {
                if !units.iter().any(|x| x.id == u.id) {
                    units.push(u);
                }
            }
        }
        let matched_owner_ids = units.iter().flat_map(|u| &u.owners).filter(|o| owner_matches(&query, q.trim(), o)).map(|o| o.id).collect();
        let mut found = Vec::new();
        for u in &units {
            found.extend(tickets::of_unit(c, u.id, 20)?);
        }
        found.sort_by_key(|t| std::cmp::Reverse(t.id));
        Ok(CallerLookup { units, matched_owner_ids, tickets: found })
    }

    /// Open tickets at the same unit and part: shown at intake with an offer to link.
    pub fn open_tickets_at(&self, unit: &str, part: &str) -> DeskResult<Vec<TicketSummary>> {
        let project = self.active_project()?;
        let address: UnitAddress = unit.parse()?;
        let reader = self.store.reader()?;
        let c = &reader.db();
        match master::find_unit(c, project.id, &address)? {
            Some(id) => Ok(tickets::open_at_same_place(c, id, part.trim())?),
            None => Ok(Vec::new()),
        }
    }

    /// Records one call: each defect becomes its own ticket, all linked to the same report.
    pub fn record_report(&self, s: &Session, r: ReportInput) -> DeskResult<Vec<TicketSummary>> {
        let project = self.active_project()?;
        let now = self.now();
        let address: UnitAddress = r.unit.parse()?;
        let phone = Phone::parse(&r.phone)?;
        let reported_at = match r.reported_at.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            Some(t) => parse_local(t, "reported_at")?,
            None => now,
        };
        if reported_at > now + chrono::Duration::minutes(5) {
            return Err(DeskError::invalid("reported_at", format!("报修时间 {} 晚于现在，请检查", fmt_local(reported_at))));
        }
        if r.defects.is_empty() {
            return Err(DeskError::invalid("defects", "请至少填写一项报修内容"));
        }
        let caller_name = desk_domain::ticket::validate_text("caller_name", "报修人", &r.caller_name, 40, r.channel == Channel::Relayed)?;
        let relation = desk_domain::ticket::validate_text("caller_relation", "与业主关系", &r.caller_relation, 20, false)?;
        let mut defects = Vec::new();
        for (i, d) in r.defects.iter().enumerate() {
            defects.push(check_defect(i, d, reported_at)?);
        }
        let reader = self.store.reader()?;
        let c = &reader.db();
        let unit_id = master::find_unit(c, project.id, &address)?
            .ok_or_else(|| DeskError::invalid("unit", format!("房号「{address}」在项目「{}」中不存在，请核对房号或先在基础资料中登记", project.name)))?;
        let owners = master::owners_of_unit(c, unit_id)?;
        let owner = match r.owner_id {
            Some(id) => Some(owners.iter().find(|o| o.id == id).ok_or_else(|| DeskError::invalid("owner_id", "所选业主不属于该房屋"))?),
            None => owners.iter().find(|o| o.phones.iter().any(|p| p == phone.as_str())).or(owners.first()),
        };
        let owner_name = match (r.owner_name.trim(), owner) {
            ("", Some(o)) => o.name.clone(),
            ("", None) => return Err(DeskError::invalid("owner_name", "请填写业主姓名")),
            (n, _) => desk_domain::ticket::validate_text("owner_name", "业主姓名", n, 40, true)?,
        };
        for d in &defects {
            if let Some(sid) = d.steward_id {
                let m = staff::get(c, sid)?;
                if !m.role.can_own_tickets() || !m.active {
                    return Err(DeskError::invalid("steward_id", format!("「{}」不是在岗的保修管家或保修主任，不能作为责任人", m.name)));
                }
            }
        }
        let photos_dir = self.data_dir.join("photos");
        let data_dir = self.data_dir.clone();
        self.store.with_tx(|tx| {
            let report_id = tickets::insert_report(
                tx,
                &tickets::NewReport {
                    channel: r.channel,
                    reported_at: reported_at.timestamp(),
                    caller_name: &caller_name,
                    caller_phone: phone.as_str(),
                    caller_relation: &relation,
                    receptionist_id: s.staff_id,
                },
            )?;
            let mut created = Vec::new();
            for d in &defects {
                let year = chrono::Datelike::year(&desk_domain::time::local_date(reported_at));
                let no = ticket::ticket_no(year, tickets::next_seq(tx, "BX", year)?);
                // A duplicate is linked to an open ticket of the same unit; a closed one's
                // defect coming back is a new repair (§5.2.2.2), not a duplicate.
                let linked_to = match &d.link_to {
                    Some(no) => {
                        let orig = tickets::id_by_no(tx, no)?;
                        let status = tickets::status_of(tx, orig)?;
                        if !status.is_open() {
                            return Err(DeskError::invalid(
                                "link_to",
                                format!("报修单 {no} 已{}，不能作为重复报修关联：请作为新报修登记（将计入同一部位再次维修）", status.label()),
                            ));
                        }
                        if tickets::project_of(tx, orig)? != project.id || tickets::unit_of(tx, orig)? != unit_id {
                            return Err(DeskError::invalid("link_to", format!("报修单 {no} 不是房号「{address}」的报修，不能关联为重复报修")));
                        }
                        Some(orig)
                    }
                    None => None,
                };
                // After the reopen window a closed ticket's failure is a new ticket that follows it.
                let previous = match &d.previous {
                    Some(no) => {
                        let prev = tickets::id_by_no(tx, no)?;
                        if tickets::project_of(tx, prev)? != project.id || tickets::unit_of(tx, prev)? != unit_id {
                            return Err(DeskError::invalid("previous", format!("报修单 {no} 不是房号「{address}」的报修，不能作为原报修单")));
                        }
                        let window = crate::clocks::deadlines_of(tx, project.id)?.reopen_window_days;
                        let closed = desk_store::paths::closed_at(tx, prev)?.map(desk_store::from_unix);
                        desk_domain::paths::check_previous(no, tickets::status_of(tx, prev)?, closed, now, window)?;
                        Some(prev)
                    }
                    None => None,
                };
                let id = tickets::insert(
                    tx,
                    &tickets::NewTicket {
                        no: &no,
                        report_id,
                        project_id: project.id,
                        unit_id,
                        building: &address.building,
                        unit_address: &address.to_string(),
                        owner_id: owner.map(|o| o.id),
                        owner_name: &owner_name,
                        phone: phone.as_str(),
                        phone_suffix: &phone.suffix4(),
                        channel: r.channel,
                        description: &d.description,
                        part: &d.part,
                        category: d.category,
                        nature: d.nature,
                        classification: d.classification,
                        status: TicketStatus::Reported,
                        reported_at: reported_at.timestamp(),
                        required_by: d.required_by.map(|t| t.timestamp()),
                        expected_visit: &d.expected_visit,
                        receptionist_id: s.staff_id,
                        steward_id: d.steward_id,
                        linked_to,
                        now: now.timestamp(),
                    },
                )?;
                let mut detail = format!("受理报修（{}）：{} {}，{}", r.channel.label(), address, d.part, d.category.label());
                if let Some(l) = &d.link_to {
                    detail.push_str(&format!("；与 {l} 为同一部位的重复报修"));
                }
                if let (Some(prev), Some(p)) = (previous, &d.previous) {
                    desk_store::paths::set_previous(tx, id, prev)?;
                    detail.push_str(&format!("；原报修单 {p} 关闭后同一问题再次出现"));
                }
                audit::append(tx, now, Some(s.staff_id), AuditAction::Intake, "ticket", id, &detail)?;
                // A duplicate runs no clocks and raises nothing of its own: the original does.
                if linked_to.is_none() {
                    crate::clocks::detect_at_intake(
                        tx,
                        now,
                        &crate::clocks::IntakeFacts {
                            ticket_id: id,
                            project_id: project.id,
                            unit_id,
                            part: &d.part,
                            category: d.category,
                            nature: d.nature,
                            previous,
                        },
                    )?;
                }
                // A visit is direct contact with the owner (§5.1.1): log it as a reached contact —
                // on the original when this report is its duplicate.
                if r.channel == Channel::Visit {
                    let on = linked_to.unwrap_or(id);
                    contacts::insert(tx, on, reported_at.timestamp(), Channel::Visit, true, "业主来访，当面沟通", s.staff_id)?;
                    if tickets::status_of(tx, on)? == TicketStatus::Reported {
                        tickets::set_status(tx, on, TicketStatus::Contacted, now.timestamp())?;
                    }
                    audit::append(tx, now, Some(s.staff_id), AuditAction::Contact, "ticket", on, "业主来访，当面沟通（已联系）")?;
                }
                for src in &d.photos {
                    let rel = crate::photos::copy_in(&data_dir, &photos_dir, &no, src)?;
                    tickets::insert_photo(tx, id, "Intake", &rel, now.timestamp(), s.staff_id)?;
                }
                created.push(id);
            }
            let mut out = Vec::new();
            for id in created {
                let d = crate::tickets::detail(tx, id)?;
                out.push(summary_of(&d));
            }
            Ok(out)
        })
    }
}

struct CheckedDefect {
    description: String,
    part: String,
    category: Category,
    nature: DefectNature,
    classification: Option<Classification>,
    steward_id: Option<i64>,
    required_by: Option<chrono::DateTime<chrono::Utc>>,
    expected_visit: String,
    link_to: Option<String>,
    previous: Option<String>,
    photos: Vec<String>,
}

fn check_defect(i: usize, d: &DefectInput, reported_at: chrono::DateTime<chrono::Utc>) -> DeskResult<CheckedDefect> {
    let which = |e: desk_domain::DomainError| -> DeskError {
        let mut de = DeskError::from(e);
        de.message = format!("第 {} 项报修：{}", i + 1, de.message);
        de
    };
    let description = desk_domain::ticket::validate_text("description", "缺陷描述", &d.description, 500, true).map_err(which)?;
    let part = desk_domain::ticket::validate_text("part", "维修部位", &d.part, 40, true).map_err(which)?;
    let required_by = match d.required_by.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => {
            let at = parse_local(t, "required_by").map_err(which)?;
            if at <= reported_at {
                return Err(DeskError::invalid("required_by", format!("第 {} 项报修：要求完成时间应晚于报修时间", i + 1)));
            }
            Some(at)
        }
        None => None,
    };
    let link_to = match d.link_to.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => Some(ticket::parse_ticket_no(t).ok_or_else(|| DeskError::invalid("link_to", format!("报修单号「{t}」格式不对")))?),
        None => None,
    };
    let previous = match d.previous.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => Some(ticket::parse_ticket_no(t).ok_or_else(|| DeskError::invalid("previous", format!("原报修单号「{t}」格式不对")))?),
        None => None,
    };
    if link_to.is_some() && previous.is_some() {
        return Err(DeskError::invalid("previous", format!("第 {} 项报修：重复报修（未关闭的单）和原报修单（已关闭的单）只能填一个", i + 1)));
    }
    Ok(CheckedDefect {
        description,
        part,
        category: d.category,
        nature: d.nature.unwrap_or(DefectNature::HouseQuality),
        classification: d.classification,
        steward_id: d.steward_id,
        required_by,
        expected_visit: d.expected_visit.trim().chars().take(60).collect(),
        link_to,
        previous,
        photos: d.photos.clone(),
    })
}

/// Whether this owner is the one the search found (not merely a co-owner of a found unit).
fn owner_matches(query: &SearchQuery, raw: &str, o: &OwnerRecord) -> bool {
    match query {
        SearchQuery::Phone(p) => o.phones.iter().any(|x| x == p),
        SearchQuery::PhoneSuffix(s) => o.phones.iter().any(|x| x.ends_with(s.as_str())),
        SearchQuery::Text(_) => !raw.is_empty() && o.name.starts_with(raw),
        SearchQuery::Empty | SearchQuery::TicketNo(_) | SearchQuery::Unit(_) => false,
    }
}

pub(crate) fn summary_of(d: &desk_domain::records::TicketDetail) -> TicketSummary {
    TicketSummary {
        id: d.id,
        no: d.no.clone(),
        unit: d.unit.clone(),
        owner: d.owner.clone(),
        phone: d.phone.clone(),
        status: d.status,
        category: d.category,
        part: d.part.clone(),
        description: d.description.clone(),
        classification: d.classification,
        steward: d.steward.clone(),
        reported_at: d.reported_at,
    }
}
