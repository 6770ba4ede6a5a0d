//! Contact attempts (§5.1.1 "2 小时内取得联系"; §5.1.4.2 retries): time, channel, reached or not.

use crate::Db;
use crate::{code, from_unix, Result};
use desk_domain::records::ContactAttempt;
use desk_domain::ticket::Channel;
use rusqlite::params;

pub fn insert(c: &Db, ticket_id: i64, at: i64, channel: Channel, reached: bool, note: &str, actor_id: i64) -> Result<i64> {
    c.execute(
        "INSERT INTO contact_attempt(ticket_id, at, channel, reached, note, actor_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![ticket_id, at, channel.code(), reached, note, actor_id],
    )?;
    Ok(c.last_insert_rowid())
}

pub fn list(c: &Db, ticket_id: i64) -> Result<Vec<ContactAttempt>> {
    let mut stmt = c.prepare_cached(
        "SELECT a.id, a.at, a.channel, a.reached, a.note, s.name FROM contact_attempt a JOIN staff s ON s.id = a.actor_id
         WHERE a.ticket_id = ?1 ORDER BY a.at, a.id",
    )?;
    let rows = stmt.query_map([ticket_id], |r| {
        let id: i64 = r.get(0)?;
        Ok(ContactAttempt {
            id,
            at: from_unix(r.get(1)?),
            channel: code::get(r, 2, "contact_attempt", "channel", id)?,
            reached: r.get(3)?,
            note: r.get(4)?,
            actor: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}
