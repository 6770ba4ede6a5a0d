//! Next year's calendar in the window: the demo's working calendar lacks the coming year's
//! public holidays (the built-in one is 2026's), so 今日待办 warns; the director pastes the
//! State Council's notice on the calendar page, sees what the desk read, saves it — and the
//! warning is gone. A line the desk cannot read is named before anything is saved.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failure should stop the test loudly

mod common;

use common::App;

/// A notice for `year` in the published shape (dates valid in any year; no 调休 weekend, whose
/// weekday would depend on the year).
fn notice(year: i32) -> String {
    format!("国务院办公厅关于{year}年部分节假日安排的通知\n一、元旦：1月1日放假，共1天。\n二、春节：2月6日至12日放假调休，共7天。\n四、劳动节：5月1日至5日放假，共5天。")
}

/// Element Plus puts the id on the inner control or on its wrapper, depending on the component.
const YEAR: &str = "input#notice-year, #notice-year input";
const TEXT: &str = "textarea#notice-text, #notice-text textarea";

/// Pastes `text` into the notice box as Ctrl+V would (typed keys would turn each line break
/// into an Enter key press).
async fn paste(app: &App, text: &str) {
    let box_ = app.el(TEXT).await;
    let arg = serde_json::to_value(&box_).expect("an element handle is plain JSON");
    app.client
        .execute("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', { bubbles: true }));", vec![arg, text.into()])
        .await
        .expect("paste into the notice box");
}

/// The year the warning names (the first four-digit number in it).
fn year_in(warning: &str) -> i32 {
    let digits: String = warning.chars().skip_while(|c| !c.is_ascii_digit()).take_while(char::is_ascii_digit).collect();
    digits.parse().expect("the warning names a year")
}

#[tokio::test(flavor = "multi_thread")]
async fn the_director_records_next_years_holidays_from_the_notice_and_the_warning_goes() {
    let app = App::start(4604).await;
    app.wait_text("#current-user", "李静").await;
    let warning = app.wait_text("#calendar-warning", "节假日").await;
    assert!(warning.contains("法定节假日"), "{warning}");

    app.click("#sign-out").await;
    app.choose_option("#signin-user", "张建国").await;
    app.type_in("#signin-pin", "1234").await;
    app.click("#signin-submit").await;
    app.wait_text("#current-user", "张建国").await;

    // Up to two years may be missing (this one in January, the next one in December).
    for _ in 0..2 {
        app.client.execute("document.querySelector('#nav-today').click()", vec![]).await.unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(800)).await;
        let Some(w) = app.text_of("#calendar-warning").await else { break };
        let year = year_in(&w);
        app.client.execute("document.querySelector('#nav-clock').click()", vec![]).await.unwrap();
        app.el(TEXT).await;
        app.type_in(YEAR, &year.to_string()).await;
        // A date that does not exist is named with its line; nothing to save yet.
        paste(&app, &format!("{}\n三、清明节：4月31日放假。", notice(year))).await;
        app.click("#notice-preview").await;
        app.wait_text(".el-alert--error", "第 5 行").await;
        paste(&app, &notice(year)).await;
        app.click("#notice-preview").await;
        let table = app.wait_text("#notice-table", "春节").await;
        assert!(table.contains(&format!("{year}-02-06 至 {year}-02-12")) && table.contains('7'), "{table}");
        app.screenshot("calendar-notice").await;
        app.click("#notice-save").await;
        app.wait_text(".el-message", &format!("{year} 年的节假日安排已保存")).await;
    }
    app.client.execute("document.querySelector('#nav-today').click()", vec![]).await.unwrap();
    app.el("#today-refresh").await;
    tokio::time::sleep(std::time::Duration::from_millis(1000)).await;
    assert_eq!(app.text_of("#calendar-warning").await, None, "the warning is gone once the year is recorded");
    app.stop().await;
}
