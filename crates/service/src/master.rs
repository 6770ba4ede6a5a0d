//! Master data use cases: project, batches, units with owners, contractors, staff.

use crate::auth::{hash_pin, require_role};
use crate::desk::{Desk, Session};
use crate::error::{DeskError, DeskResult};
use chrono::NaiveDate;
use desk_domain::audit::AuditAction;
use desk_domain::phone::Phone;
use desk_domain::records::{Batch, Contractor, ContractorKind, Project, StaffMember, UnitRecord};
use desk_domain::staff::Role;
use desk_domain::ticket::validate_text;
use desk_domain::unit::UnitAddress;
use desk_store::{audit, master, settings, staff};
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct ProjectInput {
    pub id: Option<i64>,
    pub name: String,
    pub code: String,
    pub address: String,
}

#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct BatchInput {
    pub id: Option<i64>,
    pub project_id: i64,
    pub name: String,
    pub delivered_on: Option<NaiveDate>,
    pub completion_accepted_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct OwnerInput {
    pub id: Option<i64>,
    pub name: String,
    /// As typed: several numbers each validated.
    pub phones: Vec<String>,
    pub note: String,
}

#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct UnitInput {
    pub id: Option<i64>,
    pub project_id: i64,
    pub batch_id: i64,
    /// `3-2-1502` or `3号楼2单元1502`.
    pub address: String,
    pub area_m2: Option<f64>,
    pub owners: Vec<OwnerInput>,
}

#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct ContractorInput {
    pub id: Option<i64>,
    pub name: String,
    pub kind: ContractorKind,
    pub trade: String,
    pub contact_person: String,
    pub phone: String,
    pub active: bool,
}

#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct StaffInput {
    pub id: Option<i64>,
    pub name: String,
    pub role: Role,
    pub phone: String,
    pub active: bool,
    /// Required for a new member; for an existing one, a new PIN or nothing.
    pub pin: Option<String>,
}

const ACTIVE_PROJECT: &str = crate::settings::ACTIVE_PROJECT;

/// Validates a list of owner phones: each must be a phone; duplicates are dropped.
pub(crate) fn parse_phones(raw: &[String]) -> DeskResult<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for r in raw.iter().filter(|r| !r.trim().is_empty()) {
        let p = Phone::parse(r)?.as_str().to_string();
        if !out.contains(&p) {
            out.push(p);
        }
    }
    Ok(out)
}

impl Desk {
    pub fn projects(&self) -> DeskResult<Vec<Project>> {
        Ok(master::list_projects(&self.store.reader()?.db())?)
    }

    /// The project the desk works on: the one chosen last, or the only/first one.
    pub fn active_project(&self) -> DeskResult<Project> {
        let projects = self.projects()?;
        let chosen: Option<i64> = self.store.read(|tx| settings::get(tx, ACTIVE_PROJECT))?.and_then(|v| v.parse().ok());
        chosen
            .and_then(|id| projects.iter().find(|p| p.id == id).cloned())
            .or_else(|| projects.first().cloned())
            .ok_or_else(|| DeskError::new(crate::error::ErrorKind::NotFound, "还没有项目，请先在「基础资料」中建立项目（或运行 wdesk demo）"))
    }

    pub fn choose_project(&self, s: &Session, project_id: i64) -> DeskResult<()> {
        let at = self.now();
        self.store.with_tx(|tx| {
            settings::set(tx, ACTIVE_PROJECT, &project_id.to_string())?;
            audit::append(tx, at, Some(s.staff_id), AuditAction::ChooseProject, "project", project_id, "切换当前项目")?;
            Ok(())
        })
    }

    /// Project master data (name, code) — director only: it heads every printed form.
    pub fn save_project(&self, s: &Session, p: ProjectInput) -> DeskResult<i64> {
        require_role(s, &[Role::Director], "修改项目资料")?;
        let name = validate_text("name", "项目名称", &p.name, 60, true)?;
        let code = validate_text("code", "项目编号", &p.code, 20, false)?;
        let address = validate_text("address", "项目地址", &p.address, 120, false)?;
        let at = self.now();
        self.store.with_tx(|tx| {
            let id = match p.id {
                Some(id) => {
                    master::update_project(tx, id, &name, &code, &address)?;
                    id
                }
                None => master::insert_project(tx, &name, &code, &address, at.timestamp())?,
            };
            audit::append(tx, at, Some(s.staff_id), AuditAction::SaveProject, "project", id, &format!("项目「{name}」"))?;
            Ok(id)
        })
    }

    pub fn batches(&self, project_id: i64) -> DeskResult<Vec<Batch>> {
        Ok(master::list_batches(&self.store.reader()?.db(), project_id)?)
    }

    /// Batch dates decide every unit's warranty periods (who pays): director only.
    pub fn save_batch(&self, s: &Session, b: BatchInput) -> DeskResult<i64> {
        require_role(s, &[Role::Director], "修改批次及交付日期")?;
        let name = validate_text("name", "批次名称", &b.name, 40, true)?;
        if let (Some(d), Some(a)) = (b.delivered_on, b.completion_accepted_on) {
            if a > d {
                return Err(DeskError::invalid("completion_accepted_on", "竣工验收日期不能晚于交付日期"));
            }
        }
        let at = self.now();
        self.store.with_tx(|tx| {
            let id = match b.id {
                Some(id) => {
                    master::update_batch(tx, id, &name, b.delivered_on, b.completion_accepted_on)?;
                    id
                }
                None => master::insert_batch(tx, b.project_id, &name, b.delivered_on, b.completion_accepted_on)?,
            };
            audit::append(tx, at, Some(s.staff_id), AuditAction::SaveBatch, "batch", id, &format!("批次「{name}」"))?;
            Ok(id)
        })
    }

    pub fn buildings(&self, project_id: i64) -> DeskResult<Vec<String>> {
        Ok(master::buildings(&self.store.reader()?.db(), project_id)?)
    }

    /// Units of the master-data screen, 100 at a time after `after_id`.
    pub fn units(&self, project_id: i64, building: Option<String>, after_id: Option<i64>) -> DeskResult<Vec<UnitRecord>> {
        Ok(master::list_units(&self.store.reader()?.db(), project_id, building.as_deref(), after_id.unwrap_or(0), 100)?)
    }

    pub fn unit(&self, id: i64) -> DeskResult<UnitRecord> {
        Ok(master::get_unit(&self.store.reader()?.db(), id)?)
    }

    /// Creates or edits a unit and its owners in one step.
    pub fn save_unit(&self, s: &Session, u: UnitInput) -> DeskResult<i64> {
        let address: UnitAddress = u.address.parse()?;
        if let Some(a) = u.area_m2 {
            if !(a > 0.0 && a < 10_000.0) {
                return Err(DeskError::invalid("area_m2", "建筑面积应在 0 到 10000 平方米之间"));
            }
        }
        let mut owners = Vec::new();
        for o in &u.owners {
            let name = validate_text("owner_name", "业主姓名", &o.name, 40, true)?;
            owners.push((o.id, name, parse_phones(&o.phones)?, o.note.trim().to_string()));
        }
        let at = self.now();
        self.store.with_tx(|tx| {
            let id = match u.id {
                Some(id) => {
                    master::update_unit(tx, id, u.batch_id, u.area_m2)?;
                    id
                }
                None => master::insert_unit(tx, u.project_id, u.batch_id, &address, u.area_m2)?,
            };
            for (oid, name, phones, note) in &owners {
                match oid {
                    Some(oid) => master::update_owner(tx, *oid, name, phones, note)?,
                    None => {
                        master::insert_owner(tx, id, name, phones, note)?;
                    }
                }
            }
            audit::append(tx, at, Some(s.staff_id), AuditAction::SaveUnit, "unit", id, &format!("房屋 {address}，业主 {} 人", owners.len()))?;
            Ok(id)
        })
    }

    pub fn contractors(&self) -> DeskResult<Vec<Contractor>> {
        Ok(master::list_contractors(&self.store.reader()?.db())?)
    }

    /// Builders and maintenance firms are paid from the deposit: director only.
    pub fn save_contractor(&self, s: &Session, x: ContractorInput) -> DeskResult<i64> {
        require_role(s, &[Role::Director], "修改施工单位和维保单位资料")?;
        let name = validate_text("name", "单位名称", &x.name, 80, true)?;
        let phone = if x.phone.trim().is_empty() { String::new() } else { Phone::parse(&x.phone)?.as_str().to_string() };
        let at = self.now();
        self.store.with_tx(|tx| {
            let id = match x.id {
                Some(id) => {
                    let c = Contractor {
                        id,
                        name: name.clone(),
                        kind: x.kind,
                        trade: x.trade.trim().into(),
                        contact_person: x.contact_person.trim().into(),
                        phone: phone.clone(),
                        active: x.active,
                    };
                    master::update_contractor(tx, &c)?;
                    id
                }
                None => master::insert_contractor(tx, &name, x.kind, x.trade.trim(), x.contact_person.trim(), &phone)?,
            };
            audit::append(tx, at, Some(s.staff_id), AuditAction::SaveContractor, "contractor", id, &format!("单位「{name}」"))?;
            Ok(id)
        })
    }

    pub fn staff(&self) -> DeskResult<Vec<StaffMember>> {
        Ok(staff::list(&self.store.reader()?.db(), true)?)
    }

    /// Adds or edits a staff member. Only the director manages accounts and PINs.
    pub fn save_staff(&self, s: &Session, x: StaffInput) -> DeskResult<i64> {
        require_role(s, &[Role::Director], "管理员工账号")?;
        let name = validate_text("name", "姓名", &x.name, 20, true)?;
        let pin_hash = match (&x.pin, x.id) {
            (Some(pin), _) if !pin.is_empty() => Some(hash_pin(pin)?),
            (_, None) => return Err(DeskError::invalid("pin", "新员工须设置 PIN（4 至 8 位数字）")),
            _ => None,
        };
        let at = self.now();
        self.store.with_tx(|tx| {
            let id = match x.id {
                Some(id) => {
                    staff::update(tx, id, &name, x.role, x.phone.trim(), x.active)?;
                    id
                }
                None => staff::insert(tx, &name, x.role, pin_hash.as_deref().unwrap_or_default(), x.phone.trim())?,
            };
            if let (Some(h), Some(_)) = (&pin_hash, x.id) {
                staff::set_pin_hash(tx, id, h)?;
            }
            audit::append(tx, at, Some(s.staff_id), AuditAction::SaveStaff, "staff", id, &format!("员工「{name}」（{}）", x.role.label()))?;
            Ok(id)
        })
    }
}

impl Desk {
    /// A demo database signs in as the demo clerk by itself (README's first command).
    pub fn is_demo(&self) -> DeskResult<bool> {
        Ok(self.store.with_tx(|tx| settings::get(tx, crate::settings::DEMO))?.as_deref() == Some("1"))
    }
}
