//! 工作日报 F03 in the window: the day's sections are read-only lists the director scans and
//! opens tickets from. They are plain tables drawn a hundred rows at a time (seven Element Plus
//! tables took 17 s to appear on a busy day), so this checks what the clerk relies on: the day's
//! new reports and the open tickets' progress are listed, and a row opens its ticket.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failure should stop the test loudly

mod common;

use common::App;

#[tokio::test(flavor = "multi_thread")]
async fn the_reports_sections_list_the_day_and_a_row_opens_its_ticket() {
    let app = App::start(5040).await;
    app.wait_text("#current-user", "李静").await;
    app.click("#nav-report").await;

    // The demo's morning: new reports today, and open tickets in the progress section.
    let new = app.wait_text("#report-new", "BX-").await;
    assert!(new.contains("报修编号") && new.contains("缺陷描述"), "the section has its columns: {new}");
    let figure = app.wait_text("#fig-new", "").await;
    let rows = app.client.execute("return document.querySelectorAll('#report-new tbody tr').length", vec![]).await.unwrap();
    assert_eq!(rows.as_u64().unwrap_or(0).to_string(), figure.trim(), "every new report of the day is a row (fewer than a hundred)");
    assert!(app.text_of("#report-new-more").await.is_none(), "no 显示更多 under a hundred rows");
    let progress = app.wait_text("#report-progress", "BX-").await;
    assert!(progress.contains("待办与超时"), "{progress}");
    app.screenshot("daily-report-page").await;

    // A row of the progress section opens its ticket.
    let no = app
        .client
        .execute("return document.querySelector('#report-progress tbody tr td').innerText.trim()", vec![])
        .await
        .unwrap()
        .as_str()
        .unwrap()
        .to_string();
    assert!(no.starts_with("BX-"), "the first column is the ticket number: {no}");
    app.client.execute("document.querySelector('#report-progress tbody tr').click()", vec![]).await.unwrap();
    app.wait_text("#detail-no", &no).await;
    app.stop().await;
}
