//! 保修中心工作日报 F03 (§5.1.6): what happened on one local day (UTC+8) — tickets reported,
//! repairs accepted, owners told of completion (reached or not), return visits with their
//! satisfaction, out-of-scope matters raised (§5.1.5.3, sorted into classes), escalations the
//! GM has not acknowledged — and the progress of every ticket still in hand, with its duties
//! and what is late. Sent by e-mail to a fixed list of recipients (§5.1.6.2).
//!
//! Phones are masked everywhere in the report (it leaves the desk: PIPL), including mobile
//! numbers typed into free text. The report is exported as PDF, Excel or an e-mail draft
//! (`.eml` with both files attached, opened by Outlook as a new message); each export is also
//! kept under `reports/` in the data folder.

use crate::auth::require_role;
use crate::desk::{Desk, Session};
use crate::error::{DeskError, DeskResult};
use crate::job::Progress;
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use desk_documents::eml::{self, Attachment, Draft};
use desk_documents::excel_out::{ColumnKind, OutCell};
use desk_documents::f03::{self, F03Column, F03Report, F03Section};
use desk_domain::clock::escalation::EscalationKind;
use desk_domain::clock::rules::{duties, DeadlineSettings, Duty, TicketFacts};
use desk_domain::phone::mask_phone;
use desk_domain::repair::{AcceptanceKind, Satisfaction};
use desk_domain::staff::Role;
use desk_domain::ticket::{Category, Channel, Classification, TicketStatus};
use desk_domain::time::{desk_tz, fmt_local, local_date, local_day_start};
use desk_store::{audit, clocks, from_unix, report as store, settings};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;

/// The setting that holds the recipients (JSON of [`ReportRecipients`]).
pub const RECIPIENTS_KEY: &str = "report.recipients";
/// Most addresses in each of To and Cc.
const MAX_RECIPIENTS: usize = 100;

/// Who the daily report is mailed to (§5.1.6.2): 保修中心全体、项目部全体… in To; the project GM
/// and department heads in Cc.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct ReportRecipients {
    pub to: Vec<String>,
    pub cc: Vec<String>,
}

/// The day's figures.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct DailyFigures {
    pub new_reports: i64,
    pub completions: i64,
    pub notices: i64,
    pub notices_reached: i64,
    pub notices_unreached: i64,
    pub return_visits: i64,
    pub visits_satisfied: i64,
    pub visits_basic: i64,
    pub visits_dissatisfied: i64,
    pub visits_unreached: i64,
    pub out_of_scope: i64,
    /// Escalations not acknowledged by the end of the day.
    pub escalations_open: i64,
    /// Escalations raised that day.
    pub escalations_raised: i64,
    pub open_tickets: i64,
    pub overdue_tickets: i64,
    pub on_hold: i64,
}

/// 一、报修情况: a ticket reported that day.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct NewReportRow {
    pub no: String,
    pub reported_at: DateTime<Utc>,
    pub unit: String,
    pub owner: String,
    /// Masked.
    pub phone: String,
    pub channel: String,
    pub category: String,
    pub part: String,
    pub description: String,
    pub classification: String,
    pub status: TicketStatus,
    pub steward: String,
    pub receptionist: String,
}

/// 二、完成情况: a repair accepted that day.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct CompletionRow {
    pub no: String,
    pub unit: String,
    pub owner: String,
    pub phone: String,
    pub part: String,
    pub description: String,
    pub dispatch_no: String,
    pub contractor: String,
    pub completed_at: Option<DateTime<Utc>>,
    pub accepted_at: DateTime<Utc>,
    /// How it was accepted (owner's signature, paper, director + CS assistant).
    pub acceptance: String,
    pub opinion: String,
    pub steward: String,
}

/// 三、通知业主: a completion notice that day (§5.1.4), reached or not.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct NoticeRow {
    pub no: String,
    pub unit: String,
    pub owner: String,
    pub phone: String,
    pub at: DateTime<Utc>,
    /// The n-th notice of the ticket.
    pub attempt: i64,
    pub reached: bool,
    pub note: String,
    /// A changed phone number reported by the notice, masked.
    pub new_phone: String,
    pub by: String,
}

/// 四、回访情况: a return visit that day (§5.1.5).
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct VisitRow {
    pub no: String,
    pub unit: String,
    pub owner: String,
    pub phone: String,
    pub at: DateTime<Utc>,
    pub attempt: i64,
    pub reached: bool,
    pub satisfaction: Option<Satisfaction>,
    pub comments: String,
    pub out_of_scope: String,
    pub by: String,
}

/// 五、非保修范围事项 (§5.1.5.3): a matter outside the warranty an owner raised, classified.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct OutOfScopeRow {
    pub class: String,
    pub matter: String,
    pub no: String,
    pub unit: String,
    pub owner: String,
    pub phone: String,
    pub at: DateTime<Utc>,
    pub by: String,
}

/// 六、上报项目总经理事项 (§5.2.2).
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct ReportEscalation {
    pub kind: EscalationKind,
    pub kind_label: String,
    pub section: String,
    pub ticket_no: Option<String>,
    pub unit: Option<String>,
    pub detail: String,
    pub raised_at: DateTime<Utc>,
    /// 系统发现 when the desk detected it.
    pub raised_by: String,
    pub raised_that_day: bool,
    /// Not acknowledged by the end of the day.
    pub open: bool,
    pub acknowledged_at: Option<DateTime<Utc>>,
    pub acknowledged_by: Option<String>,
    pub ack_note: String,
}

/// 七、在办报修单进展: every ticket still in hand, with its duties.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct ProgressRow {
    pub no: String,
    pub unit: String,
    pub owner: String,
    pub phone: String,
    pub part: String,
    pub description: String,
    pub status: TicketStatus,
    pub steward: String,
    pub reported_at: DateTime<Utc>,
    /// Whole days since the report.
    pub days_open: i64,
    pub contractor: String,
    /// The latest step recorded, e.g. `03-05 14:05 维修人员到场`.
    pub latest: String,
    /// The duties outstanding, e.g. `联系业主：超时 2 小时 5 分（§5.1.1）`.
    pub duties: Vec<String>,
    pub late_by_minutes: i64,
    /// The reason of the running hold, when the clocks are paused.
    pub on_hold: Option<String>,
}

/// The daily report F03 of one local day.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct DailyReport {
    pub date: NaiveDate,
    pub project: String,
    /// When the report was made; the progress section is the state at this moment.
    pub generated_at: DateTime<Utc>,
    pub figures: DailyFigures,
    pub new_reports: Vec<NewReportRow>,
    pub completions: Vec<CompletionRow>,
    pub notices: Vec<NoticeRow>,
    pub return_visits: Vec<VisitRow>,
    pub out_of_scope: Vec<OutOfScopeRow>,
    pub escalations: Vec<ReportEscalation>,
    pub progress: Vec<ProgressRow>,
    pub recipients: ReportRecipients,
}

/// What an export wrote.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct ReportExport {
    /// The file asked for.
    pub path: String,
    /// The copy kept under `reports/` in the data folder.
    pub saved: String,
    /// `pdf`, `xlsx` or `eml`.
    pub format: String,
    pub bytes: u32,
    /// Addresses in To and Cc (an .eml draft only).
    pub recipients: u32,
}

// ---- pure helpers -------------------------------------------------------------------------------

/// Masks every mobile number (11 digits starting with 1) inside free text.
pub fn mask_phones_in_text(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            let run: String = chars[start..i].iter().collect();
            if run.len() == 11 && run.starts_with('1') {
                out.push_str(&mask_phone(&run));
            } else {
                out.push_str(&run);
            }
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// §5.1.5.3: the center sorts the out-of-scope matters owners raise into classes.
pub fn classify_out_of_scope(matter: &str) -> &'static str {
    const CLASSES: &[(&str, &[&str])] = &[
        ("公共区域及设施（物业）", &["路灯", "电梯", "楼道", "大堂", "车库", "停车", "车位", "绿化", "道路", "门禁", "单元门", "消防", "公共", "小区", "监控", "垃圾房", "信报箱", "快递柜", "围墙"]),
        ("物业服务", &["保洁", "卫生", "垃圾", "保安", "噪音", "物业费", "收费", "宠物", "秩序", "服务态度"]),
        ("业主装修及自购设备", &["装修", "家具", "家电", "空调", "热水器", "橱柜", "自装", "地板", "吊顶", "壁纸", "净水"]),
        ("市政及外部单位", &["燃气", "天然气", "自来水公司", "供电局", "停电", "停水", "网络", "宽带", "有线电视", "市政"]),
    ];
    CLASSES.iter().find(|(_, words)| words.iter().any(|w| matter.contains(w))).map(|(c, _)| *c).unwrap_or("其他")
}

/// `2 小时 5 分`, `3 天 4 小时`, `40 分钟`.
fn minutes_text(m: i64) -> String {
    let (d, h, min) = (m / 1440, (m % 1440) / 60, m % 60);
    if d > 0 {
        format!("{d} 天 {h} 小时")
    } else if h > 0 {
        format!("{h} 小时 {min} 分")
    } else {
        format!("{min} 分钟")
    }
}

fn duty_text(d: &Duty) -> String {
    let when = if d.late_by_minutes > 0 { format!("超时 {}", minutes_text(d.late_by_minutes)) } else { format!("{} 前", short_time(d.due_at)) };
    format!("{}：{when}（{}）", d.kind.label(), d.section)
}

fn short_time(t: DateTime<Utc>) -> String {
    t.with_timezone(&desk_tz()).format("%m-%d %H:%M").to_string()
}

fn local_naive(t: DateTime<Utc>) -> NaiveDateTime {
    t.with_timezone(&desk_tz()).naive_local()
}

/// The latest step recorded for a ticket.
fn latest_step(f: &TicketFacts) -> String {
    let mut steps: Vec<(DateTime<Utc>, String)> = Vec::new();
    for c in &f.contacts {
        steps.push((c.at, if c.reached { "已联系上业主".into() } else { "联系业主未接通".into() }));
    }
    for d in &f.dispatches {
        steps.push((d.issued_at, format!("已派工，预约 {}", short_time(d.appointment_at))));
        if let Some(a) = d.arrived_at {
            steps.push((a, "维修人员到场".into()));
        }
        if let Some(c) = d.completed_at {
            steps.push((c, "维修完工，待验收".into()));
        }
    }
    steps.extend(f.site_visits.iter().map(|t| (*t, "管家现场巡视".to_string())));
    steps.extend(f.feedbacks.iter().map(|x| (x.at, "已向业主反馈进度".to_string())));
    steps.extend(f.rechecks.iter().map(|t| (*t, "管家复检".to_string())));
    if let Some(a) = f.accepted_at {
        steps.push((a, "验收通过".into()));
    }
    for n in &f.completion_notices {
        steps.push((n.at, if n.reached { "已通知业主完工".into() } else { "完工通知未联系上业主".into() }));
    }
    steps.extend(f.return_visits.iter().map(|t| (*t, "已回访".to_string())));
    for h in &f.holds {
        steps.push((h.from, format!("暂停计时：{}", mask_phones_in_text(&h.reason))));
        if let Some(u) = h.until {
            steps.push((u, "恢复计时".into()));
        }
    }
    match steps.into_iter().max_by_key(|s| s.0) {
        Some((at, what)) => format!("{} {what}", short_time(at)),
        None => format!("{} 已登记", short_time(f.reported_at)),
    }
}

/// A plain e-mail address: `local@domain.tld` in ASCII.
pub fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else { return false };
    if s.len() > 254 || local.is_empty() || local.len() > 64 || domain.contains('@') {
        return false;
    }
    let local_ok = local.chars().all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~-.".contains(c))
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..");
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|l| !l.is_empty() && l.len() <= 63 && !l.starts_with('-') && !l.ends_with('-') && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        && labels.last().is_some_and(|t| t.len() >= 2 && t.chars().all(|c| c.is_ascii_alphabetic()));
    local_ok && domain_ok
}

/// Trims, drops blanks and duplicates (case-insensitive), and refuses what is not an address.
fn clean_addresses(field: &str, what: &str, list: &[String]) -> DeskResult<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for raw in list {
        let a = raw.trim().trim_matches(|c| c == '<' || c == '>').trim();
        if a.is_empty() {
            continue;
        }
        if !is_email(a) {
            return Err(DeskError::invalid(field, format!("{what}中的「{}」不是有效的电子邮件地址（例：zhangsan@example.com）", raw.trim())));
        }
        if !out.iter().any(|x| x.eq_ignore_ascii_case(a)) {
            out.push(a.to_string());
        }
    }
    if out.len() > MAX_RECIPIENTS {
        return Err(DeskError::invalid(field, format!("{what}最多 {MAX_RECIPIENTS} 个地址（现有 {} 个）", out.len())));
    }
    Ok(out)
}

/// A report date as the window sends it (`YYYY-MM-DD`).
pub fn parse_date(s: &str) -> DeskResult<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| DeskError::invalid("date", format!("日期「{s}」无法识别，请写成 2026-03-05")))
}

fn s_or(o: Option<String>) -> String {
    o.unwrap_or_default()
}

// ---- the Desk API ---------------------------------------------------------------------------------

impl Desk {
    /// The recipients of the daily report (empty until the director sets them).
    pub fn report_recipients(&self) -> DeskResult<ReportRecipients> {
        self.store.read(|tx| Ok(settings::get(tx, RECIPIENTS_KEY)?.and_then(|v| serde_json::from_str(&v).ok()).unwrap_or_default()))
    }

    /// §5.1.6.2: the fixed recipient list, set by the director. Addresses are checked one by one;
    /// duplicates are dropped, and an address already in To is dropped from Cc.
    pub fn set_report_recipients(&self, s: &Session, to: Vec<String>, cc: Vec<String>) -> DeskResult<ReportRecipients> {
        require_role(s, &[Role::Director], "设置日报收件人")?;
        let to = clean_addresses("to", "收件人", &to)?;
        if to.is_empty() {
            return Err(DeskError::invalid("to", "请至少填写一个收件人（§5.1.6.2：保修中心全体、项目部全体等）"));
        }
        let cc: Vec<String> = clean_addresses("cc", "抄送", &cc)?.into_iter().filter(|c| !to.iter().any(|t| t.eq_ignore_ascii_case(c))).collect();
        let r = ReportRecipients { to, cc };
        let json = serde_json::to_string(&r).map_err(|e| DeskError::storage(e.to_string()))?;
        let now = self.now();
        self.store.with_tx(|tx| {
            settings::set(tx, RECIPIENTS_KEY, &json)?;
            audit::append(tx, now, Some(s.staff_id), "settings", "report_recipients", 0, &format!(
                "日报收件人：收件 {} 人（{}）；抄送 {} 人（{}）",
                r.to.len(), r.to.join("、"), r.cc.len(), r.cc.join("、")
            ))?;
            Ok(r.clone())
        })
    }

    /// The daily report of a local day (today or earlier). The day's events are those with a
    /// time in `[00:00, 24:00)` China time; the progress section is the state now. On the
    /// current day, tickets open too long are escalated first, as 今日待办 does.
    pub fn daily_report(&self, date: NaiveDate) -> DeskResult<DailyReport> {
        let now = self.now();
        let today = local_date(now);
        if date > today {
            return Err(DeskError::invalid("date", format!("日报日期 {date} 晚于今天（{today}），请选择今天或以前的日期")));
        }
        let next = date.succ_opt().ok_or_else(|| DeskError::invalid("date", format!("日期 {date} 超出范围")))?;
        if date == today {
            self.today()?;
        }
        let project = self.active_project().map(|p| p.name).unwrap_or_default();
        let cal = self.work_calendar()?;
        let recipients = self.report_recipients()?;
        let (from, to) = (local_day_start(date).timestamp(), local_day_start(next).timestamp());

        let (reported, accepted, notices, visits, oos, escs, open, open_rows) = self.store.read(|tx| -> DeskResult<_> {
            let open = clocks::open_tickets(tx, None)?;
            let ids: Vec<i64> = open.iter().map(|t| t.id).collect();
            Ok((
                store::reported(tx, from, to)?,
                store::accepted(tx, from, to)?,
                store::followups(tx, "CompletionNotice", from, to)?,
                store::followups(tx, "ReturnVisit", from, to)?,
                store::out_of_scope(tx, from, to)?,
                store::escalations(tx, from, to)?,
                open,
                store::open_rows(tx, &ids)?,
            ))
        })?;
        let mut per_project: HashMap<i64, DeadlineSettings> = HashMap::new();
        for t in &open {
            if let std::collections::hash_map::Entry::Vacant(slot) = per_project.entry(t.project_id) {
                slot.insert(self.deadline_settings(t.project_id)?);
            }
        }

        let phone = |p: &str| mask_phone(p);
        let text = |s: &str| mask_phones_in_text(s);
        let new_reports: Vec<NewReportRow> = reported
            .into_iter()
            .map(|r| NewReportRow {
                no: r.no,
                reported_at: from_unix(r.reported_at),
                unit: r.unit,
                owner: r.owner,
                phone: phone(&r.phone),
                channel: Channel::parse(&r.channel).map(|c| c.label().to_string()).unwrap_or(r.channel),
                category: Category::parse(&r.category).map(|c| c.label().to_string()).unwrap_or(r.category),
                part: text(&r.part),
                description: text(&r.description),
                classification: r.classification.as_deref().and_then(Classification::parse).map(|c| c.label().to_string()).unwrap_or_default(),
                status: TicketStatus::parse(&r.status).unwrap_or(TicketStatus::Reported),
                steward: s_or(r.steward),
                receptionist: r.receptionist,
            })
            .collect();
        let completions: Vec<CompletionRow> = accepted
            .into_iter()
            .map(|a| {
                let kind = AcceptanceKind::parse(&a.kind);
                let acceptance = match kind {
                    Some(AcceptanceKind::Proxy) => format!("{}（{}、{}）", AcceptanceKind::Proxy.label(), s_or(a.director), s_or(a.cs_assistant)),
                    Some(k) => k.label().to_string(),
                    None => a.kind,
                };
                CompletionRow {
                    no: a.no,
                    unit: a.unit,
                    owner: a.owner,
                    phone: phone(&a.phone),
                    part: text(&a.part),
                    description: text(&a.description),
                    dispatch_no: s_or(a.dispatch_no),
                    contractor: s_or(a.contractor),
                    completed_at: a.completed_at.map(from_unix),
                    accepted_at: from_unix(a.at),
                    acceptance,
                    opinion: text(&a.owner_opinion),
                    steward: s_or(a.steward),
                }
            })
            .collect();
        let notices: Vec<NoticeRow> = notices
            .into_iter()
            .map(|f| NoticeRow {
                no: f.no,
                unit: f.unit,
                owner: f.owner,
                phone: phone(&f.phone),
                at: from_unix(f.at),
                attempt: f.attempt,
                reached: f.ok,
                note: text(&f.note),
                new_phone: if f.new_phone.is_empty() { String::new() } else { phone(&f.new_phone) },
                by: f.actor,
            })
            .collect();
        let return_visits: Vec<VisitRow> = visits
            .into_iter()
            .map(|f| VisitRow {
                no: f.no,
                unit: f.unit,
                owner: f.owner,
                phone: phone(&f.phone),
                at: from_unix(f.at),
                attempt: f.attempt,
                reached: f.ok,
                satisfaction: f.satisfaction.as_deref().and_then(Satisfaction::parse),
                comments: text(&f.note),
                out_of_scope: text(&f.out_of_scope),
                by: f.actor,
            })
            .collect();
        let mut out_of_scope: Vec<OutOfScopeRow> = oos
            .into_iter()
            .map(|f| OutOfScopeRow {
                class: classify_out_of_scope(&f.out_of_scope).to_string(),
                matter: text(&f.out_of_scope),
                no: f.no,
                unit: f.unit,
                owner: f.owner,
                phone: phone(&f.phone),
                at: from_unix(f.at),
                by: f.actor,
            })
            .collect();
        out_of_scope.sort_by(|a, b| a.class.cmp(&b.class).then(a.at.cmp(&b.at)));
        let escalations: Vec<ReportEscalation> = escs
            .into_iter()
            .map(|e| {
                let kind = EscalationKind::parse(&e.kind).unwrap_or(EscalationKind::Complaint);
                ReportEscalation {
                    kind,
                    kind_label: kind.label().to_string(),
                    section: kind.section().to_string(),
                    ticket_no: e.ticket_no,
                    unit: e.unit,
                    detail: text(&e.detail),
                    raised_at: from_unix(e.raised_at),
                    raised_by: e.raised_by.unwrap_or_else(|| "系统发现".into()),
                    raised_that_day: e.raised_at >= from,
                    open: e.acknowledged_at.is_none_or(|a| a >= to),
                    acknowledged_at: e.acknowledged_at.filter(|a| *a < to).map(from_unix),
                    acknowledged_by: e.acknowledged_by.filter(|_| e.acknowledged_at.is_some_and(|a| a < to)),
                    ack_note: if e.acknowledged_at.is_some_and(|a| a < to) { text(&e.ack_note) } else { String::new() },
                }
            })
            .collect();

        let mut rows_by_id: HashMap<i64, store::OpenRow> = open_rows.into_iter().map(|r| (r.id, r)).collect();
        let mut progress: Vec<ProgressRow> = Vec::with_capacity(open.len());
        for t in &open {
            let Some(r) = rows_by_id.remove(&t.id) else { continue };
            let settings = per_project.get(&t.project_id).cloned().unwrap_or_default();
            let mut ds = duties(&t.facts, &settings, &cal, now);
            ds.sort_by(|a, b| b.late_by_minutes.cmp(&a.late_by_minutes).then(a.due_at.cmp(&b.due_at)));
            let on_hold = t.facts.holds.iter().find(|h| h.from <= now && h.until.is_none_or(|u| u > now)).map(|h| text(&h.reason));
            progress.push(ProgressRow {
                no: r.no,
                unit: r.unit,
                owner: r.owner,
                phone: phone(&r.phone),
                part: text(&r.part),
                description: text(&r.description),
                status: TicketStatus::parse(&r.status).unwrap_or(TicketStatus::Reported),
                steward: s_or(r.steward),
                reported_at: from_unix(r.reported_at),
                days_open: (now - from_unix(r.reported_at)).num_days().max(0),
                contractor: s_or(r.contractor),
                latest: latest_step(&t.facts),
                late_by_minutes: ds.iter().map(|d| d.late_by_minutes).max().unwrap_or(0),
                duties: ds.iter().map(duty_text).collect(),
                on_hold,
            });
        }
        progress.sort_by(|a, b| b.late_by_minutes.cmp(&a.late_by_minutes).then(a.reported_at.cmp(&b.reported_at)).then(a.no.cmp(&b.no)));

        let count = |it: &mut dyn Iterator<Item = bool>| it.filter(|x| *x).count() as i64;
        let figures = DailyFigures {
            new_reports: new_reports.len() as i64,
            completions: completions.len() as i64,
            notices: notices.len() as i64,
            notices_reached: count(&mut notices.iter().map(|n| n.reached)),
            notices_unreached: count(&mut notices.iter().map(|n| !n.reached)),
            return_visits: return_visits.len() as i64,
            visits_satisfied: count(&mut return_visits.iter().map(|v| v.reached && v.satisfaction == Some(Satisfaction::Satisfied))),
            visits_basic: count(&mut return_visits.iter().map(|v| v.reached && v.satisfaction == Some(Satisfaction::Basic))),
            visits_dissatisfied: count(&mut return_visits.iter().map(|v| v.reached && v.satisfaction == Some(Satisfaction::Dissatisfied))),
            visits_unreached: count(&mut return_visits.iter().map(|v| !v.reached)),
            out_of_scope: out_of_scope.len() as i64,
            escalations_open: count(&mut escalations.iter().map(|e| e.open)),
            escalations_raised: count(&mut escalations.iter().map(|e| e.raised_that_day)),
            open_tickets: progress.len() as i64,
            overdue_tickets: count(&mut progress.iter().map(|p| p.late_by_minutes > 0)),
            on_hold: count(&mut progress.iter().map(|p| p.on_hold.is_some())),
        };
        Ok(DailyReport {
            date,
            project,
            generated_at: now,
            figures,
            new_reports,
            completions,
            notices,
            return_visits,
            out_of_scope,
            escalations,
            progress,
            recipients,
        })
    }

    /// Writes the daily report of `date` to `out` as PDF, Excel (.xlsx) or an e-mail draft
    /// (.eml, with the PDF and the workbook attached and the recipients filled in), chosen by
    /// the file's extension. A copy is kept under `reports/` in the data folder.
    pub fn export_daily_report(&self, date: NaiveDate, out: &Path) -> DeskResult<ReportExport> {
        self.export_daily_report_with(date, out, &Progress::none())
    }

    /// [`Desk::export_daily_report`] in two steps reported to `p` (gather, write); a cancel
    /// before the files are written leaves none.
    pub fn export_daily_report_with(&self, date: NaiveDate, out: &Path, p: &Progress) -> DeskResult<ReportExport> {
        let ext = out.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).unwrap_or_default();
        if !matches!(ext.as_str(), "pdf" | "xlsx" | "eml") {
            return Err(DeskError::invalid("out", format!("日报只能导出为 .pdf、.xlsx 或 .eml 文件（收到「{}」）", out.display())));
        }
        p.step(0, 2, "汇总当日数据");
        let r = self.daily_report(date)?;
        p.check()?;
        p.step(1, 2, "生成日报文件");
        let doc = to_doc(&r);
        let dir = self.data_dir.join("reports");
        std::fs::create_dir_all(&dir).map_err(|e| DeskError::storage(format!("无法创建日报文件夹：{e}")))?;
        let stem = format!("F03-{}", date.format("%Y-%m-%d"));
        let created = local_naive(r.generated_at);
        let pdf = |dir: &Path| -> DeskResult<Vec<u8>> {
            let bytes = f03::render_pdf(&doc, created).map_err(|e| DeskError::storage(format!("生成日报 PDF 失败：{e}")))?;
            write_file(&dir.join(format!("{stem}.pdf")), &bytes)?;
            Ok(bytes)
        };
        let xlsx = |dir: &Path| -> DeskResult<Vec<u8>> {
            let p = dir.join(format!("{stem}.xlsx"));
            f03::write_xlsx(&p, &doc).map_err(|e| DeskError::storage(format!("生成日报 Excel 失败：{e}")))?;
            std::fs::read(&p).map_err(|e| DeskError::storage(format!("无法读取「{}」：{e}", p.display())))
        };
        let (bytes, recipients) = match ext.as_str() {
            "pdf" => (pdf(&dir)?, 0),
            "xlsx" => (xlsx(&dir)?, 0),
            _ => {
                let name = format!("保修中心工作日报{stem}");
                // The PDF and the workbook do not depend on each other: made side by side (two
                // cores on an office PC), the mail of a day with thousands of open tickets waits
                // for the longer of the two, not for both.
                let (pdf_bytes, xlsx_bytes) = std::thread::scope(|s| {
                    let p = s.spawn(|| pdf(&dir));
                    let x = xlsx(&dir);
                    (p.join().unwrap_or_else(|_| Err(DeskError::storage("生成日报 PDF 时程序出错"))), x)
                });
                let draft = Draft {
                    to: r.recipients.to.clone(),
                    cc: r.recipients.cc.clone(),
                    subject: subject(&r),
                    date: r.generated_at.with_timezone(&desk_tz()),
                    body: mail_body(&r),
                    attachments: vec![
                        Attachment { filename: format!("{name}.pdf"), content_type: eml::PDF.into(), bytes: pdf_bytes? },
                        Attachment { filename: format!("{name}.xlsx"), content_type: eml::XLSX.into(), bytes: xlsx_bytes? },
                    ],
                };
                let bytes = eml::compose(&draft).into_bytes();
                write_file(&dir.join(format!("{stem}.eml")), &bytes)?;
                (bytes, (draft.to.len() + draft.cc.len()) as u32)
            }
        };
        let saved = dir.join(format!("{stem}.{ext}"));
        let same = out.canonicalize().ok().zip(saved.canonicalize().ok()).is_some_and(|(a, b)| a == b);
        if !same {
            write_file(out, &bytes)?;
        }
        Ok(ReportExport { path: out.display().to_string(), saved: saved.display().to_string(), format: ext, bytes: bytes.len() as u32, recipients })
    }
}

fn write_file(p: &Path, bytes: &[u8]) -> DeskResult<()> {
    std::fs::write(p, bytes).map_err(|e| DeskError::storage(format!("无法写入「{}」（可能正被其他程序打开，或没有写入权限）：{e}", p.display())))
}

fn weekday(d: NaiveDate) -> &'static str {
    use chrono::Datelike;
    ["一", "二", "三", "四", "五", "六", "日"][d.weekday().num_days_from_monday() as usize]
}

fn subject(r: &DailyReport) -> String {
    format!("{}保修中心工作日报（{}）{}", r.project, f03::FORM_NO, r.date.format("%Y-%m-%d"))
}

/// The lines of the day's figures, shared by the PDF's summary and the e-mail's body.
fn figure_lines(f: &DailyFigures) -> Vec<(String, String)> {
    vec![
        ("新增报修".into(), format!("{} 张", f.new_reports)),
        ("完工验收".into(), format!("{} 张", f.completions)),
        ("通知业主".into(), format!("{} 次（已告知 {}，未联系上 {}）", f.notices, f.notices_reached, f.notices_unreached)),
        ("维修回访".into(), format!("{} 次（满意 {}，基本满意 {}，不满意 {}，未联系上 {}）", f.return_visits, f.visits_satisfied, f.visits_basic, f.visits_dissatisfied, f.visits_unreached)),
        ("非保修范围事项".into(), format!("{} 项", f.out_of_scope)),
        ("上报项目总经理".into(), format!("未确认 {} 项（当日新上报 {} 项）", f.escalations_open, f.escalations_raised)),
        ("在办报修单".into(), format!("{} 张（已超时 {}，暂停计时 {}）", f.open_tickets, f.overdue_tickets, f.on_hold)),
    ]
}

fn mail_body(r: &DailyReport) -> String {
    let mut b = String::new();
    b.push_str("各位领导、同事：\n\n");
    b.push_str(&format!("{}保修中心 {}（星期{}）工作日报如下，详见附件 PDF 与 Excel：\n\n", r.project, r.date.format("%Y-%m-%d"), weekday(r.date)));
    for (i, (l, v)) in figure_lines(&r.figures).into_iter().enumerate() {
        b.push_str(&format!("{}、{l}：{v}\n", ["一", "二", "三", "四", "五", "六", "七"].get(i).copied().unwrap_or("")));
    }
    let open: Vec<&ReportEscalation> = r.escalations.iter().filter(|e| e.open).collect();
    if !open.is_empty() {
        b.push_str("\n待项目总经理确认的上报事项：\n");
        for e in open {
            b.push_str(&format!("· {}（{}）{}：{}\n", e.kind_label, e.section, e.ticket_no.as_deref().or(e.unit.as_deref()).unwrap_or(""), e.detail));
        }
    }
    let late: Vec<&ProgressRow> = r.progress.iter().filter(|p| p.late_by_minutes > 0).take(20).collect();
    if !late.is_empty() {
        b.push_str("\n已超时的报修单（前 20 张）：\n");
        for p in late {
            b.push_str(&format!("· {} {} {} {}：{}\n", p.no, p.unit, p.part, p.status.label(), p.duties.first().map(String::as_str).unwrap_or("")));
        }
    }
    b.push_str(&format!("\n（本邮件由保修中心工作台于 {} 生成，业主电话已打码。）\n", fmt_local(r.generated_at)));
    b
}

fn t(s: &str) -> OutCell {
    OutCell::Text(s.to_string())
}
fn dt(x: DateTime<Utc>) -> OutCell {
    OutCell::DateTime(local_naive(x))
}
fn col(h: &str, k: ColumnKind, w: Option<f32>) -> F03Column {
    F03Column::new(h, k, w)
}

/// The report formatted for the PDF and the workbook.
fn to_doc(r: &DailyReport) -> F03Report {
    use ColumnKind::{DateTime as Dt, Int, Text};
    let (no, unit, owner, phone) = (col("报修编号", Text, Some(22.0)), col("房号", Text, Some(14.0)), col("业主", Text, Some(12.0)), col("联系电话", Text, Some(17.5)));
    let sections = vec![
        F03Section {
            title: format!("一、报修情况（新增报修 {} 张）", r.new_reports.len()),
            sheet_name: "报修情况".into(),
            columns: vec![
                no.clone(), col("报修时间", Dt, Some(17.0)), unit.clone(), owner.clone(), phone.clone(), col("报修方式", Text, None),
                col("类别", Text, Some(10.0)), col("部位", Text, Some(14.0)), col("缺陷描述", Text, Some(0.0)), col("分类", Text, None),
                col("状态", Text, Some(12.0)), col("责任管家", Text, Some(12.0)), col("接待人", Text, None),
            ],
            rows: r
                .new_reports
                .iter()
                .map(|x| vec![
                    t(&x.no), dt(x.reported_at), t(&x.unit), t(&x.owner), t(&x.phone), t(&x.channel), t(&x.category), t(&x.part),
                    t(&x.description), t(&x.classification), t(x.status.label()), t(&x.steward), t(&x.receptionist),
                ])
                .collect(),
            empty_text: "当日无新增报修。".into(),
        },
        F03Section {
            title: format!("二、完成情况（完工验收 {} 张）", r.completions.len()),
            sheet_name: "完成情况".into(),
            columns: vec![
                no.clone(), unit.clone(), owner.clone(), phone.clone(), col("部位", Text, Some(14.0)), col("缺陷描述", Text, Some(0.0)),
                col("调度单号", Text, None), col("维修单位", Text, Some(20.0)), col("完工时间", Dt, Some(17.0)), col("验收时间", Dt, Some(17.0)),
                col("验收方式", Text, Some(26.0)), col("业主意见", Text, None), col("责任管家", Text, None),
            ],
            rows: r
                .completions
                .iter()
                .map(|x| vec![
                    t(&x.no), t(&x.unit), t(&x.owner), t(&x.phone), t(&x.part), t(&x.description), t(&x.dispatch_no), t(&x.contractor),
                    x.completed_at.map(dt).unwrap_or(OutCell::Empty), dt(x.accepted_at),
                    t(&if x.opinion.is_empty() { x.acceptance.clone() } else { format!("{}；{}", x.acceptance, x.opinion) }), t(&x.opinion), t(&x.steward),
                ])
                .collect(),
            empty_text: "当日无完工验收。".into(),
        },
        F03Section {
            title: format!("三、通知业主（完工通知 {} 次）", r.notices.len()),
            sheet_name: "通知业主".into(),
            columns: vec![
                no.clone(), unit.clone(), owner.clone(), phone.clone(), col("通知时间", Dt, Some(17.0)), col("第几次", Int, Some(10.0)),
                col("结果", Text, Some(14.0)), col("说明", Text, Some(0.0)), col("新电话", Text, None), col("经办人", Text, Some(12.0)),
            ],
            rows: r
                .notices
                .iter()
                .map(|x| {
                    let note = if x.new_phone.is_empty() { x.note.clone() } else { format!("{}；业主电话已变更为 {}，已反馈客户服务部", x.note, x.new_phone) };
                    vec![
                        t(&x.no), t(&x.unit), t(&x.owner), t(&x.phone), dt(x.at), OutCell::Int(x.attempt),
                        t(if x.reached { "已告知" } else { "未联系上" }), t(note.trim_start_matches('；')), t(&x.new_phone), t(&x.by),
                    ]
                })
                .collect(),
            empty_text: "当日无完工通知。".into(),
        },
        F03Section {
            title: format!("四、回访情况（回访 {} 次）", r.return_visits.len()),
            sheet_name: "回访情况".into(),
            columns: vec![
                no.clone(), unit.clone(), owner.clone(), phone.clone(), col("回访时间", Dt, Some(17.0)), col("结果", Text, Some(13.0)),
                col("满意度", Text, Some(12.0)), col("业主意见", Text, Some(0.0)), col("非保修范围事项", Text, Some(30.0)), col("回访人", Text, Some(12.0)),
            ],
            rows: r
                .return_visits
                .iter()
                .map(|x| vec![
                    t(&x.no), t(&x.unit), t(&x.owner), t(&x.phone), dt(x.at), t(if x.reached { "已联系上" } else { "未联系上" }),
                    t(x.satisfaction.map(|s| s.label()).unwrap_or("")), t(&x.comments), t(&x.out_of_scope), t(&x.by),
                ])
                .collect(),
            empty_text: "当日无回访。".into(),
        },
        F03Section {
            title: format!("五、非保修范围事项（{} 项，§5.1.5.3）", r.out_of_scope.len()),
            sheet_name: "非保修范围事项".into(),
            columns: vec![
                col("分类", Text, Some(26.0)), col("业主提出的事项", Text, Some(0.0)), no.clone(), unit.clone(), owner.clone(), phone.clone(),
                col("提出时间", Dt, Some(17.0)), col("记录人", Text, None),
            ],
            rows: r
                .out_of_scope
                .iter()
                .map(|x| vec![t(&x.class), t(&x.matter), t(&x.no), t(&x.unit), t(&x.owner), t(&x.phone), dt(x.at), t(&x.by)])
                .collect(),
            empty_text: "当日无业主提出的非保修范围事项。".into(),
        },
        F03Section {
            title: format!("六、上报项目总经理事项（未确认 {} 项，当日新上报 {} 项）", r.figures.escalations_open, r.figures.escalations_raised),
            sheet_name: "上报事项".into(),
            columns: vec![
                col("类型", Text, Some(26.0)), col("条款", Text, Some(14.0)), col("报修编号", Text, Some(22.0)), col("房号", Text, Some(14.0)),
                col("情况说明", Text, Some(0.0)), col("上报时间", Dt, Some(17.0)), col("上报人", Text, Some(13.0)), col("确认情况", Text, Some(25.0)),
            ],
            rows: r
                .escalations
                .iter()
                .map(|x| {
                    let ack = match (&x.acknowledged_at, x.open) {
                        (Some(a), false) => format!("{} 已确认 {}{}", x.acknowledged_by.as_deref().unwrap_or(""), short_time(*a), if x.ack_note.is_empty() { String::new() } else { format!("：{}", x.ack_note) }),
                        _ => "待项目总经理确认".into(),
                    };
                    vec![
                        t(&x.kind_label), t(&x.section), t(x.ticket_no.as_deref().unwrap_or("")), t(x.unit.as_deref().unwrap_or("")),
                        t(&x.detail), dt(x.raised_at), t(&x.raised_by), t(&ack),
                    ]
                })
                .collect(),
            empty_text: "无待确认的上报事项。".into(),
        },
        F03Section {
            title: format!("七、在办报修单进展（{} 张，已超时 {} 张；截至 {}）", r.progress.len(), r.figures.overdue_tickets, fmt_local(r.generated_at)),
            sheet_name: "在办报修单进展".into(),
            columns: vec![
                no, unit, owner, phone, col("部位", Text, Some(14.0)), col("缺陷描述", Text, None), col("状态", Text, Some(12.0)),
                col("责任管家", Text, Some(12.0)), col("报修时间", Dt, None), col("已办天数", Int, Some(10.0)), col("维修单位", Text, None),
                col("最新进展", Text, Some(0.0)), col("待办与超时", Text, Some(32.0)), col("暂停计时", Text, None),
            ],
            rows: r
                .progress
                .iter()
                .map(|x| {
                    let mut duties = x.duties.join("\n");
                    if let Some(h) = &x.on_hold {
                        duties = format!("暂停中（{h}）\n{duties}");
                    }
                    vec![
                        t(&x.no), t(&x.unit), t(&x.owner), t(&x.phone), t(&x.part), t(&x.description), t(x.status.label()), t(&x.steward),
                        dt(x.reported_at), OutCell::Int(x.days_open), t(&x.contractor), t(&x.latest), t(duties.trim_end()),
                        t(x.on_hold.as_deref().unwrap_or("")),
                    ]
                })
                .collect(),
            empty_text: "没有在办的报修单。".into(),
        },
    ];
    F03Report {
        project: r.project.clone(),
        date: r.date,
        generated: fmt_local(r.generated_at),
        summary: figure_lines(&r.figures).into_iter().map(|(l, v)| (l, OutCell::Text(v))).collect(),
        sections,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mobile_numbers_in_free_text_are_masked_and_other_numbers_kept() {
        assert_eq!(mask_phones_in_text("联系赵师傅 13900001111，单号 BX-2026-000001"), "联系赵师傅 139****1111，单号 BX-2026-000001");
        assert_eq!(mask_phones_in_text("138001380001"), "138001380001", "12 digits is not a mobile");
        assert_eq!(mask_phones_in_text("电话13800138000"), "电话138****8000");
    }

    #[test]
    fn out_of_scope_matters_are_sorted_into_classes() {
        assert_eq!(classify_out_of_scope("小区路灯不亮"), "公共区域及设施（物业）");
        assert_eq!(classify_out_of_scope("自己装修的橱柜门掉了"), "业主装修及自购设备");
        assert_eq!(classify_out_of_scope("楼下噪音太大"), "物业服务");
        assert_eq!(classify_out_of_scope("想了解房产证办理进度"), "其他");
    }

    #[test]
    fn email_addresses_are_checked() {
        for ok in ["zhangsan@example.com", "bx.center+f03@cuihu-re.com.cn", "a@b.cn"] {
            assert!(is_email(ok), "{ok}");
        }
        for bad in ["张三@example.com", "zhangsan", "zhangsan@", "@example.com", "a@b", "a@@b.cn", "a b@c.cn", "a@-b.cn", "a..b@c.cn", "a@b.c1", "a@b.cn\r\nBcc: x@y.cn"] {
            assert!(!is_email(bad), "{bad}");
        }
    }

    #[test]
    fn late_minutes_read_naturally() {
        assert_eq!(minutes_text(40), "40 分钟");
        assert_eq!(minutes_text(125), "2 小时 5 分");
        assert_eq!(minutes_text(3 * 1440 + 4 * 60 + 7), "3 天 4 小时");
    }
}
