//! The desk's own duties — owed by the center, not by one ticket: the daily report F03 (§5.1.6),
//! receiving the deposit ledger from the project department within a month of delivery (保修金
//! 使用管理工作流程 4.1 / node A3) and the quarterly reconciliation with it (3.2 / node B4).
//!
//! Like [`super::rules`], pure: the service reads what was done (the F03 send records, the ledgers
//! and their creation time, the saved reconciliations) and passes `now`; these functions give
//! each duty's due time and whether it was done by then. 今日待办 shows the ones not done that are
//! due today or late; the statistics count them as on time, late or pending ([`super::on_time::Tally`]).
//!
//! The numbers the seed does not give are chosen here and said why ([`DeskDutyRules`]).

use super::calendar::{ClockMode, WorkCalendar};
use super::on_time::Tally;
use super::rules::DayRule;
use crate::fund::ledger::Quarter;
use crate::time::{fmt_local, local_day_start};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::Serialize;

/// One kind of desk duty.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, ts_rs::TS)]
#[ts(export)]
pub enum DeskDutyKind {
    /// §5.1.6 工作日报 F03 sent each working day.
    DailyReport,
    /// 保修金使用管理工作流程 4.1 / A3: the deposit ledger received within a month of delivery.
    LedgerReceived,
    /// 保修金使用管理工作流程 3.2 / B4: the ledger reconciled with the project department each quarter.
    Reconciliation,
    /// REGULATION.md §3: a deposit release application inspected within 14 days.
    ReleaseInspection,
    /// REGULATION.md §3: a decided release paid within 14 days of the decision.
    ReleasePayment,
}

impl DeskDutyKind {
    /// The duties the statistics measure.
    pub const ALL: [DeskDutyKind; 3] = [DeskDutyKind::DailyReport, DeskDutyKind::LedgerReceived, DeskDutyKind::Reconciliation];
    /// The deposit release's clocks: listed on 今日待办 while the application runs.
    pub const RELEASE: [DeskDutyKind; 2] = [DeskDutyKind::ReleaseInspection, DeskDutyKind::ReleasePayment];

    /// The stable code (the variant name).
    pub fn code(self) -> &'static str {
        match self {
            DeskDutyKind::DailyReport => "DailyReport",
            DeskDutyKind::LedgerReceived => "LedgerReceived",
            DeskDutyKind::Reconciliation => "Reconciliation",
            DeskDutyKind::ReleaseInspection => "ReleaseInspection",
            DeskDutyKind::ReleasePayment => "ReleasePayment",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            DeskDutyKind::DailyReport => "发送工作日报 F03",
            DeskDutyKind::LedgerReceived => "接收保修金台账 A3",
            DeskDutyKind::Reconciliation => "保修金季度对账 B4",
            DeskDutyKind::ReleaseInspection => "保修金退还 14 日检查",
            DeskDutyKind::ReleasePayment => "保修金退还 14 日付款",
        }
    }

    pub fn section(self) -> &'static str {
        match self {
            DeskDutyKind::DailyReport => "§5.1.6",
            DeskDutyKind::LedgerReceived => "保修金流程 4.1/A3",
            DeskDutyKind::Reconciliation => "保修金流程 3.2/B4",
            DeskDutyKind::ReleaseInspection | DeskDutyKind::ReleasePayment => "保修金退还 §3",
        }
    }

    /// What the statistics measure, in Chinese.
    pub fn definition(self) -> &'static str {
        match self {
            DeskDutyKind::DailyReport => "期内每个工作日的日报登记「已发送」不晚于次一工作日下班；未登记的过期即计超时",
            DeskDutyKind::LedgerReceived => "期内交付的批次，其责任施工单位的保修金台账全部建账不晚于交付后 1 个月",
            DeskDutyKind::Reconciliation => "期内结束的每个季度，各项目保存对账结果不晚于季度结束后 15 天",
            DeskDutyKind::ReleaseInspection => "施工单位申请退还保修金后 14 天内完成检查并由保修主任决定",
            DeskDutyKind::ReleasePayment => "保修主任决定退还后 14 天内付款并记退还分录",
        }
    }
}

/// The desk duties' rules. `Default` is the procedure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeskDutyRules {
    /// §5.1.6.1 "每日将所有报修的维修进展…以邮件形式发送": the report of a working day is about
    /// that day's events, the last of which may come at closing; it is sent by the next working
    /// day's closing at the latest — one report a day, never two days behind.
    pub daily_report: DayRule,
    /// 4.1 "项目部在项目交付后1个月内编制《保修金明细账》,转交客服中心": calendar months after the
    /// batch's delivery date (the whole last day counts).
    pub ledger_months: u32,
    /// 3.2 "每季度进行一次对帐": the seed names no date. 15 calendar days after the quarter's end:
    /// the department closes the quarter's settlement entries in the first days of the next
    /// month, and the check should land before the next quarter's first payments are reviewed.
    pub reconcile_days_after_quarter: i64,
}

impl Default for DeskDutyRules {
    fn default() -> Self {
        DeskDutyRules { daily_report: DayRule::new(1, ClockMode::Working), ledger_months: 1, reconcile_days_after_quarter: 15 }
    }
}

/// One desk duty, done or not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct DeskDuty {
    pub kind: DeskDutyKind,
    pub label: String,
    pub section: String,
    /// What it is about: `2026-03-05 的日报`, `翠湖澜庭 二期`, `翠湖澜庭 2026年第1季度`.
    pub subject: String,
    pub due_at: DateTime<Utc>,
    /// When it was done; `None` while owed.
    pub done_at: Option<DateTime<Utc>>,
    /// Wall-clock minutes past due at `now` (0 when done or not late), rounded up.
    pub late_by_minutes: i64,
    pub note: String,
}

impl DeskDuty {
    /// Still owed and due before the end of `now`'s local day (or already late): on 今日待办.
    pub fn on_today(&self, now: DateTime<Utc>) -> bool {
        self.done_at.is_none() && crate::time::local_date(now).succ_opt().is_none_or(|tomorrow| self.due_at < local_day_start(tomorrow))
    }

    /// Adds the duty to a tally: done by its due time, late, or still pending.
    pub fn count(&self, t: &mut Tally, now: DateTime<Utc>) {
        match self.done_at {
            Some(done) => t.judge(done, Some(self.due_at)),
            None => t.owed(Some(self.due_at), now),
        }
    }
}

/// The running deposit release applications' clocks (REGULATION.md §3): the inspection and
/// decision within 14 days of the application (due at the end of that day), the payment within
/// 14 days of the decision. A refused or paid application owes nothing.
pub fn release_duties(releases: &[crate::fund::release::DepositRelease], now: DateTime<Utc>) -> Vec<DeskDuty> {
    use crate::fund::release::ReleaseStep;
    let end_of = |d: NaiveDate| local_day_start(d.succ_opt().unwrap_or(d));
    releases
        .iter()
        .filter_map(|r| {
            let subject = format!("{}（合同 {}）", r.builder, r.contract_no);
            match r.step {
                ReleaseStep::Applied | ReleaseStep::Inspected => Some(duty(
                    DeskDutyKind::ReleaseInspection,
                    subject,
                    end_of(r.inspection_due),
                    None,
                    format!("{} 申请（{}），{} 前检查并决定", r.applied_on, r.applicant, r.inspection_due),
                    now,
                )),
                ReleaseStep::Decided => r.payment_due.map(|due| {
                    duty(
                        DeskDutyKind::ReleasePayment,
                        subject,
                        end_of(due),
                        None,
                        format!("已决定退还 {}，{due} 前付款", crate::money::Fen(r.amount_fen.unwrap_or(0))),
                        now,
                    )
                }),
                ReleaseStep::Paid | ReleaseStep::Refused => None,
            }
        })
        .collect()
}

/// The last day of a due time given as the start of the next day (`…-16 00:00` → `…-15`).
fn last_day(due: DateTime<Utc>) -> NaiveDate {
    crate::time::local_date(due - Duration::seconds(1))
}

fn late_minutes(due: DateTime<Utc>, now: DateTime<Utc>) -> i64 {
    let secs = now.signed_duration_since(due).num_seconds();
    if secs <= 0 {
        0
    } else {
        secs.saturating_add(59) / 60
    }
}

fn duty(kind: DeskDutyKind, subject: String, due_at: DateTime<Utc>, done_at: Option<DateTime<Utc>>, note: String, now: DateTime<Utc>) -> DeskDuty {
    let late_by_minutes = if done_at.is_none() { late_minutes(due_at, now) } else { 0 };
    DeskDuty { kind, label: kind.label().to_string(), section: kind.section().to_string(), subject, due_at, done_at, late_by_minutes, note }
}

/// §5.1.6: the due time of the report of `day`, or `None` when `day` is not a working day (no
/// report is owed for it).
pub fn daily_report_due(cal: &WorkCalendar, rules: &DeskDutyRules, day: NaiveDate) -> Option<DateTime<Utc>> {
    if !cal.is_workday(day) {
        return None;
    }
    Some(cal.close_of_day(local_day_start(day), rules.daily_report.days, rules.daily_report.mode))
}

/// §5.1.6: one duty per working day of `[from, to)` that has begun by `now`; `sent` gives, per
/// day, when its report was first marked sent.
pub fn daily_reports(
    cal: &WorkCalendar,
    rules: &DeskDutyRules,
    from: NaiveDate,
    to: NaiveDate,
    sent: &dyn Fn(NaiveDate) -> Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Vec<DeskDuty> {
    let mut out = Vec::new();
    let mut day = from;
    while day < to && local_day_start(day) <= now {
        if let Some(due) = daily_report_due(cal, rules, day) {
            let done = sent(day);
            let note = match done {
                Some(at) => format!("已于 {} 登记发送", fmt_local(at)),
                None => "日报尚未登记发送（维修日报 → 标记已发送）".to_string(),
            };
            out.push(duty(DeskDutyKind::DailyReport, format!("{day} 的日报"), due, done, note, now));
        }
        match day.succ_opt() {
            Some(next) => day = next,
            None => break,
        }
    }
    out
}

/// A delivered batch and the deposit ledgers the desk holds for it (A3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchLedgers {
    /// `翠湖澜庭 二期`.
    pub name: String,
    pub delivered_on: NaiveDate,
    /// The liable builders' ledgers mapped to the batch (基础资料 → 责任施工单位).
    pub ledgers: usize,
    /// When the last of them was created in the desk (received from the project department).
    pub last_ledger_at: Option<DateTime<Utc>>,
}

/// 4.1 / A3: the end of the month after delivery — the same day number one month later (the
/// month's last day when it has no such day), the whole day counting.
pub fn ledger_due(rules: &DeskDutyRules, delivered_on: NaiveDate) -> DateTime<Utc> {
    let last = delivered_on.checked_add_months(chrono::Months::new(rules.ledger_months)).unwrap_or(delivered_on);
    local_day_start(last.succ_opt().unwrap_or(last))
}

/// 4.1 / A3: per delivered batch, the ledgers are received — done when the batch has its liable
/// builders' ledgers, at the creation of the last one. A batch without any is owed.
pub fn ledgers_received(rules: &DeskDutyRules, batches: &[BatchLedgers], now: DateTime<Utc>) -> Vec<DeskDuty> {
    batches
        .iter()
        .map(|b| {
            let due = ledger_due(rules, b.delivered_on);
            let done = if b.ledgers > 0 { b.last_ledger_at } else { None };
            let note = match done {
                Some(at) => format!("{} 交付；{} 个台账，最后一个于 {} 建账", b.delivered_on, b.ledgers, fmt_local(at)),
                None => format!(
                    "{} 交付，应于 {} 前建账，尚无责任施工单位的保修金台账：向项目部索取明细账，导入后在基础资料中对应责任施工单位",
                    b.delivered_on,
                    last_day(due)
                ),
            };
            duty(DeskDutyKind::LedgerReceived, b.name.clone(), due, done, note, now)
        })
        .collect()
}

/// 3.2 / B4: the due time of the reconciliation of quarter `q`.
pub fn reconcile_due(rules: &DeskDutyRules, q: Quarter) -> DateTime<Utc> {
    let first_after = q.next().first_day();
    let last = first_after.checked_add_signed(Duration::days(rules.reconcile_days_after_quarter.max(0))).unwrap_or(first_after);
    local_day_start(last)
}

/// A project with deposit ledgers, and its saved reconciliations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectReconciliations {
    pub project: String,
    /// The day its first ledger was created in the desk: quarters from then on are owed.
    pub first_ledger_on: NaiveDate,
    /// Per quarter, when a reconciliation of it was first saved.
    pub saved: Vec<(Quarter, DateTime<Utc>)>,
}

/// 3.2 / B4: one duty per project and finished quarter (its last day before `now`'s day) from
/// the quarter of the first ledger, among the quarters that end in `[from, to)` when given.
pub fn reconciliations(
    rules: &DeskDutyRules,
    projects: &[ProjectReconciliations],
    ends_in: Option<(NaiveDate, NaiveDate)>,
    now: DateTime<Utc>,
) -> Vec<DeskDuty> {
    let today = crate::time::local_date(now);
    let mut out = Vec::new();
    for p in projects {
        let mut q = Quarter::of(p.first_ledger_on);
        // A century of quarters at most: the bound only stops a date far in the future.
        for _ in 0..400 {
            let last = q.last_day();
            if last >= today {
                break;
            }
            if ends_in.is_none_or(|(a, b)| a <= last && last < b) {
                let done = p.saved.iter().filter(|(sq, _)| *sq == q).map(|(_, at)| *at).min();
                let due = reconcile_due(rules, q);
                let note = match done {
                    Some(at) => format!("已于 {} 保存对账结果", fmt_local(at)),
                    None => format!("应于 {} 前与项目部对账，尚未保存对账结果（保修金 → 季度对账）", last_day(due)),
                };
                out.push(duty(DeskDutyKind::Reconciliation, format!("{} {}", p.project, q.label()), due, done, note, now));
            }
            q = q.next();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::parse_local;

    fn t(s: &str) -> DateTime<Utc> {
        parse_local(s, "t").expect("a test time")
    }
    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("a test date")
    }

    #[test]
    fn the_daily_report_of_a_working_day_is_due_by_the_next_working_days_closing() {
        // §5.1.6. 2026-03-06 is a Friday: its report is due Monday 17:30; weekends owe none.
        let (cal, r) = (WorkCalendar::default(), DeskDutyRules::default());
        assert_eq!(daily_report_due(&cal, &r, d("2026-03-05")), Some(t("2026-03-06 17:30")));
        assert_eq!(daily_report_due(&cal, &r, d("2026-03-06")), Some(t("2026-03-09 17:30")));
        assert_eq!(daily_report_due(&cal, &r, d("2026-03-07")), None);
        // Mon 03-02 … Sun 03-08, now Tue 03-10 09:00: five working days. Mon sent Tue 10:00 (on
        // time), Tue sent Thu 09:00 (late: due Wed 17:30), Wed–Fri never: Wed (due Thu) and Thu
        // (due Fri) late, Fri (due Mon 03-09 17:30) late. 1 on time, 4 late.
        let sent = |day: NaiveDate| match day.to_string().as_str() {
            "2026-03-02" => Some(t("2026-03-03 10:00")),
            "2026-03-03" => Some(t("2026-03-05 09:00")),
            _ => None,
        };
        let all = daily_reports(&cal, &r, d("2026-03-02"), d("2026-03-09"), &sent, t("2026-03-10 09:00"));
        assert_eq!(all.len(), 5);
        let mut tally = Tally::default();
        all.iter().for_each(|x| x.count(&mut tally, t("2026-03-10 09:00")));
        assert_eq!(tally, Tally { on_time: 1, late: 4, pending: 0 });
        // On Friday 03-06 at 09:00, Thursday's report (due Fri 17:30) is pending and on today's list.
        let all = daily_reports(&cal, &r, d("2026-03-05"), d("2026-03-06"), &sent, t("2026-03-06 09:00"));
        assert!(all[0].on_today(t("2026-03-06 09:00")) && all[0].late_by_minutes == 0);
        let mut tally = Tally::default();
        all[0].count(&mut tally, t("2026-03-06 09:00"));
        assert_eq!(tally, Tally { on_time: 0, late: 0, pending: 1 });
    }

    #[test]
    fn the_ledger_is_due_a_month_after_delivery() {
        // 保修金流程 4.1 "交付后1个月内": delivered 01-31 → due end of 02-28.
        let r = DeskDutyRules::default();
        assert_eq!(ledger_due(&r, d("2026-01-31")), t("2026-03-01 00:00"));
        assert_eq!(ledger_due(&r, d("2026-03-05")), t("2026-04-06 00:00"));
        let batches = [
            BatchLedgers { name: "一期".into(), delivered_on: d("2026-03-05"), ledgers: 2, last_ledger_at: Some(t("2026-04-05 23:59")) },
            BatchLedgers { name: "二期".into(), delivered_on: d("2026-03-05"), ledgers: 1, last_ledger_at: Some(t("2026-04-06 00:01")) },
            BatchLedgers { name: "三期".into(), delivered_on: d("2026-05-01"), ledgers: 0, last_ledger_at: None },
            BatchLedgers { name: "四期".into(), delivered_on: d("2026-06-10"), ledgers: 0, last_ledger_at: None },
        ];
        let now = t("2026-06-15 10:00");
        let mut tally = Tally::default();
        ledgers_received(&r, &batches, now).iter().for_each(|x| x.count(&mut tally, now));
        // 一期 on time, 二期 a minute late, 三期 owed since 06-02 (late), 四期 due 07-11 (pending).
        assert_eq!(tally, Tally { on_time: 1, late: 2, pending: 1 });
    }

    #[test]
    fn each_finished_quarter_is_reconciled_within_fifteen_days() {
        // 保修金流程 3.2 "每季度进行一次对帐": Q1 due end of 04-15.
        let r = DeskDutyRules::default();
        assert_eq!(reconcile_due(&r, Quarter { year: 2026, q: 1 }), t("2026-04-16 00:00"));
        let p = ProjectReconciliations {
            project: "翠湖澜庭".into(),
            first_ledger_on: d("2026-02-10"),
            saved: vec![(Quarter { year: 2026, q: 1 }, t("2026-04-10 15:00")), (Quarter { year: 2026, q: 2 }, t("2026-07-20 09:00"))],
        };
        // Now 2026-10-10: Q1 on time, Q2 late (due 07-16), Q3 owed, due 10-16: pending; Q4 not finished.
        let now = t("2026-10-10 10:00");
        let all = reconciliations(&r, std::slice::from_ref(&p), None, now);
        assert_eq!(all.iter().map(|x| x.subject.as_str()).collect::<Vec<_>>(), ["翠湖澜庭 2026年第1季度", "翠湖澜庭 2026年第2季度", "翠湖澜庭 2026年第3季度"]);
        let mut tally = Tally::default();
        all.iter().for_each(|x| x.count(&mut tally, now));
        assert_eq!(tally, Tally { on_time: 1, late: 1, pending: 1 });
        // Only the quarters ending in the period.
        assert_eq!(reconciliations(&r, &[p], Some((d("2026-04-01"), d("2026-07-01"))), now).len(), 1);
    }
}
