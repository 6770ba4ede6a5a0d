//! Domain errors: each carries the field it is about and a Chinese message for the user.

use serde::Serialize;

/// A rule of the desk refused a value or a step. The message is shown to the user as is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[error("{message}")]
pub struct DomainError {
    /// The input field the problem is about (`phone`, `unit`, `description`…), if any.
    pub field: Option<&'static str>,
    /// What is wrong, in Chinese, naming the field.
    pub message: String,
}

impl DomainError {
    pub fn field(field: &'static str, message: impl Into<String>) -> Self {
        Self { field: Some(field), message: message.into() }
    }
    pub fn rule(message: impl Into<String>) -> Self {
        Self { field: None, message: message.into() }
    }
}
