//! stub
use chrono::NaiveDateTime;
use super::PdfError;
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UnitHistoryRow;
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UnitHistory;
pub fn render_unit_history(_r: &UnitHistory, _created: NaiveDateTime) -> Result<Vec<u8>, PdfError> { Err(PdfError::Save("todo".into())) }
