//! Staff members and their hashed PINs.

use crate::Db;
use crate::{code, Result, StoreError};
use desk_domain::records::StaffMember;
use desk_domain::staff::Role;
use rusqlite::{params, OptionalExtension};

pub fn insert(c: &Db, name: &str, role: Role, pin_hash: &str, phone: &str) -> Result<i64> {
    c.execute("INSERT INTO staff(name, role, pin_hash, phone) VALUES (?1, ?2, ?3, ?4)", params![name, role.code(), pin_hash, phone])
        .map_err(|e| unique_name(e, name))?;
    Ok(c.last_insert_rowid())
}

pub fn update(c: &Db, id: i64, name: &str, role: Role, phone: &str, active: bool) -> Result<()> {
    let n = c
        .execute("UPDATE staff SET name = ?2, role = ?3, phone = ?4, active = ?5 WHERE id = ?1", params![id, name, role.code(), phone, active])
        .map_err(|e| unique_name(e, name))?;
    if n == 0 {
        return Err(StoreError::not_found("员工"));
    }
    Ok(())
}

pub fn set_pin_hash(c: &Db, id: i64, pin_hash: &str) -> Result<()> {
    c.execute("UPDATE staff SET pin_hash = ?2, failed_pins = 0, locked_until = NULL WHERE id = ?1", params![id, pin_hash])?;
    Ok(())
}

pub fn list(c: &Db, include_inactive: bool) -> Result<Vec<StaffMember>> {
    let mut stmt = c.prepare_cached("SELECT id, name, role, phone, active FROM staff WHERE active = 1 OR ?1 ORDER BY id")?;
    let rows = stmt.query_map([include_inactive], row_to_member)?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

pub fn get(c: &Db, id: i64) -> Result<StaffMember> {
    c.query_row("SELECT id, name, role, phone, active FROM staff WHERE id = ?1", [id], row_to_member).optional()?.ok_or_else(|| StoreError::not_found("员工"))
}

pub fn find_by_name(c: &Db, name: &str) -> Result<Option<StaffMember>> {
    Ok(c.query_row("SELECT id, name, role, phone, active FROM staff WHERE name = ?1", [name], row_to_member).optional()?)
}

/// What sign-in needs: the hash, failed attempts so far, and the lockout end (unix seconds).
pub struct Credentials {
    pub pin_hash: String,
    pub failed_pins: i64,
    pub locked_until: Option<i64>,
}

pub fn credentials(c: &Db, id: i64) -> Result<Credentials> {
    c.query_row("SELECT pin_hash, failed_pins, locked_until FROM staff WHERE id = ?1", [id], |r| {
        Ok(Credentials { pin_hash: r.get(0)?, failed_pins: r.get(1)?, locked_until: r.get(2)? })
    })
    .optional()?
    .ok_or_else(|| StoreError::not_found("员工"))
}

pub fn record_pin_result(c: &Db, id: i64, failed_pins: i64, locked_until: Option<i64>) -> Result<()> {
    c.execute("UPDATE staff SET failed_pins = ?2, locked_until = ?3 WHERE id = ?1", params![id, failed_pins, locked_until])?;
    Ok(())
}

fn row_to_member(r: &rusqlite::Row) -> rusqlite::Result<StaffMember> {
    let id: i64 = r.get(0)?;
    Ok(StaffMember {
        id,
        name: r.get(1)?,
        // An unknown role is an error naming the row, never a guess at someone's rights.
        role: code::get(r, 2, "staff", "role", id)?,
        phone: r.get(3)?,
        active: r.get(4)?,
    })
}

fn unique_name(e: rusqlite::Error, name: &str) -> StoreError {
    if e.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation) {
        StoreError::Conflict(format!("员工姓名「{name}」已存在"))
    } else {
        e.into()
    }
}
