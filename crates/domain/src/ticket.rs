//! Tickets (报修单) and the §5.1 lifecycle.
//!
//! A ticket is one reported defect at one place of one unit. Its status moves only along the
//! edges of [`TicketStatus::can_move_to`]; every other move is refused with a Chinese message.

use crate::DomainError;
use serde::{Deserialize, Serialize};

macro_rules! labelled_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $v:ident => $label:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
        #[ts(export)]
        pub enum $name { $($(#[$vm])* $v),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$v),+];
            /// The Chinese label the UI and the printed forms show.
            pub fn label(self) -> &'static str { match self { $($name::$v => $label),+ } }
            /// The stable code stored in the database.
            pub fn code(self) -> &'static str { match self { $($name::$v => stringify!($v)),+ } }
            /// Reads a stored code or a Chinese label.
            pub fn parse(s: &str) -> Option<$name> {
                let s = s.trim();
                Self::ALL.iter().copied().find(|x| x.code() == s || x.label() == s)
            }
        }
    };
}
pub(crate) use labelled_enum;

labelled_enum! {
    /// 报修方式 (§5.1.1).
    Channel { Phone => "电话", Visit => "来访", Web => "网络", Relayed => "代为转告" }
}

impl Channel {
    /// How the desk reached the owner (a contact attempt, a completion notice): a visit there is
    /// the steward's 上门 as well as the owner's 来访.
    pub fn contact_label(self) -> &'static str {
        match self {
            Channel::Visit => "上门/来访",
            other => other.label(),
        }
    }
}

labelled_enum! {
    /// 缺陷类别 — the class of defect, used for statistics and the §5.2.2.4 20 % rule.
    Category {
        Leak => "渗漏", Crack => "开裂", Hollow => "空鼓", DoorWindow => "门窗",
        WaterElectric => "水电", Hvac => "暖通", Finish => "墙地面", Other => "其他",
    }
}

labelled_enum! {
    /// 维修分类 (§5.1.2).
    Classification {
        /// No survey; a worker is sent.
        Simple => "简单",
        /// Survey and plan by the steward; dispatch within 2 h (§5.1.3.1).
        General => "一般",
        /// Special plan by the director; dispatch within 12 h (§5.1.3.2).
        Complex => "复杂",
    }
}

labelled_enum! {
    /// 问题性质 (F01): only house-quality defects are warranty work.
    DefectNature { HouseQuality => "房屋质量", OwnerDecoration => "业主装修损坏", PublicFacility => "公共设施" }
}

labelled_enum! {
    /// The states of §5.1, in the order a ticket normally passes them.
    TicketStatus {
        Reported => "已报修",
        Contacted => "已联系",
        Dispatched => "已派工",
        InRepair => "维修中",
        AwaitingAcceptance => "待验收",
        Accepted => "已验收",
        Closed => "已关闭",
        Visited => "已回访",
        OutOfScope => "非保修范围",
        Cancelled => "已取消",
    }
}

impl TicketStatus {
    /// The allowed moves of the §5.1 procedure.
    pub fn can_move_to(self, to: TicketStatus) -> bool {
        use TicketStatus::*;
        matches!(
            (self, to),
            // §5.1.1: first contact; a walk-in or an agreed time can go straight to dispatch.
            (Reported, Contacted | Dispatched | OutOfScope | Cancelled)
                | (Contacted, Dispatched | OutOfScope | Cancelled)
                // §5.1.3: the contractor arrives; a slip can be withdrawn before that, or
                // re-issued (no-show, another contractor) — a new slip, not rework.
                | (Dispatched, Dispatched | InRepair | Cancelled)
                // Repair done (steward re-checks), or re-dispatched to another contractor.
                | (InRepair, AwaitingAcceptance | Dispatched)
                // §5.1.3.6: the owner (or director + CS assistant) accepts, or it goes back to repair.
                | (AwaitingAcceptance, Accepted | InRepair)
                // §5.1.4: the owner is told; §5.1.5: the return visit.
                | (Accepted, Closed)
                | (Closed, Visited)
        )
    }

    /// Checks a move and says in Chinese why it is refused.
    pub fn move_to(self, to: TicketStatus) -> Result<TicketStatus, DomainError> {
        if self.can_move_to(to) {
            Ok(to)
        } else {
            Err(DomainError::rule(format!("报修单当前为「{}」，不能改为「{}」", self.label(), to.label())))
        }
    }

    /// Every state this one may move to.
    pub fn next_statuses(self) -> Vec<TicketStatus> {
        TicketStatus::ALL.iter().copied().filter(|to| self.can_move_to(*to)).collect()
    }

    /// Still needs work from the desk (not closed, visited, cancelled or out of scope).
    pub fn is_open(self) -> bool {
        use TicketStatus::*;
        !matches!(self, Closed | Visited | OutOfScope | Cancelled)
    }
}

/// Parts (部位) offered at intake; free text is allowed too.
pub const PART_SUGGESTIONS: &[&str] = &[
    "卫生间",
    "厨房",
    "客厅",
    "卧室",
    "阳台",
    "外墙",
    "屋面",
    "地下室",
    "门窗",
    "入户门",
    "给排水管道",
    "电气线路",
    "开关插座",
    "灯具",
    "暖气片",
    "地暖",
    "卫生洁具",
    "墙面",
    "顶棚",
    "地面",
];

/// Trims and checks the free-text fields of an intake: the description must say something,
/// and nothing may be long enough to break a printed form.
pub fn validate_text(field: &'static str, label: &str, raw: &str, max_chars: usize, required: bool) -> Result<String, DomainError> {
    let t = raw.trim().to_string();
    if required && t.is_empty() {
        return Err(DomainError::field(field, format!("请填写{label}")));
    }
    if t.chars().count() > max_chars {
        return Err(DomainError::field(field, format!("{label}过长（最多 {max_chars} 字）")));
    }
    Ok(t)
}

/// `BX-2026-000123`: the readable ticket number, one series per year.
pub fn ticket_no(year: i32, seq: i64) -> String {
    format!("BX-{year}-{seq:06}")
}

/// Recognises a ticket number typed into the search box (`BX-2026-000123`, `bx2026000123`).
pub fn parse_ticket_no(q: &str) -> Option<String> {
    let s: String = q.trim().to_uppercase().chars().filter(|c| *c != '-' && !c.is_whitespace()).collect();
    let rest = s.strip_prefix("BX")?;
    if rest.len() == 10 && rest.chars().all(|c| c.is_ascii_digit()) {
        let year: i32 = rest[..4].parse().ok()?;
        let seq: i64 = rest[4..].parse().ok()?;
        Some(ticket_no(year, seq))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use TicketStatus::*;

    #[test]
    fn the_normal_path_of_5_1_is_allowed() {
        let path = [Reported, Contacted, Dispatched, InRepair, AwaitingAcceptance, Accepted, Closed, Visited];
        for w in path.windows(2) {
            assert!(w[0].can_move_to(w[1]), "{:?} -> {:?}", w[0], w[1]);
        }
    }

    #[test]
    fn rework_goes_back_to_repair_or_to_a_new_dispatch() {
        assert!(AwaitingAcceptance.can_move_to(InRepair));
        assert!(InRepair.can_move_to(Dispatched));
    }

    #[test]
    fn finished_tickets_do_not_move() {
        for from in [Visited, OutOfScope, Cancelled] {
            for to in TicketStatus::ALL {
                assert!(!from.can_move_to(*to), "{from:?} -> {to:?}");
            }
        }
    }

    #[test]
    fn a_second_acceptance_is_refused_in_chinese() {
        let e = Accepted.move_to(Accepted).expect_err("accepted twice");
        assert_eq!(e.message, "报修单当前为「已验收」，不能改为「已验收」");
    }

    #[test]
    fn cannot_skip_the_owners_acceptance() {
        assert!(!InRepair.can_move_to(Closed));
        assert!(!Dispatched.can_move_to(Accepted));
        assert!(!Reported.can_move_to(Closed));
    }

    #[test]
    fn labels_and_codes_round_trip() {
        for s in TicketStatus::ALL {
            assert_eq!(TicketStatus::parse(s.code()), Some(*s));
            assert_eq!(TicketStatus::parse(s.label()), Some(*s));
        }
        assert_eq!(Channel::parse("代为转告"), Some(Channel::Relayed));
        assert_eq!(Category::parse("渗漏"), Some(Category::Leak));
    }

    #[test]
    fn empty_description_is_refused() {
        let e = validate_text("description", "缺陷描述", "   ", 500, true).expect_err("empty");
        assert_eq!((e.field, e.message.as_str()), (Some("description"), "请填写缺陷描述"));
    }

    #[test]
    fn ticket_numbers() {
        assert_eq!(ticket_no(2026, 123), "BX-2026-000123");
        assert_eq!(parse_ticket_no("bx-2026-000123"), Some("BX-2026-000123".into()));
        assert_eq!(parse_ticket_no("BX2026000123"), Some("BX-2026-000123".into()));
        assert_eq!(parse_ticket_no("2026"), None);
    }
}
