//! The daily report's recipients (§5.1.6.2): a fixed list the director sets, checked address by address.

use super::*;
use crate::auth::require_role;
use crate::desk::{Desk, Session};
use desk_domain::audit::AuditAction;
use desk_domain::staff::Role;
use desk_store::{audit, settings};

/// Trims, drops blanks and duplicates (case-insensitive), and refuses what is not an address.
fn clean_addresses(field: &str, what: &str, list: &[String]) -> DeskResult<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for raw in list {
        let a = raw.trim().trim_matches(|c| c == '<' || c == '>').trim();
        if a.is_empty() {
            continue;
        }
        if !is_email(a) {
            return Err(DeskError::invalid(field, format!("{what}中的「{}」不是有效的电子邮件地址（例：zhangsan@example.com）", raw.trim())));
        }
        if !out.iter().any(|x| x.eq_ignore_ascii_case(a)) {
            out.push(a.to_string());
        }
    }
    if out.len() > MAX_RECIPIENTS {
        return Err(DeskError::invalid(field, format!("{what}最多 {MAX_RECIPIENTS} 个地址（现有 {} 个）", out.len())));
    }
    Ok(out)
}

impl Desk {
    /// The recipients of the daily report (empty until the director sets them).
    pub fn report_recipients(&self) -> DeskResult<ReportRecipients> {
        self.store.read(|tx| crate::settings::json_or_default(tx, RECIPIENTS_KEY))
    }

    /// §5.1.6.2: the fixed recipient list, set by the director. Addresses are checked one by one;
    /// duplicates are dropped, and an address already in To is dropped from Cc.
    pub fn set_report_recipients(&self, s: &Session, to: Vec<String>, cc: Vec<String>) -> DeskResult<ReportRecipients> {
        require_role(s, &[Role::Director], "设置日报收件人")?;
        let to = clean_addresses("to", "收件人", &to)?;
        if to.is_empty() {
            return Err(DeskError::invalid("to", "请至少填写一个收件人（§5.1.6.2：保修中心全体、项目部全体等）"));
        }
        let cc: Vec<String> = clean_addresses("cc", "抄送", &cc)?.into_iter().filter(|c| !to.iter().any(|t| t.eq_ignore_ascii_case(c))).collect();
        let r = ReportRecipients { to, cc };
        let json = serde_json::to_string(&r).map_err(|e| DeskError::storage(e.to_string()))?;
        let now = self.now();
        self.store.with_tx(|tx| {
            settings::set(tx, RECIPIENTS_KEY, &json)?;
            audit::append(
                tx,
                now,
                Some(s.staff_id),
                AuditAction::Settings,
                "report_recipients",
                0,
                &format!("日报收件人：收件 {} 人（{}）；抄送 {} 人（{}）", r.to.len(), r.to.join("、"), r.cc.len(), r.cc.join("、")),
            )?;
            Ok(r.clone())
        })
    }
}
