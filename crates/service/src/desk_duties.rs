//! The center's own duties at the desk (issue 13): the daily report F03 sent each working day
//! (§5.1.6, with the "已发送" record the clerk makes after mailing it), the deposit ledgers
//! received within a month of a batch's delivery (保修金流程 4.1 / A3) and the quarterly
//! reconciliation (3.2 / B4). The rules are pure (`desk_domain::clock::desk_duties`); this module
//! reads what was done, shows what is owed on 今日待办 ([`Desk::desk_duties_today`], the
//! `desk_duties` field of `TodayList`) and counts them for the statistics.

use crate::desk::{Desk, Session};
use crate::error::{DeskError, DeskResult, ErrorKind};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use desk_domain::audit::AuditAction;
use desk_domain::clock::calendar::WorkCalendar;
use desk_domain::clock::desk_duties::{self as rules, BatchLedgers, DeskDuty, DeskDutyKind, DeskDutyRules, ProjectReconciliations};
use desk_domain::clock::on_time::Tally;
use desk_domain::fund::ledger::Quarter;
use desk_domain::ticket::validate_text;
use desk_domain::time::{fmt_local, local_date};
use desk_store::{audit, desk_duties as q, from_unix, Db};
use serde::Serialize;
use std::collections::HashMap;

/// 今日待办 looks back this many days for daily reports not marked sent: older ones are in the
/// statistics, not on the list of what to do today.
pub const DAILY_REPORT_LOOKBACK_DAYS: i64 = 14;

/// The record that a day's F03 was sent (§5.1.6.2): who, when, to whom.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct DailyReportSent {
    pub id: i64,
    /// The report's date.
    pub day: NaiveDate,
    pub at: DateTime<Utc>,
    pub actor: String,
    /// 收件人 and 抄送 as the recipient list held when it was sent.
    pub to: Vec<String>,
    pub cc: Vec<String>,
    pub note: String,
}

const SEP: &str = "；";

fn split(list: &str) -> Vec<String> {
    list.split(SEP).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect()
}

fn sent_view(r: q::SentRow) -> DeskResult<DailyReportSent> {
    let day =
        NaiveDate::parse_from_str(&r.day, "%Y-%m-%d").map_err(|_| DeskError::storage(format!("日报发送记录 {} 的日期「{}」不是有效日期", r.id, r.day)))?;
    Ok(DailyReportSent { id: r.id, day, at: from_unix(r.at), actor: r.actor, to: split(&r.to_list), cc: split(&r.cc_list), note: r.note })
}

fn parse_day(raw: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").ok()
}

/// What the desk duties are judged on, read in one snapshot.
struct Facts {
    first_day: Option<NaiveDate>,
    sent: HashMap<NaiveDate, DateTime<Utc>>,
    batches: Vec<BatchLedgers>,
    projects: Vec<ProjectReconciliations>,
}

fn read_facts(tx: &Db, sent_from: NaiveDate, sent_to: NaiveDate) -> DeskResult<Facts> {
    let first_day = q::first_report_at(tx)?.map(|t| local_date(from_unix(t)));
    let mut sent = HashMap::new();
    for r in q::sent_between(tx, &sent_from.to_string(), &sent_to.to_string())? {
        if let Some(d) = parse_day(&r.day) {
            sent.insert(d, from_unix(r.at));
        }
    }
    let batches = q::delivered_batches(tx)?
        .into_iter()
        .filter_map(|b| {
            Some(BatchLedgers {
                name: format!("{} {}", b.project, b.batch),
                delivered_on: parse_day(&b.delivered_on)?,
                ledgers: usize::try_from(b.ledgers).unwrap_or(0),
                last_ledger_at: b.last_ledger_at.map(from_unix),
            })
        })
        .collect();
    let projects = q::fund_projects(tx)?
        .into_iter()
        .map(|p| ProjectReconciliations {
            project: p.project,
            first_ledger_on: local_date(from_unix(p.first_ledger_at)),
            saved: p.saved.iter().filter_map(|(quarter, at)| Some((quarter.parse::<Quarter>().ok()?, from_unix(*at)))).collect(),
        })
        .collect();
    Ok(Facts { first_day, sent, batches, projects })
}

/// Every desk duty of the period `[from, to)`: the working days' reports (from the first report
/// the desk received on), the batches delivered in it, the quarters that end in it.
fn duties_of(f: &Facts, cal: &WorkCalendar, from: NaiveDate, to: NaiveDate, now: DateTime<Utc>) -> Vec<DeskDuty> {
    let r = DeskDutyRules::default();
    let start = f.first_day.map_or(to, |d| d.max(from));
    let sent = |d: NaiveDate| f.sent.get(&d).copied();
    let mut out = rules::daily_reports(cal, &r, start, to, &sent, now);
    let batches: Vec<BatchLedgers> = f.batches.iter().filter(|b| from <= b.delivered_on && b.delivered_on < to).cloned().collect();
    out.extend(rules::ledgers_received(&r, &batches, now));
    out.extend(rules::reconciliations(&r, &f.projects, Some((from, to)), now));
    out
}

impl Desk {
    /// §5.1.6: records that the report of `day` was mailed (the office mail client sends the
    /// `.eml` the desk wrote), now, by `s`, to the recipients set at this moment. Once per day.
    pub fn mark_daily_report_sent(&self, s: &Session, day: NaiveDate, note: &str) -> DeskResult<DailyReportSent> {
        let now = self.now();
        if day > local_date(now) {
            return Err(DeskError::invalid("day", format!("日报日期「{day}」还没到，不能登记为已发送")));
        }
        let note = validate_text("note", "备注", note, 200, false)?;
        let rec = self.report_recipients()?;
        if rec.to.is_empty() {
            return Err(DeskError::invalid("to", "尚未设置日报收件人（§5.1.6.2）：请主任先在「维修日报」中设置收件人，再登记发送"));
        }
        let (to, cc) = (rec.to.join(SEP), rec.cc.join(SEP));
        self.store.with_tx(|tx| {
            if let Some(old) = q::sent_on(tx, &day.to_string())? {
                return Err(DeskError::new(ErrorKind::Conflict, format!("{day} 的日报已于 {} 由{}登记发送", fmt_local(from_unix(old.at)), old.actor)));
            }
            let id = q::insert_sent(tx, &day.to_string(), now.timestamp(), Some(s.staff_id), &to, &cc, &note)?;
            let detail = format!(
                "{day} 的工作日报 F03 已发送：收件 {}；抄送 {}",
                rec.to.join("、"),
                if rec.cc.is_empty() { "无".to_string() } else { rec.cc.join("、") }
            );
            audit::append(tx, now, Some(s.staff_id), AuditAction::MarkF03Sent, "daily_report", id, &detail)?;
            let row = q::sent_on(tx, &day.to_string())?.ok_or_else(|| DeskError::storage("日报发送记录未保存"))?;
            sent_view(row)
        })
    }

    /// The send record of the report of `day`, if it was marked sent.
    pub fn daily_report_sent(&self, day: NaiveDate) -> DeskResult<Option<DailyReportSent>> {
        self.store.read(|tx| q::sent_on(tx, &day.to_string())?.map(sent_view).transpose())
    }

    /// The desk duties owed now that are due today or late, latest-late first: the daily reports
    /// of the last [`DAILY_REPORT_LOOKBACK_DAYS`] days not marked sent, the ledgers of delivered
    /// batches not yet received, the finished quarters not reconciled.
    pub fn desk_duties_today(&self) -> DeskResult<Vec<DeskDuty>> {
        self.desk_duties_at(self.now())
    }

    /// [`Desk::desk_duties_today`] at `now` (今日待办 passes its own).
    pub(crate) fn desk_duties_at(&self, now: DateTime<Utc>) -> DeskResult<Vec<DeskDuty>> {
        let cal = self.work_calendar()?;
        let today = local_date(now);
        let tomorrow = today.succ_opt().unwrap_or(today);
        let from = today - Duration::days(DAILY_REPORT_LOOKBACK_DAYS);
        let f = self.store.read(|tx| read_facts(tx, from, tomorrow))?;
        let r = DeskDutyRules::default();
        let start = f.first_day.map_or(tomorrow, |d| d.max(from));
        let sent = |d: NaiveDate| f.sent.get(&d).copied();
        let mut out = rules::daily_reports(&cal, &r, start, tomorrow, &sent, now);
        out.extend(rules::ledgers_received(&r, &f.batches, now));
        out.extend(rules::reconciliations(&r, &f.projects, None, now));
        out.retain(|d| d.on_today(now));
        // A deposit release's clocks are listed while the application runs, not only on the
        // last day: the builder's money waits on them (REGULATION.md §3).
        let open = self.store.read(desk_store::release::open_releases)?;
        out.extend(rules::release_duties(&open, now));
        out.sort_by_key(|d| (d.due_at, d.kind));
        Ok(out)
    }

    /// The desk duties of the statistics period `[from, to)`, counted per kind (in
    /// [`DeskDutyKind::ALL`] order).
    pub(crate) fn desk_duty_tallies(&self, from: NaiveDate, to: NaiveDate, cal: &WorkCalendar, now: DateTime<Utc>) -> DeskResult<Vec<(DeskDutyKind, Tally)>> {
        let f = self.store.read(|tx| read_facts(tx, from, to))?;
        let all = duties_of(&f, cal, from, to, now);
        Ok(DeskDutyKind::ALL
            .iter()
            .map(|&k| {
                let mut t = Tally::default();
                all.iter().filter(|d| d.kind == k).for_each(|d| d.count(&mut t, now));
                (k, t)
            })
            .collect())
    }
}
