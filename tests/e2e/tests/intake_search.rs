//! The caller search cannot file a report under the wrong owner or unit: a new search empties
//! the caller part of the form, the owner the name matched is the one filled in, a partial
//! address lists the candidate units, and leaving a half-filled intake asks first.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failure should stop the test loudly

mod common;

use common::{App, ENTER};
use desk_service::Desk;
use std::collections::BTreeMap;

const DOWN: &str = "\u{E015}";
const F4: &str = "\u{E034}";

/// The demo's owner name shared by the most units (at least 3), with those units' addresses.
fn name_on_several_units(app: &App) -> (String, Vec<String>) {
    let desk = Desk::open(app.data.path()).expect("demo database opens");
    let project = desk.projects().expect("projects").remove(0);
    let mut by_name: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut after = None;
    loop {
        let page = desk.units(project.id, None, after).expect("units");
        let Some(last) = page.last() else { break };
        after = Some(last.id);
        for u in &page {
            for o in &u.owners {
                by_name.entry(o.name.clone()).or_default().push(u.address.clone());
            }
        }
    }
    let (name, units) = by_name.into_iter().max_by_key(|(_, u)| u.len()).expect("the demo has owners");
    assert!(units.len() >= 3, "the demo has a name on several units ({name}: {units:?})");
    (name, units)
}

fn value(v: Option<String>) -> String {
    v.unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_name_on_several_units_files_the_report_under_the_unit_and_owner_chosen() {
    let app = App::start(4800).await;
    let (name, _) = name_on_several_units(&app);
    app.wait_text("#current-user", "李静").await;
    app.click("#nav-intake").await;

    // The previous caller, found by unit, fills the form...
    app.type_in("#lookup-input", &format!("6-3-1801{ENTER}")).await;
    app.wait_text("#lookup-results", "6-3-1801").await;
    assert_eq!(value(app.el("#intake-unit").await.prop("value").await.unwrap()), "6-3-1801");

    // ...and a new search by name empties it before anything is chosen.
    app.type_in("#lookup-input", &format!("{name}{ENTER}")).await;
    app.wait_text("#lookup-hint", "用 ↑/↓ 选择").await;
    assert_eq!(value(app.el("#intake-unit").await.prop("value").await.unwrap()), "", "the previous caller's unit is gone");
    assert_eq!(value(app.el("#intake-owner").await.prop("value").await.unwrap()), "", "the previous caller's owner is gone");
    assert_eq!(value(app.el("#intake-phone").await.prop("value").await.unwrap()), "", "the previous caller's phone is gone");

    // ↓ then Enter chooses the second unit of the list; the owner filled in is the one named.
    let shown: Vec<String> = {
        let v = app.client.execute("return [...document.querySelectorAll('#lookup-results .unit-address')].map(e => e.innerText)", vec![]).await.unwrap();
        v.as_array().unwrap().iter().map(|x| x.as_str().unwrap().to_string()).collect()
    };
    assert!(shown.len() >= 3, "the name lists its units: {shown:?}");
    let lookup = app.el("#lookup-input").await;
    lookup.send_keys(&format!("{DOWN}{ENTER}")).await.unwrap();
    let target = shown[1].clone();
    app.wait_text("#unit-history-title", &target).await;
    assert_eq!(value(app.el("#intake-unit").await.prop("value").await.unwrap()), target);
    let owner = value(app.el("#intake-owner").await.prop("value").await.unwrap());
    assert!(owner.starts_with(&name), "the matched owner ({name}) is filled in, not a co-owner: {owner}");
    let history = app.text_of("#unit-history").await.unwrap_or_default();
    for other in shown.iter().filter(|a| **a != target) {
        assert!(!history.contains(other.as_str()), "the history is the chosen unit's only ({other} shown)");
    }
    app.screenshot("intake-chosen").await;

    app.type_in("#intake-part-0", "厨房").await;
    app.type_in("#intake-desc-0", "厨房水槽下水管漏水").await;
    app.click("#intake-submit").await;
    let created = app.wait_text(".created", "BX-").await;
    let no = created.split_whitespace().find(|w| w.starts_with("BX-")).expect("a ticket number").to_string();

    let desk = Desk::open(app.data.path()).expect("opens beside the app");
    let t = desk.ticket(&no).expect("the ticket is saved");
    assert_eq!(t.unit, target, "the ticket is on the unit chosen");
    assert_eq!(t.owner, owner, "and under the owner chosen");
    let chosen = desk.unit(t.unit_id).expect("the unit");
    let owner_id = t.owner_id.expect("the owner record is linked");
    assert!(chosen.owners.iter().any(|o| o.id == owner_id && o.name == owner), "the owner is that unit's");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_room_number_alone_or_with_its_building_lists_the_candidate_units() {
    let app = App::start(4810).await;
    app.wait_text("#current-user", "李静").await;
    app.click("#nav-intake").await;

    app.type_in("#lookup-input", &format!("1502{ENTER}")).await;
    let all = app.wait_text("#lookup-results", "6-3-1502").await;
    for a in ["1-1-1502", "3-2-1502", "5-1-1502"] {
        assert!(all.contains(a), "1502 lists {a}: {all}");
    }
    assert_eq!(value(app.el("#intake-unit").await.prop("value").await.unwrap()), "", "several candidates: none is taken for the caller");

    app.type_in("#lookup-input", &format!("3号楼1502{ENTER}")).await;
    let b3 = app.wait_text("#lookup-results", "3-3-1502").await;
    assert!(b3.contains("3-1-1502") && b3.contains("3-2-1502"), "{b3}");
    assert!(!b3.contains("1-1-1502"), "only building 3: {b3}");

    app.type_in("#lookup-input", &format!("4-1502{ENTER}")).await;
    let b4 = app.wait_text("#lookup-results", "4-1-1502").await;
    assert!(!b4.contains("3-1-1502"), "only building 4: {b4}");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn f4_in_the_middle_of_a_call_asks_before_the_typed_intake_is_lost() {
    let app = App::start(4820).await;
    app.wait_text("#current-user", "李静").await;
    app.click("#nav-intake").await;
    app.type_in("#intake-desc-0", "阳台推拉门关不上").await;

    let desc = app.el("#intake-desc-0").await;
    desc.send_keys(F4).await.unwrap();
    app.wait_text(".el-message-box", "还没有保存").await;
    app.click(".leave-cancel").await;
    // Still on intake, with the text kept.
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    assert_eq!(value(app.el("#intake-desc-0").await.prop("value").await.unwrap()), "阳台推拉门关不上");

    app.el("#intake-desc-0").await.send_keys(F4).await.unwrap();
    app.wait_text(".el-message-box", "还没有保存").await;
    app.click(".leave-confirm").await;
    app.el("#today-refresh").await;

    // An empty form leaves without a question.
    app.click("#nav-intake").await;
    app.el("#lookup-input").await.send_keys(F4).await.unwrap();
    app.el("#today-refresh").await;
    app.stop().await;
}
