//! File names made from what people typed (a unit's address, a ticket or request number, a
//! project or builder name) that every PC can save: Windows refuses `\ / : * ? " < > |`,
//! control characters, names ending in a dot or space, and device names such as `CON` or
//! `COM1` — and the desk's users run Windows, so a builder called `宏达:二期` must not make an
//! export fail there.

/// `name` with every character Windows forbids replaced by `_`, trailing dots and spaces
/// dropped, a device name prefixed with `_`, and cut to 150 characters (paths on Windows are
/// limited; the folder takes the rest). The extension, if any, is kept.
pub fn safe_file_name(name: &str) -> String {
    let (stem, ext) = match name.rfind('.') {
        Some(i) if i > 0 && name.len() - i <= 6 && name[i + 1..].chars().all(|c| c.is_ascii_alphanumeric()) => (&name[..i], &name[i..]),
        _ => (name, ""),
    };
    let mut s: String = stem.chars().map(|c| if "\\/:*?\"<>|".contains(c) || c.is_control() { '_' } else { c }).take(150).collect();
    while s.ends_with('.') || s.ends_with(' ') {
        s.pop();
    }
    if s.is_empty() {
        s.push('_');
    }
    let device = s.split('.').next().unwrap_or_default().to_ascii_uppercase();
    let reserved = matches!(device.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || (device.len() == 4 && (device.starts_with("COM") || device.starts_with("LPT")) && device.as_bytes()[3].is_ascii_digit());
    if reserved {
        s.insert(0, '_');
    }
    s + ext
}

#[cfg(test)]
mod tests {
    use super::safe_file_name;

    #[test]
    fn names_windows_would_refuse_become_names_it_accepts() {
        let cases = [
            ("a name Windows accepts stays", "维修历史-3-2-1502.pdf", "维修历史-3-2-1502.pdf"),
            ("colon in a builder name", "宏达:二期保修金对账单.xlsx", "宏达_二期保修金对账单.xlsx"),
            ("question mark and star", "谁?的*单.pdf", "谁_的_单.pdf"),
            ("slashes of a unit written 3/2/1502", "维修历史-3/2/1502.pdf", "维修历史-3_2_1502.pdf"),
            ("quotes, angle brackets, pipe", "\"甲\"<乙>|丙.pdf", "_甲__乙__丙.pdf"),
            ("control character (a pasted tab)", "F02-BX\t1.pdf", "F02-BX_1.pdf"),
            ("trailing dot and space before the extension", "报告. .pdf", "报告.pdf"),
            ("a device name", "CON.pdf", "_CON.pdf"),
            ("a device name with a number", "com3.xlsx", "_com3.xlsx"),
            ("COM without a number is a name", "COMPANY.xlsx", "COMPANY.xlsx"),
            ("nothing left", "???", "___"),
            ("empty", "", "_"),
            ("a dot that is not an extension", "第1.5期 汇总", "第1.5期 汇总"),
        ];
        for (why, input, want) in cases {
            assert_eq!(safe_file_name(input), want, "{why}");
        }
    }

    #[test]
    fn long_names_are_cut_but_keep_their_extension() {
        let long = format!("{}.pdf", "长".repeat(400));
        let safe = safe_file_name(&long);
        assert!(safe.ends_with(".pdf"));
        assert_eq!(safe.chars().count(), 154);
    }
}
