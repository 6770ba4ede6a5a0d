//! 操作日志的操作: every kind of line the desk writes to the audit log, with the stable code
//! stored in `audit_log.action` and the Chinese label the audit screen, the ticket's history
//! and the PIPL export show. One enum, so a new action cannot be written without a label.
//!
//! Codes are kept as they were first written (`save_staff`, and the follow-up kinds'
//! `SiteVisit` / `Feedback`), because the log is append-only and old lines must still read.

use crate::repair::FollowUpKind;

macro_rules! audit_actions {
    ($($v:ident => $code:literal, $label:literal;)+) => {
        /// One kind of audit line.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum AuditAction { $($v),+ }

        impl AuditAction {
            pub const ALL: &'static [AuditAction] = &[$(AuditAction::$v),+];
            /// The code stored in `audit_log.action`.
            pub fn code(self) -> &'static str { match self { $(AuditAction::$v => $code),+ } }
            /// What the audit screen calls it.
            pub fn label(self) -> &'static str { match self { $(AuditAction::$v => $label),+ } }
            /// The action of a stored code (exact).
            pub fn from_code(s: &str) -> Option<AuditAction> { Self::ALL.iter().copied().find(|a| a.code() == s) }
        }
    };
}

audit_actions! {
    SignIn => "sign_in", "验证 PIN / 登录";
    SignInFailed => "sign_in_failed", "PIN 错误";
    PrintFullPhone => "print_full_phone", "打印完整电话";
    CreateFirstDirector => "create_first_director", "建立首个主任账号";
    SaveStaff => "save_staff", "员工账号";
    SaveProject => "save_project", "项目资料";
    SaveBatch => "save_batch", "批次资料";
    SaveUnit => "save_unit", "房屋与业主";
    SaveContractor => "save_contractor", "单位资料";
    ChooseProject => "choose_project", "切换项目";
    ImportRoster => "import_roster", "导入房屋业主名册";
    Intake => "intake", "登记报修";
    Contact => "contact", "联系业主";
    Classify => "classify", "分类";
    Assign => "assign", "指定管家";
    Status => "status", "状态变更";
    Photo => "photo", "添加照片";
    Dispatch => "dispatch", "签发调度单";
    Arrival => "arrival", "到场登记";
    SiteVisit => "SiteVisit", "管家现场巡视";
    Feedback => "Feedback", "向业主反馈进度";
    Finish => "finish", "维修完成";
    Recheck => "recheck", "管家复检";
    Accept => "accept", "验收";
    Notice => "notice", "完工通知";
    Visit => "visit", "维修回访";
    Hold => "hold", "暂停/恢复计时";
    Escalate => "escalate", "上报项目总经理";
    Acknowledge => "acknowledge", "确认上报事项";
    Settings => "settings", "修改设置";
    Export => "export", "导出";
    ExportOwnerData => "export_owner_data", "导出业主个人信息";
    BackupSettings => "backup_settings", "备份设置";
    Backup => "backup", "手动备份";
    ExportF03 => "export_f03", "导出工作日报 F03";
    Restore => "restore", "从备份恢复";
    ImportLedger => "import_ledger", "导入保修金台账";
    AddLedgerEntry => "add_ledger_entry", "登记保修金";
    ReverseLedgerEntry => "reverse_ledger_entry", "冲销保修金";
    ConfirmBuilderAlias => "confirm_builder_alias", "确认施工单位别名";
    SaveReconciliation => "save_reconciliation", "保修金对账";
    Commission => "commission", "委托专业公司维修";
    CommissionConfirm => "commission_confirm", "确认委托维修合格";
    CountersignRoles => "countersign_roles", "设置会签人";
    PaymentSubmit => "payment_submit", "登记付款申请";
    PaymentReview => "payment_review", "审核付款申请";
    PaymentCountersign => "payment_countersign", "会签付款申请";
    PaymentPay => "payment_pay", "财务付款";
    ExportLedger => "export_ledger", "导出保修金台账";
    MarkF03Sent => "mark_f03_sent", "登记工作日报已发送";
    PromiseCompletion => "promise_completion", "登记承诺完成时间";
    Reopen => "reopen", "重新打开报修单";
    ChangePhone => "change_phone", "业主电话变更";
    CsDepartment => "cs_department", "客户服务部反馈";
    ReleaseApply => "release_apply", "登记保修金退还申请";
    ReleaseInspect => "release_inspect", "保修金退还检查";
    ReleaseDecide => "release_decide", "决定保修金退还";
    ReleasePay => "release_pay", "保修金退还付款";
    DeveloperCost => "developer_cost", "登记开发商承担的维修费用";
    MajorMatter => "major_matter", "标记重大事项并上报";
    MajorOpinion => "major_opinion", "登记重大事项处理意见";
    Complaint => "complaint", "登记越级投诉";
    ComplaintFollowUp => "complaint_follow_up", "跟进越级投诉";
    ComplaintClose => "complaint_close", "关闭越级投诉";
    HandOver => "hand_over", "移交物业或地产客服";
    HandOverFollowUp => "hand_over_follow_up", "跟进移交事项";
    HandOverAnswer => "hand_over_answer", "登记移交事项答复";
    SurveyBook => "survey_book", "约定现场勘查";
    SurveyRecord => "survey_record", "登记勘查情况和方案";
    SurveyReport => "survey_report", "复杂维修方案汇报项目部";
    SurveyAnswer => "survey_answer", "登记项目部对方案的答复";
    CompensationOpen => "compensation_open", "登记业主赔偿诉求并上报";
    CompensationCs => "compensation_cs", "赔偿事项通报客户服务部";
    CompensationRound => "compensation_round", "赔偿协商记录";
    CompensationAgree => "compensation_agree", "登记赔偿协议";
    CompensationClose => "compensation_close", "赔偿事项不予赔偿结案";
}

impl AuditAction {
    /// The line a follow-up recorded on its own writes (site visits and progress feedback; the
    /// other kinds have their own step: re-check, notice, return visit).
    pub fn of_followup(kind: FollowUpKind) -> AuditAction {
        match kind {
            FollowUpKind::SiteVisit => AuditAction::SiteVisit,
            FollowUpKind::Feedback => AuditAction::Feedback,
            FollowUpKind::Recheck => AuditAction::Recheck,
            FollowUpKind::CompletionNotice => AuditAction::Notice,
            FollowUpKind::ReturnVisit => AuditAction::Visit,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_labels_are_unique_and_read_back() {
        let mut codes: Vec<&str> = AuditAction::ALL.iter().map(|a| a.code()).collect();
        let mut labels: Vec<&str> = AuditAction::ALL.iter().map(|a| a.label()).collect();
        codes.sort();
        codes.dedup();
        labels.sort();
        labels.dedup();
        assert_eq!(codes.len(), AuditAction::ALL.len());
        assert_eq!(labels.len(), AuditAction::ALL.len());
        for a in AuditAction::ALL {
            assert_eq!(AuditAction::from_code(a.code()), Some(*a));
            assert!(!a.label().is_ascii(), "{a:?} has no Chinese label");
        }
        assert_eq!(AuditAction::from_code("登记报修"), None);
    }

    #[test]
    fn a_followup_keeps_the_code_it_was_always_written_with() {
        assert_eq!(AuditAction::of_followup(FollowUpKind::SiteVisit).code(), FollowUpKind::SiteVisit.code());
        assert_eq!(AuditAction::of_followup(FollowUpKind::Feedback).code(), FollowUpKind::Feedback.code());
    }
}
