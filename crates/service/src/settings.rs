//! Every setting of the desk in one place: its key, what it holds, where it is edited, what is
//! used when it is missing — and what happens when its stored value is damaged.
//!
//! A damaged value (a JSON that no longer reads, a number that is not one) is not silently
//! replaced: the use case goes on with the default (a desk that stops over a setting helps no
//! one), and [`Desk::damaged_settings`] says which setting, what is wrong and which default is in
//! use — shown on the page where that setting is edited and listed by `wdesk check`.

use crate::desk::Desk;
use crate::error::DeskResult;
use desk_domain::clock::calendar::WorkCalendar;
use desk_domain::clock::rules::DeadlineSettings;
use desk_domain::coverage::CoverageSettings;
use desk_domain::staff::Role;
use desk_store::{settings, Db};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// One setting: its key (or key prefix, for those kept per project or per file shape).
pub struct Spec {
    pub key: &'static str,
    /// `key` is a prefix followed by a project id or a file shape.
    pub prefix: bool,
    /// What it is, as the settings page names it.
    pub name: &'static str,
    /// The page where it is edited (also the `page` the UI matches its warning on).
    pub page: &'static str,
    /// What the desk uses while the stored value cannot be read.
    pub default: &'static str,
    /// Reads the stored text; `Err` says in Chinese what is wrong with it.
    check: fn(&str) -> Result<(), String>,
}

pub const DEMO: &str = "demo";
pub const ACTIVE_PROJECT: &str = "active_project_id";
pub const BACKUP_DIR: &str = "backup.dir";
pub const BACKUP_INTERVAL: &str = "backup.interval_hours";
pub const CALENDAR: &str = "clock.calendar";
pub const DEADLINES: &str = "clock.deadlines.";
pub const COVERAGE: &str = "coverage.";
pub const REPORT_RECIPIENTS: &str = "report.recipients";
pub const COUNTERSIGN_ROLES: &str = desk_domain::fund::payment::COUNTERSIGN_ROLES_KEY;
pub const LEDGER_COLUMN_MAP: &str = "ledger_column_map:";

/// Every setting the desk reads. A key not covered here is not ours and is left alone.
pub static SETTINGS: &[Spec] = &[
    Spec { key: DEMO, prefix: false, name: "演示数据标记", page: "", default: "不是演示数据", check: |v| flag(v) },
    Spec {
        key: ACTIVE_PROJECT, prefix: false, name: "当前项目", page: "基础资料 → 项目与批次", default: "第一个项目", check: |v| integer(v, 1, i64::MAX)
    },
    Spec {
        key: BACKUP_DIR, prefix: false, name: "备份位置", page: "基础资料 → 数据备份", default: "数据文件夹中的 backups", check: |_| Ok(())
    },
    Spec {
        key: BACKUP_INTERVAL, prefix: false, name: "自动备份间隔", page: "基础资料 → 数据备份", default: "每 4 小时", check: |v| integer(v, 1, 24)
    },
    Spec {
        key: CALENDAR,
        prefix: false,
        name: "工作日历",
        page: "基础资料 → 时限、日历与保修期",
        default: "默认工作时间，无节假日",
        check: |v| json::<WorkCalendar>(v),
    },
    Spec {
        key: DEADLINES,
        prefix: true,
        name: "时限设置",
        page: "基础资料 → 时限、日历与保修期",
        default: "程序文件规定的时限",
        check: |v| json::<DeadlineSettings>(v),
    },
    Spec {
        key: COVERAGE,
        prefix: true,
        name: "保修期设置",
        page: "基础资料 → 时限、日历与保修期",
        default: "法定最低保修期",
        check: |v| json::<CoverageSettings>(v),
    },
    Spec {
        key: REPORT_RECIPIENTS,
        prefix: false,
        name: "日报收件人",
        page: "工作日报 F03",
        default: "无收件人",
        check: |v| json::<crate::report::ReportRecipients>(v),
    },
    Spec {
        key: COUNTERSIGN_ROLES, prefix: false, name: "会签角色", page: "保修金 → 委托维修与付款", default: "默认会签角色", check: countersign_roles
    },
    Spec {
        key: LEDGER_COLUMN_MAP, prefix: true, name: "台账字段对应", page: "保修金 → 保修金明细账", default: "按表头自动识别", check: column_map
    },
];

/// The spec of a stored key.
pub fn spec_of(key: &str) -> Option<&'static Spec> {
    SETTINGS.iter().find(|s| if s.prefix { key.starts_with(s.key) } else { key == s.key })
}

/// A setting whose stored value cannot be read, and what the desk does meanwhile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct DamagedSetting {
    pub key: String,
    pub name: String,
    /// Where it is edited; the page shows the warning.
    pub page: String,
    pub problem: String,
    /// The sentence to show: what is damaged, what is used instead, where to fix it.
    pub message: String,
}

fn damage(spec: &Spec, key: &str, problem: String) -> DamagedSetting {
    let fix = if spec.page.is_empty() { String::new() } else { format!("请在「{}」中重新保存", spec.page) };
    DamagedSetting {
        key: key.to_string(),
        name: spec.name.to_string(),
        page: spec.page.to_string(),
        message: format!("设置「{}」（{key}）已损坏：{problem}；正在使用默认值（{}）。{fix}", spec.name, spec.default),
        problem,
    }
}

/// Checks one stored value against its spec.
pub fn check_value(key: &str, value: &str) -> Option<DamagedSetting> {
    let spec = spec_of(key)?;
    (spec.check)(value).err().map(|p| damage(spec, key, p))
}

/// A JSON setting, or its default when absent or damaged (damage is reported by
/// [`Desk::damaged_settings`], not here: reading a setting never stops a use case).
pub(crate) fn json_or_default<T: DeserializeOwned + Default>(c: &Db, key: &str) -> DeskResult<T> {
    Ok(settings::get(c, key)?.and_then(|v| serde_json::from_str(&v).ok()).unwrap_or_default())
}

/// An integer setting in `[min, max]`, or `default` when absent or damaged (reported likewise).
pub(crate) fn integer_or(c: &Db, key: &str, min: i64, max: i64, default: i64) -> DeskResult<i64> {
    Ok(settings::get(c, key)?.and_then(|v| v.trim().parse::<i64>().ok()).filter(|n| (min..=max).contains(n)).unwrap_or(default))
}

fn json<T: DeserializeOwned>(v: &str) -> Result<(), String> {
    serde_json::from_str::<T>(v).map(|_| ()).map_err(|e| format!("内容无法读取（第 {} 行第 {} 列）", e.line(), e.column()))
}

fn integer(v: &str, min: i64, max: i64) -> Result<(), String> {
    match v.trim().parse::<i64>() {
        Ok(n) if (min..=max).contains(&n) => Ok(()),
        Ok(n) => Err(format!("数值 {n} 超出允许范围")),
        Err(_) => Err(format!("「{}」不是整数", shorten(v))),
    }
}

fn flag(v: &str) -> Result<(), String> {
    if v == "1" || v == "0" {
        Ok(())
    } else {
        Err(format!("「{}」不是 0 或 1", shorten(v)))
    }
}

fn countersign_roles(v: &str) -> Result<(), String> {
    countersign_roles_of(v).map(|_| ())
}

/// The countersigning roles a stored value names, all of them or an error (never some of them).
pub(crate) fn countersign_roles_of(v: &str) -> Result<Vec<Role>, String> {
    let codes: Vec<String> = serde_json::from_str(v).map_err(|e| format!("内容无法读取（第 {} 行第 {} 列）", e.line(), e.column()))?;
    let mut roles = Vec::new();
    for c in &codes {
        roles.push(Role::parse(c).ok_or_else(|| format!("「{}」不是已知角色", shorten(c)))?);
    }
    desk_domain::fund::payment::validate_countersign_roles(&roles).map_err(|e| e.message)
}

fn column_map(v: &str) -> Result<(), String> {
    crate::fund::workbook::parse_column_map(v).map(|_| ()).map_err(|e| e.message)
}

fn shorten(v: &str) -> String {
    let mut s: String = v.chars().take(40).collect();
    if v.chars().count() > 40 {
        s.push('…');
    }
    s
}

impl Desk {
    /// Every setting whose stored value cannot be read (the desk is using its default).
    pub fn damaged_settings(&self) -> DeskResult<Vec<DamagedSetting>> {
        let all = self.store.read(settings::all)?;
        Ok(all.iter().filter_map(|(k, v)| check_value(k, v)).collect())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn every_key_has_one_spec() {
        for s in SETTINGS {
            let probe = if s.prefix { format!("{}7", s.key) } else { s.key.to_string() };
            assert_eq!(spec_of(&probe).map(|x| x.key), Some(s.key));
        }
        assert!(spec_of("someone.else").is_none());
    }

    #[test]
    fn a_damaged_value_is_named_with_the_default_in_use() {
        let d = check_value("clock.deadlines.3", "{\"contact\": ").unwrap();
        assert_eq!(d.name, "时限设置");
        assert!(d.message.contains("已损坏") && d.message.contains("程序文件规定的时限") && d.message.contains("时限、日历与保修期"), "{}", d.message);
        assert!(check_value(BACKUP_INTERVAL, "abc").is_some());
        assert!(check_value(BACKUP_INTERVAL, "99").is_some());
        assert!(check_value(COUNTERSIGN_ROLES, "[\"Janitor\"]").is_some());
    }

    #[test]
    fn sound_values_are_not_reported() {
        assert_eq!(check_value(BACKUP_INTERVAL, "4"), None);
        assert_eq!(check_value(CALENDAR, &serde_json::to_string(&WorkCalendar::default()).unwrap()), None);
        assert_eq!(check_value(DEADLINES.to_string().as_str(), &serde_json::to_string(&DeadlineSettings::default()).unwrap()), None);
        assert_eq!(check_value("coverage.1", &serde_json::to_string(&CoverageSettings::default()).unwrap()), None);
        assert_eq!(check_value(ACTIVE_PROJECT, "2"), None);
    }
}
