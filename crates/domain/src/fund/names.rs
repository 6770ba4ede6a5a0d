//! Builder names as people type them. The project department writes 中建三局（第一分公司）,
//! the desk has 中建三局(第一分公司) — the same builder. Matching uses a normalised form;
//! a near-identical spelling is only *offered* as a match, a user confirms it once, and the
//! confirmed alias is remembered by the store.

use crate::money::to_half_width;

/// The form two spellings of one name share: full-width → half-width, every kind of bracket
/// → `()`, spaces and line breaks removed, Latin letters lower-cased.
pub fn normalize(name: &str) -> String {
    name.chars()
        .map(to_half_width)
        .filter(|c| !c.is_whitespace() && *c != '\u{200B}' && *c != '\u{FEFF}')
        .map(|c| match c {
            '【' | '[' | '〔' | '{' | '（' => '(',
            '】' | ']' | '〕' | '}' | '）' => ')',
            other => other,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// Company-form words that differ between spellings without making another company.
const LEGAL_FORMS: &[&str] = &["股份有限公司", "有限责任公司", "有限公司", "集团", "公司"];

/// The normalised name without a trailing legal form (`中建三局有限公司` ~ `中建三局`).
fn core(norm: &str) -> &str {
    let mut s = norm;
    for f in LEGAL_FORMS {
        if let Some(rest) = s.strip_suffix(f) {
            s = rest;
        }
    }
    s
}

/// Whether `a` and `b` look like spellings of the same builder although they differ after
/// [`normalize`]: same core name without legal form, or one edit (a typo) apart on names of at
/// least six characters. Used to *offer* a match, never to decide one.
pub fn near(a: &str, b: &str) -> bool {
    let (na, nb) = (normalize(a), normalize(b));
    if na == nb {
        return true;
    }
    let (ca, cb) = (core(&na), core(&nb));
    if !ca.is_empty() && ca == cb {
        return true;
    }
    let (x, y): (Vec<char>, Vec<char>) = (ca.chars().collect(), cb.chars().collect());
    x.len().min(y.len()) >= 6 && within_one_edit(&x, &y)
}

fn within_one_edit(a: &[char], b: &[char]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if long.len() - short.len() > 1 {
        return false;
    }
    let prefix = short.iter().zip(long).take_while(|(x, y)| x == y).count();
    if prefix == short.len() {
        return true; // equal, or one extra character at the end
    }
    if short.len() == long.len() {
        short[prefix + 1..] == long[prefix + 1..] // one substitution
    } else {
        short[prefix..] == long[prefix + 1..]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_brackets_and_spaces_do_not_make_another_builder() {
        assert_eq!(normalize("中建三局（第一分公司）"), normalize("中建三局(第一分公司)"));
        assert_eq!(normalize(" 华润 建筑\n"), "华润建筑");
        assert_eq!(normalize("ＡＢＣ建设"), normalize("abc建设"));
        assert_ne!(normalize("中建三局"), normalize("中建八局"));
    }

    #[test]
    fn near_spellings_are_offered() {
        assert!(near("中建三局有限公司", "中建三局"));
        assert!(near("浙江宏达建设集团", "浙江宏达建设"));
        assert!(near("浙江宏达建设工程", "浙江宏达建没工程")); // one typo
        assert!(!near("中建三局", "中建八局")); // too short to call a typo
        assert!(!near("浙江宏达建设", "江苏南通建工"));
    }
}
