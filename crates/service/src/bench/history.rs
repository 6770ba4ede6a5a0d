//! The bench's world: projects of 1,500–4,000 units with 1–3 owners each, and N tickets over four
//! years, each with the events its status implies in the §5.1 procedure — contact attempts (some
//! unanswered), classification, dispatch slips with appointments, arrivals early and late, site
//! visits and feedback on longer repairs, the finish with its §8.2 record, the re-check, the
//! acceptance (owner's signature, paper, or the two-person proxy), completion notices (some owners
//! unreachable) and return visits with satisfaction; a few reworks, holds and escalations. About
//! 0.5 % of the tickets, the newest, are still open (reported in the last three weeks, so some are
//! overdue). The decisions are made here; the rows are written by `desk_store::bench_fill`.

use crate::desk::Desk;
use crate::error::DeskResult;
use desk_domain::records::ContractorKind;
use desk_domain::repair::{AcceptanceKind, FollowUpKind, Satisfaction};
use desk_domain::staff::Role;
use desk_domain::ticket::{Category, Channel, Classification, DefectNature, TicketStatus};
use desk_store::{bench_fill as fill, master, tickets};
use rand::rngs::StdRng;
use rand::Rng;

const WORDS: &[&str] =
    &["渗水", "渗漏", "裂缝", "空鼓", "脱落", "堵塞", "不通电", "漏水", "松动", "卡滞", "起砂", "返水", "潮湿", "发霉", "异响", "变形", "锈蚀", "破损"];
const PARTS: &[&str] = desk_domain::ticket::PART_SUGGESTIONS;
const NAMES: &[&str] = &["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"];
const GIVEN: &[&str] = &["芳", "伟", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛"];

/// Tickets a unit carries on average over the four years ("a handful").
pub const TICKETS_PER_UNIT: usize = 6;
/// Share of tickets still open, in thousandths (0.5 %).
pub const OPEN_PER_MILLE: usize = 5;
/// The history's length.
const YEARS: i64 = 4;

/// One unit as the bench knows it: its address and its owners' names and phones.
pub struct Unit {
    pub id: i64,
    pub project_id: i64,
    pub building: String,
    pub address: String,
    pub owners: Vec<(String, String)>,
}

/// What the fill made, for the measurements to pick queries from.
pub struct World {
    pub stewards: Vec<i64>,
    pub director: i64,
    pub assistant: i64,
    pub units: Vec<Unit>,
    pub projects: usize,
    pub open: usize,
}

const MIN: i64 = 60;
const HOUR: i64 = 3600;
const DAY: i64 = 86_400;

/// Staff, projects, units and owners: units enough for [`TICKETS_PER_UNIT`] tickets each.
pub fn seed(desk: &mut Desk, rng: &mut StdRng, n: usize) -> DeskResult<World> {
    let hash = crate::auth::hash_pin("1234")?;
    let now = desk.now().timestamp();
    let want_units = (n / TICKETS_PER_UNIT).max(1_500);
    desk.store.with_tx(|tx| -> DeskResult<World> {
        fill::prepare(tx);
        desk_store::staff::insert(tx, "前台", Role::FrontDesk, &hash, "")?;
        let stewards = (0..20).map(|i| desk_store::staff::insert(tx, &format!("管家{i}"), Role::Steward, &hash, "")).collect::<Result<Vec<_>, _>>()?;
        let director = desk_store::staff::insert(tx, "主任", Role::Director, &hash, "")?;
        let assistant = desk_store::staff::insert(tx, "客服助理", Role::CsAssistant, &hash, "")?;
        for i in 0..12 {
            master::insert_contractor(tx, &format!("施工单位{i}"), ContractorKind::Builder, "土建", "", "")?;
        }
        for i in 0..4 {
            master::insert_contractor(tx, &format!("维保单位{i}"), ContractorKind::Maintenance, "水电", "", "")?;
        }
        let delivered = desk_domain::time::local_date(desk_store::from_unix(now - (YEARS * 365 + 30) * DAY));
        let mut units = Vec::with_capacity(want_units + 4_000);
        let mut projects = 0;
        while units.len() < want_units {
            projects += 1;
            let size: usize = rng.gen_range(1_500..=4_000);
            let p = master::insert_project(tx, &format!("基准项目{projects}"), &format!("P{projects}"), "", now)?;
            let batches = [
                master::insert_batch(tx, p, "一期", Some(delivered), Some(delivered))?,
                master::insert_batch(tx, p, "二期", Some(delivered), Some(delivered))?,
            ];
            // Buildings of 2 entrances × 30 floors × 2 flats: addresses like 7-2-1502.
            for k in 0..size {
                let (building, entrance, floor, flat) = (k / 120 + 1, k % 120 / 60 + 1, k % 60 / 2 + 1, k % 2 + 1);
                let room = format!("{floor}{flat:02}");
                let (b, e) = (building.to_string(), entrance.to_string());
                let id = fill::unit(tx, p, batches[building % 2], &b, &e, &room)?;
                let mut owners = Vec::new();
                for _ in 0..rng.gen_range(1..=3) {
                    let name = format!("{}{}", NAMES[rng.gen_range(0..NAMES.len())], GIVEN[rng.gen_range(0..GIVEN.len())]);
                    let phone = format!("1{}{:09}", rng.gen_range(3..10), rng.gen_range(0..1_000_000_000u64));
                    fill::owner(tx, id, &name, &phone)?;
                    owners.push((name, phone));
                }
                units.push(Unit { id, project_id: p, address: format!("{b}-{e}-{room}"), building: b, owners });
            }
        }
        Ok(World { stewards, director, assistant, units, projects, open: 0 })
    })
}

/// Where a status sits in the procedure: how many steps of it the ticket has passed.
fn stage(s: TicketStatus) -> u8 {
    match s {
        TicketStatus::Reported => 0,
        TicketStatus::Contacted | TicketStatus::OutOfScope | TicketStatus::Cancelled => 1,
        TicketStatus::Dispatched => 2,
        TicketStatus::InRepair => 3,
        TicketStatus::AwaitingAcceptance => 4,
        TicketStatus::Accepted => 5,
        TicketStatus::Closed => 6,
        TicketStatus::Visited => 7,
    }
}

/// One event of a ticket's history, before it is written (times are shifted as a whole when an
/// open ticket's story would run past now).
enum Ev {
    Contact(bool),
    Dispatch { appointment: i64, rework: bool, arrived: Option<i64>, promised: Option<i64>, completed: Option<i64> },
    Follow(FollowUpKind, bool, Option<i64>, Option<Satisfaction>),
    Accept(AcceptanceKind),
    Hold(Option<i64>),
    Escalate(desk_domain::clock::escalation::EscalationKind, bool),
}

/// Writes `n` tickets with their histories, 20,000 per transaction.
pub fn tickets(desk: &mut Desk, rng: &mut StdRng, world: &mut World, n: usize, progress: &mut dyn FnMut(&str)) -> DeskResult<()> {
    let now = desk.now().timestamp();
    let start = now - YEARS * 365 * DAY;
    let open = (n * OPEN_PER_MILLE / 1000).max(1);
    let open_from = now - 21 * DAY;
    let history = n - open;
    world.open = open;
    let (director, assistant) = (world.director, world.assistant);
    let mut done = 0;
    let mut dispatch_no = 0u64;
    while done < n {
        let chunk = (n - done).min(20_000);
        desk.store.with_tx(|tx| -> DeskResult<()> {
            fill::prepare(tx);
            let (mut report, mut channel) = (0, Channel::Phone);
            for i in done..done + chunk {
                let is_open = i >= history;
                // Ids grow with time, as the desk records them.
                let at = if is_open {
                    open_from + ((i - history) as i64) * (21 * DAY - 2 * HOUR) / open as i64
                } else {
                    start + (i as i64) * (open_from - start - 30 * DAY) / history.max(1) as i64
                };
                let status = if is_open {
                    [
                        TicketStatus::Reported,
                        TicketStatus::Contacted,
                        TicketStatus::Dispatched,
                        TicketStatus::InRepair,
                        TicketStatus::AwaitingAcceptance,
                        TicketStatus::Accepted,
                        TicketStatus::Closed,
                    ][rng.gen_range(0..7)]
                } else {
                    // Years back every repair has had its visit: Closed (visit owed) is open work.
                    match rng.gen_range(0..100) {
                        0..87 => TicketStatus::Visited,
                        87..93 => TicketStatus::OutOfScope,
                        _ => TicketStatus::Cancelled,
                    }
                };
                let cls = match rng.gen_range(0..10) {
                    0..5 => Classification::Simple,
                    5..9 => Classification::General,
                    _ => Classification::Complex,
                };
                let steward = world.stewards[rng.gen_range(0..world.stewards.len())];
                let events = story(rng, status, cls, at, is_open);
                // An open ticket's story ends before now: move it back as a whole when needed.
                let last = events.iter().map(|e| e.0).max().unwrap_or(at).max(at);
                let moved = if last > now - 10 * MIN { now - 10 * MIN - last } else { 0 };
                let reported = at + moved;
                let unit = &world.units[rng.gen_range(0..world.units.len())];
                let (owner, phone) = &unit.owners[rng.gen_range(0..unit.owners.len())];
                let desc =
                    format!("{}{}，{}", PARTS[rng.gen_range(0..PARTS.len())], WORDS[rng.gen_range(0..WORDS.len())], WORDS[rng.gen_range(0..WORDS.len())]);
                let part = PARTS[rng.gen_range(0..PARTS.len())];
                // One call reports one defect, now and then two (the tickets share the report).
                if report == 0 || rng.gen_bool(0.9) {
                    channel = if rng.gen_bool(0.8) { Channel::Phone } else { Channel::Visit };
                    report = tickets::insert_report(
                        tx,
                        &tickets::NewReport {
                            channel,
                            reported_at: reported,
                            caller_name: owner,
                            caller_phone: phone,
                            caller_relation: "业主",
                            receptionist_id: 1,
                        },
                    )?;
                }
                let id = tickets::insert(
                    tx,
                    &tickets::NewTicket {
                        no: &format!("BX-B-{i:08}"),
                        report_id: report,
                        project_id: unit.project_id,
                        unit_id: unit.id,
                        building: &unit.building,
                        unit_address: &unit.address,
                        owner_id: None,
                        owner_name: owner,
                        phone,
                        phone_suffix: &phone[phone.len() - 4..],
                        channel,
                        description: &desc,
                        part,
                        category: Category::ALL[rng.gen_range(0..Category::ALL.len())],
                        nature: DefectNature::HouseQuality,
                        classification: (stage(status) >= 1).then_some(cls),
                        status,
                        reported_at: reported,
                        required_by: None,
                        expected_visit: "",
                        receptionist_id: 1,
                        steward_id: Some(steward),
                        linked_to: None,
                        now: reported,
                    },
                )?;
                let mut last_dispatch = 0;
                for (t, ev) in &events {
                    let t = t + moved;
                    match ev {
                        Ev::Contact(reached) => fill::contact(tx, id, t, *reached, steward)?,
                        Ev::Dispatch { appointment, rework, arrived, promised, completed } => {
                            dispatch_no += 1;
                            last_dispatch = fill::dispatch(
                                tx,
                                &fill::Dispatch {
                                    no: &format!("PG-B-{dispatch_no:08}"),
                                    ticket_id: id,
                                    contractor_id: rng.gen_range(1..=16),
                                    appointment_at: appointment + moved,
                                    rework: *rework,
                                    issued_by: steward,
                                    issued_at: t,
                                    arrived_at: arrived.map(|x| x + moved),
                                    promised_at: promised.map(|x| x + moved),
                                    completed_at: completed.map(|x| x + moved),
                                },
                            )?;
                        }
                        Ev::Follow(kind, ok, next, sat) => fill::followup(tx, id, *kind, t, steward, *ok, next.map(|x| x + moved), *sat)?,
                        Ev::Accept(kind) => {
                            fill::acceptance(tx, id, last_dispatch, *kind, t, steward, (*kind == AcceptanceKind::Proxy).then_some((director, assistant)))?
                        }
                        Ev::Hold(until) => fill::hold(tx, id, t, until.map(|x| x + moved), steward)?,
                        Ev::Escalate(kind, ack) => fill::escalation(tx, *kind, id, t, ack.then_some((t + DAY, director)))?,
                    }
                }
            }
            Ok(())
        })?;
        done += chunk;
        if done % 100_000 == 0 || done == n {
            progress(&format!("已生成 {done} / {n}"));
        }
    }
    Ok(())
}

/// The events of one ticket that reached `status`, as (time, event), starting from `t0`.
fn story(rng: &mut StdRng, status: TicketStatus, cls: Classification, t0: i64, open: bool) -> Vec<(i64, Ev)> {
    let mut ev: Vec<(i64, Ev)> = Vec::new();
    let s = stage(status);
    let mut t = t0;
    // §5.1.1: first contact; one in five calls is not answered at first.
    if s == 0 {
        if rng.gen_bool(0.5) {
            ev.push((t + rng.gen_range(5 * MIN..90 * MIN), Ev::Contact(false)));
        }
        return ev;
    }
    if rng.gen_bool(0.2) {
        t += rng.gen_range(5 * MIN..60 * MIN);
        ev.push((t, Ev::Contact(false)));
    }
    t += rng.gen_range(10 * MIN..4 * HOUR);
    ev.push((t, Ev::Contact(true)));
    if matches!(status, TicketStatus::Cancelled | TicketStatus::OutOfScope) || s < 2 {
        return ev;
    }
    let reworks = if s >= 5 && rng.gen_bool(0.03) { 1 } else { 0 };
    let mut last_done = t;
    for round in 0..=reworks {
        let final_round = round == reworks;
        // §5.1.3: dispatch within the classification's time (some late), an appointment after it.
        let limit = match cls {
            Classification::Simple => 2 * HOUR,
            Classification::General => 3 * HOUR,
            Classification::Complex => 14 * HOUR,
        };
        t += rng.gen_range(20 * MIN..limit + HOUR);
        let issued = t;
        let appointment = issued + rng.gen_range(2 * HOUR..48 * HOUR);
        let arrived = (s >= 3 || !final_round).then(|| appointment + rng.gen_range(-20 * MIN..40 * MIN));
        let repair_days = rng.gen_range(HOUR..4 * DAY);
        let completed = (s >= 4 || !final_round).then(|| arrived.unwrap_or(appointment) + repair_days);
        let promised = completed.map(|_| arrived.unwrap_or(appointment) + 3 * DAY);
        ev.push((issued, Ev::Dispatch { appointment, rework: round > 0, arrived, promised, completed }));
        if let Some(a) = arrived {
            t = a;
            // General and complex repairs: the steward visits the site (§5.1.3.4).
            if cls != Classification::Simple {
                for _ in 0..rng.gen_range(1..=2) {
                    ev.push((a + rng.gen_range(HOUR..24 * HOUR), Ev::Follow(FollowUpKind::SiteVisit, true, None, None)));
                }
            }
            // A repair of more than two days: progress feedback with the next time agreed (§5.1.3.5).
            if repair_days > 2 * DAY {
                ev.push((a + DAY, Ev::Follow(FollowUpKind::Feedback, true, Some(a + 3 * DAY), None)));
            }
            // One repair in a hundred is paused a few days (owner away, material awaited).
            if !open && rng.gen_bool(0.01) {
                ev.push((a + HOUR, Ev::Hold(Some(a + HOUR + rng.gen_range(2 * DAY..10 * DAY)))));
            }
        }
        if let Some(c) = completed {
            t = c;
            // §5.1.3.6: the steward re-checks; a failed re-check sends it back (a rework).
            if s >= 5 || !final_round || rng.gen_bool(0.5) {
                t = c + rng.gen_range(HOUR..20 * HOUR);
                ev.push((t, Ev::Follow(FollowUpKind::Recheck, final_round, None, None)));
            }
        }
        last_done = t;
    }
    t = last_done;
    if open && (2..=4).contains(&s) && rng.gen_bool(0.08) {
        ev.push((t + HOUR, Ev::Hold(None)));
    }
    if s >= 5 {
        t += rng.gen_range(HOUR..48 * HOUR);
        let kind = match rng.gen_range(0..100) {
            0..80 => AcceptanceKind::OwnerOnScreen,
            80..95 => AcceptanceKind::OwnerOnPaper,
            _ => AcceptanceKind::Proxy,
        };
        ev.push((t, Ev::Accept(kind)));
    }
    if s >= 6 {
        // §5.1.4: the completion notice; some owners answer only later, a few never.
        let misses = match rng.gen_range(0..100) {
            0..86 => 0,
            86..98 => rng.gen_range(1..=2),
            _ => 5,
        };
        for _ in 0..misses {
            t += rng.gen_range(10 * MIN..24 * HOUR);
            ev.push((t, Ev::Follow(FollowUpKind::CompletionNotice, false, None, None)));
        }
        if misses < 5 {
            t += rng.gen_range(10 * MIN..20 * HOUR);
            ev.push((t, Ev::Follow(FollowUpKind::CompletionNotice, true, None, None)));
        }
    }
    if s == 7 {
        // One visit in ten reaches the owner only at the second call.
        if rng.gen_bool(0.1) {
            t += rng.gen_range(3 * DAY..6 * DAY);
            ev.push((t, Ev::Follow(FollowUpKind::ReturnVisit, false, None, None)));
        }
        // §5.1.5: the return visit with the owner's satisfaction.
        t += rng.gen_range(3 * DAY..10 * DAY);
        let sat = match rng.gen_range(0..100) {
            0..85 => Satisfaction::Satisfied,
            85..97 => Satisfaction::Basic,
            _ => Satisfaction::Dissatisfied,
        };
        ev.push((t, Ev::Follow(FollowUpKind::ReturnVisit, true, None, Some(sat))));
    }
    // A complaint to the GM on one ticket in two hundred (§5.2.2.5).
    if rng.gen_bool(0.005) {
        ev.push((t0 + DAY, Ev::Escalate(desk_domain::clock::escalation::EscalationKind::Complaint, !open)));
    }
    ev
}
