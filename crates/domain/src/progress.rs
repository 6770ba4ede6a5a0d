//! The progress message for the owner (服务承诺：全程跟踪服务): a short text the clerk pastes
//! into WeChat or an SMS, written from the ticket's own record so it never promises what the
//! record does not show. No phone numbers, no staff PINs, nothing the owner should not read.

use crate::records::TicketDetail;
use crate::repair::FollowUpKind;
use crate::ticket::TicketStatus;
use chrono::{DateTime, Utc};

/// `3月5日 14:30` in local time.
fn when(t: DateTime<Utc>) -> String {
    t.with_timezone(&crate::time::desk_tz()).format("%-m月%-d日 %H:%M").to_string()
}

fn day(t: DateTime<Utc>) -> String {
    t.with_timezone(&crate::time::desk_tz()).format("%-m月%-d日").to_string()
}

/// The message for the ticket as it stands. `center` signs it (e.g. 翠湖澜庭保修中心).
pub fn progress_message(t: &TicketDetail, center: &str) -> String {
    let mut lines = Vec::new();
    lines.push(format!("{}业主您好！您于{}报修的「{}：{}」（单号 {}），目前进度如下：", t.owner, day(t.reported_at), t.part, t.description, t.no));
    let latest = t.dispatches.last();
    // §5.1.4.3: while a major matter waits for the GM's or engineer's opinion the steward cannot
    // answer or promise: the message says it was reported and promises no date.
    let major = t.status.is_open() && t.major_matters.iter().any(|m| m.opinion.is_none());
    if major {
        lines.push(crate::matters::MAJOR_PENDING_OWNER_LINE.to_string());
        lines.push(format!("如有疑问，请联系保修中心。【{center}】"));
        return lines.join("");
    }
    match t.status {
        TicketStatus::Reported | TicketStatus::Contacted => {
            lines.push("保修中心已受理，正在安排维修单位，确定后会与您约定上门时间。".to_string());
        }
        TicketStatus::Dispatched => {
            if let Some(d) = latest {
                lines.push(format!("已安排{}于{}上门维修。", d.contractor, when(d.appointment_at)));
            }
        }
        TicketStatus::InRepair => {
            if let Some(d) = latest {
                let arrived = d.arrived_at.map(|a| format!("维修人员已于{}到场，", when(a))).unwrap_or_default();
                let promised = d.promised_at.map(|p| format!("预计{}前完成。", when(p))).unwrap_or_else(|| "正在维修中。".to_string());
                lines.push(format!("{}{}{}", if d.rework { "返修：" } else { "" }, arrived, promised));
            }
        }
        TicketStatus::AwaitingAcceptance => lines.push("维修已完成，保修管家复检后将请您验收。".to_string()),
        TicketStatus::Accepted | TicketStatus::Closed => lines.push(match &t.acceptance {
            Some(a) => format!("维修已于{}验收合格。", day(a.at)),
            None => "维修已验收合格。".to_string(),
        }),
        TicketStatus::Visited => lines.push("维修已完成并已回访，感谢您的配合。".to_string()),
        TicketStatus::OutOfScope => lines.push("经核实，该问题不属于保修范围，可由物业提供有偿维修服务。".to_string()),
        TicketStatus::Cancelled => lines.push("该报修已撤销。".to_string()),
    }
    if let Some(f) = t.followups.iter().rev().find(|f| f.kind == FollowUpKind::Feedback) {
        if let Some(next) = f.next_due_at {
            if t.status.is_open() {
                lines.push(format!("我们将于{}前再次向您反馈进度。", day(next)));
            }
        }
    }
    if let Some(s) = &t.steward {
        if t.status.is_open() {
            lines.push(format!("责任保修管家：{s}，全程跟踪您的维修。"));
        }
    }
    lines.push(format!("如有疑问，请联系保修中心。【{center}】"));
    lines.join("")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::DispatchRecord;
    use crate::ticket::{Category, Channel, DefectNature};
    use chrono::TimeZone;

    fn at(h: u32, d: u32) -> DateTime<Utc> {
        // Local (UTC+8) 2026-03-d h:00.
        Utc.with_ymd_and_hms(2026, 3, d, h - 8, 0, 0).single().unwrap_or_default()
    }

    fn ticket(status: TicketStatus) -> TicketDetail {
        TicketDetail {
            id: 1,
            no: "BX-2026-000123".into(),
            report_id: 1,
            unit_id: 1,
            unit: "3-2-1502".into(),
            batch_name: "一期".into(),
            delivered_on: None,
            owner_id: None,
            owner: "王芳".into(),
            phone: "13800135678".into(),
            channel: Channel::Phone,
            caller_name: String::new(),
            caller_relation: String::new(),
            description: "地面渗水".into(),
            part: "卫生间".into(),
            category: Category::Leak,
            nature: DefectNature::HouseQuality,
            classification: None,
            status,
            next_statuses: Vec::new(),
            reported_at: at(9, 5),
            required_by: None,
            expected_visit: String::new(),
            receptionist: "李静".into(),
            steward_id: Some(2),
            steward: Some("刘洋".into()),
            linked_to: None,
            siblings: Vec::new(),
            contacts: Vec::new(),
            photos: Vec::new(),
            dispatches: Vec::new(),
            followups: Vec::new(),
            acceptance: None,
            timeline: Vec::new(),
            unreachable_close_ready: false,
            max_failed_notices: 5,
            arrival_tolerance_min: 15,
            previous_ticket: None,
            reopen_until: None,
            reopens: Vec::new(),
            running_hold: None,
            phone_inquiries: Vec::new(),
            major_matters: Vec::new(),
            complaints: Vec::new(),
            hand_overs: Vec::new(),
            surveys: Vec::new(),
            compensations: Vec::new(),
        }
    }

    fn dispatch() -> DispatchRecord {
        DispatchRecord {
            id: 1,
            no: "PG-2026-000045".into(),
            contractor_id: 1,
            contractor: "城安防水".into(),
            site_contact: "赵师傅 13900001111".into(),
            appointment_at: at(14, 6),
            plan: String::new(),
            materials: String::new(),
            reason: crate::repair::DispatchReason::First,
            rework: false,
            issued_by: "李静".into(),
            issued_at: at(10, 5),
            arrived_at: None,
            arrival_deviation_min: None,
            arrival: None,
            person_in_charge: String::new(),
            materials_used: String::new(),
            promised_at: None,
            completed_at: None,
            cause: String::new(),
            measures: String::new(),
            reliability: String::new(),
        }
    }

    #[test]
    fn a_dispatched_ticket_names_the_contractor_and_the_appointment_but_no_phone() {
        let mut t = ticket(TicketStatus::Dispatched);
        t.dispatches.push(dispatch());
        let m = progress_message(&t, "翠湖澜庭保修中心");
        assert!(m.starts_with("王芳业主您好！您于3月5日报修的「卫生间：地面渗水」（单号 BX-2026-000123）"), "{m}");
        assert!(m.contains("已安排城安防水于3月6日 14:00上门维修。"), "{m}");
        assert!(m.contains("责任保修管家：刘洋"));
        assert!(m.ends_with("【翠湖澜庭保修中心】"));
        assert!(!m.contains("13900001111") && !m.contains("13800135678"), "no phone numbers: {m}");
    }

    #[test]
    fn in_repair_says_when_they_arrived_and_the_promised_completion() {
        let mut t = ticket(TicketStatus::InRepair);
        let mut d = dispatch();
        d.arrived_at = Some(at(14, 6));
        d.promised_at = Some(at(17, 8));
        t.dispatches.push(d);
        let m = progress_message(&t, "保修中心");
        assert!(m.contains("维修人员已于3月6日 14:00到场，预计3月8日 17:00前完成。"), "{m}");
    }

    #[test]
    fn a_pending_major_matter_promises_nothing() {
        let mut t = ticket(TicketStatus::InRepair);
        t.dispatches.push(dispatch());
        t.major_matters.push(crate::matters::MajorMatterView {
            id: 1,
            description: "外墙大面积渗水".into(),
            marked_by: "张主任".into(),
            marked_at: at(9, 5),
            reported_to: "吴国栋".into(),
            reported_to_role: crate::staff::Role::ProjectGm,
            reported_at: at(9, 5),
            opinion: None,
            opinion_by: None,
            opinion_at: None,
        });
        let m = progress_message(&t, "翠湖澜庭保修中心");
        assert!(m.contains("重大事项"), "{m}");
        assert!(!m.contains("预计") && !m.contains("前再次") && !m.contains("前完成"), "{m}");
        t.major_matters[0].opinion = Some("由总包返工".into());
        assert!(!progress_message(&t, "x").contains("重大事项"));
    }

    #[test]
    fn finished_tickets_do_not_promise_more_follow_up() {
        let m = progress_message(&ticket(TicketStatus::Visited), "保修中心");
        assert!(m.contains("已完成并已回访"));
        assert!(!m.contains("责任保修管家"), "{m}");
        let m = progress_message(&ticket(TicketStatus::OutOfScope), "保修中心");
        assert!(m.contains("不属于保修范围"));
    }
}
