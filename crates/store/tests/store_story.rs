//! The store's promises, one story: migrations, refusing what it must refuse, the append-only
//! audit log, and the bigram search that finds two-character Chinese words.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use desk_domain::audit::AuditAction;
use desk_domain::search::classify;
use desk_domain::staff::Role;
use desk_domain::ticket::{Category, Channel, DefectNature, TicketStatus};
use desk_domain::unit::UnitAddress;
use desk_store::tickets::{self, ListQuery, NewTicket};
use desk_store::{audit, master, migrate, staff, Store, StoreError};

fn seed(store: &mut Store, descriptions: &[&str]) -> Vec<i64> {
    store
        .with_tx(|tx| -> Result<Vec<i64>, StoreError> {
            let p = master::insert_project(tx, "测试项目", "T", "", 0)?;
            let b = master::insert_batch(tx, p, "一期", None, None)?;
            let s = staff::insert(tx, "前台", Role::FrontDesk, "x", "")?;
            let a = UnitAddress { building: "3".into(), entrance: "2".into(), room: "1502".into() };
            let u = master::insert_unit(tx, p, b, &a, None)?;
            let r = tickets::insert_report(
                tx,
                &tickets::NewReport { channel: Channel::Phone, reported_at: 0, caller_name: "", caller_phone: "", caller_relation: "", receptionist_id: s },
            )?;
            let mut ids = Vec::new();
            for (i, d) in descriptions.iter().enumerate() {
                let no = format!("BX-2026-{:06}", i + 1);
                ids.push(tickets::insert(
                    tx,
                    &NewTicket {
                        no: &no,
                        report_id: r,
                        project_id: p,
                        unit_id: u,
                        building: "3",
                        unit_address: "3-2-1502",
                        owner_id: None,
                        owner_name: "王芳",
                        phone: "13800135678",
                        phone_suffix: "5678",
                        channel: Channel::Phone,
                        description: d,
                        part: "卫生间",
                        category: Category::Leak,
                        nature: DefectNature::HouseQuality,
                        classification: None,
                        status: TicketStatus::Reported,
                        reported_at: i as i64,
                        required_by: None,
                        expected_visit: "",
                        receptionist_id: s,
                        steward_id: None,
                        linked_to: None,
                        now: 0,
                    },
                )?);
            }
            Ok(ids)
        })
        .unwrap()
}

fn search(store: &Store, q: &str) -> Vec<String> {
    let q = ListQuery { status: None, steward_id: None, building: None, category: None, search: classify(q), only_ids: None, before_id: None, limit: 50 };
    tickets::list(&store.reader().unwrap().db(), &q).unwrap().into_iter().map(|t| t.description).collect()
}

#[test]
fn two_character_words_names_and_substrings_are_found_and_absent_words_are_not() {
    let mut store = Store::open_in_memory().unwrap();
    seed(&mut store, &["卫生间地面渗漏", "客厅墙面开裂", "门窗关闭不严，五金件松动"]);
    assert_eq!(search(&store, "地面"), vec!["卫生间地面渗漏"]);
    assert_eq!(search(&store, "渗漏").len(), 3, "the category label (all 渗漏 here) is searchable too");
    assert_eq!(search(&store, "墙面开裂"), vec!["客厅墙面开裂"]);
    assert_eq!(search(&store, "五金"), vec!["门窗关闭不严，五金件松动"]);
    assert_eq!(search(&store, "动"), vec!["门窗关闭不严，五金件松动"], "a single character at the end of a text is found");
    assert_eq!(search(&store, "王芳").len(), 3, "owner names are searchable");
    assert!(search(&store, "鹦鹉").is_empty());
    assert!(search(&store, "渗开").is_empty(), "characters must be adjacent, not just present");
}

#[test]
fn lists_page_by_keyset_newest_first_without_gaps_or_repeats() {
    let mut store = Store::open_in_memory().unwrap();
    let texts: Vec<String> = (0..120).map(|i| format!("第{i}号渗漏")).collect();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let ids = seed(&mut store, &refs);
    let mut q = ListQuery { status: None, steward_id: None, building: None, category: None, search: classify(""), only_ids: None, before_id: None, limit: 50 };
    let mut seen = Vec::new();
    loop {
        let page = tickets::list(&store.reader().unwrap().db(), &q).unwrap();
        if page.is_empty() {
            break;
        }
        q.before_id = page.last().map(|t| t.id);
        seen.extend(page.into_iter().map(|t| t.id));
    }
    let mut expected = ids.clone();
    expected.reverse();
    assert_eq!(seen, expected);
    assert_eq!(tickets::count(&store.reader().unwrap().db(), &q, 100).unwrap(), 100, "counting stops at the cap");
}

#[test]
fn the_audit_log_cannot_be_edited_or_deleted() {
    let store = Store::open_in_memory().unwrap();
    store.with_tx(|tx| audit::append(tx, chrono::Utc::now(), None, AuditAction::Intake, "ticket", 1, "受理")).unwrap();
    let upd = store.raw_sql().unwrap().execute("UPDATE audit_log SET detail = '改过'", []);
    let del = store.raw_sql().unwrap().execute("DELETE FROM audit_log", []);
    assert!(upd.unwrap_err().to_string().contains("审计记录只能追加"));
    assert!(del.unwrap_err().to_string().contains("审计记录只能追加"));
}

#[test]
fn a_database_from_a_newer_version_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db.sqlite");
    drop(Store::open(&path).unwrap());
    let c = rusqlite::Connection::open(&path).unwrap();
    c.pragma_update(None, "user_version", migrate::latest() + 1).unwrap();
    drop(c);
    let err = Store::open(&path).err().unwrap();
    assert!(matches!(err, StoreError::TooNew { .. }), "{err}");
    assert!(err.to_string().contains("更新版本"));
}

#[test]
fn a_file_that_is_not_sqlite_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db.sqlite");
    std::fs::write(&path, vec![0x50u8; 4096]).unwrap();
    let err = Store::open(&path).err().unwrap();
    assert!(matches!(err, StoreError::NotADatabase(_)), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), vec![0x50u8; 4096]);
}

#[test]
fn migrations_apply_once_and_reopen_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db.sqlite");
    drop(Store::open(&path).unwrap());
    let store = Store::open(&path).unwrap();
    let v: i64 = store.raw_sql().unwrap().query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(v, migrate::latest());
    let mode: String = store.raw_sql().unwrap().query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal");
    let sync: i64 = store.raw_sql().unwrap().query_row("PRAGMA synchronous", [], |r| r.get(0)).unwrap();
    assert_eq!(sync, 2, "synchronous=FULL: a confirmed save survives a power cut");
}

#[test]
fn a_tickets_events_come_back_in_time_order_whatever_order_they_were_written_in() {
    use desk_domain::repair::FollowUpKind;
    use desk_store::{bench_fill, clocks, contacts, from_unix};
    let mut store = Store::open_in_memory().unwrap();
    let ids = seed(&mut store, &["卫生间渗水", "厨房堵塞"]);
    store
        .with_tx(|tx| -> Result<(), StoreError> {
            // Entered late, out of order, two at the same minute (then in entry order), for two tickets interleaved.
            for (t, at) in [(ids[0], 300), (ids[1], 50), (ids[0], 100), (ids[0], 200), (ids[0], 100)] {
                contacts::insert(tx, t, at, Channel::Phone, at == 200, "", 1)?;
            }
            for (kind, at) in
                [(FollowUpKind::ReturnVisit, 900), (FollowUpKind::SiteVisit, 500), (FollowUpKind::ReturnVisit, 700), (FollowUpKind::SiteVisit, 400)]
            {
                bench_fill::followup(tx, ids[0], kind, at, 1, true, None, None)?;
            }
            for (from, until) in [(600, Some(650)), (100, Some(150))] {
                bench_fill::hold(tx, ids[0], from, until, 1)?;
            }
            Ok(())
        })
        .unwrap();
    let open = store.with_tx(|tx| clocks::open_tickets(tx, None)).unwrap();
    let f = &open.iter().find(|t| t.id == ids[0]).unwrap().facts;
    let contacts: Vec<(i64, bool)> = f.contacts.iter().map(|c| (c.at.timestamp(), c.reached)).collect();
    assert_eq!(contacts, [(100, false), (100, false), (200, true), (300, false)]);
    assert_eq!(f.site_visits, [from_unix(400), from_unix(500)]);
    assert_eq!(f.return_visits, [from_unix(700), from_unix(900)]);
    assert_eq!(f.holds.iter().map(|h| h.from.timestamp()).collect::<Vec<_>>(), [100, 600]);
    let other = &open.iter().find(|t| t.id == ids[1]).unwrap().facts;
    assert_eq!(other.contacts.len(), 1);
}

/// The window reads on pooled read-only connections while the writer goes on: each read sees
/// every write committed before it, the full-text index included (a reader opened before a
/// write must not serve a stale or "damaged" index).
#[test]
fn readers_beside_the_writer_see_each_committed_write() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("db.sqlite")).unwrap();
    seed(&mut store, &["卫生间地面渗漏"]);
    // Two readers are in the pool and have read the index before the writes below.
    {
        let (a, b) = (store.reader().unwrap(), store.reader().unwrap());
        for r in [&a, &b] {
            let q = ListQuery {
                status: None,
                steward_id: None,
                building: None,
                category: None,
                search: classify("地面"),
                only_ids: None,
                before_id: None,
                limit: 50,
            };
            assert_eq!(tickets::list(&r.db(), &q).unwrap().len(), 1);
        }
    }
    let words = ["阳台", "厨房", "外墙", "屋面", "地暖", "门窗", "电梯", "车库"];
    for (i, w) in words.iter().enumerate() {
        let text = format!("{w}渗漏第{i}处");
        store
            .with_tx(|tx| -> Result<(), StoreError> {
                let (p, u, r, s): (i64, i64, i64, i64) = (1, 1, 1, 1);
                tickets::insert(
                    tx,
                    &NewTicket {
                        no: &format!("BX-2026-9{i:05}"),
                        report_id: r,
                        project_id: p,
                        unit_id: u,
                        building: "3",
                        unit_address: "3-2-1502",
                        owner_id: None,
                        owner_name: "王芳",
                        phone: "13800135678",
                        phone_suffix: "5678",
                        channel: Channel::Phone,
                        description: &text,
                        part: "卫生间",
                        category: Category::Leak,
                        nature: DefectNature::HouseQuality,
                        classification: None,
                        status: TicketStatus::Reported,
                        reported_at: 100 + i as i64,
                        required_by: None,
                        expected_visit: "",
                        receptionist_id: s,
                        steward_id: None,
                        linked_to: None,
                        now: 0,
                    },
                )?;
                Ok(())
            })
            .unwrap();
        assert_eq!(search(&store, w), vec![text.clone()], "a reader finds the ticket just written");
        assert_eq!(search(&store, "渗漏").len(), i + 2);
    }
    assert!(store.integrity_problems().unwrap().is_empty());
}
