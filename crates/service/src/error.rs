//! The one error type of the Desk API. It crosses the Tauri boundary as a tagged object
//! `{kind, message, field}`; the UI shows `message` (Chinese) and highlights `field`.

use desk_domain::DomainError;
use desk_store::StoreError;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub enum ErrorKind {
    /// Bad input: the field says which.
    Invalid,
    /// A rule of the procedure refused the step.
    Refused,
    /// The thing named does not exist.
    NotFound,
    /// Would duplicate or contradict existing data.
    Conflict,
    /// Wrong PIN, locked, not signed in, or the role may not do this.
    Denied,
    /// The database or a file could not be read or written.
    Storage,
    /// A warning, not a refusal: the step goes ahead once the user confirms; `field` names the
    /// acknowledgement to send (e.g. `allow_negative` when a payment would overdraw a deposit).
    NeedsConfirmation,
    /// The user stopped a long job before anything was written (see `job::Progress`).
    Cancelled,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error, ts_rs::TS)]
#[ts(export)]
#[error("{message}")]
pub struct DeskError {
    pub kind: ErrorKind,
    pub message: String,
    pub field: Option<String>,
}

impl DeskError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self { kind, message: message.into(), field: None }
    }
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Self { kind: ErrorKind::Invalid, message: message.into(), field: Some(field.to_string()) }
    }
    pub fn denied(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Denied, message)
    }
    pub fn storage(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Storage, message)
    }
}

impl From<DomainError> for DeskError {
    fn from(e: DomainError) -> Self {
        let kind = if e.field.is_some() { ErrorKind::Invalid } else { ErrorKind::Refused };
        Self { kind, message: e.message, field: e.field.map(str::to_string) }
    }
}

impl From<StoreError> for DeskError {
    fn from(e: StoreError) -> Self {
        // The store has already put constraint violations in Chinese; the kind follows the variant.
        let kind = match &e {
            StoreError::NotFound(_) | StoreError::Missing(_) => ErrorKind::NotFound,
            StoreError::Conflict(_) | StoreError::Exists(_) => ErrorKind::Conflict,
            StoreError::Refused(_) => ErrorKind::Refused,
            _ => ErrorKind::Storage,
        };
        Self { kind, message: e.to_string(), field: None }
    }
}

pub type DeskResult<T> = Result<T, DeskError>;
