//! A period's statistics: breakdowns, satisfaction, on-time rates and the contractor scorecard, from one read of the period's tickets.

use super::days::{self, DayFigures, Judge, Read};
use super::*;
use crate::clocks::{calendar_in, deadlines_of};
use crate::desk::Desk;
use crate::job::Progress;
use chrono::{Datelike, NaiveDate};
use desk_domain::clock::calendar::WorkCalendar;
use desk_domain::clock::on_time::{definition, index_of, Tally, CLERK_DUTIES, MEASURED, N, STEWARD_DUTIES};
use desk_domain::clock::rules::{DeadlineSettings, DutyKind};
use desk_domain::records::ContractorKind;
use desk_domain::ticket::Category;
use desk_domain::time::local_day_start;
use desk_store::{clocks, from_unix, stats as q};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};

/// The order of the per-person table: stewards, then clerks.
pub(super) const STEWARD_ROLE: u8 = 0;
pub(super) const CLERK_ROLE: u8 = 1;

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

/// Groups most first, by key on a tie (as SQL's `ORDER BY n DESC, key` did).
fn most_first(groups: impl Iterator<Item = (String, i64)>) -> Vec<(String, i64)> {
    let mut v: Vec<(String, i64)> = groups.collect();
    v.sort_by(|x, y| y.1.cmp(&x.1).then_with(|| x.0.cmp(&y.0)));
    v
}

fn rows(groups: impl IntoIterator<Item = (String, i64)>, total: i64, label: impl Fn(&str) -> String) -> Vec<CountRow> {
    groups.into_iter().map(|(key, n)| CountRow { label: label(&key), percent: percent(n, total), key, count: n }).collect()
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

/// The rules a period's days are judged by, and their fingerprint: a kept day judged by other
/// rules (a project's deadline settings changed, holidays entered) is computed again.
struct JudgedBy {
    settings: HashMap<i64, DeadlineSettings>,
    cal: WorkCalendar,
    fingerprint: String,
}

fn judged_by(tx: &desk_store::Db) -> DeskResult<JudgedBy> {
    let mut settings = BTreeMap::new();
    for p in desk_store::master::list_projects(tx)? {
        settings.insert(p.id, deadlines_of(tx, p.id)?);
    }
    let cal = calendar_in(tx)?;
    let text = serde_json::to_string(&(days::FIGURES_VERSION, &settings, &cal)).map_err(|e| DeskError::storage(e.to_string()))?;
    let fingerprint = Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
    Ok(JudgedBy { settings: settings.into_iter().collect(), cal, fingerprint })
}

/// Days computed at a time on a first look (see `statistics_with`).
const CHUNK_DAYS: usize = 31;

/// The runs of consecutive days in `days`, as `[first, last + 1)`.
fn runs(days: &[i64]) -> Vec<(i64, i64)> {
    let mut out: Vec<(i64, i64)> = Vec::new();
    for &d in days {
        match out.last_mut() {
            Some(r) if r.1 == d => r.1 = d + 1,
            _ => out.push((d, d + 1)),
        }
    }
    out
}

/// What the look reads besides the days: the repeat places (they compare with everything before
/// the period, so they are not a sum of days) and the names.
struct Around {
    repeats: Vec<q::RepeatPlace>,
    names: q::Names,
}

impl Desk {
    /// The statistics of the tickets reported from `from` (inclusive) to `to` (exclusive), local
    /// dates. Writes nothing but its own cache of past days' figures (see [`days`]).
    pub fn statistics(&self, from: NaiveDate, to: NaiveDate) -> DeskResult<Statistics> {
        self.statistics_with(from, to, &Progress::none())
    }

    /// Forgets the kept days' figures: the next look computes every day again. For tests and
    /// for measuring the first look.
    pub fn forget_statistics_days(&self) -> DeskResult<()> {
        self.store.with_tx(|tx| Ok(q::forget_days(tx)?))
    }

    /// [`Desk::statistics`] reporting each of its steps to `p`; stops (nothing of the period is
    /// written anyway) when the user cancels.
    pub fn statistics_with(&self, from: NaiveDate, to: NaiveDate, p: &Progress) -> DeskResult<Statistics> {
        if to <= from {
            return Err(DeskError::invalid("to", "统计截止日期应晚于开始日期"));
        }
        let now = self.now();
        let (a, b) = (local_day_start(from).timestamp(), local_day_start(to).timestamp());
        let span = to.signed_duration_since(from);
        let previous_from = from.checked_sub_signed(span).unwrap_or(from);
        let pa = local_day_start(previous_from).timestamp();
        // The days of the period and of the one before it (its category × part counts tell
        // which problems are rising).
        let (first_day, from_day, to_day) = (days::day_of(pa), days::day_of(a), days::day_of(b));
        const STEPS: u64 = 14;
        let step = |i: u64, label: &str| -> DeskResult<()> {
            p.check()?;
            p.step(i, STEPS, label);
            Ok(())
        };

        step(0, "读取时限设置与工作日历")?;
        let (rules, mut have, epoch_seen) = self.store.read(|tx| -> DeskResult<_> {
            let rules = judged_by(tx)?;
            step(1, "读取已算好的各日数据")?;
            let mut have: BTreeMap<i64, DayFigures> = BTreeMap::new();
            for (day, json) in q::kept_days(tx, first_day, to_day, &rules.fingerprint)? {
                // A kept day that does not read back is computed again, like a missing one.
                if let Ok(f) = serde_json::from_str::<DayFigures>(&json) {
                    have.insert(day, f);
                }
            }
            Ok((rules, have, q::epoch(tx)?))
        })?;
        let missing: Vec<i64> = (first_day..to_day).filter(|d| !have.contains_key(d)).collect();
        step(2, "统计重复维修")?;
        let around = self.store.read(|tx| -> DeskResult<Around> { Ok(Around { repeats: q::repeat_places(tx, a, b)?, names: q::names(tx)? }) })?;

        // The days not kept, a month at a time (a first look at two years at a million tickets
        // would otherwise hold every event of 400,000 tickets at once). Each month is read on two
        // connections side by side that see one state of the database: the tickets with their
        // dispatches and visits, and the tickets' events.
        let chunks: Vec<(i64, i64)> =
            runs(&missing).into_iter().flat_map(|(x, y)| (x..y).step_by(CHUNK_DAYS).map(move |d| (d, (d + CHUNK_DAYS as i64).min(y)))).collect();
        let default_settings = DeadlineSettings::default();
        let judge = Judge { settings: &rules.settings, default_settings: &default_settings, cal: &rules.cal, now };
        let today = days::day_of(now.timestamp());
        for (i, &(x, y)) in chunks.iter().enumerate() {
            let label = format!("计算各日数据（{} / {} 段）", i + 1, chunks.len());
            step(3 + (i * 4 / chunks.len()) as u64, &label)?;
            let (x_at, y_at) = (days::day_start(x), days::day_start(y));
            let ((read, epoch), facts) = self.store.read_pair(
                |tx| -> DeskResult<(Read, i64)> {
                    let read = Read {
                        tickets: q::period_tickets(tx, x_at, y_at)?,
                        dispatches: q::dispatches(tx, x_at, y_at)?,
                        visits: q::return_visits(tx, x_at, y_at)?,
                        facts: Vec::new(),
                    };
                    Ok((read, q::epoch(tx)?))
                },
                |tx| -> DeskResult<Vec<clocks::OpenTicket>> { Ok(clocks::reported_between(tx, x_at, y_at)?) },
            )?;
            let computed = days::compute(&Read { facts, ..read }, &judge);
            // Keep the days that no longer change by the clock alone — when no save came since
            // the kept days were read (else the next look keeps them) and the writer is free
            // right now (a long import is not waited for). Failing to keep them loses only time.
            let keep: Vec<(i64, String)> = (x..y)
                .filter(|d| if computed.days.contains_key(d) { computed.keepable.contains(d) } else { *d < today })
                .filter_map(|d| serde_json::to_string(&computed.days.get(&d).cloned().unwrap_or_default()).ok().map(|json| (d, json)))
                .collect();
            if !keep.is_empty() && epoch == epoch_seen {
                let _ = self.store.try_with_tx(|tx| -> DeskResult<bool> { Ok(q::keep_days(tx, epoch_seen, &rules.fingerprint, &keep)?) });
            }
            have.extend(computed.days);
        }
        step(7, "合计各日数据")?;
        let mut period = DayFigures::default();
        let mut previous = DayFigures::default();
        let mut months: BTreeMap<String, i64> = BTreeMap::new();
        for (day, f) in &have {
            if *day >= from_day {
                period.add(f);
                if f.total > 0 {
                    let date = desk_domain::time::local_date(from_unix(days::day_start(*day)));
                    *months.entry(format!("{:04}-{:02}", date.year(), date.month())).or_default() += f.total;
                }
            } else {
                for (c, parts) in &f.category_part {
                    let mine = previous.category_part.entry(c.clone()).or_default();
                    for (part, n) in parts {
                        *mine.entry(part.clone()).or_default() += n;
                    }
                }
            }
        }
        let total = period.total;
        let names = &around.names;
        let staff_name = |id: i64| names.staff.get(&id).cloned().unwrap_or_default();

        let [satisfied, basic, dissatisfied, not_reached] = period.satisfaction;
        let mut sat = SatisfactionStats { satisfied, basic, dissatisfied, visited: satisfied + basic + dissatisfied, not_reached, satisfied_percent: None };
        sat.satisfied_percent = percent(sat.satisfied + sat.basic, sat.visited);

        step(8, "合计及时率")?;
        let tallies: [Tally; N] = period.tallies.map(days::tally);
        // (role, staff id) → (tickets, tallies)
        let people: BTreeMap<(u8, i64), (i64, [Tally; N])> = period
            .stewards
            .iter()
            .map(|(id, x)| ((STEWARD_ROLE, *id), x))
            .chain(period.clerks.iter().map(|(id, x)| ((CLERK_ROLE, *id), x)))
            .map(|(k, x)| (k, (x.tickets, x.tallies.map(days::tally))))
            .collect();
        let settings = &rules.settings;
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
        step(9, "计算日报与保修金的及时率")?;
        for (k, t) in self.desk_duty_tallies(from, to, &rules.cal, now)? {
            on_time.push(rate(k.code().to_string(), None, k.label(), k.section(), k.definition(), t));
        }
        step(10, "合计人员考核")?;
        let by_staff: Vec<StaffOnTime> = people
            .into_iter()
            .map(|((role, staff_id), (tickets, t))| {
                let name = staff_name(staff_id);
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
        step(11, "合计施工单位考核")?;
        let mut scorecard: Vec<ContractorScore> = period
            .cards
            .iter()
            .map(|(&id, c)| {
                let (name, kind) = match names.contractors.get(&id) {
                    Some((name, kind)) => (name.clone(), Some(*kind)),
                    None => (String::new(), None),
                };
                ContractorScore {
                    contractor_id: id,
                    name,
                    kind,
                    kind_label: kind_label(kind),
                    dispatches: c.dispatches,
                    arrivals: c.arrivals,
                    on_time_arrivals: c.on_time_arrivals,
                    on_time_arrival_percent: percent(c.on_time_arrivals, c.arrivals),
                    reworks: c.reworks,
                    rework_percent: percent(c.reworks, c.dispatches),
                    completed: c.completed,
                    avg_days_to_complete: (c.completed > 0).then(|| c.seconds_to_complete as f64 / 86_400.0 / c.completed as f64),
                    visited: c.visited,
                    satisfied: c.satisfied,
                    satisfied_percent: percent(c.satisfied, c.visited),
                }
            })
            .collect();
        scorecard.sort_by(|x, y| y.dispatches.cmp(&x.dispatches).then_with(|| x.name.cmp(&y.name)));

        // Repeats and recurring problems.
        step(12, "合计重复维修与高发问题")?;
        let mut places: Vec<RepeatRow> = around
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
        // Category × part, most first (the category's code, then the part, on a tie).
        let mut pairs: Vec<(i64, &str, &str)> =
            period.category_part.iter().flat_map(|(c, parts)| parts.iter().map(move |(p, n)| (*n, c.as_str(), p.as_str()))).collect();
        pairs.sort_by(|x, y| y.0.cmp(&x.0).then_with(|| x.1.cmp(y.1)).then_with(|| x.2.cmp(y.2)));
        let recurring = pairs
            .into_iter()
            .filter_map(|(n, code, part)| Some((n, Category::parse(code)?, code, part)))
            .take(TOP_RECURRING)
            .map(|(n, category, code, part)| {
                let previous = previous.category_part.get(code).and_then(|m| m.get(part)).copied().unwrap_or(0);
                RecurringRow {
                    category,
                    category_label: category.label().to_string(),
                    part: part.to_string(),
                    count: n,
                    previous,
                    rising: n >= 2 && n > previous,
                }
            })
            .collect();

        let by_month = month_keys(from, to)
            .into_iter()
            .map(|m| {
                let n = months.get(&m).copied().unwrap_or(0);
                CountRow { label: m.clone(), key: m, count: n, percent: percent(n, total) }
            })
            .collect();
        step(13, "统计开发商承担的费用")?;
        let last_day = to.pred_opt().unwrap_or(to);
        let developer_costs = self.developer_costs_per_month(from, last_day)?;
        p.step(STEPS, STEPS, "完成");
        Ok(Statistics {
            from,
            to,
            previous_from,
            computed_at: now,
            total,
            by_category: {
                let mut c: Vec<(Category, i64)> = period.category.iter().filter_map(|(k, n)| Some((Category::parse(k)?, *n))).collect();
                c.sort_by(|x, y| y.1.cmp(&x.1).then_with(|| x.0.code().cmp(y.0.code())));
                c.into_iter().map(|(c, n)| CountRow { key: c.code().to_string(), label: c.label().to_string(), count: n, percent: percent(n, total) }).collect()
            },
            by_part: rows(most_first(period.part.iter().map(|(k, n)| (k.clone(), *n))).into_iter().take(TOP_PARTS as usize), total, part_label),
            by_building: rows(most_first(period.building.iter().map(|(k, n)| (k.clone(), *n))), total, |k| format!("{k}号楼")),
            by_batch: rows(most_first(period.batch.iter().map(|(id, n)| (names.batches.get(id).cloned().unwrap_or_default(), *n))), total, str::to_string),
            by_contractor: rows(
                most_first(period.contractor.iter().map(|(id, n)| (names.contractors.get(id).map(|c| c.0.clone()).unwrap_or_default(), *n))),
                total,
                str::to_string,
            ),
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
