//! Warranty coverage at the desk: is the part still under the owner's warranty, is the builder
//! still liable, and who pays (§3.1, REGULATION.md) — shown at intake and on the ticket.
//! The rules are `desk_domain::coverage`; here they get the batch's dates and the project's
//! periods (defaults from the regulations until the director changes them).

use crate::auth::require_role;
use crate::desk::{Desk, Session};
use crate::error::{DeskError, DeskResult};
use chrono::{DateTime, NaiveDate, Utc};
use desk_domain::audit::AuditAction;
use desk_domain::coverage::{classify_part, deposit_available, verdict, CoverageInput, CoverageSettings, CoverageVerdict, LiableDeposit, PartClass};
use desk_domain::staff::Role;
use desk_domain::ticket::Category;
use desk_domain::time::{local_date, parse_local};
use desk_domain::unit::UnitAddress;
use desk_store::Db;
use desk_store::{audit, clocks, liability, master, payment, settings, tickets};
use serde::Serialize;

pub use desk_store::liability::LiabilityRow;

/// The verdict with its labels, for the screen.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct CoverageView {
    pub verdict: CoverageVerdict,
    pub part_label: String,
    pub payer_label: String,
    /// The liable builder of this part class at the unit's batch (基础资料 → 责任施工单位), with
    /// its deposit on the fund; `None` when none is set.
    pub builder: Option<LiableDeposit>,
    /// The deposit can pay a hired firm for this report (balance left, inside the defect
    /// liability period).
    pub deposit_available: bool,
}

fn key(project_id: i64) -> String {
    format!("{}{project_id}", crate::settings::COVERAGE)
}

fn settings_of(c: &Db, project_id: i64) -> DeskResult<CoverageSettings> {
    crate::settings::json_or_default(c, &key(project_id))
}

fn date(s: Option<String>) -> Option<NaiveDate> {
    s.and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok())
}

/// The liable builder's deposit for `part` at the unit, as the fund holds it.
pub(crate) fn liable_deposit(c: &Db, unit_id: i64, part: PartClass) -> DeskResult<Option<LiableDeposit>> {
    Ok(liability::liable_ledger(c, unit_id, part)?.map(|l| LiableDeposit {
        ledger_id: l.id,
        builder: l.builder,
        contract_no: l.contract_no,
        liability_end: l.period_end,
        balance_fen: l.balance_fen,
    }))
}

/// The verdict for a defect at `unit_id`; `ticket_id` when it is a recorded ticket (a commission
/// on it means the builder did not perform).
#[allow(clippy::too_many_arguments)]
pub(crate) fn coverage_of(
    c: &Db,
    project_id: i64,
    unit_id: i64,
    ticket_id: Option<i64>,
    category: Category,
    part: &str,
    description: &str,
    reported: DateTime<Utc>,
) -> DeskResult<CoverageView> {
    let s = settings_of(c, project_id)?;
    let (completion, delivery) = clocks::batch_dates(c, unit_id)?;
    let class = classify_part(category, part, description);
    let reported_on = local_date(reported);
    let builder = liable_deposit(c, unit_id, class)?;
    let (available, deposit_line) = match &builder {
        Some(d) => {
            let (ok, line) = deposit_available(d, reported_on);
            (ok, Some(line))
        }
        None => (false, None),
    };
    let commissioned = match ticket_id {
        Some(id) => !payment::commissions_of_ticket(c, id)?.is_empty(),
        None => false,
    };
    let input = CoverageInput {
        part: class,
        completion_acceptance: date(completion),
        delivery: date(delivery),
        reported_on,
        builder_deposit_available: available,
        // A hired firm was commissioned: the builder did not perform.
        builder_performs: if commissioned { Some(false) } else { None },
    };
    let mut v = verdict(&input, &s);
    match deposit_line {
        Some(line) => v.explanation.insert(0, line),
        None => v
            .explanation
            .push(format!("该部位（{}）未设置责任施工单位，无法核对保修金：请保修主任在「基础资料 → 项目与批次 → 责任施工单位」中设置", class.label())),
    }
    Ok(CoverageView { part_label: v.part.label().to_string(), payer_label: v.payer.label().to_string(), verdict: v, builder, deposit_available: available })
}

impl Desk {
    /// The verdict for a defect being recorded at a unit (`3-2-1502`), reported now or at `at`.
    pub fn coverage_at_intake(&self, unit: &str, category: Category, part: &str, description: &str, at: Option<&str>) -> DeskResult<CoverageView> {
        let project = self.active_project()?;
        let address: UnitAddress = unit.parse()?;
        let reported = match at.map(str::trim).filter(|t| !t.is_empty()) {
            Some(t) => parse_local(t, "reported_at")?,
            None => self.now(),
        };
        let reader = self.store.reader()?;
        let c = &reader.db();
        let unit_id = master::find_unit(c, project.id, &address)?
            .ok_or_else(|| DeskError::invalid("unit", format!("房号「{address}」在项目「{}」中不存在", project.name)))?;
        coverage_of(c, project.id, unit_id, None, category, part, description, reported)
    }

    /// The verdict for a recorded ticket (as of its report time).
    pub fn coverage_of_ticket(&self, no: &str) -> DeskResult<CoverageView> {
        let reader = self.store.reader()?;
        let c = &reader.db();
        let id = tickets::id_by_no(c, no.trim())?;
        let d = crate::tickets::detail(c, id)?;
        let project_id: i64 = tickets::project_of(c, id)?;
        coverage_of(c, project_id, d.unit_id, Some(id), d.category, &d.part, &d.description, d.reported_at)
    }

    pub fn coverage_settings(&self, project_id: i64) -> DeskResult<CoverageSettings> {
        settings_of(&self.store.reader()?.db(), project_id)
    }

    /// The director sets the contract's periods and the local heating calendar; a period below
    /// the legal minimum is refused with the field named.
    pub fn set_coverage_settings(&self, s: &Session, project_id: i64, cs: &CoverageSettings) -> DeskResult<CoverageSettings> {
        require_role(s, &[Role::Director], "修改保修期设置")?;
        cs.check()?;
        let now = self.now();
        let json = serde_json::to_string(cs).map_err(|e| DeskError::storage(e.to_string()))?;
        self.store.with_tx(|tx| {
            master::project_exists(tx, project_id)?;
            settings::set(tx, &key(project_id), &json)?;
            audit::append(tx, now, Some(s.staff_id), AuditAction::Settings, "project", project_id, "修改保修期与采暖期设置")?;
            Ok(cs.clone())
        })
    }

    /// The liable builders of a project's batches (基础资料 → 责任施工单位).
    pub fn liabilities(&self, project_id: i64) -> DeskResult<Vec<LiabilityRow>> {
        Ok(liability::list(&self.store.reader()?.db(), project_id)?)
    }

    /// The director names the builder contract (a deposit ledger of the batch's project) liable
    /// for a part class of a batch, or for every class without its own (`part_class` `None`: the
    /// general contractor). A second builder for the same batch and class is refused.
    pub fn add_liability(&self, s: &Session, batch_id: i64, part_class: Option<PartClass>, ledger_id: i64) -> DeskResult<i64> {
        require_role(s, &[Role::Director], "设置责任施工单位")?;
        let now = self.now();
        self.store.with_tx(|tx| {
            let ledger = desk_store::fund::ledger(tx, ledger_id).map_err(|_| DeskError::invalid("ledger_id", "所选保修金台账不存在"))?;
            let batch = master::list_batches(tx, ledger.project_id)?.into_iter().find(|b| b.id == batch_id).ok_or_else(|| {
                DeskError::invalid("batch_id", format!("所选交付批次不存在，或不属于台账「{} {}」所在的项目", ledger.builder, ledger.contract_no))
            })?;
            let id = liability::insert(tx, batch_id, part_class, ledger_id).map_err(|e| DeskError::invalid("part_class", e.to_string()))?;
            let class = part_class.map_or("总包（其余各类部位）", PartClass::label);
            audit::append(
                tx,
                now,
                Some(s.staff_id),
                AuditAction::Settings,
                "batch",
                batch_id,
                &format!("责任施工单位：{} 的「{class}」由「{}」{} 负责", batch.name, ledger.builder, ledger.contract_no),
            )?;
            Ok(id)
        })
    }

    pub fn remove_liability(&self, s: &Session, id: i64) -> DeskResult<()> {
        require_role(s, &[Role::Director], "设置责任施工单位")?;
        let now = self.now();
        self.store.with_tx(|tx| {
            liability::delete(tx, id)?;
            audit::append(tx, now, Some(s.staff_id), AuditAction::Settings, "liability", id, "删除责任施工单位设置")?;
            Ok(())
        })
    }
}
