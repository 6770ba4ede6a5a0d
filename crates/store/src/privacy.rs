//! Personal data of one owner, gathered for a PIPL request (个人信息查阅、复制): which unit the
//! owner record belongs to, and the other units the same person owns (same name and a shared
//! phone number — the desk keeps one owner record per unit).

use crate::Db;
use crate::{Result, StoreError};
use desk_domain::records::OwnerRecord;
use rusqlite::OptionalExtension;

/// The owner record with this id.
pub fn owner(c: &Db, owner_id: i64) -> Result<OwnerRecord> {
    let unit_id: i64 =
        c.query_row("SELECT unit_id FROM owner WHERE id = ?1", [owner_id], |r| r.get(0)).optional()?.ok_or_else(|| StoreError::not_found("业主"))?;
    crate::master::owners_of_unit(c, unit_id)?.into_iter().find(|o| o.id == owner_id).ok_or_else(|| StoreError::not_found("业主"))
}

/// Owner records of the same person: same name and at least one phone in common (the record
/// itself included), ordered by id.
pub fn same_person(c: &Db, o: &OwnerRecord) -> Result<Vec<OwnerRecord>> {
    let mut stmt = c.prepare_cached(
        "SELECT DISTINCT o.unit_id FROM owner o JOIN owner_phone p ON p.owner_id = o.id
         WHERE o.name = ?1 AND p.phone = ?2",
    )?;
    let mut units: Vec<i64> = vec![o.unit_id];
    for phone in &o.phones {
        let rows = stmt.query_map(rusqlite::params![o.name, phone], |r| r.get::<_, i64>(0))?;
        for u in rows {
            let u = u?;
            if !units.contains(&u) {
                units.push(u);
            }
        }
    }
    let mut out = Vec::new();
    for u in units {
        for other in crate::master::owners_of_unit(c, u)? {
            let shares = other.id == o.id || (other.name == o.name && other.phones.iter().any(|p| o.phones.contains(p)));
            if shares {
                out.push(other);
            }
        }
    }
    out.sort_by_key(|x| x.id);
    Ok(out)
}
