//! The audit log, viewable (issue 7 §6): the director reads who did what, newest first, with
//! filters by person, action and text, one keyset page at a time (never OFFSET, the log only
//! grows). Reading is itself not logged: it changes nothing, and logging every page turn would
//! drown the lines people look for.
//!
//! Action codes become Chinese here, in one table ([`action_label`]), so the window and the CLI
//! show the same words; an unknown code (a newer feature) is shown as is.

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

/// Chinese name of an action code written by `audit::append` across the service.
pub fn action_label(code: &str) -> &str {
    match code {
        "sign_in" => "验证 PIN / 登录",
        "sign_in_failed" => "PIN 错误",
        "print_full_phone" => "打印完整电话",
        "create_first_director" => "建立首个主任账号",
        "save_staff" => "员工账号",
        "save_project" => "项目资料",
        "save_batch" => "批次资料",
        "save_unit" => "房屋与业主",
        "save_contractor" => "单位资料",
        "choose_project" => "切换项目",
        "import_roster" => "导入房屋业主名册",
        "intake" => "登记报修",
        "contact" => "联系业主",
        "classify" => "分类",
        "assign" => "指定管家",
        "status" => "状态变更",
        "photo" => "添加照片",
        "dispatch" => "签发调度单",
        "arrival" => "到场登记",
        "SiteVisit" => "管家现场巡视",
        "Feedback" => "向业主反馈进度",
        "finish" => "维修完成",
        "recheck" => "管家复检",
        "accept" => "验收",
        "notice" => "完工通知",
        "visit" => "维修回访",
        "hold" => "暂停/恢复计时",
        "escalate" => "上报项目总经理",
        "acknowledge" => "确认上报事项",
        "settings" => "修改设置",
        "export" => "导出",
        "export_owner_data" => "导出业主个人信息",
        "backup_settings" => "备份设置",
        "backup" => "手动备份",
        "export_f03" => "导出工作日报 F03",
        "restore" => "从备份恢复",
        "ticket" => "报修单",
        "import_ledger" => "导入保修金台账",
        "add_ledger_entry" => "登记保修金",
        "reverse_ledger_entry" => "冲销保修金",
        "confirm_builder_alias" => "确认施工单位别名",
        "save_reconciliation" => "保修金对账",
        "commission" => "委托专业公司维修",
        "commission_confirm" => "确认委托维修合格",
        "countersign_roles" => "设置会签人",
        "payment_submit" => "登记付款申请",
        "payment_review" => "审核付款申请",
        "payment_countersign" => "会签付款申请",
        "payment_pay" => "财务付款",
        "export_ledger" => "导出保修金台账",
        other => other,
    }
}

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
                    action_label: action_label(&e.action).to_string(),
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
        Ok(audit::actions(&self.store.reader()?.db())?
            .into_iter()
            .map(|code| AuditAction { label: action_label(&code).to_string(), code })
            .collect())
    }
}
