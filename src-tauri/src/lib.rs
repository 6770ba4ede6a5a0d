//! warranty-desk — the Tauri 2 shell of the warranty desk. The only crate that knows Tauri.
//!
//! It opens the [`desk_service::Desk`] over the data folder (`--data DIR`, `WDESK_DATA_DIR`,
//! or the OS's app-data folder) and exposes its use cases as commands, declared once in
//! `commands/schema.rs` and run off the main thread (`state::blocking`).

#[cfg(test)]
mod client;
mod commands;
mod printing;
mod process_memory;
mod startup;
mod state;
#[cfg(test)]
mod ui_data;
mod web_engine;

use desk_service::backup::BackupReason;
use state::AppState;
use tauri::Manager;

/// `--data DIR` on the command line wins over `WDESK_DATA_DIR` and the default folder.
fn data_dir_from_args() -> Option<std::path::PathBuf> {
    let args: Vec<String> = std::env::args().collect();
    args.iter().position(|a| a == "--data").and_then(|i| args.get(i + 1)).map(std::path::PathBuf::from)
}

pub fn run() {
    process_memory::settle();
    web_engine::before_start();
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
        .invoke_handler(commands::handler())
        .setup(|app| {
            // Backups: one at start, then whenever the newest is older than the interval
            // (checked every ten minutes), and one at exit (below).
            app.state::<AppState>().set_app(app.handle().clone());
            if let Some(window) = app.get_webview_window("main") {
                web_engine::keep_little(&window);
            }
            let handle = app.handle().clone();
            // Its own thread: a backup of a big file takes seconds and must not hold a worker.
            std::thread::spawn(move || {
                handle.state::<AppState>().backup_in_background(BackupReason::Start, false);
                loop {
                    std::thread::sleep(std::time::Duration::from_secs(600));
                    handle.state::<AppState>().backup_in_background(BackupReason::Timer, true);
                }
            });
            // Printing's kept font goes once a burst of printing is over (memory over a working
            // day: 20 MB back while the desk waits for the next caller).
            std::thread::spawn(|| loop {
                std::thread::sleep(desk_service::print::FONT_RELEASE_CHECK);
                desk_service::print::release_idle_print_memory(std::time::Instant::now());
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
