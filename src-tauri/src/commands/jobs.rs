//! Long jobs: the window stops one it started (the job checks the flag where stopping leaves
//! nothing written; see `desk_service::job`).

use crate::state::AppState;
use desk_service::DeskResult;

/// Asks the job to stop. A job that has just finished is not an error: its result stands.
pub fn cancel_job(state: &AppState, job: String) -> DeskResult<()> {
    state.cancel_job(&job).map(|_| ())
}
