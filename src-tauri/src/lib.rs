//! warranty-desk — the Tauri 2 shell of the warranty desk. The only crate that knows Tauri.
//!
//! It opens the [`desk_service::Desk`] over the data folder (`--data DIR`, `WDESK_DATA_DIR`,
//! or the OS's app-data folder) and exposes its use cases as commands (`commands/<feature>.rs`).

mod commands;
mod printing;
mod startup;
mod state;

use desk_service::backup::BackupReason;
use state::AppState;
use tauri::Manager;

/// `--data DIR` on the command line wins over `WDESK_DATA_DIR` and the default folder.
fn data_dir_from_args() -> Option<std::path::PathBuf> {
    let args: Vec<String> = std::env::args().collect();
    args.iter().position(|a| a == "--data").and_then(|i| args.get(i + 1)).map(std::path::PathBuf::from)
}

pub fn run() {
    startup::install_panic_hook();
    if let Some(why) = startup::preflight() {
        startup::fail(why);
    }
    let data_dir = match desk_service::default_data_dir(data_dir_from_args().as_deref()) {
        Ok(d) => d,
        Err(e) => startup::fail(&format!("无法启动保修中心工作台：{}", e.message)),
    };
    let result = tauri::Builder::default()
        // One writer for the database: a second launch focuses the window that is already open.
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            if let Some(w) = app.get_webview_window("main") {
                let _ = w.unminimize();
                let _ = w.show();
                let _ = w.set_focus();
            }
        }))
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .manage(AppState::open(data_dir))
        .invoke_handler(tauri::generate_handler![
            commands::app::app_status,
            commands::app::sign_in_choices,
            commands::app::sign_in,
            commands::app::sign_out,
            commands::app::create_first_director,
            commands::fund_ledger::ledgers,
            commands::fund_ledger::ledger_entries,
            commands::fund_ledger::preview_ledger_import,
            commands::fund_ledger::import_ledger,
            commands::fund_ledger::confirm_ledger_builder,
            commands::fund_ledger::add_ledger_entry,
            commands::fund_ledger::reverse_entry,
            commands::fund_ledger::fund_deadlines,
            commands::fund_ledger::export_ledger_quarter,
            commands::fund_ledger::reconcile_preview,
            commands::fund_ledger::confirm_builder_alias,
            commands::fund_ledger::save_reconciliation,
            commands::fund_ledger::reconciliations,
            commands::fund_ledger::export_reconciliation,
            commands::backup::backup_now,
            commands::backup::backups,
            commands::backup::backup_settings,
            commands::backup::set_backup_settings,
            commands::backup::damaged_settings,
            commands::backup::restore_preview,
            commands::backup::restore_backup,
            commands::backup::latest_good_backup,
            commands::backup::restore_damaged,
            commands::master::projects,
            commands::master::active_project,
            commands::master::choose_project,
            commands::audit::audit_log,
            commands::audit::audit_actions,
            commands::audit::export_owner_data,
            commands::master::save_project,
            commands::master::batches,
            commands::master::save_batch,
            commands::master::buildings,
            commands::master::units,
            commands::master::save_unit,
            commands::master::contractors,
            commands::master::save_contractor,
            commands::master::staff_list,
            commands::master::save_staff,
            commands::tickets::lookup_caller,
            commands::tickets::open_tickets_at,
            commands::tickets::record_report,
            commands::tickets::list_tickets,
            commands::tickets::ticket_detail,
            commands::tickets::add_contact_attempt,
            commands::tickets::classify_ticket,
            commands::tickets::assign_steward,
            commands::tickets::change_status,
            commands::tickets::add_photos,
            commands::tickets::photo_data_url,
            commands::tickets::progress_message,
            commands::repair::issue_dispatch,
            commands::repair::record_arrival,
            commands::repair::add_followup,
            commands::repair::finish_repair,
            commands::repair::recheck,
            commands::repair::accept_repair,
            commands::repair::completion_notice,
            commands::repair::close_unreachable,
            commands::repair::return_visit,
            commands::repair::dissatisfied_owners,
            commands::print::print_f02,
            commands::print::print_f01,
            commands::print::unit_archive,
            commands::print::print_unit_history,
            commands::print::open_print,
            commands::print::find_slip_by_scan,
            commands::report::daily_report,
            commands::report::export_daily_report,
            commands::report::report_recipients,
            commands::report::set_report_recipients,
            commands::import::preview_roster,
            commands::import::commit_roster,
            commands::import::export_tickets,
            commands::stats::statistics,
            commands::stats::export_statistics,
            commands::clocks::today,
            commands::clocks::today_counters,
            commands::clocks::ticket_duties,
            commands::clocks::hold_ticket,
            commands::clocks::release_hold,
            commands::clocks::escalations,
            commands::clocks::raise_escalation,
            commands::clocks::acknowledge_escalation,
            commands::clocks::coverage_at_intake,
            commands::clocks::coverage_of_ticket,
            commands::clocks::work_calendar,
            commands::clocks::set_work_calendar,
            commands::clocks::preview_holiday_notice,
            commands::clocks::import_holiday_notice,
            commands::clocks::calendar_warning,
            commands::clocks::liabilities,
            commands::clocks::add_liability,
            commands::clocks::remove_liability,
            commands::clocks::deadline_settings,
            commands::clocks::set_deadline_settings,
            commands::clocks::coverage_settings,
            commands::clocks::set_coverage_settings,
            commands::fund_payment::commission_repair,
            commands::fund_payment::confirm_commission,
            commands::fund_payment::commissions_of_ticket,
            commands::fund_payment::commissions,
            commands::fund_payment::submit_payment_request,
            commands::fund_payment::review_payment_request,
            commands::fund_payment::countersign_payment_request,
            commands::fund_payment::pay_payment_request,
            commands::fund_payment::payment_request,
            commands::fund_payment::payment_requests,
            commands::fund_payment::countersign_roles,
            commands::fund_payment::set_countersign_roles,
            commands::fund_payment::print_payment_request,
        ])
        .setup(|app| {
            // Backups: one at start, then whenever the newest is older than the interval
            // (checked every ten minutes), and one at exit (below).
            let handle = app.handle().clone();
            std::thread::spawn(move || {
                handle.state::<AppState>().backup_in_background(BackupReason::Start, false);
                loop {
                    std::thread::sleep(std::time::Duration::from_secs(600));
                    handle.state::<AppState>().backup_in_background(BackupReason::Timer, true);
                }
            });
            Ok(())
        })
        .build(tauri::generate_context!());
    match result {
        Ok(app) => app.run(|handle, event| {
            if let tauri::RunEvent::Exit = event {
                handle.state::<AppState>().backup_in_background(BackupReason::Exit, false);
            }
        }),
        Err(e) => startup::fail(&format!("保修中心工作台无法启动：{e}\n请把这句话告诉 IT。")),
    }
}
