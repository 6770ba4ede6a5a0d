//! Unit addresses (房号): `3-2-1502` = building 3, entrance 2, room 1502.
//!
//! Clerks type them in many ways (`3号楼2单元1502`, `3栋2单元1502室`, `3#2-1502`); all parse to
//! one canonical form, which is how units are stored and looked up.

use crate::phone::to_half_width;
use crate::DomainError;
use serde::{Deserialize, Serialize};
use std::str::FromStr;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct UnitAddress {
    /// 楼栋 (building), e.g. "3" or "A".
    pub building: String,
    /// 单元 (entrance), e.g. "2".
    pub entrance: String,
    /// 房号 (room), e.g. "1502".
    pub room: String,
}

impl std::fmt::Display for UnitAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-{}-{}", self.building, self.entrance, self.room)
    }
}

impl UnitAddress {
    /// `3号楼2单元1502室`: the long form printed on forms.
    pub fn long_form(&self) -> String {
        format!("{}号楼{}单元{}室", self.building, self.entrance, self.room)
    }
}

impl FromStr for UnitAddress {
    type Err = DomainError;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        let parts = address_parts(raw);
        let ok_part = |p: &str| !p.is_empty() && p.len() <= 8 && p.chars().all(|c| c.is_ascii_alphanumeric());
        match parts.as_slice() {
            [b, e, r] if ok_part(b) && ok_part(e) && ok_part(r) => Ok(UnitAddress { building: strip_zeros(b), entrance: strip_zeros(e), room: r.clone() }),
            _ => Err(DomainError::field("unit", format!("房号「{raw}」无法识别：请写成 楼栋-单元-房号，例如 3-2-1502 或 3号楼2单元1502"))),
        }
    }
}

/// The parts of an address as typed: every marker word (号楼, 栋, 单元, #, …) becomes a separator.
fn address_parts(raw: &str) -> Vec<String> {
    let s: String = raw.chars().map(to_half_width).filter(|c| !c.is_whitespace()).collect();
    let mut t = s.to_uppercase();
    for (word, sep) in [("号楼", "-"), ("栋", "-"), ("幢", "-"), ("座", "-"), ("#", "-"), ("单元", "-"), ("室", ""), ("号", "")] {
        t = t.replace(word, sep);
    }
    for sep in ['/', '_', '.', '—', '－'] {
        t = t.replace(sep, "-");
    }
    t.split('-').filter(|p| !p.is_empty()).map(str::to_string).collect()
}

/// What a caller gives when they do not say the whole address: the room alone (`1502`) or the
/// building and the room (`3号楼1502`, `3-1502`). The intake search lists the units it can be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartialUnit {
    pub building: Option<String>,
    pub room: String,
}

/// Reads a partial address; None for anything else (a whole address, a name, a long number).
/// A room is 3–4 digits, the way rooms are numbered here (`101`, `1502`).
pub fn parse_partial(raw: &str) -> Option<PartialUnit> {
    let parts = address_parts(raw);
    let room_ok = |r: &str| (3..=4).contains(&r.len()) && r.chars().all(|c| c.is_ascii_digit());
    match parts.as_slice() {
        [r] if room_ok(r) => Some(PartialUnit { building: None, room: r.clone() }),
        [b, r] if room_ok(r) && !b.is_empty() && b.len() <= 3 && b.chars().all(|c| c.is_ascii_alphanumeric()) => {
            Some(PartialUnit { building: Some(strip_zeros(b)), room: r.clone() })
        }
        _ => None,
    }
}

/// "03" and "3" are the same building; rooms keep their digits ("0502" is not "502").
fn strip_zeros(p: &str) -> String {
    let t = p.trim_start_matches('0');
    if t.is_empty() {
        "0".into()
    } else {
        t.to_string()
    }
}

/// Does this text look like a unit address (used by the search box to pick the lookup)?
pub fn looks_like_unit(q: &str) -> bool {
    q.parse::<UnitAddress>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<String, DomainError> {
        s.parse::<UnitAddress>().map(|u| u.to_string())
    }

    #[test]
    fn every_way_a_clerk_writes_a_unit_gives_one_address() {
        for raw in ["3-2-1502", "3号楼2单元1502", "3栋2单元1502室", "3#2-1502", " 3 - 2 - 1502 ", "３－２－１５０２", "03-02-1502", "3号楼2单元1502号"]
        {
            assert_eq!(parse(raw), Ok("3-2-1502".into()), "{raw}");
        }
    }

    #[test]
    fn lettered_buildings() {
        assert_eq!(parse("a座1单元0302"), Ok("A-1-0302".into()));
    }

    #[test]
    fn unknown_shapes_are_refused_naming_the_field() {
        for raw in ["", "1502", "3-1502", "三号楼二单元", "3-2-1502-7", "3-2-<b>"] {
            let e = parse(raw).expect_err(raw);
            assert_eq!(e.field, Some("unit"));
        }
    }

    #[test]
    fn a_room_alone_or_building_and_room_is_a_partial_address() {
        let p = |b: Option<&str>, r: &str| Some(PartialUnit { building: b.map(str::to_string), room: r.into() });
        assert_eq!(parse_partial("1502"), p(None, "1502"));
        assert_eq!(parse_partial("101"), p(None, "101"));
        assert_eq!(parse_partial("3号楼1502"), p(Some("3"), "1502"));
        assert_eq!(parse_partial("3-1502"), p(Some("3"), "1502"));
        assert_eq!(parse_partial("3栋1502室"), p(Some("3"), "1502"));
        for not in ["3-2-1502", "王芳", "13800135678", "15", "3-王芳"] {
            assert_eq!(parse_partial(not), None, "{not}");
        }
    }

    #[test]
    fn long_form_for_printing() {
        let u: UnitAddress = "3-2-1502".parse().expect("valid");
        assert_eq!(u.long_form(), "3号楼2单元1502室");
    }
}
