//! Phone numbers (联系电话): Chinese mobiles (11 digits, 1xx) and landlines (区号-号码).

use crate::DomainError;
use serde::{Deserialize, Serialize};

/// A validated phone number, kept as digits only (a landline keeps its area-code dash).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Phone(String);

impl Phone {
    /// Accepts `138 0013 8000`, `138-0013-8000`, `+86 13800138000`, `010-62345678`, full-width digits.
    pub fn parse(raw: &str) -> Result<Phone, DomainError> {
        let half: String = raw.chars().map(to_half_width).collect();
        let cleaned: String = half.chars().filter(|c| !c.is_whitespace()).collect();
        let cleaned = cleaned.strip_prefix("+86").unwrap_or(&cleaned).to_string();
        if cleaned.is_empty() {
            return Err(DomainError::field("phone", "请填写联系电话"));
        }
        if cleaned.chars().any(|c| !(c.is_ascii_digit() || c == '-')) {
            return Err(DomainError::field("phone", format!("联系电话「{raw}」含有非数字字符")));
        }
        let digits: String = cleaned.chars().filter(|c| c.is_ascii_digit()).collect();
        if digits.len() == 11 && digits.starts_with('1') {
            return Ok(Phone(digits));
        }
        // Landline: area code 0xx/0xxx + 7–8 digit number.
        if digits.starts_with('0') && (10..=12).contains(&digits.len()) {
            let area = if digits.starts_with("01") || digits.starts_with("02") { 3 } else { 4 };
            return Ok(Phone(format!("{}-{}", &digits[..area], &digits[area..])));
        }
        Err(DomainError::field("phone", format!("联系电话「{raw}」不是有效号码：手机号为 1 开头的 11 位数字，座机请带区号")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The last four digits, which callers give most often ("尾号 5678").
    pub fn suffix4(&self) -> String {
        let d: Vec<char> = self.0.chars().filter(|c| c.is_ascii_digit()).collect();
        d[d.len().saturating_sub(4)..].iter().collect()
    }

    /// `138****5678`: the form every export and report that leaves the desk uses (PIPL).
    pub fn masked(&self) -> String {
        mask_phone(&self.0)
    }
}

impl std::fmt::Display for Phone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Masks the middle of any stored phone text: keeps the first 3 and last 4 characters.
pub fn mask_phone(p: &str) -> String {
    let chars: Vec<char> = p.chars().collect();
    if chars.len() <= 7 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..3].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 7))
}

/// Full-width digits and symbols (０-９, －, ＋) to ASCII; other characters unchanged.
pub fn to_half_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mobile_numbers_in_the_forms_people_type_them() {
        for raw in ["13800138000", "138 0013 8000", "138-0013-8000", "+86 138 0013 8000", "１３８００１３８０００"] {
            assert_eq!(Phone::parse(raw).map(|p| p.0), Ok("13800138000".to_string()), "{raw}");
        }
    }

    #[test]
    fn landline_keeps_its_area_code() {
        assert_eq!(Phone::parse("010-62345678").map(|p| p.0), Ok("010-62345678".into()));
        assert_eq!(Phone::parse("0311 8765 4321").map(|p| p.0), Ok("0311-87654321".into()));
    }

    #[test]
    fn a_phone_that_is_not_a_phone_names_the_field() {
        for raw in ["12345", "1380013800a", "23800138000", "", "王先生"] {
            let e = Phone::parse(raw).expect_err(raw);
            assert_eq!(e.field, Some("phone"));
            assert!(e.message.contains("联系电话"), "{}", e.message);
        }
    }

    #[test]
    fn masked_and_suffix() {
        let p = Phone::parse("13800135678").expect("valid");
        assert_eq!(p.masked(), "138****5678");
        assert_eq!(p.suffix4(), "5678");
        assert_eq!(mask_phone("010-62345678"), "010*****5678");
    }
}
