//! A period's statistics: breakdowns, satisfaction, on-time rates and the contractor scorecard, from one read of the period's tickets.

use super::*;
use crate::desk::Desk;
use crate::job::Progress;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use desk_domain::clock::on_time::{definition, index_of, tally_ticket, Rules, Tally, CLERK_DUTIES, MEASURED, N, STEWARD_DUTIES};
use desk_domain::clock::rules::{arrival_verdict, ArrivalVerdict, DeadlineSettings, DutyKind};
use desk_domain::records::ContractorKind;
use desk_domain::repair::Satisfaction;
use desk_domain::ticket::{Category, TicketStatus};
use desk_domain::time::local_day_start;
use desk_store::{clocks, from_unix, stats as q};
use std::collections::{BTreeMap, HashMap};

/// The order of the per-person table: stewards, then clerks.
const STEWARD_ROLE: u8 = 0;
const CLERK_ROLE: u8 = 1;

fn month_keys(from: NaiveDate, to: NaiveDate) -> Vec<String> {
    let mut out = Vec::new();
    let Some(last) = to.pred_opt() else { return out };
    let (mut y, mut m) = (from.year(), from.month());
    while (y, m) <= (last.year(), last.month()) && out.len() < 1200 {
        out.push(format!("{y:04}-{m:02}"));
        (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    }
    out
}

fn rows(counts: Vec<q::Count>, total: i64, label: impl Fn(&str) -> String) -> Vec<CountRow> {
    counts.into_iter().map(|c| CountRow { label: label(&c.key), percent: percent(c.n, total), key: c.key, count: c.n }).collect()
}

fn part_label(p: &str) -> String {
    if p.trim().is_empty() {
        "未填部位".to_string()
    } else {
        p.to_string()
    }
}

fn kind_label(k: Option<ContractorKind>) -> String {
    match k {
        Some(ContractorKind::Builder) => "施工单位".into(),
        Some(ContractorKind::Maintenance) => "维保单位".into(),
        None => String::new(),
    }
}

impl Desk {
    /// The statistics of the tickets reported from `from` (inclusive) to `to` (exclusive), local
    /// dates. Read-only.
    pub fn statistics(&self, from: NaiveDate, to: NaiveDate) -> DeskResult<Statistics> {
        self.statistics_with(from, to, &Progress::none())
    }

    /// [`Desk::statistics`] reporting each of its queries and the tickets judged on time to
    /// `p`; stops (nothing is written anyway) when the user cancels.
    pub fn statistics_with(&self, from: NaiveDate, to: NaiveDate, p: &Progress) -> DeskResult<Statistics> {
        if to <= from {
            return Err(DeskError::invalid("to", "统计截止日期应晚于开始日期"));
        }
        let now = self.now();
        let (a, b) = (local_day_start(from).timestamp(), local_day_start(to).timestamp());
        let span = to.signed_duration_since(from);
        let previous_from = from.checked_sub_signed(span).unwrap_or(from);
        let pa = local_day_start(previous_from).timestamp();
        let cal = self.work_calendar()?;
        struct Raw {
            total: i64,
            cat: Vec<q::CategoryCount>,
            part: Vec<q::Count>,
            bld: Vec<q::Count>,
            batch: Vec<q::Count>,
            month: Vec<q::Count>,
            contractor: Vec<q::ContractorCount>,
            cp: Vec<q::CategoryPart>,
            cp_prev: Vec<q::CategoryPart>,
            repeats: Vec<q::RepeatPlace>,
            visits: Vec<q::VisitRow>,
            dispatches: Vec<q::DispatchRow>,
        }
        // Fourteen queries on one snapshot, then the on-time judging and the desk duties: a step
        // per query so a year at a million tickets shows it moving.
        const STEPS: u64 = 14;
        let step = |i: u64, label: &str| -> DeskResult<()> {
            p.check()?;
            p.step(i, STEPS, label);
            Ok(())
        };
        // Two reads side by side on one state of the database: the breakdowns, and the tickets'
        // events for the on-time judging (about equal halves of the reading at a million tickets).
        let (raw, (facts, staff_rows)) = self.store.read_pair(
            |tx| -> DeskResult<Raw> {
                step(0, "统计报修总数")?;
                let total = q::total(tx, a, b)?;
                step(1, "按类别统计")?;
                let cat = q::by_category(tx, a, b)?;
                step(2, "按部位统计")?;
                let part = q::by_part(tx, a, b, TOP_PARTS)?;
                step(3, "按楼栋统计")?;
                let bld = q::by_building(tx, a, b)?;
                step(4, "按批次统计")?;
                let batch = q::by_batch(tx, a, b)?;
                step(5, "按月份统计")?;
                let month = q::by_month(tx, a, b)?;
                step(6, "按施工单位统计")?;
                let contractor = q::by_contractor(tx, a, b)?;
                step(7, "统计高发问题")?;
                let cp = q::by_category_part(tx, a, b)?;
                let cp_prev = q::by_category_part(tx, pa, a)?;
                step(8, "统计重复维修")?;
                let repeats = q::repeat_places(tx, a, b)?;
                step(9, "读取回访")?;
                let visits = q::return_visits(tx, a, b)?;
                step(10, "读取派工")?;
                let dispatches = q::dispatches(tx, a, b)?;
                Ok(Raw { total, cat, part, bld, batch, month, contractor, cp, cp_prev, repeats, visits, dispatches })
            },
            |tx| -> DeskResult<_> { Ok((clocks::reported_between(tx, a, b)?, q::ticket_staff(tx, a, b)?)) },
        )?;
        step(11, "读取报修单的各项时间")?;
        step(12, "计算及时率")?;
        let total = raw.total;
        let mut settings: HashMap<i64, DeadlineSettings> = HashMap::new();
        let mut project_ids: Vec<i64> = facts.iter().map(|t| t.project_id).chain(raw.dispatches.iter().map(|d| d.project_id)).collect();
        project_ids.sort_unstable();
        project_ids.dedup();
        for p in project_ids {
            settings.insert(p, self.deadline_settings(p)?);
        }
        let default_settings = DeadlineSettings::default();
        let settings_of = |p: i64| settings.get(&p).unwrap_or(&default_settings);

        // Return visits: per ticket, the reached ones (times) and the latest satisfaction.
        let mut reached: HashMap<i64, Vec<DateTime<Utc>>> = HashMap::new();
        let mut latest: BTreeMap<i64, Option<Satisfaction>> = BTreeMap::new();
        for v in &raw.visits {
            let e = latest.entry(v.ticket_id).or_insert(None);
            if v.reached {
                reached.entry(v.ticket_id).or_default().push(from_unix(v.at));
                if let Some(s) = v.satisfaction {
                    *e = Some(s);
                }
            }
        }
        let mut sat = SatisfactionStats { satisfied: 0, basic: 0, dissatisfied: 0, visited: 0, not_reached: 0, satisfied_percent: None };
        for s in latest.values() {
            match s {
                Some(Satisfaction::Satisfied) => sat.satisfied += 1,
                Some(Satisfaction::Basic) => sat.basic += 1,
                Some(Satisfaction::Dissatisfied) => sat.dissatisfied += 1,
                None => sat.not_reached += 1,
            }
        }
        sat.visited = sat.satisfied + sat.basic + sat.dissatisfied;
        sat.satisfied_percent = percent(sat.satisfied + sat.basic, sat.visited);

        // On-time rates: per ticket, added to the totals and to its steward's and clerk's.
        let staff: HashMap<i64, &q::TicketStaff> = staff_rows.iter().map(|x| (x.ticket_id, x)).collect();
        let none: Vec<DateTime<Utc>> = Vec::new();
        // (role, staff id) → (name, tickets, tallies)
        type People = BTreeMap<(u8, i64), (String, i64, [Tally; N])>;
        let judge = |facts: &[clocks::OpenTicket]| -> ([Tally; N], People) {
            let mut tallies = [Tally::default(); N];
            let mut people: People = BTreeMap::new();
            for t in facts {
                if matches!(t.facts.status, TicketStatus::Cancelled | TicketStatus::OutOfScope) {
                    continue;
                }
                let r = Rules { s: settings_of(t.project_id), cal: &cal };
                let mut one = [Tally::default(); N];
                tally_ticket(&mut one, &t.facts, reached.get(&t.id).unwrap_or(&none), &r, now);
                for (sum, x) in tallies.iter_mut().zip(one) {
                    sum.add(x);
                }
                let Some(who) = staff.get(&t.id) else { continue };
                let roles = [(STEWARD_ROLE, who.steward.clone()), (CLERK_ROLE, Some(who.receptionist.clone()))];
                for (role, person) in roles {
                    let Some((id, name)) = person else { continue };
                    let e = people.entry((role, id)).or_insert_with(|| (name, 0, [Tally::default(); N]));
                    e.1 += 1;
                    for (sum, x) in e.2.iter_mut().zip(one) {
                        sum.add(x);
                    }
                }
            }
            (tallies, people)
        };
        // Each ticket is judged on its own: half of them on each core, then the sums added up.
        let (first, second) = facts.split_at(facts.len() / 2);
        let ((mut tallies, mut people), other) = std::thread::scope(|s| {
            let other = s.spawn(|| judge(second));
            (judge(first), other.join())
        });
        let (more_tallies, more_people) = other.map_err(|_| DeskError::storage("程序内部错误（计算及时率），请重试"))?;
        for (sum, x) in tallies.iter_mut().zip(more_tallies) {
            sum.add(x);
        }
        for (key, (name, tickets, t)) in more_people {
            let e = people.entry(key).or_insert_with(|| (name, 0, [Tally::default(); N]));
            e.1 += tickets;
            for (sum, x) in e.2.iter_mut().zip(t) {
                sum.add(x);
            }
        }
        let rate = |key: String, duty: Option<DutyKind>, label: &str, section: &str, definition: &str, t: Tally| {
            let pct = percent(t.on_time, t.on_time + t.late);
            OnTimeRate {
                key,
                duty,
                label: label.to_string(),
                section: section.to_string(),
                definition: definition.to_string(),
                on_time: t.on_time,
                late: t.late,
                pending: t.pending,
                percent: pct,
                target_percent: ON_TIME_TARGET_PERCENT,
                below_target: pct.is_some_and(|p| p < ON_TIME_TARGET_PERCENT),
            }
        };
        // The definitions name the numbers judged by: the projects' settings when they agree.
        let shared = {
            let mut all = settings.values();
            match all.next() {
                Some(first) if all.all(|s| s == first) => Some(first),
                Some(_) => None,
                None => Some(&default_settings),
            }
        };
        let mut on_time: Vec<OnTimeRate> = MEASURED
            .iter()
            .zip(tallies)
            .map(|(&(duty, section, _), t)| rate(duty.code().to_string(), Some(duty), duty.label(), section, &definition(duty, shared), t))
            .collect();
        step(13, "计算日报与保修金的及时率")?;
        for (k, t) in self.desk_duty_tallies(from, to, &cal, now)? {
            on_time.push(rate(k.code().to_string(), None, k.label(), k.section(), k.definition(), t));
        }
        let by_staff: Vec<StaffOnTime> = people
            .into_iter()
            .map(|((role, staff_id), (name, tickets, t))| {
                let kinds: &[DutyKind] = if role == STEWARD_ROLE { &STEWARD_DUTIES } else { &CLERK_DUTIES };
                let mut total = Tally::default();
                let duties = kinds
                    .iter()
                    .filter_map(|&k| {
                        let x = t[index_of(k)?];
                        total.add(x);
                        Some(StaffDutyRate {
                            duty: k,
                            label: k.label().to_string(),
                            on_time: x.on_time,
                            late: x.late,
                            pending: x.pending,
                            percent: percent(x.on_time, x.on_time + x.late),
                        })
                    })
                    .collect();
                let pct = percent(total.on_time, total.on_time + total.late);
                StaffOnTime {
                    staff_id,
                    name,
                    role_label: if role == STEWARD_ROLE { "保修管家" } else { "前台接待" }.to_string(),
                    tickets,
                    duties,
                    on_time: total.on_time,
                    late: total.late,
                    pending: total.pending,
                    percent: pct,
                    below_target: pct.is_some_and(|p| p < ON_TIME_TARGET_PERCENT),
                }
            })
            .collect();

        // Scorecard.
        let mut cards: BTreeMap<i64, ContractorScore> = BTreeMap::new();
        let mut days: HashMap<i64, f64> = HashMap::new();
        let mut last_contractor: HashMap<i64, i64> = HashMap::new();
        for d in &raw.dispatches {
            let kind = Some(d.contractor_kind);
            let c = cards.entry(d.contractor_id).or_insert_with(|| ContractorScore {
                contractor_id: d.contractor_id,
                name: d.contractor.clone(),
                kind,
                kind_label: kind_label(kind),
                dispatches: 0,
                arrivals: 0,
                on_time_arrivals: 0,
                on_time_arrival_percent: None,
                reworks: 0,
                rework_percent: None,
                completed: 0,
                avg_days_to_complete: None,
                visited: 0,
                satisfied: 0,
                satisfied_percent: None,
            });
            c.dispatches += 1;
            c.reworks += i64::from(d.rework);
            if let Some(at) = d.arrived_at {
                c.arrivals += 1;
                let tol = settings_of(d.project_id).arrival_tolerance.minutes;
                if arrival_verdict(from_unix(d.appointment_at), from_unix(at), tol) == ArrivalVerdict::OnTime {
                    c.on_time_arrivals += 1;
                }
            }
            if let Some(done) = d.completed_at {
                c.completed += 1;
                *days.entry(d.contractor_id).or_default() += (done - d.issued_at) as f64 / 86_400.0;
            }
            last_contractor.insert(d.ticket_id, d.contractor_id); // rows come in issue order
        }
        for (ticket, s) in &latest {
            let (Some(s), Some(c)) = (s, last_contractor.get(ticket)) else { continue };
            if let Some(card) = cards.get_mut(c) {
                card.visited += 1;
                card.satisfied += i64::from(matches!(s, Satisfaction::Satisfied | Satisfaction::Basic));
            }
        }
        let mut scorecard: Vec<ContractorScore> = cards
            .into_values()
            .map(|mut c| {
                c.on_time_arrival_percent = percent(c.on_time_arrivals, c.arrivals);
                c.rework_percent = percent(c.reworks, c.dispatches);
                c.avg_days_to_complete = (c.completed > 0).then(|| days.get(&c.contractor_id).copied().unwrap_or(0.0) / c.completed as f64);
                c.satisfied_percent = percent(c.satisfied, c.visited);
                c
            })
            .collect();
        scorecard.sort_by(|x, y| y.dispatches.cmp(&x.dispatches).then_with(|| x.name.cmp(&y.name)));

        // Repeats and recurring problems.
        let mut places: Vec<RepeatRow> = raw
            .repeats
            .iter()
            .map(|p| RepeatRow { unit: p.unit.clone(), part: p.part.clone(), in_period: p.in_period, before: p.before, repeats: p.repeats() })
            .filter(|p| p.repeats > 0)
            .collect();
        let repeat_tickets: i64 = places.iter().map(|p| p.repeats).sum();
        places.sort_by(|x, y| {
            y.repeats.cmp(&x.repeats).then_with(|| y.before.cmp(&x.before)).then_with(|| x.unit.cmp(&y.unit)).then_with(|| x.part.cmp(&y.part))
        });
        places.truncate(TOP_REPEAT_PLACES);
        let prev: HashMap<(Category, &str), i64> = raw.cp_prev.iter().map(|c| ((c.category, c.part.as_str()), c.n)).collect();
        let recurring = raw
            .cp
            .iter()
            .take(TOP_RECURRING)
            .map(|c| {
                let category = c.category;
                let previous = prev.get(&(c.category, c.part.as_str())).copied().unwrap_or(0);
                RecurringRow {
                    category,
                    category_label: category.label().to_string(),
                    part: c.part.clone(),
                    count: c.n,
                    previous,
                    rising: c.n >= 2 && c.n > previous,
                }
            })
            .collect();

        let months: HashMap<String, i64> = raw.month.into_iter().map(|c| (c.key, c.n)).collect();
        let by_month = month_keys(from, to)
            .into_iter()
            .map(|m| {
                let n = months.get(&m).copied().unwrap_or(0);
                CountRow { label: m.clone(), key: m, count: n, percent: percent(n, total) }
            })
            .collect();
        let last_day = to.pred_opt().unwrap_or(to);
        let developer_costs = self.developer_costs_per_month(from, last_day)?;
        p.step(STEPS, STEPS, "完成");
        Ok(Statistics {
            from,
            to,
            previous_from,
            computed_at: now,
            total,
            by_category: raw
                .cat
                .into_iter()
                .map(|c| CountRow { key: c.category.code().to_string(), label: c.category.label().to_string(), count: c.n, percent: percent(c.n, total) })
                .collect(),
            by_part: rows(raw.part, total, part_label),
            by_building: rows(raw.bld, total, |k| format!("{k}号楼")),
            by_batch: rows(raw.batch, total, str::to_string),
            by_contractor: raw
                .contractor
                .into_iter()
                .map(|c| CountRow { key: c.name.clone(), label: c.name, count: c.tickets, percent: percent(c.tickets, total) })
                .collect(),
            by_month,
            satisfaction: sat,
            repeats: RepeatStats { repeat_tickets, percent: percent(repeat_tickets, total), places },
            recurring,
            on_time,
            scorecard,
            by_staff,
            developer_costs,
        })
    }
}
