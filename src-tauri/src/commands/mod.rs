//! Tauri commands, one module per feature, and [`desk_commands!`]: the ONE declaration of every
//! command the window may call — its name, its arguments (names and types) and its result.
//!
//! From that list come (1) the `#[tauri::command]` wrappers the window invokes, each running its
//! module's function on a blocking thread (`spawn_blocking`), so neither the main thread nor
//! Tauri's async workers ever wait on the database; (2) the handler list given to Tauri; and
//! (3) [`specs`], from which a test writes the TypeScript client `ui/src/generated/commands.ts`
//! with the ts-rs type names. The module function's types are checked against the declaration by
//! the compiler (it is called with the declared arguments and must return the declared result),
//! and the wire names come only from here, so the window and Rust cannot disagree.
//!
//! Errors cross as `DeskError {kind, message, field}`; long jobs take a `job` id, report on the
//! `job-progress` event and stop on `cancel_job` (see `state::Jobs`).

pub mod app;
pub mod audit;
pub mod backup;
pub mod clocks;
pub mod fund_ledger;
pub mod fund_payment;
pub mod import;
pub mod jobs;
pub mod master;
pub mod print;
pub mod repair;
pub mod report;
mod schema;
pub mod stats;
pub mod survey;
pub mod tickets;

pub use schema::handler;
#[cfg(test)]
pub use schema::specs;

/// Declares the commands; see the module doc. Each line is `module::name(arg: Type, ..) -> Result;`
/// where `module::name(&AppState, args..) -> DeskResult<Result>` implements it.
macro_rules! desk_commands {
    ($( $module:ident :: $name:ident ( $( $arg:ident : $ty:ty ),* $(,)? ) -> $ret:ty ; )*) => {
        $(
            #[tauri::command(rename_all = "camelCase")]
            pub async fn $name(__app: tauri::AppHandle, $( $arg : $ty ),*) -> desk_service::DeskResult<$ret> {
                crate::state::blocking(__app, move |state| super::$module::$name(state, $( $arg ),*)).await
            }
        )*

        /// The handler Tauri dispatches the window's invokes to: every declared command.
        pub fn handler() -> impl Fn(tauri::ipc::Invoke<tauri::Wry>) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$( $name ),*]
        }

        /// What the window may call, with the TypeScript names of the types (ts-rs).
        #[cfg(test)]
        pub fn specs() -> Vec<crate::client::CommandSpec> {
            let cfg = ts_rs::Config::from_env();
            vec![$(
                crate::client::CommandSpec {
                    name: stringify!($name),
                    args: vec![$( (stringify!($arg), <$ty as ts_rs::TS>::name(&cfg)) ),*],
                    result: <$ret as ts_rs::TS>::name(&cfg),
                },
            )*]
        }
    };
}
pub(crate) use desk_commands;
