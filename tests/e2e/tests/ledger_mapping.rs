//! 字段对应 in the window: a ledger whose retention column is headed 保修金 (what the money is,
//! not what happens to it) previews with errors; the clerk opens the mapping, sets column D to
//! 计提/收取(贷方), re-checks, imports — and every builder shows the balance the file holds, to
//! the fen. A damaged file afterwards clears the preview and says why in Chinese.
//!
//! The native file dialog cannot be driven by WebDriver, so the test pastes the file's path into
//! the wizard's path box (as a clerk does with Explorer's "复制文件地址").

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a failure should stop it loudly

mod common;

use common::App;
use desk_domain::money::Fen;
use std::path::PathBuf;

fn corpus(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../crates/service/tests/fixtures/ledger-corpus").join(name).canonicalize().unwrap()
}

/// Pastes `path` (quoted, as Explorer copies it) into the wizard and reads it.
async fn read_file(app: &App, path: &std::path::Path) {
    app.type_in("input#ledger-path, #ledger-path input", &format!("\"{}\"", path.display())).await;
    app.click("#ledger-path-read").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_clerk_maps_a_column_imports_and_sees_the_right_balances() {
    let app = App::start(4700).await;
    app.wait_text("#current-user", "李静").await;
    let expected: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(corpus("expected_mapped.json")).unwrap()).unwrap();
    let (file, want) = expected.as_object().unwrap().iter().next().unwrap();
    assert_eq!(want["map"], "D=credit");

    app.client.execute("document.querySelector('#nav-ledger').click()", vec![]).await.unwrap();
    app.click("#ledger-import").await;
    read_file(&app, &corpus(file)).await;
    // Unmapped, the retention rows have no amount: refused row by row.
    app.wait_text("#ledger-errors", "没有金额").await;

    app.click("#ledger-mapping-toggle").await;
    let mapping = app.wait_text("#ledger-mapping", "保修金").await;
    assert!(mapping.contains("扣款"), "every column is listed with its samples: {mapping}");
    // A native <select>: choosing an option is setting its value and the change event.
    app.el(r#".map-select[data-col="D"]"#).await;
    app.client
        .execute(r#"const s=document.querySelector('.map-select[data-col="D"]'); s.value='credit'; s.dispatchEvent(new Event('change'));"#, vec![])
        .await
        .unwrap();
    app.click("#ledger-mapping-apply").await;

    // Re-checked with D = 计提: no errors, and each builder's balance as in the file.
    let first = want["builders"].as_object().unwrap().values().next().unwrap();
    app.wait_text("#ledger-builders", &Fen(first["balance"].as_i64().unwrap()).to_string()).await;
    assert!(app.text_of("#ledger-errors").await.is_none(), "no errors left after mapping");
    let shown = app.text_of("#ledger-builders").await.unwrap();
    for (builder, t) in want["builders"].as_object().unwrap() {
        for k in ["credit", "debit", "balance"] {
            let amount = Fen(t[k].as_i64().unwrap()).to_string();
            assert!(shown.contains(builder.as_str()) && shown.contains(&amount), "{builder} {k} {amount} in: {shown}");
        }
    }
    app.screenshot("ledger-mapping").await;
    app.click("#ledger-commit").await;
    app.wait_text("#ledger-done", "明细账已导入").await;
    app.click("#ledger-done button").await;

    // The ledgers list the balances that were previewed.
    let list = app.wait_text("#ledger-list", want["builders"].as_object().unwrap().keys().next().unwrap()).await;
    for (builder, t) in want["builders"].as_object().unwrap() {
        let balance = Fen(t["balance"].as_i64().unwrap()).to_string();
        assert!(list.contains(builder.as_str()) && list.contains(&balance), "{builder} {balance} in: {list}");
    }

    // In a 1280-px window the entries of a ledger show without scrolling sideways.
    app.client.set_window_size(1280, 800).await.unwrap();
    let first_builder = want["builders"].as_object().unwrap().keys().next().unwrap().clone();
    app.client
        .execute(
            "const rows=[...document.querySelectorAll('#ledger-list .el-table__body tr')];rows.find(r=>r.innerText.includes(arguments[0])).click();",
            vec![serde_json::json!(first_builder)],
        )
        .await
        .unwrap();
    app.wait_text("#ledger-entries", "计提保修金").await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let overflow = app
        .client
        .execute(
            "const t=document.querySelector('#ledger-entries'); const b=t.querySelector('.el-table__body'); return [window.innerWidth, b.offsetWidth - t.clientWidth];",
            vec![],
        )
        .await
        .unwrap();
    assert!(overflow[1].as_i64().unwrap() <= 1, "the entries table is wider than its place at width {}: {overflow}", overflow[0]);
    app.screenshot("ledger-1280").await;

    // A damaged file: a Chinese sentence in the wizard, and no preview of the previous file.
    let dir = tempfile::tempdir().unwrap();
    let whole = std::fs::read(corpus("plain.xlsx")).unwrap();
    let cut = dir.path().join("损坏的明细账.xlsx");
    std::fs::write(&cut, &whole[..whole.len() / 2]).unwrap();
    app.click("#ledger-import").await;
    read_file(&app, &cut).await;
    let said = app.wait_text("#ledger-read-error", "已损坏").await;
    assert!(!said.to_lowercase().contains("zip"), "{said}");
    assert!(app.text_of("#ledger-builders").await.is_none(), "the old preview is gone");
    app.screenshot("ledger-damaged").await;
    app.stop().await;
}

/// A file in which no header can be found: the wizard says what it looked for and shows the
/// first rows; the clerk says the file has no header, maps the three columns, re-checks and
/// imports — and the builders show the balances of the file, to the fen.
#[tokio::test(flavor = "multi_thread")]
async fn a_file_without_a_header_is_mapped_from_its_rows_and_imports() {
    let app = App::start(4971).await;
    app.wait_text("#current-user", "李静").await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("财务流水-无表头.csv");
    std::fs::write(&file, "2026-07-03,无表头测试建设公司,\"1,234.56\"\r\n2026-08-04,无表头测试建设公司,100.00\r\n2026-08-05,无表头测试安装公司,50.05\r\n")
        .unwrap();

    app.client.execute("document.querySelector('#nav-ledger').click()", vec![]).await.unwrap();
    app.click("#ledger-import").await;

    // First a file whose title names another project: 确认导入 waits for an explicit tick.
    let other = dir.path().join("别的项目.csv");
    std::fs::write(&other, "金地湖城项目保修金明细账\r\n日期,施工单位,计提\r\n2026-07-03,甲建设公司,100.00\r\n").unwrap();
    read_file(&app, &other).await;
    app.wait_text("#ledger-other-project", "金地湖城").await;
    let disabled = |app: &App| {
        let c = app.client.clone();
        async move { c.execute("return document.querySelector('#ledger-commit').disabled", vec![]).await.unwrap().as_bool().unwrap() }
    };
    assert!(disabled(&app).await, "another project named: no import without the tick");
    // The checkbox's input is hidden: a clerk clicks its label.
    app.click("#ledger-other-project .el-checkbox").await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(!disabled(&app).await, "ticked: the import may go ahead");
    // Not imported: the wizard is closed and opened again for the next file.
    app.click(".el-dialog__headerbtn").await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    app.click("#ledger-import").await;
    read_file(&app, &file).await;
    let said = app.wait_text("#ledger-no-header", "没有找到保修金明细账的表头").await;
    assert!(said.contains("无表头测试建设公司") && said.contains("这一行是表头"), "the first rows are shown: {said}");
    assert!(app.text_of("#ledger-builders").await.is_none_or(|t| !t.contains("无表头测试")), "nothing to import yet");

    app.click("#ledger-no-header-none").await;
    app.wait_text("#ledger-mapping", "1,234.56").await;
    for (col, key) in [("A", "date"), ("B", "builder"), ("C", "credit")] {
        app.el(&format!(r#".map-select[data-col="{col}"]"#)).await;
        app.client
            .execute(
                "const s=document.querySelector(`.map-select[data-col=\"${arguments[0]}\"]`); s.value=arguments[1]; s.dispatchEvent(new Event('change'));",
                vec![serde_json::json!(col), serde_json::json!(key)],
            )
            .await
            .unwrap();
    }
    app.click("#ledger-mapping-apply").await;
    let shown = app.wait_text("#ledger-builders", &Fen(133_456).to_string()).await;
    assert!(shown.contains("无表头测试安装公司") && shown.contains(&Fen(5_005).to_string()), "{shown}");
    assert!(app.text_of("#ledger-errors").await.is_none(), "no errors once mapped");
    app.screenshot("ledger-no-header-mapped").await;
    app.click("#ledger-commit").await;
    app.wait_text("#ledger-done", "明细账已导入").await;
    app.click("#ledger-done button").await;
    let list = app.wait_text("#ledger-list", "无表头测试建设公司").await;
    assert!(list.contains(&Fen(133_456).to_string()), "{list}");
    app.stop().await;
}
