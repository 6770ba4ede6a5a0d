//! Warranty coverage at the desk: is the part still under the owner's warranty, is the builder
//! still liable, and who pays (§3.1, REGULATION.md) — shown at intake and on the ticket.
//! The rules are `desk_domain::coverage`; here they get the batch's dates and the project's
//! periods (defaults from the regulations until the director changes them).

use crate::auth::require_role;
use crate::desk::{Desk, Session};
use crate::error::{DeskError, DeskResult};
use chrono::{DateTime, NaiveDate, Utc};
use desk_domain::coverage::{classify_part, verdict, CoverageInput, CoverageSettings, CoverageVerdict};
use desk_domain::staff::Role;
use desk_domain::ticket::Category;
use desk_domain::time::{local_date, parse_local};
use desk_domain::unit::UnitAddress;
use desk_store::{audit, clocks, master, settings, tickets};
use rusqlite::Connection;
use serde::Serialize;

/// The verdict with its labels, for the screen.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct CoverageView {
    pub verdict: CoverageVerdict,
    pub part_label: String,
    pub payer_label: String,
}

fn key(project_id: i64) -> String {
    format!("coverage.{project_id}")
}

fn settings_of(c: &Connection, project_id: i64) -> DeskResult<CoverageSettings> {
    Ok(settings::get(c, &key(project_id))?.and_then(|v| serde_json::from_str(&v).ok()).unwrap_or_default())
}

fn date(s: Option<String>) -> Option<NaiveDate> {
    s.and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok())
}

pub(crate) fn coverage_of(c: &Connection, project_id: i64, unit_id: i64, category: Category, part: &str, description: &str, reported: DateTime<Utc>) -> DeskResult<CoverageView> {
    let s = settings_of(c, project_id)?;
    let (completion, delivery) = clocks::batch_dates(c, unit_id)?;
    let input = CoverageInput {
        part: classify_part(category, part, description),
        completion_acceptance: date(completion),
        delivery: date(delivery),
        reported_on: local_date(reported),
        // The deposit ledger (fund flow) decides this once it exists for the builder; until
        // then the verdict does not promise a deduction it cannot make.
        builder_deposit_available: false,
        builder_performs: None,
    };
    let v = verdict(&input, &s);
    Ok(CoverageView { part_label: v.part.label().to_string(), payer_label: v.payer.label().to_string(), verdict: v })
}

impl Desk {
    /// The verdict for a defect being recorded at a unit (`3-2-1502`), reported now or at `at`.
    pub fn coverage_at_intake(&mut self, unit: &str, category: Category, part: &str, description: &str, at: Option<&str>) -> DeskResult<CoverageView> {
        let project = self.active_project()?;
        let address: UnitAddress = unit.parse()?;
        let reported = match at.map(str::trim).filter(|t| !t.is_empty()) {
            Some(t) => parse_local(t, "reported_at")?,
            None => self.now(),
        };
        let c = self.store.conn();
        let unit_id = master::find_unit(c, project.id, &address)?
            .ok_or_else(|| DeskError::invalid("unit", format!("房号「{address}」在项目「{}」中不存在", project.name)))?;
        coverage_of(c, project.id, unit_id, category, part, description, reported)
    }

    /// The verdict for a recorded ticket (as of its report time).
    pub fn coverage_of_ticket(&mut self, no: &str) -> DeskResult<CoverageView> {
        let c = self.store.conn();
        let id = tickets::id_by_no(c, no.trim())?;
        let d = tickets::get_detail(c, id)?;
        let project_id: i64 = tickets::project_of(c, id)?;
        coverage_of(c, project_id, d.unit_id, d.category, &d.part, &d.description, d.reported_at)
    }

    pub fn coverage_settings(&mut self, project_id: i64) -> DeskResult<CoverageSettings> {
        settings_of(self.store.conn(), project_id)
    }

    /// The director sets the contract's periods and the local heating calendar; a period below
    /// the legal minimum is refused with the field named.
    pub fn set_coverage_settings(&mut self, s: &Session, project_id: i64, cs: &CoverageSettings) -> DeskResult<CoverageSettings> {
        require_role(s, &[Role::Director], "修改保修期设置")?;
        cs.check()?;
        let now = self.now();
        let json = serde_json::to_string(cs).map_err(|e| DeskError::storage(e.to_string()))?;
        self.store.with_tx(|tx| {
            master::project_exists(tx, project_id)?;
            settings::set(tx, &key(project_id), &json)?;
            audit::append(tx, now, Some(s.staff_id), "settings", "project", project_id, "修改保修期与采暖期设置")?;
            Ok(cs.clone())
        })
    }
}
