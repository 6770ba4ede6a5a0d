//! Numbered migrations, embedded in the binary. A shipped migration is never edited, only
//! followed by a new one: [`CHECKSUMS`] records the SHA-256 of each one's SQL and a test fails
//! when a recorded text changes. The schema version lives in `PRAGMA user_version`.
//!
//! Adding a migration is two lines: its file in `MIGRATIONS`, and its checksum in `CHECKSUMS`
//! (run `cargo test -p desk-store migrate`: the failing test prints the exact line to paste).

use crate::{Result, StoreError};
use rusqlite::Connection;

/// Every migration in order; the version after applying `MIGRATIONS[i]` is `i + 1`.
pub const MIGRATIONS: &[(&str, &str)] = &[
    ("0001_foundation", include_str!("../migrations/0001_foundation.sql")),
    ("0002_repair", include_str!("../migrations/0002_repair.sql")),
    ("0003_clocks", include_str!("../migrations/0003_clocks.sql")),
    ("0004_report_day_indexes", include_str!("../migrations/0004_report_day_indexes.sql")),
    ("0005_stats", include_str!("../migrations/0005_stats.sql")),
    ("0006_fund", include_str!("../migrations/0006_fund.sql")),
    ("0007_liability", include_str!("../migrations/0007_liability.sql")),
    ("0008_unit_room", include_str!("../migrations/0008_unit_room.sql")),
    ("0009_unit_address", include_str!("../migrations/0009_unit_address.sql")),
    ("0010_codes", include_str!("../migrations/0010_codes.sql")),
    ("0011_dispatch_reason", include_str!("../migrations/0011_dispatch_reason.sql")),
    ("0012_desk_duties", include_str!("../migrations/0012_desk_duties.sql")),
    ("0013_paths", include_str!("../migrations/0013_paths.sql")),
    ("0014_matters", include_str!("../migrations/0014_matters.sql")),
    ("0015_release", include_str!("../migrations/0015_release.sql")),
    ("0016_audit_actions", include_str!("../migrations/0016_audit_actions.sql")),
    ("0018_compensation", include_str!("../migrations/0018_compensation.sql")),
    ("0019_survey", include_str!("../migrations/0019_survey.sql")),
    ("0020_audit_actions", include_str!("../migrations/0020_audit_actions.sql")),
    ("0021_not_ours", include_str!("../migrations/0021_not_ours.sql")),
    ("0022_stats_days", include_str!("../migrations/0022_stats_days.sql")),
];

/// SHA-256 of every migration's SQL with line endings normalised to LF (a Windows checkout with
/// CRLF has the same checksum), in the order of `MIGRATIONS`. Once a migration is on `main` it
/// counts as shipped and its line here never changes: a different text needs a new migration.
/// A new migration adds one line: `("<name>", "<sha256>"),` as printed by the failing test.
pub const CHECKSUMS: &[(&str, &str)] = &[
    ("0001_foundation", "bf027186b7832eefe83d2bdf8da927b31aee81ebae27400c9e13579b7f0066f7"),
    ("0002_repair", "4b4c9fa4a39941cdc2bedeae4055375948b749e7deee062fc9f022efb17653c9"),
    ("0003_clocks", "dc1baed5f7755ca7134e1448efc6b29ae835bffb1b6b64e8419abab9e9d16a42"),
    ("0004_report_day_indexes", "262e245b884fffb45035ccaa4dd45bce79d03672affa9f7c65ff84a0fa165ef5"),
    ("0005_stats", "d4f0a27fbb1993dad8e03b55e01ece26c893df879a59d969937d690bbf64f075"),
    ("0006_fund", "af6efb4c69421c9f93cdcfc443f368ddd993fa1d70a06ea72746228a7567ac9f"),
    ("0007_liability", "d9ea6b36319b11ef974f42c062600a1ea1d0202c7c13b4df2474be3fb835c1fc"),
    ("0008_unit_room", "833d7784c1594dfbf4a22cdcd3040ffcac4312077b256c2834a1449070640231"),
    ("0009_unit_address", "a79d22587e38bb1995c543cfbb24a3da4506a5011bc1654c20bc462abcd91d3b"),
    ("0010_codes", "58791913716fbff03317ca11fcd9d74fafde45128016b2f8a72900f8f2d6edd6"),
    ("0011_dispatch_reason", "347de652aa89350e62d0c0e5865ad3e7e536f11498eebb0f3ca594dcd62ea438"),
    ("0012_desk_duties", "da2afd8b692f986a291bd45659507221db0bda0300e2d64880701f25adfd51c9"),
    ("0013_paths", "e41cf8f89c6a38d4e51575d3c71907e772ff6e28192c7503deb8669e83fc0fe0"),
    ("0014_matters", "6f48e8d975cde645d741dfed84c7e311a5f12cb2880ff3d4c99c49ca884ec853"),
    ("0015_release", "575a30da6128d718f18004c27bff1492662828f196a6a29a462561bbead72d5d"),
    ("0016_audit_actions", "8891fc6d5ccc8a4f6048069de2bf75596288efa1c2ce249cc4e97ace0d76cd8f"),
    ("0018_compensation", "30f02e433eb9cf0a9f2ff7f4616db3e08b76e4ba08114ba2175147cfb11f1ab1"),
    ("0019_survey", "e2969d0ac00573f3fa6037294486baab772e8371470d83dc85c6356717db1a45"),
    ("0020_audit_actions", "3f70b77cb77a74546567dea7d01125eef80d68b92f229815a29310da9bd13572"),
    ("0021_not_ours", "d7f8e5e5c3f6d2833f76c2c5bfc8676a329400de303eff0ceb8cbec699349aa5"),
    ("0022_stats_days", "42509d878e21f9f00d5861f6500ccea091d380332aafde3f6ae66993ae98d242"),
];

/// The schema version this program writes.
pub fn latest() -> i64 {
    MIGRATIONS.len() as i64
}

/// Applies the missing migrations, each in its own transaction; refuses a newer database.
pub fn run(conn: &mut Connection) -> Result<()> {
    let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if current > latest() {
        return Err(StoreError::TooNew { found: current, supported: latest() });
    }
    for (i, (_name, sql)) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", i as i64 + 1)?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{CHECKSUMS, MIGRATIONS};
    use sha2::{Digest, Sha256};

    /// The checksum recorded in `CHECKSUMS`: SHA-256 of the text with CRLF read as LF.
    fn checksum(sql: &str) -> String {
        Sha256::digest(sql.replace("\r\n", "\n").as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
    }

    /// `0003_clocks` → `0003`: how people name a migration.
    fn number(name: &str) -> &str {
        name.split('_').next().unwrap_or(name)
    }

    /// What is wrong with the recorded checksums against the migrations, one sentence each.
    fn problems(migrations: &[(&str, &str)], recorded: &[(&str, &str)]) -> Vec<String> {
        let mut out = Vec::new();
        for (i, (name, sql)) in migrations.iter().enumerate() {
            let actual = checksum(sql);
            match recorded.get(i) {
                Some((rec_name, rec_sum)) if rec_name == name => {
                    if *rec_sum != actual {
                        out.push(format!("迁移 {} 已发布，不能修改；请新增迁移（记录的校验和 {rec_sum}，现在是 {actual}）", number(name)));
                    }
                }
                Some((rec_name, _)) => {
                    out.push(format!("迁移顺序与记录不符：第 {} 个迁移是 {name}，校验和记录的是 {rec_name}；已发布的迁移不能改名、删除或调换顺序", i + 1))
                }
                None => out.push(format!("迁移 {name} 没有记录校验和：请在 migrate.rs 的 CHECKSUMS 末尾加一行 (\"{name}\", \"{actual}\"),")),
            }
        }
        for (name, _) in recorded.iter().skip(migrations.len()) {
            out.push(format!("已发布的迁移 {name} 不见了：已发布的迁移不能删除"));
        }
        out
    }

    #[test]
    fn shipped_migrations_are_unchanged() {
        let p = problems(MIGRATIONS, CHECKSUMS);
        assert!(p.is_empty(), "{}", p.join("\n"));
    }

    #[test]
    fn an_edited_shipped_migration_is_named() {
        let edited: Vec<(&str, &str)> =
            MIGRATIONS.iter().map(|&(n, sql)| if n.starts_with("0003") { (n, "ALTER TABLE ticket ADD x;") } else { (n, sql) }).collect();
        assert_eq!(
            problems(&edited, CHECKSUMS),
            vec![format!("迁移 0003 已发布，不能修改；请新增迁移（记录的校验和 {}，现在是 {}）", CHECKSUMS[2].1, checksum("ALTER TABLE ticket ADD x;"))]
        );
    }

    #[test]
    fn a_new_migration_without_its_checksum_gets_the_line_to_add() {
        let mut more = MIGRATIONS.to_vec();
        more.push(("0099_next", "CREATE TABLE t (x);\n"));
        let p = problems(&more, CHECKSUMS);
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].contains(&format!("(\"0099_next\", \"{}\"),", checksum("CREATE TABLE t (x);\n"))), "{}", p[0]);
    }

    #[test]
    fn a_removed_or_reordered_migration_is_refused() {
        let mut fewer = MIGRATIONS.to_vec();
        fewer.remove(1);
        let p = problems(&fewer, CHECKSUMS);
        assert!(p.iter().any(|m| m.contains("迁移顺序与记录不符")), "{p:?}");
        assert!(p.iter().any(|m| m.contains("不见了")), "{p:?}");
    }

    #[test]
    fn a_windows_checkout_with_crlf_has_the_same_checksum() {
        for (name, sql) in MIGRATIONS {
            let crlf = sql.replace("\r\n", "\n").replace('\n', "\r\n");
            assert_ne!(crlf.as_str(), *sql, "{name} has no line breaks?");
            assert_eq!(checksum(&crlf), checksum(sql), "{name}");
        }
    }
}
