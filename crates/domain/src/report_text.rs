//! The daily report's text rules (F03, §5.1.6), pure: phones masked in free text (the report
//! leaves the desk), out-of-scope matters sorted into the §5.1.5.3 classes, lateness and duties
//! in words, a ticket's latest step, and what counts as an e-mail address.

use crate::clock::rules::{Duty, TicketFacts};
use crate::phone::mask_phone;
use crate::time::desk_tz;
use chrono::{DateTime, Utc};

/// Masks every mobile number (11 digits starting with 1) inside free text.
pub fn mask_phones_in_text(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            let run: String = chars[start..i].iter().collect();
            if run.len() == 11 && run.starts_with('1') {
                out.push_str(&mask_phone(&run));
            } else {
                out.push_str(&run);
            }
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// §5.1.5.3: the center sorts the out-of-scope matters owners raise into classes.
pub fn classify_out_of_scope(matter: &str) -> &'static str {
    const CLASSES: &[(&str, &[&str])] = &[
        (
            "公共区域及设施（物业）",
            &[
                "路灯",
                "电梯",
                "楼道",
                "大堂",
                "车库",
                "停车",
                "车位",
                "绿化",
                "道路",
                "门禁",
                "单元门",
                "消防",
                "公共",
                "小区",
                "监控",
                "垃圾房",
                "信报箱",
                "快递柜",
                "围墙",
            ],
        ),
        ("物业服务", &["保洁", "卫生", "垃圾", "保安", "噪音", "物业费", "收费", "宠物", "秩序", "服务态度"]),
        ("业主装修及自购设备", &["装修", "家具", "家电", "空调", "热水器", "橱柜", "自装", "地板", "吊顶", "壁纸", "净水"]),
        ("市政及外部单位", &["燃气", "天然气", "自来水公司", "供电局", "停电", "停水", "网络", "宽带", "有线电视", "市政"]),
    ];
    CLASSES.iter().find(|(_, words)| words.iter().any(|w| matter.contains(w))).map(|(c, _)| *c).unwrap_or("其他")
}

/// `2 小时 5 分`, `3 天 4 小时`, `40 分钟`.
pub fn minutes_text(m: i64) -> String {
    let (d, h, min) = (m / 1440, (m % 1440) / 60, m % 60);
    if d > 0 {
        format!("{d} 天 {h} 小时")
    } else if h > 0 {
        format!("{h} 小时 {min} 分")
    } else {
        format!("{min} 分钟")
    }
}

pub fn duty_text(d: &Duty) -> String {
    let when = if d.late_by_minutes > 0 { format!("超时 {}", minutes_text(d.late_by_minutes)) } else { format!("{} 前", short_time(d.due_at)) };

    format!("{}：{when}（{}）", d.kind.label(), d.section)
}

pub fn short_time(t: DateTime<Utc>) -> String {
    t.with_timezone(&desk_tz()).format("%m-%d %H:%M").to_string()
}

/// The latest step recorded for a ticket.
pub fn latest_step(f: &TicketFacts) -> String {
    let mut steps: Vec<(DateTime<Utc>, String)> = Vec::new();
    for c in &f.contacts {
        steps.push((c.at, if c.reached { "已联系上业主".into() } else { "联系业主未接通".into() }));
    }
    for d in &f.dispatches {
        steps.push((d.issued_at, format!("已派工，预约 {}", short_time(d.appointment_at))));
        if let Some(a) = d.arrived_at {
            steps.push((a, "维修人员到场".into()));
        }
        if let Some(c) = d.completed_at {
            steps.push((c, "维修完工，待验收".into()));
        }
    }
    steps.extend(f.site_visits.iter().map(|t| (*t, "管家现场巡视".to_string())));
    steps.extend(f.feedbacks.iter().map(|x| (x.at, "已向业主反馈进度".to_string())));
    steps.extend(f.rechecks.iter().map(|t| (*t, "管家复检".to_string())));
    if let Some(a) = f.accepted_at {
        steps.push((a, "验收通过".into()));
    }
    for n in &f.completion_notices {
        steps.push((n.at, if n.reached { "已通知业主完工".into() } else { "完工通知未联系上业主".into() }));
    }
    steps.extend(f.return_visits.iter().map(|t| (*t, "已回访".to_string())));
    for h in &f.holds {
        steps.push((h.from, format!("暂停计时：{}", mask_phones_in_text(&h.reason))));
        if let Some(u) = h.until {
            steps.push((u, "恢复计时".into()));
        }
    }
    match steps.into_iter().max_by_key(|s| s.0) {
        Some((at, what)) => format!("{} {what}", short_time(at)),
        None => format!("{} 已登记", short_time(f.reported_at)),
    }
}

/// A plain e-mail address: `local@domain.tld` in ASCII.
pub fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else { return false };
    if s.len() > 254 || local.is_empty() || local.len() > 64 || domain.contains('@') {
        return false;
    }
    let local_ok = local.chars().all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~-.".contains(c))
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..");
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels
            .iter()
            .all(|l| !l.is_empty() && l.len() <= 63 && !l.starts_with('-') && !l.ends_with('-') && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        && labels.last().is_some_and(|t| t.len() >= 2 && t.chars().all(|c| c.is_ascii_alphabetic()));
    local_ok && domain_ok
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case::mobile_in_text("联系赵师傅 13900001111，单号 BX-2026-000001", "联系赵师傅 139****1111，单号 BX-2026-000001")]
    #[case::twelve_digits_is_not_a_mobile("138001380001", "138001380001")]
    #[case::glued_to_a_word("电话13800138000", "电话138****8000")]
    #[case::landline_kept("座机 0571-88886666", "座机 0571-88886666")]
    #[case::two_mobiles("13800138000/13900139000", "138****8000/139****9000")]
    fn mobile_numbers_in_free_text_are_masked_and_other_numbers_kept(#[case] text: &str, #[case] shown: &str) {
        assert_eq!(mask_phones_in_text(text), shown);
    }

    #[rstest]
    #[case::street_light("小区路灯不亮", "公共区域及设施（物业）")]
    #[case::owners_own_cabinet("自己装修的橱柜门掉了", "业主装修及自购设备")]
    #[case::noise("楼下噪音太大", "物业服务")]
    #[case::gas("燃气表漏气", "市政及外部单位")]
    #[case::other("想了解房产证办理进度", "其他")]
    fn out_of_scope_matters_are_sorted_into_classes(#[case] matter: &str, #[case] class: &str) {
        assert_eq!(classify_out_of_scope(matter), class);
    }

    #[rstest]
    #[case::plain("zhangsan@example.com")]
    #[case::dots_and_plus("bx.center+f03@cuihu-re.com.cn")]
    #[case::short("a@b.cn")]
    fn e_mail_addresses_are_accepted(#[case] a: &str) {
        assert!(is_email(a));
    }

    #[rstest]
    #[case::chinese_local_part("张三@example.com")]
    #[case::no_at("zhangsan")]
    #[case::no_domain("zhangsan@")]
    #[case::no_local_part("@example.com")]
    #[case::no_tld("a@b")]
    #[case::two_ats("a@@b.cn")]
    #[case::space("a b@c.cn")]
    #[case::label_starts_with_dash("a@-b.cn")]
    #[case::double_dot("a..b@c.cn")]
    #[case::digit_tld("a@b.c1")]
    #[case::header_injection("a@b.cn\r\nBcc: x@y.cn")]
    fn what_is_not_an_e_mail_address_is_refused(#[case] a: &str) {
        assert!(!is_email(a));
    }

    #[rstest]
    #[case::minutes(40, "40 分钟")]
    #[case::hours(125, "2 小时 5 分")]
    #[case::days(3 * 1440 + 4 * 60 + 7, "3 天 4 小时")]
    fn late_minutes_read_naturally(#[case] minutes: i64, #[case] text: &str) {
        assert_eq!(minutes_text(minutes), text);
    }
}
