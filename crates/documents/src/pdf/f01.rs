//! stub
use chrono::NaiveDateTime;
use super::PdfError;
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ContactAttempt;
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TicketRecord;
pub fn render_f01(_r: &TicketRecord, _created: NaiveDateTime) -> Result<Vec<u8>, PdfError> { Err(PdfError::Save("todo".into())) }
