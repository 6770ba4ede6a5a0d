//! The procedure's clocks at the desk: 今日待办 (today's list), the "overdue" / "due today"
//! filters, holds that pause a ticket's clocks, and escalations to the project GM (§5.2.2).
//!
//! Deadlines are never stored: every read takes the events of the open tickets from the store
//! and runs the pure rules of `desk_domain::clock` with `now`. What is stored is what people
//! decide (holds, hand-raised escalations, acknowledgements) and the escalations the desk
//! detected, each once (a unique key), so the GM sees it until acknowledged.

use crate::auth::require_role;
use crate::desk::{Desk, Session};
use crate::error::{DeskError, DeskResult, ErrorKind};
use chrono::{DateTime, Utc};
use desk_domain::audit::AuditAction;
use desk_domain::clock::calendar::WorkCalendar;
use desk_domain::clock::escalation::{self as esc, EscalationKind};
use desk_domain::clock::holiday_notice::{parse_holiday_notice, HolidayNotice};
use desk_domain::clock::rules::{due_today, duties, DeadlineSettings, Duty, DutyKind};
use desk_domain::records::{TicketDetail, TicketSummary};
use desk_domain::staff::Role;
use desk_domain::ticket::validate_text;
use desk_domain::time::local_date;
use desk_store::Db;
use desk_store::{audit, clocks, from_unix, settings, tickets};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// One ticket on today's list with what it is owed.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct TodayItem {
    pub ticket: TicketSummary,
    /// Duties due today or late, latest-late first.
    pub duties: Vec<Duty>,
    /// The reason of the running hold, when the ticket's clocks are paused.
    pub on_hold: Option<String>,
    pub late_by_minutes: i64,
    /// Its group on 今日待办: due now, late today, later today, late for days or weeks.
    pub urgency: desk_domain::clock::urgency::Urgency,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct DutyCount {
    pub kind: DutyKind,
    pub label: String,
    pub overdue: i64,
    pub due_today: i64,
}

/// The counters beside the navigation.
#[derive(Debug, Clone, Default, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct TodayCounters {
    /// Tickets with at least one late duty.
    pub overdue: i64,
    /// Tickets with a duty due before the end of today (late ones included).
    pub due_today: i64,
    /// Escalations not yet acknowledged by the project GM.
    pub escalations: i64,
    pub by_kind: Vec<DutyCount>,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct TodayList {
    pub at: DateTime<Utc>,
    pub counters: TodayCounters,
    pub items: Vec<TodayItem>,
    pub escalations: Vec<EscalationView>,
    /// The center's own duties due today or late (F03, A3, B4): `crate::desk_duties`.
    pub desk_duties: Vec<desk_domain::clock::desk_duties::DeskDuty>,
    /// Major matters waiting for an opinion, open compensation cases (§6.3, kind 赔偿协商),
    /// complaints above the center, surveys and complex plans (`crate::survey`) and hand-overs
    /// to the property company or the CS department (`crate::not_ours`) whose follow-up is due
    /// today or late (issue 14).
    pub matters: Vec<crate::matters::MatterDuty>,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct EscalationView {
    pub id: i64,
    pub kind: EscalationKind,
    pub kind_label: String,
    pub section: String,
    pub ticket_no: Option<String>,
    pub unit: Option<String>,
    pub detail: String,
    pub raised_at: DateTime<Utc>,
    /// Empty when the desk detected it.
    pub raised_by: Option<String>,
    pub acknowledged_at: Option<DateTime<Utc>>,
    pub acknowledged_by: Option<String>,
    pub ack_note: String,
}

/// The ticket list's deadline filters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub enum DueFilter {
    /// 已超时: at least one duty is late.
    Overdue,
    /// 今日到期: a duty falls due before the end of today, or is late.
    DueToday,
}

impl DueFilter {
    pub const ALL: &'static [DueFilter] = &[DueFilter::Overdue, DueFilter::DueToday];

    /// The Chinese label of the ticket list's filter.
    pub fn label(self) -> &'static str {
        match self {
            DueFilter::Overdue => "已超时",
            DueFilter::DueToday => "今日到期",
        }
    }

    pub fn parse(s: &str) -> Option<DueFilter> {
        match s.trim() {
            "overdue" | "Overdue" | "已超时" | "超时" => Some(DueFilter::Overdue),
            "today" | "DueToday" | "due-today" | "今日到期" | "今日" => Some(DueFilter::DueToday),
            _ => None,
        }
    }
}

/// Escalations the front desk records by hand (§5.2.2.5–7).
pub const HAND_RAISED: [EscalationKind; 3] = [EscalationKind::Complaint, EscalationKind::Compensation, EscalationKind::UnclearLiability];

fn view(r: clocks::EscalationRow) -> EscalationView {
    let kind = r.kind;
    EscalationView {
        id: r.id,
        kind,
        kind_label: kind.label().to_string(),
        section: kind.section().to_string(),
        ticket_no: r.ticket_no,
        unit: r.unit,
        detail: r.detail,
        raised_at: from_unix(r.raised_at),
        raised_by: r.raised_by,
        acknowledged_at: r.acknowledged_at.map(from_unix),
        acknowledged_by: r.acknowledged_by,
        ack_note: r.ack_note,
    }
}

const CALENDAR_KEY: &str = crate::settings::CALENDAR;

fn check_notice_year(year: i32) -> DeskResult<()> {
    if (2000..=2100).contains(&year) {
        Ok(())
    } else {
        Err(DeskError::invalid("year", format!("年份「{year}」不对，请写四位年份，如 2027")))
    }
}
fn deadlines_key(project_id: i64) -> String {
    format!("{}{project_id}", crate::settings::DEADLINES)
}

/// A project's deadline settings: the one source every action, list and statistic asks.
pub(crate) fn deadlines_of(c: &Db, project_id: i64) -> DeskResult<DeadlineSettings> {
    json_setting(c, &deadlines_key(project_id))
}

/// The working calendar, inside a use case's transaction or snapshot.
pub(crate) fn calendar_in(c: &Db) -> DeskResult<WorkCalendar> {
    json_setting(c, CALENDAR_KEY)
}

/// Reads a JSON setting, falling back to the default when absent or damaged (a damaged one is
/// reported by `Desk::damaged_settings`, on the page and in `check`).
fn json_setting<T: serde::de::DeserializeOwned + Default>(c: &Db, key: &str) -> DeskResult<T> {
    crate::settings::json_or_default(c, key)
}

/// One open ticket's current duties, computed now, with the facts they came from.
struct DutyRow {
    id: i64,
    facts: desk_domain::clock::rules::TicketFacts,
    settings: DeadlineSettings,
    duties: Vec<Duty>,
    hold: Option<String>,
}
type DutySet = Vec<DutyRow>;

impl Desk {
    /// The working calendar (office hours, public holidays, 调休 make-up days).
    pub fn work_calendar(&self) -> DeskResult<WorkCalendar> {
        self.store.read(|tx| json_setting(tx, CALENDAR_KEY))
    }

    /// The director edits the calendar once a year when the State Council publishes it.
    pub fn set_work_calendar(&self, s: &Session, cal: &WorkCalendar) -> DeskResult<WorkCalendar> {
        require_role(s, &[Role::Director], "修改工作日历")?;
        if cal.office_end <= cal.office_start {
            return Err(DeskError::invalid("office_end", "下班时间应晚于上班时间"));
        }
        let now = self.now();
        let json = serde_json::to_string(cal).map_err(|e| DeskError::storage(e.to_string()))?;
        self.store.with_tx(|tx| {
            settings::set(tx, CALENDAR_KEY, &json)?;
            audit::append(
                tx,
                now,
                Some(s.staff_id),
                AuditAction::Settings,
                "calendar",
                0,
                &format!(
                    "工作日历：{}–{}，节假日 {} 天，调休上班 {} 天",
                    cal.office_start.format("%H:%M"),
                    cal.office_end.format("%H:%M"),
                    cal.holidays.len(),
                    cal.makeup_workdays.len()
                ),
            )?;
            Ok(cal.clone())
        })
    }

    /// What the State Council's notice for `year` (pasted text or a typed list) says, to show
    /// before saving. Writes nothing.
    pub fn preview_holiday_notice(&self, text: &str, year: i32) -> DeskResult<HolidayNotice> {
        check_notice_year(year)?;
        parse_holiday_notice(text, year).map_err(|e| DeskError::invalid("notice", e.to_string()))
    }

    /// The director records next year's holidays and 调休 days from the notice: that year of
    /// the working calendar is replaced, other years are kept; clocks use it at the next read.
    pub fn import_holiday_notice(&self, s: &Session, text: &str, year: i32) -> DeskResult<WorkCalendar> {
        require_role(s, &[Role::Director], "录入节假日安排")?;
        let notice = self.preview_holiday_notice(text, year)?;
        let now = self.now();
        self.store.with_tx(|tx| {
            let cal: WorkCalendar = json_setting(tx, CALENDAR_KEY)?;
            let cal = cal.with_notice(&notice);
            let json = serde_json::to_string(&cal).map_err(|e| DeskError::storage(e.to_string()))?;
            settings::set(tx, CALENDAR_KEY, &json)?;
            let names: Vec<&str> = notice.breaks.iter().map(|b| b.name.as_str()).collect();
            audit::append(
                tx,
                now,
                Some(s.staff_id),
                AuditAction::Settings,
                "calendar",
                0,
                &format!(
                    "录入 {year} 年节假日安排：{}，休息 {} 天，调休上班 {} 天",
                    names.join("、"),
                    notice.rest_days().count(),
                    notice.makeup_workdays.len()
                ),
            )?;
            Ok(cal)
        })
    }

    /// A sentence for 今日待办 when this year's or (from 1 December) next year's holidays are
    /// missing from the working calendar.
    pub fn calendar_warning(&self) -> DeskResult<Option<String>> {
        let today = local_date(self.now());
        let cal: WorkCalendar = self.store.read(|tx| json_setting(tx, CALENDAR_KEY))?;
        Ok(cal.missing_year_warning(today))
    }

    /// A project's deadline settings (defaults from the center's procedure until changed).
    pub fn deadline_settings(&self, project_id: i64) -> DeskResult<DeadlineSettings> {
        self.store.read(|tx| deadlines_of(tx, project_id))
    }

    pub fn set_deadline_settings(&self, s: &Session, project_id: i64, d: &DeadlineSettings) -> DeskResult<DeadlineSettings> {
        require_role(s, &[Role::Director], "修改时限设置")?;
        d.check()?;
        let now = self.now();
        let json = serde_json::to_string(d).map_err(|e| DeskError::storage(e.to_string()))?;
        self.store.with_tx(|tx| {
            desk_store::master::project_exists(tx, project_id)?;
            settings::set(tx, &deadlines_key(project_id), &json)?;
            audit::append(tx, now, Some(s.staff_id), AuditAction::Settings, "project", project_id, "修改时限设置")?;
            Ok(d.clone())
        })
    }

    /// Computes the duties of every open ticket (or of `only`) at `now`.
    fn duty_set(tx: &Db, now: DateTime<Utc>, only: Option<&[i64]>) -> DeskResult<DutySet> {
        let open = clocks::open_tickets(tx, only)?;
        let rules = JudgedBy::read(tx, &open)?;
        rules.judge(open, now)
    }

    /// Ticket ids whose duties match a deadline filter, newest first.
    pub(crate) fn due_ticket_ids(tx: &Db, now: DateTime<Utc>, f: DueFilter) -> DeskResult<Vec<i64>> {
        let mut ids: Vec<i64> = Self::duty_set(tx, now, None)?
            .into_iter()
            .filter(|r| match f {
                DueFilter::Overdue => r.duties.iter().any(|d| d.late_by_minutes > 0),
                DueFilter::DueToday => r.duties.iter().any(|d| due_today(d, now)),
            })
            .map(|r| r.id)
            .collect();
        ids.sort_unstable_by(|a, b| b.cmp(a));
        Ok(ids)
    }

    /// 今日待办: every ticket with a duty due today or late, the latest first; the counters;
    /// and the escalations the GM has not acknowledged. Tickets open longer than the
    /// procedure allows are escalated here (once each).
    pub fn today(&self) -> DeskResult<TodayList> {
        let now = self.now();
        // Read on a snapshot beside the writer; only when a ticket has newly been open too long
        // is the write lock taken (briefly, once per ticket ever); the counters and escalations
        // are then read after it, so they show the new escalation.
        let (set, due) = self.store.read(|tx| {
            let set = Self::duty_set(tx, now, None)?;
            let due = open_too_long_to_raise(tx, now, &set)?;
            Ok::<_, DeskError>((set, due))
        })?;
        if !due.is_empty() {
            self.store.with_tx(|tx| raise_open_too_long(tx, now, &due))?;
        }
        let desk_duties = self.desk_duties_at(now)?;
        self.store.read(|tx| {
            let counters = counters_of(tx, &set, now)?;
            let due: Vec<(i64, Vec<Duty>, Option<String>)> = set
                .into_iter()
                .map(|r| (r.id, r.duties.into_iter().filter(|d| due_today(d, now)).collect::<Vec<_>>(), r.hold))
                // §6.5: an upset owner's hold waits for the CS assistant, not for a clock.
                .filter(|(_, ds, h)| !ds.is_empty() || h.as_deref().is_some_and(|h| h.contains(desk_domain::paths::UPSET_OWNER_MUST_ACT)))
                .collect();
            let ids: Vec<i64> = due.iter().map(|(id, _, _)| *id).collect();
            let mut summaries: HashMap<i64, TicketSummary> = tickets::summaries_by_ids(tx, &ids)?.into_iter().map(|t| (t.id, t)).collect();
            let mut items: Vec<TodayItem> = due
                .into_iter()
                .filter_map(|(id, duties, on_hold)| {
                    let ticket = summaries.remove(&id)?;
                    let late = duties.iter().map(|d| d.late_by_minutes).max().unwrap_or(0);
                    let earliest = duties.iter().map(|d| d.due_at).min().unwrap_or(now);
                    let urgency = desk_domain::clock::urgency::urgency(earliest, late, now);
                    Some(TodayItem { ticket, duties, on_hold, late_by_minutes: late, urgency })
                })
                .collect();
            // Live items first; within a group, the earliest due first.
            items.sort_by(|a, b| {
                a.urgency.cmp(&b.urgency).then_with(|| {
                    let da = a.duties.iter().map(|d| d.due_at).min();
                    let db = b.duties.iter().map(|d| d.due_at).min();
                    da.cmp(&db)
                })
            });
            let escalations = clocks::escalations(tx, None, 200)?.into_iter().filter(|e| e.acknowledged_at.is_none()).map(view).collect();
            let mut matters = crate::matters::matter_duties(tx, now)?;
            matters.extend(crate::not_ours::hand_over_duties(tx, now)?);
            matters.extend(crate::survey::survey_duties(tx, now)?);
            matters.extend(crate::compensation::compensation_duties(tx)?);
            Ok(TodayList { at: now, counters, items, escalations, desk_duties, matters })
        })
    }

    /// The counters alone (navigation badges).
    ///
    /// They are on every screen's header, and at a busy center reading the open tickets' events
    /// is most of their time: the events are read in two halves on two connections that see one
    /// state, side by side.
    pub fn today_counters(&self) -> DeskResult<TodayCounters> {
        let now = self.now();
        let ((first, rules, escalations), second) = self.store.read_pair(
            |a| -> DeskResult<_> {
                let first = clocks::open_tickets_first_half(a)?;
                let rules = JudgedBy::read(a, first.tickets())?;
                Ok((first, rules, clocks::count_unacknowledged(a)?))
            },
            |b| -> DeskResult<_> { Ok(clocks::open_tickets_second_half(b)?) },
        )?;
        let open = clocks::join_facts(first, second);
        Ok(counters_from(&rules.judge(open, now)?, escalations, now))
    }

    /// The ticket's current duties and running hold, for the detail screen.
    pub fn ticket_duties(&self, no: &str) -> DeskResult<(Vec<Duty>, Option<String>)> {
        let now = self.now();
        self.store.read(|tx| {
            let id = tickets::id_by_no(tx, no.trim())?;
            Ok(Self::duty_set(tx, now, Some(&[id]))?.into_iter().next().map(|r| (r.duties, r.hold)).unwrap_or_default())
        })
    }

    /// Puts a ticket on hold (owner away, awaiting material…): its clocks stop until released.
    pub fn hold_ticket(&self, s: &Session, no: &str, reason: &str) -> DeskResult<TicketDetail> {
        let reason = validate_text("reason", "暂停原因", reason, 200, true)?;
        let now = self.now();
        self.store.with_tx(|tx| {
            let id = tickets::id_by_no(tx, no.trim())?;
            let status = tickets::status_of(tx, id)?;
            if !status.is_open() && status != desk_domain::ticket::TicketStatus::Accepted {
                return Err(DeskError::new(ErrorKind::Refused, format!("报修单已{}，无需暂停计时", status.label())));
            }
            if clocks::running_hold(tx, id)?.is_some() {
                return Err(DeskError::new(ErrorKind::Refused, "该报修单已在暂停中，请先恢复计时"));
            }
            clocks::start_hold(tx, id, now.timestamp(), &reason, s.staff_id)?;
            audit::append(tx, now, Some(s.staff_id), AuditAction::Hold, "ticket", id, &format!("暂停计时：{reason}"))?;
            crate::tickets::detail(tx, id)
        })
    }

    /// Ends a ticket's hold: its clocks run again, later by the paused time.
    pub fn release_hold(&self, s: &Session, no: &str) -> DeskResult<TicketDetail> {
        let now = self.now();
        self.store.with_tx(|tx| {
            let id = tickets::id_by_no(tx, no.trim())?;
            let hold = clocks::running_hold(tx, id)?.ok_or_else(|| DeskError::new(ErrorKind::Refused, "该报修单没有暂停"))?;
            clocks::release_hold(tx, hold, now.timestamp(), s.staff_id)?;
            audit::append(tx, now, Some(s.staff_id), AuditAction::Hold, "ticket", id, "恢复计时")?;
            crate::tickets::detail(tx, id)
        })
    }

    /// §5.2.2.5–7: a strong complaint, a compensation claim, unclear liability — recorded by
    /// hand. Raised once per ticket and kind.
    pub fn raise_escalation(&self, s: &Session, no: &str, kind: EscalationKind, detail: &str) -> DeskResult<EscalationView> {
        if !HAND_RAISED.contains(&kind) {
            return Err(DeskError::invalid("kind", format!("「{}」由系统自动发现，无需手工上报", kind.label())));
        }
        let detail = validate_text("detail", "情况说明", detail, 500, true)?;
        let now = self.now();
        self.store.with_tx(|tx| {
            let id = tickets::id_by_no(tx, no.trim())?;
            let key = format!("{}:ticket:{id}", kind.code());
            let new = clocks::NewEscalation {
                kind,
                key: &key,
                ticket_id: Some(id),
                unit_id: None,
                batch_id: None,
                detail: &detail,
                raised_at: now.timestamp(),
                raised_by: Some(s.staff_id),
            };
            let eid = clocks::raise(tx, &new)?.ok_or_else(|| DeskError::new(ErrorKind::Refused, format!("该报修单已上报过「{}」", kind.label())))?;
            audit::append(tx, now, Some(s.staff_id), AuditAction::Escalate, "ticket", id, &format!("上报项目总经理（{}）：{detail}", kind.label()))?;
            let row = clocks::escalations(tx, Some(id), 50)?.into_iter().find(|e| e.id == eid);
            row.map(view).ok_or_else(|| DeskError::storage("上报后读不到记录"))
        })
    }

    /// The project GM acknowledges an escalation; it stays in the list, marked.
    pub fn acknowledge_escalation(&self, s: &Session, id: i64, note: &str) -> DeskResult<EscalationView> {
        require_role(s, &[Role::ProjectGm], "确认上报事项")?;
        let note = validate_text("note", "处理意见", note, 300, false)?;
        let now = self.now();
        self.store.with_tx(|tx| {
            if !clocks::acknowledge(tx, id, now.timestamp(), s.staff_id, &note)? {
                return Err(DeskError::new(ErrorKind::Refused, "该上报事项不存在或已确认"));
            }
            audit::append(tx, now, Some(s.staff_id), AuditAction::Acknowledge, "escalation", id, &format!("项目总经理已确认。{note}"))?;
            let row = clocks::escalations(tx, None, 10_000)?.into_iter().find(|e| e.id == id);
            row.map(view).ok_or_else(|| DeskError::storage("确认后读不到记录"))
        })
    }

    /// Escalations (unacknowledged first); of one ticket when `no` is given.
    pub fn escalations(&self, no: Option<&str>) -> DeskResult<Vec<EscalationView>> {
        self.store.read(|tx| {
            let id = match no {
                Some(n) => Some(tickets::id_by_no(tx, n.trim())?),
                None => None,
            };
            Ok(clocks::escalations(tx, id, 500)?.into_iter().map(view).collect())
        })
    }
}

fn counters_of(tx: &Db, set: &DutySet, now: DateTime<Utc>) -> DeskResult<TodayCounters> {
    Ok(counters_from(set, clocks::count_unacknowledged(tx)?, now))
}

/// The counters of a set of duties, with `escalations` not yet acknowledged.
fn counters_from(set: &DutySet, escalations: i64, now: DateTime<Utc>) -> TodayCounters {
    let mut c = TodayCounters { escalations, ..Default::default() };
    let mut by: Vec<DutyCount> = Vec::new();
    for ds in set.iter().map(|r| &r.duties) {
        if ds.iter().any(|d| d.late_by_minutes > 0) {
            c.overdue += 1;
        }
        if ds.iter().any(|d| due_today(d, now)) {
            c.due_today += 1;
        }
        for d in ds {
            let slot = match by.iter_mut().position(|x| x.kind == d.kind) {
                Some(i) => &mut by[i],
                None => {
                    by.push(DutyCount { kind: d.kind, label: d.kind.label().to_string(), overdue: 0, due_today: 0 });
                    let last = by.len() - 1;
                    &mut by[last]
                }
            };
            if d.late_by_minutes > 0 {
                slot.overdue += 1;
            }
            if due_today(d, now) {
                slot.due_today += 1;
            }
        }
    }
    by.sort_by_key(|x| x.kind);
    c.by_kind = by;
    c
}

/// What the duties of open tickets are judged by: the work calendar and each of their projects'
/// deadline settings — the same settings every screen asks (`deadlines_of`, `CALENDAR_KEY`).
struct JudgedBy {
    cal: WorkCalendar,
    per_project: HashMap<i64, DeadlineSettings>,
}

impl JudgedBy {
    fn read(tx: &Db, open: &[clocks::OpenTicket]) -> DeskResult<JudgedBy> {
        let cal: WorkCalendar = json_setting(tx, CALENDAR_KEY)?;
        let mut per_project: HashMap<i64, DeadlineSettings> = HashMap::new();
        for t in open {
            if let std::collections::hash_map::Entry::Vacant(e) = per_project.entry(t.project_id) {
                e.insert(deadlines_of(tx, t.project_id)?);
            }
        }
        Ok(JudgedBy { cal, per_project })
    }

    /// Each ticket's duties at `now`, the latest first.
    fn judge(&self, open: Vec<clocks::OpenTicket>, now: DateTime<Utc>) -> DeskResult<DutySet> {
        let row = |t: clocks::OpenTicket| {
            let settings = self.per_project.get(&t.project_id).cloned().unwrap_or_default();
            let mut ds = duties(&t.facts, &settings, &self.cal, now);
            ds.sort_by(|a, b| b.late_by_minutes.cmp(&a.late_by_minutes).then(a.due_at.cmp(&b.due_at)));
            let hold = t.facts.holds.iter().find(|h| h.from <= now && h.until.is_none_or(|u| u > now)).map(|h| h.reason.clone());
            DutyRow { id: t.id, facts: t.facts, settings, duties: ds, hold }
        };
        // Each ticket's duties are its own: with thousands of open tickets, half of them are
        // worked out on each core (今日待办 and its counters are on every screen's header).
        if open.len() < 512 {
            return Ok(open.into_iter().map(row).collect());
        }
        let mut open = open;
        let second = open.split_off(open.len() / 2);
        let (mut out, other) = std::thread::scope(|s| {
            let other = s.spawn(|| second.into_iter().map(row).collect::<Vec<_>>());
            (open.into_iter().map(row).collect::<Vec<_>>(), other.join())
        });
        out.extend(other.map_err(|_| DeskError::storage("程序内部错误（计算待办），请重试"))?);
        Ok(out)
    }
}

/// §5.2.2.1: a ticket still open after 7 days (held time not counted) goes to the GM, once.
/// The open tickets that are open longer than §5.2.2.1 allows and not escalated yet, with
/// how many days they are open.
fn open_too_long_to_raise(tx: &Db, now: DateTime<Utc>, set: &DutySet) -> DeskResult<Vec<(i64, i64, i64)>> {
    // One read of what is raised already: the list is read all day, the new ones are few.
    let raised = clocks::tickets_escalated(tx, EscalationKind::OpenTooLong)?;
    Ok(set
        .iter()
        .filter(|r| !raised.contains(&r.id) && r.facts.status.is_open() && esc::open_too_long(r.facts.reported_at, true, &r.facts.holds, &r.settings, now))
        .map(|r| (r.id, (now - r.facts.reported_at).num_days(), r.settings.open_too_long_days))
        .collect())
}

/// Raises the escalations found by [`open_too_long_to_raise`]; once each (by the unique key),
/// so a second window that raised one meanwhile changes nothing.
fn raise_open_too_long(tx: &Db, now: DateTime<Utc>, due: &[(i64, i64, i64)]) -> DeskResult<()> {
    for &(id, days, limit) in due {
        let key = format!("OpenTooLong:ticket:{id}");
        let detail = format!("报修已 {days} 天仍未完成（§5.2.2.1：超过 {limit} 天）");
        clocks::raise(
            tx,
            &clocks::NewEscalation {
                kind: EscalationKind::OpenTooLong,
                key: &key,
                ticket_id: Some(id),
                unit_id: None,
                batch_id: None,
                detail: &detail,
                raised_at: now.timestamp(),
                raised_by: None,
            },
        )?;
    }
    Ok(())
}

/// §5.2.2.2–4, checked when a ticket is recorded (the moment the condition can first hold):
/// a second repair at the same part of the unit, repairs going on at the unit for two months,
/// and ≥ 20 % of the batch's units with the same defect category.
pub(crate) fn detect_at_intake(tx: &Db, now: DateTime<Utc>, t: &IntakeFacts) -> DeskResult<()> {
    let s = deadlines_of(tx, t.project_id)?;
    // The unit's repairs, each defect once: a report linked as a duplicate of an open ticket is
    // that ticket again, neither a second repair at the spot (§5.2.2.2) nor a new run (§5.2.2.3).
    let history = clocks::unit_history(tx, t.unit_id)?;
    let prior: Vec<(String, DateTime<Utc>)> = history.iter().filter(|h| h.0 != t.ticket_id).map(|h| (h.1.clone(), from_unix(h.2))).collect();
    // A ticket that follows a closed one of the same failure (after the reopen window) is a
    // second repair at that spot whatever the part was called this time.
    if esc::is_repeat_at_same_part(&prior, t.part) || t.previous.is_some() {
        let same_part = esc::normalize_part(t.part);
        let earlier: Vec<&str> = history
            .iter()
            .filter(|h| h.0 != t.ticket_id && (esc::normalize_part(&h.1) == same_part || Some(h.0) == t.previous))
            .map(|h| h.5.as_str())
            .collect();
        // The latest few numbers say enough; a unit with a long history would make a wall of text.
        let shown = earlier.iter().rev().take(5).rev().copied().collect::<Vec<_>>().join("、");
        let more = if earlier.len() > 5 { format!(" 等共 {} 次", earlier.len()) } else { String::new() };
        let detail = format!("同一房屋同一部位再次报修：{}（此前：{shown}{more}）", t.part);
        raise_detected(
            tx,
            now,
            EscalationKind::RepeatAtSamePart,
            &format!("RepeatAtSamePart:ticket:{}", t.ticket_id),
            Some(t.ticket_id),
            Some(t.unit_id),
            None,
            &detail,
        )?;
    }
    let continuous_key = format!("ContinuousRepairs:unit:{}", t.unit_id);
    // Raised once per unit: after that the spans need not be built at every intake.
    let already = clocks::escalation_raised(tx, &continuous_key)?;
    let spans: Vec<(DateTime<Utc>, Option<DateTime<Utc>>)> = history
        .iter()
        .filter(|_| !already)
        .map(|h| {
            let open = h.4.is_open();
            let end = match (h.3, open) {
                (_, true) => None,
                (Some(acc), false) => Some(from_unix(acc)),
                (None, false) => Some(from_unix(h.2)),
            };
            (from_unix(h.2), end)
        })
        .collect();
    if !spans.is_empty() && esc::continuous_repairs(&spans, &s, now) {
        let detail = format!("该房屋连续 {} 天以上一直有维修（共 {} 张报修单），问题仍未解决", s.continuous_repair_days, history.len());
        raise_detected(tx, now, EscalationKind::ContinuousRepairs, &continuous_key, Some(t.ticket_id), Some(t.unit_id), None, &detail)?;
    }
    if t.nature == desk_domain::ticket::DefectNature::HouseQuality {
        let (batch_id, batch_name) = clocks::unit_batch(tx, t.unit_id)?;
        let key = format!("BatchWideDefect:batch:{batch_id}:{}", t.category.code());
        if clocks::escalation_raised(tx, &key)? {
            return Ok(());
        }
        let (units, with) = clocks::batch_spread(tx, batch_id, t.category)?;
        if units > 0 && esc::batch_wide(units as usize, with as usize, s.batch_wide_percent) {
            let list = clocks::batch_units_with_category(tx, batch_id, t.category)?;
            // The list goes on screens, the F03 and Excel: past a few hundred units it says how
            // many more (the full list is one filter away in the ticket list).
            const SHOWN: usize = 300;
            let mut units_text = list.iter().take(SHOWN).cloned().collect::<Vec<_>>().join("、");
            if list.len() > SHOWN {
                units_text.push_str(&format!(" 等共 {} 户", list.len()));
            }
            let detail = format!(
                "{batch_name}：{with}/{units} 户（{:.1}%，达到 {}%）出现「{}」类问题。涉及房号：{units_text}",
                with as f64 * 100.0 / units as f64,
                s.batch_wide_percent,
                t.category.label(),
            );
            raise_detected(tx, now, EscalationKind::BatchWideDefect, &key, None, None, Some(batch_id), &detail)?;
        }
    }
    Ok(())
}

/// What intake knows about a new ticket, for the escalation checks.
pub(crate) struct IntakeFacts<'a> {
    pub ticket_id: i64,
    pub project_id: i64,
    pub unit_id: i64,
    pub part: &'a str,
    pub category: desk_domain::ticket::Category,
    pub nature: desk_domain::ticket::DefectNature,
    /// The closed ticket this one follows (after the reopen window), if any.
    pub previous: Option<i64>,
}

#[allow(clippy::too_many_arguments)]
fn raise_detected(
    tx: &Db,
    now: DateTime<Utc>,
    kind: EscalationKind,
    key: &str,
    ticket_id: Option<i64>,
    unit_id: Option<i64>,
    batch_id: Option<i64>,
    detail: &str,
) -> DeskResult<()> {
    if let Some(id) =
        clocks::raise(tx, &clocks::NewEscalation { kind, key, ticket_id, unit_id, batch_id, detail, raised_at: now.timestamp(), raised_by: None })?
    {
        if let Some(t) = ticket_id {
            audit::append(tx, now, None, AuditAction::Escalate, "ticket", t, &format!("系统发现须上报项目总经理（{}）：{detail}", kind.label()))?;
        } else {
            audit::append(tx, now, None, AuditAction::Escalate, "escalation", id, &format!("系统发现须上报项目总经理（{}）：{detail}", kind.label()))?;
        }
    }
    Ok(())
}
