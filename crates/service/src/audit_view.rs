//! The audit log, viewable (issue 7 §6): the director reads who did what, newest first, with
//! filters by person, action and text, one keyset page at a time (never OFFSET, the log only
//! grows). Reading is itself not logged: it changes nothing, and logging every page turn would
//! drown the lines people look for.
//!
//! Actions are one enum with code and label (`desk_domain::audit::AuditAction`), read through
//! the store's typed codes: the window, the CLI and the exports show the label, never a code;
//! a code no enum knows is an error naming its line (and `wdesk check` lists it).

use crate::auth::require_role;
use crate::desk::{Desk, Session};
use crate::error::DeskResult;
use chrono::{DateTime, Utc};
use desk_domain::staff::Role;
use desk_store::audit;
use serde::{Deserialize, Serialize};

/// The audit screen's filter. `limit` is capped at [`MAX_PAGE`].
#[derive(Debug, Clone, Default, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct AuditFilter {
    /// Lines older than this id (the last line of the previous page).
    pub before_id: Option<i64>,
    pub limit: u32,
    /// One action code (`save_staff`, `export` …).
    pub action: Option<String>,
    /// The person who did it.
    pub staff_id: Option<i64>,
    /// Substring of the detail, the entity or the person's name.
    pub text: Option<String>,
}

/// One line as the audit screen shows it.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct AuditLine {
    pub id: i64,
    pub at: DateTime<Utc>,
    /// The person; `None` for lines written by the system (backups at start…).
    pub actor: Option<String>,
    pub action: String,
    pub action_label: String,
    pub entity: String,
    pub entity_label: String,
    pub entity_id: i64,
    /// The entity as a person names it (ticket number, staff name, unit address); empty when
    /// it has none, and the UI then shows the id.
    pub entity_name: String,
    pub detail: String,
}

/// A page of lines, and whether older ones exist (the "更多" button).
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct AuditPage {
    pub lines: Vec<AuditLine>,
    pub more: bool,
}

/// An action code with its Chinese label (the action filter's choices).
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct AuditAction {
    pub code: String,
    pub label: String,
}

/// The largest page the screen may ask for.
pub const MAX_PAGE: u32 = 500;

/// Chinese name of an entity kind.
pub fn entity_label(code: &str) -> &str {
    match code {
        "ticket" => "报修单",
        "unit" => "房屋",
        "owner" => "业主",
        "staff" => "员工",
        "project" => "项目",
        "batch" => "批次",
        "contractor" => "单位",
        "setting" => "设置",
        "escalation" => "上报事项",
        "payment_request" => "付款申请",
        "commission" => "委托维修",
        "ledger" | "ledger_entry" => "保修金台账",
        "daily_report" | "report" => "工作日报",
        other => other,
    }
}

impl Desk {
    /// A page of the audit log, newest first (director only: the log names every person and
    /// every owner touched).
    pub fn audit_log(&self, s: &Session, f: &AuditFilter) -> DeskResult<AuditPage> {
        require_role(s, &[Role::Director], "查看操作日志")?;
        let limit = f.limit.clamp(1, MAX_PAGE);
        let clean = |v: &Option<String>| v.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(str::to_string);
        let q = audit::AuditQuery { before_id: f.before_id, limit: limit + 1, action: clean(&f.action), actor_id: f.staff_id, text: clean(&f.text) };
        let mut entries = audit::list_filtered(&self.store.reader()?.db(), &q)?;
        let more = entries.len() > limit as usize;
        entries.truncate(limit as usize);
        let reader = self.store.reader()?;
        let c = &reader.db();
        let lines = entries
            .into_iter()
            .map(|e| -> DeskResult<AuditLine> {
                Ok(AuditLine {
                    entity_name: audit::entity_name(c, &e.entity, e.entity_id)?.unwrap_or_default(),
                    action_label: e.action_label,
                    entity_label: entity_label(&e.entity).to_string(),
                    id: e.id,
                    at: e.at,
                    actor: e.actor,
                    action: e.action,
                    entity: e.entity,
                    entity_id: e.entity_id,
                    detail: e.detail,
                })
            })
            .collect::<DeskResult<Vec<_>>>()?;
        Ok(AuditPage { lines, more })
    }

    /// The action codes present in the log with their labels (director only).
    pub fn audit_actions(&self, s: &Session) -> DeskResult<Vec<AuditAction>> {
        require_role(s, &[Role::Director], "查看操作日志")?;
        Ok(audit::actions(&self.store.reader()?.db())?.into_iter().map(|a| AuditAction { code: a.code().to_string(), label: a.label().to_string() }).collect())
    }
}
