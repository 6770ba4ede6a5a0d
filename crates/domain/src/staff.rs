//! People at the desk and their roles (§3, §4.5, §6).

use serde::{Deserialize, Serialize};

/// A staff member's role. The UI shows [`Role::label`]; code and storage use the variant name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub enum Role {
    /// 前台客服 — takes calls and visits, records tickets, prints slips.
    FrontDesk,
    /// 保修管家 — the single responsible engineer of a ticket (§6.1).
    Steward,
    /// 保修主任 — head of the center; complex plans, proxy sign-off, compensation (§6.3).
    Director,
    /// 客服主管助理 — signs with the director when the owner cannot (§5.1.3.6, §5.1.4.2).
    CsAssistant,
    /// 保修工程师 — sent by the project department for major problems.
    Engineer,
    /// 项目总经理 — receives escalations (§5.2.2).
    ProjectGm,
}

impl Role {
    pub const ALL: [Role; 6] = [Role::FrontDesk, Role::Steward, Role::Director, Role::CsAssistant, Role::Engineer, Role::ProjectGm];

    pub fn label(self) -> &'static str {
        match self {
            Role::FrontDesk => "前台客服",
            Role::Steward => "保修管家",
            Role::Director => "保修主任",
            Role::CsAssistant => "客服主管助理",
            Role::Engineer => "保修工程师",
            Role::ProjectGm => "项目总经理",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Role::FrontDesk => "FrontDesk",
            Role::Steward => "Steward",
            Role::Director => "Director",
            Role::CsAssistant => "CsAssistant",
            Role::Engineer => "Engineer",
            Role::ProjectGm => "ProjectGm",
        }
    }

    /// Reads a stored code or a Chinese label (roster files use labels).
    pub fn parse(s: &str) -> Option<Role> {
        let s = s.trim();
        Role::ALL.into_iter().find(|r| r.code() == s || r.label() == s)
    }

    /// Whether this role may be the responsible steward of a ticket (§6.1: 保修管家; the
    /// director takes complex tickets himself, §5.1.2.3).
    pub fn can_own_tickets(self) -> bool {
        matches!(self, Role::Steward | Role::Director)
    }
}

/// PIN rules: 4–8 digits, like a door lock; checked before hashing.
pub fn validate_pin(pin: &str) -> Result<(), crate::DomainError> {
    if (4..=8).contains(&pin.len()) && pin.chars().all(|c| c.is_ascii_digit()) {
        Ok(())
    } else {
        Err(crate::DomainError::field("pin", "PIN 须为 4 至 8 位数字"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_read_from_code_or_chinese_label() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.code()), Some(r));
            assert_eq!(Role::parse(r.label()), Some(r));
        }
        assert_eq!(Role::parse("经理"), None);
    }

    #[test]
    fn pins_are_four_to_eight_digits() {
        assert!(validate_pin("1234").is_ok());
        assert!(validate_pin("12345678").is_ok());
        assert!(validate_pin("123").is_err());
        assert!(validate_pin("12a4").is_err());
    }
}
