//! A day's figures: what the statistics count of the defect tickets *reported* on one local day
//! (breakdowns, scorecard, satisfaction, on-time tallies per duty and per person), in a form that
//! adds up — a period's page is the sum of its days.
//!
//! Past days whose figures can no longer change with the clock alone are kept in the database
//! (`stats_day`, migration 0022) and read back instead of computed again: a year at a million
//! tickets reads 365 rows instead of replaying 1.5 million events. Anything a day was computed
//! from (the ticket, its events, its unit's batch) deletes the kept day in a trigger; other rules
//! (the projects' deadline settings, the working calendar) are in the day's fingerprint.
//! Names (staff, contractors, batches) are not kept: they are looked up at each look.

use super::period::{CLERK_ROLE, STEWARD_ROLE};
use chrono::{DateTime, Utc};
use desk_domain::clock::on_time::{tally_ticket, Rules, Tally, N};
use desk_domain::clock::rules::{arrival_verdict, ArrivalVerdict, DeadlineSettings};
use desk_domain::repair::Satisfaction;
use desk_domain::ticket::TicketStatus;
use desk_store::{clocks, from_unix, stats as q};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Changes whenever what a day's figures hold or mean changes: days kept by an older program
/// then no longer match the fingerprint and are computed again.
pub const FIGURES_VERSION: u32 = 1;

const DAY: i64 = 86_400;
/// China Standard Time (the desk's clock, `desk_domain::time`), as in migration 0022's triggers.
const CST: i64 = 8 * 3_600;

/// The local day number of a moment (unix seconds): days since 1970-01-01 in UTC+8.
pub fn day_of(at: i64) -> i64 {
    (at + CST).div_euclid(DAY)
}

/// The first second of a local day number.
pub fn day_start(day: i64) -> i64 {
    day * DAY - CST
}

/// `[on_time, late, pending]`: a [`Tally`] as kept.
type Kept = [i64; 3];

fn kept(t: Tally) -> Kept {
    [t.on_time, t.late, t.pending]
}

pub fn tally(k: Kept) -> Tally {
    Tally { on_time: k[0], late: k[1], pending: k[2] }
}

fn add_all(sum: &mut [Kept; N], x: &[Kept; N]) {
    for (s, v) in sum.iter_mut().zip(x) {
        for i in 0..3 {
            s[i] += v[i];
        }
    }
}

/// A contractor's scorecard counts over some tickets.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
pub struct Card {
    pub dispatches: i64,
    pub arrivals: i64,
    pub on_time_arrivals: i64,
    pub reworks: i64,
    pub completed: i64,
    /// Seconds from issue to completion, summed over the completed dispatches.
    pub seconds_to_complete: i64,
    /// Tickets whose last dispatch went to this contractor with a satisfaction recorded.
    pub visited: i64,
    /// Of those, 满意 or 基本满意.
    pub satisfied: i64,
}

impl Card {
    fn add(&mut self, o: &Card) {
        self.dispatches += o.dispatches;
        self.arrivals += o.arrivals;
        self.on_time_arrivals += o.on_time_arrivals;
        self.reworks += o.reworks;
        self.completed += o.completed;
        self.seconds_to_complete += o.seconds_to_complete;
        self.visited += o.visited;
        self.satisfied += o.satisfied;
    }
}

/// A person's judged tickets and their tallies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Person {
    pub tickets: i64,
    pub tallies: [Kept; N],
}

/// What the statistics count of the defect tickets reported on one day (or, added up, in a
/// period). Keys are stable codes and ids, never names.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
pub struct DayFigures {
    pub total: i64,
    /// Category code → tickets.
    pub category: BTreeMap<String, i64>,
    /// Part (trimmed; `""` when not filled) → tickets.
    pub part: BTreeMap<String, i64>,
    pub building: BTreeMap<String, i64>,
    /// Batch id → tickets.
    pub batch: BTreeMap<i64, i64>,
    /// Contractor id → tickets with at least one dispatch notice to it.
    pub contractor: BTreeMap<i64, i64>,
    /// Category code → part (non-empty) → tickets.
    pub category_part: BTreeMap<String, BTreeMap<String, i64>>,
    /// Per ticket's latest reached return visit: 满意, 基本满意, 不满意; and tickets whose return
    /// visits so far reached nobody (or recorded no satisfaction).
    pub satisfaction: [i64; 4],
    /// Contractor id → scorecard counts.
    pub cards: BTreeMap<i64, Card>,
    /// Per measured duty (`on_time::MEASURED` order).
    pub tallies: [Kept; N],
    /// Steward id → their judged tickets; clerk (接待人) id → theirs.
    pub stewards: BTreeMap<i64, Person>,
    pub clerks: BTreeMap<i64, Person>,
}

fn bump<K: Ord>(m: &mut BTreeMap<K, i64>, k: K, n: i64) {
    *m.entry(k).or_insert(0) += n;
}

impl DayFigures {
    /// Adds another day's (or period's) figures.
    pub fn add(&mut self, o: &DayFigures) {
        self.total += o.total;
        for (k, n) in &o.category {
            bump(&mut self.category, k.clone(), *n);
        }
        for (k, n) in &o.part {
            bump(&mut self.part, k.clone(), *n);
        }
        for (k, n) in &o.building {
            bump(&mut self.building, k.clone(), *n);
        }
        for (k, n) in &o.batch {
            bump(&mut self.batch, *k, *n);
        }
        for (k, n) in &o.contractor {
            bump(&mut self.contractor, *k, *n);
        }
        for (c, parts) in &o.category_part {
            let mine = self.category_part.entry(c.clone()).or_default();
            for (p, n) in parts {
                bump(mine, p.clone(), *n);
            }
        }
        for (s, x) in self.satisfaction.iter_mut().zip(o.satisfaction) {
            *s += x;
        }
        for (k, c) in &o.cards {
            self.cards.entry(*k).or_default().add(c);
        }
        add_all(&mut self.tallies, &o.tallies);
        for (mine, theirs) in [(&mut self.stewards, &o.stewards), (&mut self.clerks, &o.clerks)] {
            for (id, p) in theirs {
                let e = mine.entry(*id).or_insert(Person { tickets: 0, tallies: [[0; 3]; N] });
                e.tickets += p.tickets;
                add_all(&mut e.tallies, &p.tallies);
            }
        }
    }

    /// Whether anything is still pending: such a day changes as the clock runs.
    fn has_pending(&self) -> bool {
        self.tallies.iter().any(|t| t[2] > 0)
    }
}

/// What a range of days is computed from: the period's rows and the tickets' events.
pub struct Read {
    pub tickets: Vec<q::PeriodTicket>,
    pub dispatches: Vec<q::DispatchRow>,
    pub visits: Vec<q::VisitRow>,
    pub facts: Vec<clocks::OpenTicket>,
}

/// The rules the days are judged by.
pub struct Judge<'a> {
    pub settings: &'a HashMap<i64, DeadlineSettings>,
    pub default_settings: &'a DeadlineSettings,
    pub cal: &'a desk_domain::clock::calendar::WorkCalendar,
    pub now: DateTime<Utc>,
}

impl Judge<'_> {
    fn settings_of(&self, project: i64) -> &DeadlineSettings {
        self.settings.get(&project).unwrap_or(self.default_settings)
    }
}

/// Computed days: their figures, and which of them may be kept (past, nothing pending, no repair
/// under way — a running repair's site visits and feedback are judged up to now).
pub struct Computed {
    pub days: BTreeMap<i64, DayFigures>,
    pub keepable: BTreeSet<i64>,
}

/// Each day's figures from what was read (the days with tickets; a day without any has empty
/// figures and may be kept as such by the caller).
pub fn compute(read: &Read, j: &Judge) -> Computed {
    let mut days: BTreeMap<i64, DayFigures> = BTreeMap::new();
    // ticket id → (day, steward, clerk)
    let mut of_ticket: HashMap<i64, (i64, Option<i64>, i64)> = HashMap::with_capacity(read.tickets.len());
    for t in &read.tickets {
        let day = day_of(t.reported_at);
        of_ticket.insert(t.id, (day, t.steward_id, t.receptionist_id));
        let f = days.entry(day).or_default();
        f.total += 1;
        let code = t.category.code().to_string();
        bump(&mut f.category, code.clone(), 1);
        bump(&mut f.part, t.part.clone(), 1);
        bump(&mut f.building, t.building.clone(), 1);
        bump(&mut f.batch, t.batch_id, 1);
        if !t.part.is_empty() {
            bump(f.category_part.entry(code).or_default(), t.part.clone(), 1);
        }
    }

    // Dispatches (by ticket, then issue order): the scorecard and the tickets per contractor.
    let mut last_contractor: HashMap<i64, i64> = HashMap::new();
    let mut counted: BTreeSet<(i64, i64)> = BTreeSet::new();
    for d in &read.dispatches {
        let Some(&(day, _, _)) = of_ticket.get(&d.ticket_id) else { continue };
        let f = days.entry(day).or_default();
        if counted.insert((d.ticket_id, d.contractor_id)) {
            bump(&mut f.contractor, d.contractor_id, 1);
        }
        let c = f.cards.entry(d.contractor_id).or_default();
        c.dispatches += 1;
        c.reworks += i64::from(d.rework);
        if let Some(at) = d.arrived_at {
            c.arrivals += 1;
            let tol = j.settings_of(d.project_id).arrival_tolerance.minutes;
            if arrival_verdict(from_unix(d.appointment_at), from_unix(at), tol) == ArrivalVerdict::OnTime {
                c.on_time_arrivals += 1;
            }
        }
        if let Some(done) = d.completed_at {
            c.completed += 1;
            c.seconds_to_complete += done - d.issued_at;
        }
        last_contractor.insert(d.ticket_id, d.contractor_id); // rows come in issue order
    }

    // Return visits: per ticket, the reached ones (for the judging) and the latest satisfaction.
    let mut reached: HashMap<i64, Vec<DateTime<Utc>>> = HashMap::new();
    let mut latest: BTreeMap<i64, Option<Satisfaction>> = BTreeMap::new();
    for v in &read.visits {
        let e = latest.entry(v.ticket_id).or_insert(None);
        if v.reached {
            reached.entry(v.ticket_id).or_default().push(from_unix(v.at));
            if let Some(s) = v.satisfaction {
                *e = Some(s);
            }
        }
    }
    for (ticket, s) in &latest {
        let Some(&(day, _, _)) = of_ticket.get(ticket) else { continue };
        let f = days.entry(day).or_default();
        let i = match s {
            Some(Satisfaction::Satisfied) => 0,
            Some(Satisfaction::Basic) => 1,
            Some(Satisfaction::Dissatisfied) => 2,
            None => 3,
        };
        f.satisfaction[i] += 1;
        if let (Some(s), Some(c)) = (s, last_contractor.get(ticket)) {
            if let Some(card) = f.cards.get_mut(c) {
                card.visited += 1;
                card.satisfied += i64::from(matches!(s, Satisfaction::Satisfied | Satisfaction::Basic));
            }
        }
    }

    // On-time tallies: each ticket judged on its own, half of them on each core.
    let none: Vec<DateTime<Utc>> = Vec::new();
    let judge = |facts: &[clocks::OpenTicket]| -> Vec<(i64, [Tally; N], bool)> {
        facts
            .iter()
            .filter(|t| !matches!(t.facts.status, TicketStatus::Cancelled | TicketStatus::OutOfScope))
            .map(|t| {
                let r = Rules { s: j.settings_of(t.project_id), cal: j.cal };
                let mut one = [Tally::default(); N];
                tally_ticket(&mut one, &t.facts, reached.get(&t.id).unwrap_or(&none), &r, j.now);
                (t.id, one, t.facts.status == TicketStatus::InRepair)
            })
            .collect()
    };
    let (first, second) = read.facts.split_at(read.facts.len() / 2);
    let (mut judged, other) = std::thread::scope(|s| {
        let other = s.spawn(|| judge(second));
        (judge(first), other.join())
    });
    // A panic in the judging is a bug; the same judging on this thread then shows it.
    judged.extend(other.unwrap_or_else(|_| judge(second)));
    let mut volatile: BTreeSet<i64> = BTreeSet::new();
    for (id, one, running) in judged {
        let Some(&(day, steward, clerk)) = of_ticket.get(&id) else { continue };
        if running {
            volatile.insert(day);
        }
        let one = one.map(kept);
        let f = days.entry(day).or_default();
        add_all(&mut f.tallies, &one);
        let roles = [(STEWARD_ROLE, steward), (CLERK_ROLE, Some(clerk))];
        for (role, person) in roles {
            let Some(id) = person else { continue };
            let people = if role == STEWARD_ROLE { &mut f.stewards } else { &mut f.clerks };
            let e = people.entry(id).or_insert(Person { tickets: 0, tallies: [[0; 3]; N] });
            e.tickets += 1;
            add_all(&mut e.tallies, &one);
        }
    }

    let today = day_of(j.now.timestamp());
    let keepable = days.iter().filter(|(day, f)| **day < today && !f.has_pending() && !volatile.contains(day)).map(|(d, _)| *d).collect();
    Computed { days, keepable }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_number_starts_at_local_midnight() {
        // 2026-03-01 00:00 in China is 2026-02-28 16:00 UTC.
        let midnight = chrono::NaiveDate::from_ymd_opt(2026, 3, 1).and_then(|d| d.and_hms_opt(0, 0, 0)).map(|t| t.and_utc().timestamp() - CST);
        let Some(midnight) = midnight else { panic!("a valid date") };
        let day = day_of(midnight);
        assert_eq!(day_start(day), midnight);
        assert_eq!(day_of(midnight - 1), day - 1, "one second before local midnight is the day before");
        assert_eq!(day_of(midnight + DAY - 1), day);
    }

    #[test]
    fn figures_add_up_and_survive_being_kept() {
        let mut a = DayFigures { total: 2, ..Default::default() };
        bump(&mut a.category, "Leak".into(), 2);
        a.tallies[0] = [1, 1, 0];
        a.stewards.insert(7, Person { tickets: 2, tallies: a.tallies });
        let mut b = DayFigures { total: 1, ..Default::default() };
        bump(&mut b.category, "Leak".into(), 1);
        bump(&mut b.category, "Crack".into(), 0);
        b.tallies[0] = [0, 1, 0];
        b.stewards.insert(7, Person { tickets: 1, tallies: b.tallies });
        let mut sum = a.clone();
        sum.add(&b);
        assert_eq!(sum.total, 3);
        assert_eq!(sum.category.get("Leak"), Some(&3));
        assert_eq!(sum.tallies[0], [1, 2, 0]);
        assert_eq!(sum.stewards.get(&7).map(|p| (p.tickets, p.tallies[0])), Some((3, [1, 2, 0])));
        let json = serde_json::to_string(&sum).unwrap_or_default();
        let back: Option<DayFigures> = serde_json::from_str(&json).ok();
        assert_eq!(back.as_ref(), Some(&sum));
    }
}
