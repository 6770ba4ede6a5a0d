//! Next year's working calendar from the State Council's notice (国务院办公厅关于××年部分节假日
//! 安排的通知). The desk works offline and cannot fetch it: each December the director pastes the
//! notice's lines (or types a simple list of dates), the desk reads the holiday breaks and the
//! 调休 working weekends, shows them, and the calendar of that year is replaced on saving.
//!
//! Two shapes are read, line by line:
//! * the notice itself: `二、春节：2月15日（周日）至23日（周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。`
//!   — the name before the colon, a range `…至…` (or one day) in the sentence saying 放假, every
//!   date of the sentence saying 上班; text in brackets (weekdays, lunar dates) is ignored;
//! * a list: `2027-02-06 至 2027-02-12 春节`, `2027-02-14 上班`, `2027/4/5 清明节`.
//!
//! A December date in a 元旦 line belongs to the year before (元旦 breaks can start on 30 or 31
//! December). Each refusal names the line.

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

/// One holiday break, both days included.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct HolidayBreak {
    pub name: String,
    pub first: NaiveDate,
    pub last: NaiveDate,
}

/// What a year's notice says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct HolidayNotice {
    pub year: i32,
    pub breaks: Vec<HolidayBreak>,
    /// Weekend days that are working days (调休上班).
    pub makeup_workdays: Vec<NaiveDate>,
}

/// A line the desk could not read, with its number (1-based) and the reason in Chinese.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS, thiserror::Error)]
#[ts(export)]
#[error("第 {line} 行：{message}")]
pub struct NoticeError {
    pub line: u32,
    pub message: String,
}

/// A holiday break longer than this is a typing mistake (the longest, 春节 or 国庆, is 8–9 days).
const MAX_BREAK_DAYS: i64 = 15;

#[derive(Debug, Clone, Copy)]
struct DateToken {
    year: Option<i32>,
    month: Option<u32>,
    day: u32,
}

/// Reads the notice (or list) for `year`.
pub fn parse_holiday_notice(text: &str, year: i32) -> Result<HolidayNotice, NoticeError> {
    let mut breaks = Vec::new();
    let mut makeup = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line_no = (i + 1) as u32;
        let err = |message: String| NoticeError { line: line_no, message };
        let line = strip_brackets(&normalise(raw));
        let line = line.trim();
        if line.is_empty() || !line.chars().any(|c| c.is_ascii_digit()) {
            continue; // the title, greetings, "各地区、各部门…" and blank lines
        }
        if let Some(rest) = list_line(line) {
            read_list_line(rest, year, &mut breaks, &mut makeup).map_err(err)?;
            continue;
        }
        if date_tokens(line).is_empty() {
            continue; // "现将2026年元旦、春节…通知如下": a year, but no day
        }
        let (name, body) = match line.split_once('：').or_else(|| line.split_once(':')) {
            Some((n, b)) => (clean_name(n), b),
            None => return Err(err(format!("「{}」：找不到节日名称（应写成「春节：2月6日至12日放假…」）", raw.trim()))),
        };
        let new_year_line = name.contains("元旦");
        for sentence in body.split(['。', '；', ';']) {
            let tokens = date_tokens(sentence);
            if tokens.is_empty() {
                continue;
            }
            if sentence.contains("上班") && !sentence.contains("放假") {
                let mut month = None;
                for t in tokens {
                    month = t.month.or(month);
                    let d = resolve(t, month, year, new_year_line).ok_or_else(|| err(format!("「{}」中的日期不存在", sentence.trim())))?;
                    makeup.push(d);
                }
            } else if sentence.contains("放假") || sentence.contains("休") {
                let first = tokens[0];
                let first_date = resolve(first, first.month, year, new_year_line).ok_or_else(|| err(format!("「{}」中的日期不存在", sentence.trim())))?;
                let last_date = if sentence.contains('至') && tokens.len() >= 2 {
                    let t = tokens[1];
                    let month = t.month.or(first.month);
                    // 12月31日至1月2日: the end is in the notice's year.
                    let end_year_hint = if new_year_line && month == Some(1) { Some(year) } else { None };
                    resolve(DateToken { year: t.year.or(end_year_hint), ..t }, month, year, new_year_line)
                        .ok_or_else(|| err(format!("「{}」中的日期不存在", sentence.trim())))?
                } else {
                    first_date
                };
                breaks.push(HolidayBreak { name: name.clone(), first: first_date, last: last_date });
            } else {
                return Err(err(format!("「{}」：看不出是放假还是上班", sentence.trim())));
            }
        }
    }
    let notice = HolidayNotice { year, breaks, makeup_workdays: makeup };
    check(&notice)?;
    Ok(notice)
}

/// The notice's own consistency: breaks in order and short, working weekends really weekends,
/// no day both off and on, at least one break.
fn check(n: &HolidayNotice) -> Result<(), NoticeError> {
    let fail = |message: String| Err(NoticeError { line: 0, message });
    if n.breaks.is_empty() {
        return fail(format!("没有读到 {} 年的任何放假安排", n.year));
    }
    for b in &n.breaks {
        if b.last < b.first {
            return fail(format!("{}：结束日 {} 早于开始日 {}", b.name, b.last, b.first));
        }
        if (b.last - b.first).num_days() + 1 > MAX_BREAK_DAYS {
            return fail(format!("{}：{} 至 {} 超过 {MAX_BREAK_DAYS} 天，请核对", b.name, b.first, b.last));
        }
        if b.last.year() != n.year {
            return fail(format!("{}：{} 不在 {} 年", b.name, b.last, n.year));
        }
    }
    for d in &n.makeup_workdays {
        if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
            return fail(format!("调休上班日 {d} 不是周末，本来就是工作日，请核对"));
        }
        if n.breaks.iter().any(|b| b.first <= *d && *d <= b.last) {
            return fail(format!("{d} 既是放假日又是上班日，请核对"));
        }
    }
    Ok(())
}

impl HolidayNotice {
    /// Every rest day of the notice (weekdays and weekends of each break).
    pub fn rest_days(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        self.breaks.iter().flat_map(|b| b.first.iter_days().take_while(move |d| *d <= b.last))
    }
}

/// Full-width digits and separators to ASCII (pasted from a PDF or a WeChat message).
fn normalise(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '０'..='９' => char::from_digit(c as u32 - '０' as u32, 10).unwrap_or(c),
            '－' | '／' => '-',
            '～' | '~' | '—' | '–' => '至',
            c => c,
        })
        .collect()
}

/// Drops `（周五）`, `(农历除夕)` and the like.
fn strip_brackets(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut depth = 0u32;
    for c in s.chars() {
        match c {
            '（' | '(' => depth += 1,
            '）' | ')' => depth = depth.saturating_sub(1),
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// `二、春节` → `春节`.
fn clean_name(s: &str) -> String {
    let s = s.trim();
    let s = s.split_once('、').map_or(s, |(_, rest)| rest);
    s.trim().to_string()
}

/// A list line starts with a date written with digits and separators: `2027-02-06 …`.
fn list_line(line: &str) -> Option<&str> {
    let first = line.chars().next()?;
    if first.is_ascii_digit() && (line.contains('-') || line.contains('/') || line.contains('.')) && !line.contains('：') {
        Some(line)
    } else {
        None
    }
}

fn read_list_line(line: &str, year: i32, breaks: &mut Vec<HolidayBreak>, makeup: &mut Vec<NaiveDate>) -> Result<(), String> {
    let mut dates = Vec::new();
    let mut rest = line;
    loop {
        let t = rest.trim_start();
        let end = t.find(|c: char| !(c.is_ascii_digit() || c == '-' || c == '/' || c == '.')).unwrap_or(t.len());
        if end == 0 {
            rest = t;
            break;
        }
        let d = parse_iso_like(&t[..end]).ok_or_else(|| format!("「{}」不是日期（应写成 {year}-02-06）", &t[..end]))?;
        dates.push(d);
        rest = t[end..].trim_start();
        match rest.strip_prefix('至') {
            Some(r) => rest = r,
            None => break,
        }
    }
    let label = rest.trim();
    if label.contains("上班") {
        makeup.extend(dates);
        return Ok(());
    }
    let (first, last) = match dates.as_slice() {
        [d] => (*d, *d),
        [a, b] => (*a, *b),
        _ => return Err(format!("「{line}」：一行写一天或一个「开始 至 结束」")),
    };
    let name = if label.is_empty() { "节假日".to_string() } else { label.to_string() };
    breaks.push(HolidayBreak { name, first, last });
    Ok(())
}

fn parse_iso_like(s: &str) -> Option<NaiveDate> {
    let parts: Vec<&str> = s.split(['-', '/', '.']).collect();
    match parts.as_slice() {
        [y, m, d] => NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?),
        _ => None,
    }
}

/// Every `[YYYY年][M月]D日` (or 号) in `s`, in order.
fn date_tokens(s: &str) -> Vec<DateToken> {
    let mut out = Vec::new();
    let (mut year, mut month) = (None, None);
    let mut digits = String::new();
    for c in s.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        let n: Option<u32> = digits.parse().ok();
        digits.clear();
        match (c, n) {
            ('年', Some(y)) => year = i32::try_from(y).ok(),
            ('月', Some(m)) => month = Some(m),
            ('日' | '号', Some(d)) => {
                out.push(DateToken { year, month, day: d });
                year = None;
                month = None;
            }
            _ => {
                year = None;
                month = None;
            }
        }
    }
    out
}

fn resolve(t: DateToken, month: Option<u32>, year: i32, new_year_line: bool) -> Option<NaiveDate> {
    let month = month?;
    let y = t.year.unwrap_or(if new_year_line && month == 12 { year - 1 } else { year });
    NaiveDate::from_ymd_opt(y, month, t.day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::calendar::{HOLIDAYS_2026, MAKEUP_WORKDAYS_2026};

    fn d(s: &str) -> NaiveDate {
        s.parse().expect("test date")
    }

    /// The 2026 notice as published, pasted with its title and closing lines.
    const NOTICE_2026: &str = "国务院办公厅关于2026年部分节假日安排的通知\n\
        各省、自治区、直辖市人民政府，国务院各部委、各直属机构：\n\
        经国务院批准，现将2026年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假调休日期的具体安排通知如下。\n\
        一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。\n\
        二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。\n\
        三、清明节：4月4日（周六）至6日（周一）放假，共3天。\n\
        四、劳动节：5月1日（周五）至5日（周二）放假调休，共5天。5月9日（周六）上班。\n\
        五、端午节：6月19日（周五）至21日（周日）放假，共3天。\n\
        六、中秋节：9月25日（周五）至27日（周日）放假，共3天。\n\
        七、国庆节：10月1日（周四）至7日（周三）放假调休，共7天。9月20日（周日）、10月10日（周六）上班。\n\
        节假日期间，各地区、各部门要妥善安排好值班和安全、保卫、疫情防控等工作。";

    #[test]
    fn the_2026_notice_as_published_gives_the_built_in_2026_calendar() {
        let n = parse_holiday_notice(NOTICE_2026, 2026).expect("the notice reads");
        let want: Vec<(NaiveDate, NaiveDate, String)> = HOLIDAYS_2026
            .iter()
            .map(|&((y1, m1, d1), (y2, m2, d2), name)| {
                (NaiveDate::from_ymd_opt(y1, m1, d1).expect("date"), NaiveDate::from_ymd_opt(y2, m2, d2).expect("date"), name.to_string())
            })
            .collect();
        let got: Vec<(NaiveDate, NaiveDate, String)> = n.breaks.iter().map(|b| (b.first, b.last, b.name.clone())).collect();
        assert_eq!(got, want);
        let makeup: Vec<NaiveDate> = MAKEUP_WORKDAYS_2026.iter().map(|&(y, m, dd)| NaiveDate::from_ymd_opt(y, m, dd).expect("date")).collect();
        assert_eq!(n.makeup_workdays, makeup);
        assert_eq!(n.rest_days().count(), 3 + 9 + 3 + 5 + 3 + 3 + 7);
    }

    /// (case, pasted text, expected holiday ranges, expected make-up days).
    type NoticeCase<'a> = (&'a str, &'a str, Vec<(&'a str, &'a str)>, Vec<&'a str>);

    #[test]
    fn notice_shapes_people_paste() {
        let cases: &[NoticeCase] = &[
            (
                "元旦 starting in December belongs to the year before",
                "一、元旦：12月30日（周六）至1月1日（周一）放假调休，共3天。",
                vec![("2026-12-30", "2027-01-01")],
                vec![],
            ),
            (
                "full-width digits and a combined name",
                "六、中秋节、国庆节：１０月１日至８日放假调休，共８天。９月２６日（周日）、１０月９日（周六）上班。",
                vec![("2027-10-01", "2027-10-08")],
                vec!["2027-09-26", "2027-10-09"],
            ),
            ("one day off", "五、端午节：6月9日（周三）放假，共1天。", vec![("2027-06-09", "2027-06-09")], vec![]),
            (
                "a typed list",
                "2027-02-06 至 2027-02-12 春节\n2027-02-14 上班\n2027/4/5 清明节",
                vec![("2027-02-06", "2027-02-12"), ("2027-04-05", "2027-04-05")],
                vec!["2027-02-14"],
            ),
            ("the end in another month", "二、春节：1月31日（周日）至2月6日（周六）放假调休，共7天。", vec![("2027-01-31", "2027-02-06")], vec![]),
        ];
        for (why, text, breaks, makeup) in cases {
            let n = parse_holiday_notice(text, 2027).unwrap_or_else(|e| panic!("{why}: {e}"));
            let got: Vec<(NaiveDate, NaiveDate)> = n.breaks.iter().map(|b| (b.first, b.last)).collect();
            let want: Vec<(NaiveDate, NaiveDate)> = breaks.iter().map(|(a, b)| (d(a), d(b))).collect();
            assert_eq!(got, want, "{why}");
            assert_eq!(n.makeup_workdays, makeup.iter().map(|s| d(s)).collect::<Vec<_>>(), "{why}");
        }
    }

    #[test]
    fn what_cannot_be_a_calendar_is_refused_naming_the_line() {
        let cases = [
            ("no colon, no list", "春节2月6日至12日放假", "第 1 行", "找不到节日名称"),
            ("a date that does not exist", "\n二、春节：2月30日至3月2日放假。", "第 2 行", "日期不存在"),
            ("a working day that is a weekday", "二、春节：2月6日至12日放假。2月15日（周一）上班。", "第 0 行", "不是周末"),
            ("a break of a month", "二、春节：2月1日至3月1日放假。", "第 0 行", "超过 15 天"),
            ("nothing at all", "国务院办公厅关于2027年部分节假日安排的通知", "第 0 行", "没有读到 2027 年"),
            ("a list date typed wrong", "2027-13-01 春节", "第 1 行", "不是日期"),
        ];
        for (why, text, line, reason) in cases {
            let e = parse_holiday_notice(text, 2027).expect_err(why).to_string();
            assert!(e.starts_with(line) && e.contains(reason), "{why}: {e}");
        }
    }
}
