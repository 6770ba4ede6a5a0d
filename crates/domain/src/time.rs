//! Time as the desk sees it: instants are UTC, shown in China Standard Time (UTC+8, no DST).
//!
//! The product serves sites in mainland China, where one time zone applies, so display and
//! parsing use a fixed +08:00 offset rather than the PC's setting (which may be wrong or UTC).

use crate::DomainError;
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};

/// China Standard Time, checked when the program is compiled (a `const`): 8 × 3600 s is well
/// inside the ±86,400 s an offset may be.
const CST: FixedOffset = match FixedOffset::east_opt(8 * 3600) {
    Some(o) => o,
    None => panic!("UTC+8 is a valid offset"),
};

/// UTC+8.
pub fn desk_tz() -> FixedOffset {
    CST
}

/// `2026-03-05 14:30`, local time.
pub fn fmt_local(t: DateTime<Utc>) -> String {
    t.with_timezone(&desk_tz()).format("%Y-%m-%d %H:%M").to_string()
}

/// The local calendar date of an instant.
pub fn local_date(t: DateTime<Utc>) -> NaiveDate {
    t.with_timezone(&desk_tz()).date_naive()
}

/// Start of a local calendar day as a UTC instant.
pub fn local_day_start(d: NaiveDate) -> DateTime<Utc> {
    let naive = d.and_hms_opt(0, 0, 0).unwrap_or_default();
    from_local_naive(naive)
}

fn from_local_naive(naive: NaiveDateTime) -> DateTime<Utc> {
    match desk_tz().from_local_datetime(&naive) {
        chrono::LocalResult::Single(t) => t.with_timezone(&Utc),
        // A fixed offset has no gaps or folds; keep a total function anyway.
        _ => Utc.from_utc_datetime(&naive),
    }
}

/// Parses a local time typed by a user or a script: `2026-03-05 14:30`, `2026-03-05T14:30:00`,
/// `2026-03-05 14:30:15`, RFC 3339 with an offset, or a date alone (midnight).
pub fn parse_local(raw: &str, field: &'static str) -> Result<DateTime<Utc>, DomainError> {
    let s = raw.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&Utc));
    }
    for fmt in ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y/%m/%d %H:%M"] {
        if let Ok(n) = NaiveDateTime::parse_from_str(s, fmt) {
            return Ok(from_local_naive(n));
        }
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Ok(local_day_start(d));
    }
    Err(DomainError::field(field, format!("时间「{raw}」无法识别，请写成 2026-03-05 14:30")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_time_is_utc_plus_8() {
        let t = parse_local("2026-03-05 14:30", "at").expect("valid");
        assert_eq!(t.to_rfc3339(), "2026-03-05T06:30:00+00:00");
        assert_eq!(fmt_local(t), "2026-03-05 14:30");
    }

    #[test]
    fn late_evening_utc_is_next_local_day() {
        let t = parse_local("2026-03-05T17:00:00Z", "at").expect("valid");
        assert_eq!(local_date(t).to_string(), "2026-03-06");
    }

    #[test]
    fn garbage_time_names_the_field() {
        let e = parse_local("明天下午", "reported_at").expect_err("garbage");
        assert_eq!(e.field, Some("reported_at"));
    }
}
