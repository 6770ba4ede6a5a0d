//! Gathering one local day for the daily report: the day's events and the progress of every open ticket.

use super::*;
use crate::desk::Desk;
use desk_domain::clock::rules::{duties, DeadlineSettings};
use desk_domain::phone::mask_phone;
use desk_domain::repair::{AcceptanceKind, FollowUpKind};
use desk_domain::report_text::{duty_text, latest_step};
use desk_domain::time::{local_date, local_day_start};
use desk_store::{clocks, from_unix, report as store};
use std::collections::HashMap;

fn s_or(o: Option<String>) -> String {
    o.unwrap_or_default()
}

impl Desk {
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

        // Issue 14's side paths of the day: reopenings, changed numbers, upset owners.
        let path_events = self.store.read(|tx| -> DeskResult<_> {
            let mut out = Vec::new();
            for e in desk_store::paths::events_between(tx, from, to)? {
                let unit = desk_store::tickets::get_detail(tx, e.ticket_id)?.unit;
                out.push((e, unit));
            }
            Ok(out)
        })?;
        let compensations = self.store.read(|tx| -> DeskResult<_> {
            let mut out = Vec::new();
            for c in desk_store::compensation::opened_or_concluded_between(tx, from, to)? {
                let unit = desk_store::tickets::get_detail(tx, desk_store::tickets::id_by_no(tx, &c.ticket_no)?)?.unit;
                out.push((c, unit));
            }
            Ok(out)
        })?;
        let (majors, complaints, surveys) = self.store.read(|tx| -> DeskResult<_> {
            let majors = desk_store::matters::majors_marked_between(tx, from, to)?;
            let mut units = Vec::with_capacity(majors.len());
            for (no, _) in &majors {
                units.push(desk_store::tickets::get_detail(tx, desk_store::tickets::id_by_no(tx, no)?)?.unit);
            }
            let surveys = desk_store::survey::done_between(tx, from, to)?;
            let mut survey_units = Vec::with_capacity(surveys.len());
            for (no, _) in &surveys {
                survey_units.push(desk_store::tickets::get_detail(tx, desk_store::tickets::id_by_no(tx, no)?)?.unit);
            }
            Ok((
                majors.into_iter().zip(units).collect::<Vec<_>>(),
                desk_store::matters::complaints_recorded_between(tx, from, to)?,
                surveys.into_iter().zip(survey_units).collect::<Vec<_>>(),
            ))
        })?;
        // §5.1.5.3: the day's hand-overs to the property company or the CS department, with the
        // ticket's unit and owner, listed with the owner's other non-warranty matters.
        let hand_overs = self.store.read(|tx| -> DeskResult<_> {
            let mut out = Vec::new();
            for h in desk_store::not_ours::handed_between(tx, from, to)? {
                let t = desk_store::tickets::get_detail(tx, desk_store::tickets::id_by_no(tx, &h.ticket_no)?)?;
                out.push((h, t.unit, t.owner, t.phone));
            }
            Ok(out)
        })?;
        let (reported, accepted, notices, visits, oos, escs, open, open_rows) = self.store.read(|tx| -> DeskResult<_> {
            let open = clocks::open_tickets(tx, None)?;
            let ids: Vec<i64> = open.iter().map(|t| t.id).collect();
            Ok((
                store::reported(tx, from, to)?,
                store::accepted(tx, from, to)?,
                store::followups(tx, FollowUpKind::CompletionNotice, from, to)?,
                store::followups(tx, FollowUpKind::ReturnVisit, from, to)?,
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
                channel: r.channel.label().to_string(),
                category: r.category.label().to_string(),
                part: text(&r.part),
                description: text(&r.description),
                classification: r.classification.map(|c| c.label().to_string()).unwrap_or_default(),
                status: r.status,
                steward: s_or(r.steward),
                receptionist: r.receptionist,
            })
            .collect();
        let completions: Vec<CompletionRow> = accepted
            .into_iter()
            .map(|a| {
                let acceptance = match a.kind {
                    AcceptanceKind::Proxy => format!("{}（{}、{}）", AcceptanceKind::Proxy.label(), s_or(a.director), s_or(a.cs_assistant)),
                    k => k.label().to_string(),
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
                satisfaction: f.satisfaction,
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
        out_of_scope.extend(hand_overs.into_iter().map(|(h, unit, owner, p)| OutOfScopeRow {
            class: format!("移交{}", h.to.label()),
            matter: text(&format!("{}；{}", h.reason, h.state())),
            no: h.ticket_no.clone(),
            unit,
            owner,
            phone: phone(&p),
            at: h.handed_at,
            by: h.handed_by.clone(),
        }));
        out_of_scope.sort_by(|a, b| a.class.cmp(&b.class).then(a.at.cmp(&b.at)));
        let escalations: Vec<ReportEscalation> = escs
            .into_iter()
            .map(|e| {
                let kind = e.kind;
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

        let mut matters: Vec<ReportMatter> = majors
            .into_iter()
            .map(|((no, m), unit)| ReportMatter {
                kind_label: "重大事项".into(),
                section: "§5.1.4.3".into(),
                ticket_no: no,
                units: unit,
                detail: text(&m.description),
                reported_at: m.reported_at,
                reported_by: m.marked_by,
                state: match &m.opinion {
                    Some(o) => format!("已报{}，意见：{}", m.reported_to, text(o)),
                    None => format!("已报{}，待出具意见", m.reported_to),
                },
            })
            .collect();
        matters.extend(complaints.into_iter().map(|c| ReportMatter {
            kind_label: c.level.label().into(),
            section: "§5.2.1".into(),
            ticket_no: c.ticket_no,
            units: c.units.join("、"),
            detail: text(&c.description),
            reported_at: c.reported_at,
            reported_by: c.recorded_by,
            state: match &c.result {
                Some(r) => format!("已报{}，已关闭：{}", c.reported_to, text(r)),
                None => format!("已报{}，由{}跟进至关闭", c.reported_to, c.supervisor),
            },
        }));
        // §5.1.3.1–2 the day's surveys: what was found, the plan, and a complex plan's report.
        matters.extend(surveys.into_iter().map(|((no, v), unit)| ReportMatter {
            kind_label: "现场勘查".into(),
            section: "§5.1.3".into(),
            ticket_no: no,
            units: unit,
            detail: text(&format!("{}；方案：{}", v.findings, v.plan)),
            reported_at: v.done_at.unwrap_or(v.booked_at),
            reported_by: v.done_by.clone().unwrap_or_else(|| v.booked_by.clone()),
            state: match (&v.reported_to, &v.answer) {
                (Some(to), Some(a)) => format!("方案已报{to}，答复：{}", text(a)),
                (Some(to), None) => format!("方案已报{to}，待答复"),
                _ => "已勘查".into(),
            },
        }));
        // §6.3 compensation cases opened or concluded on the day, as of the day's end.
        matters.extend(compensations.into_iter().map(|(c, unit)| {
            let concluded = c.concluded_at.is_some_and(|a| a.timestamp() < to);
            let state = if concluded {
                c.state_text()
            } else if c.cs_notified_at.is_some_and(|a| a.timestamp() < to) {
                format!("已报{}并通报客户服务部，协商中", c.reported_to)
            } else {
                format!("已报{}，待通报客户服务部", c.reported_to)
            };
            ReportMatter {
                kind_label: "赔偿协商".into(),
                section: "§6.3".into(),
                ticket_no: c.ticket_no,
                units: unit,
                detail: text(&match c.claimed_fen {
                    Some(f) => format!("{}（索赔 {}）", c.claim, desk_domain::money::Fen(f)),
                    None => c.claim.clone(),
                }),
                reported_at: c.reported_at,
                reported_by: c.opened_by,
                state,
            }
        }));
        matters.extend(path_events.into_iter().map(|(e, unit)| {
            use desk_store::paths::PathEventKind;
            let answered = e.answered_at.is_some_and(|a| a < to);
            let (kind_label, section, detail, state) = match e.kind {
                PathEventKind::Reopen => ("重新打开", "返修", text(&e.detail), "维修失败，回到维修中".to_string()),
                PathEventKind::PhoneChange => (
                    "电话变更",
                    "§5.1.4.2",
                    format!("业主换号：{} → {}", if e.detail.is_empty() { "（无）".to_string() } else { mask_phone(&e.detail) }, mask_phone(&e.second)),
                    if answered { format!("客户服务部已答复：{}", text(&e.answer)) } else { "已反馈客户服务部，待答复".to_string() },
                ),
                PathEventKind::UpsetOwner => (
                    "业主情绪激动",
                    "§6.5",
                    text(&e.detail),
                    if answered {
                        format!("维修暂停，已告知客服主管助理{}，已报客户服务部", e.second)
                    } else {
                        format!("维修暂停，已告知客服主管助理{}", e.second)
                    },
                ),
            };
            ReportMatter {
                kind_label: kind_label.into(),
                section: section.into(),
                ticket_no: e.ticket_no,
                units: unit,
                detail,
                reported_at: from_unix(e.at),
                reported_by: e.actor,
                state,
            }
        }));
        matters.sort_by_key(|m| m.reported_at);

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
                status: r.status,
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
            matters,
            progress,
            recipients,
        })
    }
}
