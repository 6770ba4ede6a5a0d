//! Master data: projects, delivery batches, units, owners with their phones, contractors.

use crate::Db;
use crate::{code, Result, StoreError};
use chrono::NaiveDate;
use desk_domain::records::{Batch, Contractor, ContractorKind, OwnerRecord, Project, UnitRecord};
use desk_domain::unit::UnitAddress;
use rusqlite::{params, OptionalExtension};

fn conflict(e: rusqlite::Error, msg: impl FnOnce() -> String) -> StoreError {
    if e.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation) {
        StoreError::Conflict(msg())
    } else {
        e.into()
    }
}

fn date(s: Option<String>) -> Option<NaiveDate> {
    s.and_then(|s| NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok())
}

// ---- projects -------------------------------------------------------------------------------

pub fn insert_project(c: &Db, name: &str, code: &str, address: &str, now: i64) -> Result<i64> {
    c.execute("INSERT INTO project(name, code, address, created_at) VALUES (?1, ?2, ?3, ?4)", params![name, code, address, now])
        .map_err(|e| conflict(e, || format!("项目「{name}」已存在")))?;
    Ok(c.last_insert_rowid())
}

pub fn update_project(c: &Db, id: i64, name: &str, code: &str, address: &str) -> Result<()> {
    let n = c
        .execute("UPDATE project SET name = ?2, code = ?3, address = ?4 WHERE id = ?1", params![id, name, code, address])
        .map_err(|e| conflict(e, || format!("项目「{name}」已存在")))?;
    if n == 0 {
        Err(StoreError::not_found("项目"))
    } else {
        Ok(())
    }
}

pub fn list_projects(c: &Db) -> Result<Vec<Project>> {
    let mut stmt = c.prepare_cached("SELECT id, name, code, address FROM project ORDER BY id")?;
    let rows = stmt.query_map([], |r| Ok(Project { id: r.get(0)?, name: r.get(1)?, code: r.get(2)?, address: r.get(3)? }))?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

// ---- batches --------------------------------------------------------------------------------

pub fn insert_batch(c: &Db, project_id: i64, name: &str, delivered_on: Option<NaiveDate>, accepted_on: Option<NaiveDate>) -> Result<i64> {
    c.execute(
        "INSERT INTO batch(project_id, name, delivered_on, completion_accepted_on) VALUES (?1, ?2, ?3, ?4)",
        params![project_id, name, delivered_on.map(|d| d.to_string()), accepted_on.map(|d| d.to_string())],
    )
    .map_err(|e| conflict(e, || format!("批次「{name}」已存在")))?;
    Ok(c.last_insert_rowid())
}

pub fn update_batch(c: &Db, id: i64, name: &str, delivered_on: Option<NaiveDate>, accepted_on: Option<NaiveDate>) -> Result<()> {
    let n = c
        .execute(
            "UPDATE batch SET name = ?2, delivered_on = ?3, completion_accepted_on = ?4 WHERE id = ?1",
            params![id, name, delivered_on.map(|d| d.to_string()), accepted_on.map(|d| d.to_string())],
        )
        .map_err(|e| conflict(e, || format!("批次「{name}」已存在")))?;
    if n == 0 {
        Err(StoreError::not_found("批次"))
    } else {
        Ok(())
    }
}

pub fn list_batches(c: &Db, project_id: i64) -> Result<Vec<Batch>> {
    let mut stmt = c.prepare_cached(
        "SELECT b.id, b.project_id, b.name, b.delivered_on, b.completion_accepted_on,
                (SELECT count(*) FROM unit u WHERE u.batch_id = b.id)
         FROM batch b WHERE b.project_id = ?1 ORDER BY b.id",
    )?;
    let rows = stmt.query_map([project_id], |r| {
        Ok(Batch {
            id: r.get(0)?,
            project_id: r.get(1)?,
            name: r.get(2)?,
            delivered_on: date(r.get(3)?),
            completion_accepted_on: date(r.get(4)?),
            unit_count: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

pub fn find_batch(c: &Db, project_id: i64, name: &str) -> Result<Option<i64>> {
    Ok(c.query_row("SELECT id FROM batch WHERE project_id = ?1 AND name = ?2", params![project_id, name], |r| r.get(0)).optional()?)
}

// ---- units and owners -----------------------------------------------------------------------

pub fn insert_unit(c: &Db, project_id: i64, batch_id: i64, a: &UnitAddress, area_m2: Option<f64>) -> Result<i64> {
    c.execute(
        "INSERT INTO unit(project_id, batch_id, building, entrance, room, area_m2) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![project_id, batch_id, a.building, a.entrance, a.room, area_m2],
    )
    .map_err(|e| conflict(e, || format!("房号「{a}」已存在")))?;
    Ok(c.last_insert_rowid())
}

pub fn update_unit(c: &Db, id: i64, batch_id: i64, area_m2: Option<f64>) -> Result<()> {
    let n = c.execute("UPDATE unit SET batch_id = ?2, area_m2 = ?3 WHERE id = ?1", params![id, batch_id, area_m2])?;
    if n == 0 {
        Err(StoreError::not_found("房屋"))
    } else {
        Ok(())
    }
}

pub fn find_unit(c: &Db, project_id: i64, a: &UnitAddress) -> Result<Option<i64>> {
    Ok(c.query_row(
        "SELECT id FROM unit WHERE project_id = ?1 AND building = ?2 AND entrance = ?3 AND room = ?4",
        params![project_id, a.building, a.entrance, a.room],
        |r| r.get(0),
    )
    .optional()?)
}

pub fn insert_owner(c: &Db, unit_id: i64, name: &str, phones: &[String], note: &str) -> Result<i64> {
    c.execute("INSERT INTO owner(unit_id, name, note) VALUES (?1, ?2, ?3)", params![unit_id, name, note])?;
    let id = c.last_insert_rowid();
    set_owner_phones(c, id, phones)?;
    Ok(id)
}

pub fn update_owner(c: &Db, id: i64, name: &str, phones: &[String], note: &str) -> Result<()> {
    let n = c.execute("UPDATE owner SET name = ?2, note = ?3 WHERE id = ?1", params![id, name, note])?;
    if n == 0 {
        return Err(StoreError::not_found("业主"));
    }
    set_owner_phones(c, id, phones)
}

/// Replaces an owner's phone list (phones arrive validated and normalised). A number marked old
/// (旧号码, §5.1.4.2) that stays in the list stays marked.
fn set_owner_phones(c: &Db, owner_id: i64, phones: &[String]) -> Result<()> {
    let (_, olds) = owner_phones(c, owner_id)?;
    write_owner_phones(c, owner_id, phones, &olds)
}

fn write_owner_phones(c: &Db, owner_id: i64, phones: &[String], olds: &[String]) -> Result<()> {
    c.execute("DELETE FROM owner_phone WHERE owner_id = ?1", [owner_id])?;
    let mut stmt = c.prepare_cached("INSERT OR IGNORE INTO owner_phone(owner_id, phone, suffix4, old) VALUES (?1, ?2, ?3, ?4)")?;
    for p in phones {
        let digits: String = p.chars().filter(|c| c.is_ascii_digit()).collect();
        let suffix = &digits[digits.len().saturating_sub(4)..];
        stmt.execute(params![owner_id, p, suffix, olds.contains(p)])?;
    }
    Ok(())
}

/// An owner's numbers in order, and those marked old.
pub fn owner_phones(c: &Db, owner_id: i64) -> Result<(Vec<String>, Vec<String>)> {
    let mut stmt = c.prepare_cached("SELECT phone, old FROM owner_phone WHERE owner_id = ?1 ORDER BY id")?;
    let rows: Vec<(String, bool)> = stmt.query_map([owner_id], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<std::result::Result<_, _>>()?;
    let olds = rows.iter().filter(|r| r.1).map(|r| r.0.clone()).collect();
    Ok((rows.into_iter().map(|r| r.0).collect(), olds))
}

/// A changed number (§5.1.4.2): the list in its new order (`desk_domain::paths::phones_after_change`),
/// `olds` marked 旧号码.
pub fn change_owner_phones(c: &Db, owner_id: i64, phones: &[String], olds: &[String]) -> Result<()> {
    write_owner_phones(c, owner_id, phones, olds)
}

pub fn owners_of_unit(c: &Db, unit_id: i64) -> Result<Vec<OwnerRecord>> {
    let mut stmt = c.prepare_cached(
        "SELECT o.id, o.unit_id, o.name, o.note, coalesce(group_concat(p.phone, ',' ORDER BY p.id), ''),
                coalesce(group_concat(CASE WHEN p.old THEN p.phone END, ',' ORDER BY p.id), '')
         FROM owner o LEFT JOIN owner_phone p ON p.owner_id = o.id
         WHERE o.unit_id = ?1 GROUP BY o.id ORDER BY o.id",
    )?;
    let rows = stmt.query_map([unit_id], |r| {
        let phones: String = r.get(4)?;
        let olds: String = r.get(5)?;
        Ok(OwnerRecord {
            old_phones: olds.split(',').filter(|s| !s.is_empty()).map(str::to_string).collect(),
            id: r.get(0)?,
            unit_id: r.get(1)?,
            name: r.get(2)?,
            note: r.get(3)?,
            phones: phones.split(',').filter(|s| !s.is_empty()).map(str::to_string).collect(),
        })
    })?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

const UNIT_SELECT: &str = "SELECT u.id, u.project_id, u.batch_id, b.name, b.delivered_on, u.building, u.entrance, u.room, u.area_m2
     FROM unit u JOIN batch b ON b.id = u.batch_id";

fn row_to_unit(r: &rusqlite::Row) -> rusqlite::Result<UnitRecord> {
    let building: String = r.get(5)?;
    let entrance: String = r.get(6)?;
    let room: String = r.get(7)?;
    Ok(UnitRecord {
        id: r.get(0)?,
        project_id: r.get(1)?,
        batch_id: r.get(2)?,
        batch_name: r.get(3)?,
        delivered_on: date(r.get(4)?),
        address: format!("{building}-{entrance}-{room}"),
        building,
        entrance,
        room,
        area_m2: r.get(8)?,
        owners: Vec::new(),
    })
}

fn with_owners(c: &Db, mut units: Vec<UnitRecord>) -> Result<Vec<UnitRecord>> {
    for u in &mut units {
        u.owners = owners_of_unit(c, u.id)?;
    }
    Ok(units)
}

pub fn get_unit(c: &Db, id: i64) -> Result<UnitRecord> {
    let u = c.query_row(&format!("{UNIT_SELECT} WHERE u.id = ?1"), [id], row_to_unit).optional()?.ok_or_else(|| StoreError::not_found("房屋"))?;
    Ok(with_owners(c, vec![u])?.remove(0))
}

/// Units whose owners have this whole phone number.
pub fn units_by_phone(c: &Db, phone: &str) -> Result<Vec<UnitRecord>> {
    units_where(c, "u.id IN (SELECT o.unit_id FROM owner o JOIN owner_phone p ON p.owner_id = o.id WHERE p.phone = ?1)", phone)
}

/// Units whose owners' phones end with these four digits.
pub fn units_by_phone_suffix(c: &Db, suffix4: &str) -> Result<Vec<UnitRecord>> {
    units_where(c, "u.id IN (SELECT o.unit_id FROM owner o JOIN owner_phone p ON p.owner_id = o.id WHERE p.suffix4 = ?1)", suffix4)
}

/// Units whose owner's name starts with the text (names are short; an index range serves it).
pub fn units_by_owner_name(c: &Db, name_prefix: &str) -> Result<Vec<UnitRecord>> {
    units_where(c, "u.id IN (SELECT o.unit_id FROM owner o WHERE o.name >= ?1 AND o.name < ?1 || x'F48FBFBF')", name_prefix)
}

/// Units of a project with this room number, in one building or in all (index `unit_room`).
pub fn units_by_room(c: &Db, project_id: i64, building: Option<&str>, room: &str) -> Result<Vec<UnitRecord>> {
    let mut stmt = c.prepare_cached(&format!(
        "{UNIT_SELECT} WHERE u.project_id = ?1 AND u.room = ?2 AND (?3 IS NULL OR u.building = ?3)
         ORDER BY u.building, u.entrance LIMIT 20"
    ))?;
    let units = stmt.query_map(params![project_id, room, building], row_to_unit)?.collect::<rusqlite::Result<Vec<_>>>()?;
    with_owners(c, units)
}

fn units_where(c: &Db, cond: &str, arg: &str) -> Result<Vec<UnitRecord>> {
    let mut stmt = c.prepare_cached(&format!("{UNIT_SELECT} WHERE {cond} ORDER BY u.building, u.entrance, u.room LIMIT 20"))?;
    let units = stmt.query_map([arg], row_to_unit)?.collect::<std::result::Result<Vec<_>, _>>()?;
    with_owners(c, units)
}

/// The unit list of the master-data screen: filtered by building, keyset-paged by id.
pub fn list_units(c: &Db, project_id: i64, building: Option<&str>, after_id: i64, limit: u32) -> Result<Vec<UnitRecord>> {
    let mut stmt =
        c.prepare_cached(&format!("{UNIT_SELECT} WHERE u.project_id = ?1 AND (?2 IS NULL OR u.building = ?2) AND u.id > ?3 ORDER BY u.id LIMIT ?4"))?;
    let units = stmt.query_map(params![project_id, building, after_id, limit], row_to_unit)?.collect::<std::result::Result<Vec<_>, _>>()?;
    with_owners(c, units)
}

pub fn buildings(c: &Db, project_id: i64) -> Result<Vec<String>> {
    let mut stmt = c.prepare_cached("SELECT DISTINCT building FROM unit WHERE project_id = ?1 ORDER BY length(building), building")?;
    let rows = stmt.query_map([project_id], |r| r.get(0))?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

// ---- contractors ----------------------------------------------------------------------------

pub fn insert_contractor(c: &Db, name: &str, kind: ContractorKind, trade: &str, person: &str, phone: &str) -> Result<i64> {
    c.execute("INSERT INTO contractor(name, kind, trade, contact_person, phone) VALUES (?1, ?2, ?3, ?4, ?5)", params![name, kind.code(), trade, person, phone])
        .map_err(|e| conflict(e, || format!("单位「{name}」已存在")))?;
    Ok(c.last_insert_rowid())
}

pub fn update_contractor(c: &Db, x: &Contractor) -> Result<()> {
    let n = c
        .execute(
            "UPDATE contractor SET name = ?2, kind = ?3, trade = ?4, contact_person = ?5, phone = ?6, active = ?7 WHERE id = ?1",
            params![x.id, x.name, x.kind.code(), x.trade, x.contact_person, x.phone, x.active],
        )
        .map_err(|e| conflict(e, || format!("单位「{}」已存在", x.name)))?;
    if n == 0 {
        Err(StoreError::not_found("单位"))
    } else {
        Ok(())
    }
}

pub fn list_contractors(c: &Db) -> Result<Vec<Contractor>> {
    let mut stmt = c.prepare_cached("SELECT id, name, kind, trade, contact_person, phone, active FROM contractor ORDER BY kind, id")?;
    let rows = stmt.query_map([], |r| {
        let id: i64 = r.get(0)?;
        Ok(Contractor {
            id,
            name: r.get(1)?,
            kind: code::get(r, 2, "contractor", "kind", id)?,
            trade: r.get(3)?,
            contact_person: r.get(4)?,
            phone: r.get(5)?,
            active: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// Refuses an unknown project id (settings are written per project).
pub fn project_exists(c: &Db, id: i64) -> Result<()> {
    let n: i64 = c.query_row("SELECT count(*) FROM project WHERE id = ?1", [id], |r| r.get(0))?;
    if n == 0 {
        return Err(crate::StoreError::not_found("项目"));
    }
    Ok(())
}
