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
        let s: String = raw.chars().map(to_half_width).filter(|c| !c.is_whitespace()).collect();
        let s = s.to_uppercase();
        // Every marker word becomes a separator; what remains must be three parts.
        let mut t = s.clone();
        for (word, sep) in [("号楼", "-"), ("栋", "-"), ("幢", "-"), ("座", "-"), ("#", "-"), ("单元", "-"), ("室", ""), ("号", "")] {
            t = t.replace(word, sep);
        }
        for sep in ['/', '_', '.', '—', '－'] {
            t = t.replace(sep, "-");
        }
        let parts: Vec<&str> = t.split('-').filter(|p| !p.is_empty()).collect();
        let ok_part = |p: &str| !p.is_empty() && p.len() <= 8 && p.chars().all(|c| c.is_ascii_alphanumeric());
        match parts.as_slice() {
            [b, e, r] if ok_part(b) && ok_part(e) && ok_part(r) => Ok(UnitAddress {
                building: strip_zeros(b),
                entrance: strip_zeros(e),
                room: (*r).to_string(),
            }),
            _ => Err(DomainError::field(
                "unit",
                format!("房号「{raw}」无法识别：请写成 楼栋-单元-房号，例如 3-2-1502 或 3号楼2单元1502"),
            )),
        }
    }
}

/// "03" and "3" are the same building; rooms keep their digits ("0502" is not "502").
fn strip_zeros(p: &str) -> String {
    let t = p.trim_start_matches('0');
    if t.is_empty() { "0".into() } else { t.to_string() }
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
        for raw in ["3-2-1502", "3号楼2单元1502", "3栋2单元1502室", "3#2-1502", " 3 - 2 - 1502 ", "３－２－１５０２", "03-02-1502", "3号楼2单元1502号"] {
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
    fn long_form_for_printing() {
        let u: UnitAddress = "3-2-1502".parse().expect("valid");
        assert_eq!(u.long_form(), "3号楼2单元1502室");
    }
}
