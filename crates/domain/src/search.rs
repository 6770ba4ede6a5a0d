//! What the one search box understands, and the bigram text index behind free-text search.
//!
//! Chinese has no spaces, and two-character queries (渗漏, 门窗, 王芳) are the common case; a
//! trigram index cannot answer them. So text is indexed as overlapping **bigrams** plus the last
//! character of each run (`卫生间渗漏` → `卫生 生间 间渗 渗漏 漏`), and a query becomes an FTS5
//! phrase of its own bigrams: a phrase of consecutive bigrams matches exactly the substring. A
//! one-character query is a prefix match on those tokens (every occurrence of a character starts a
//! bigram or is a run's last character).

use crate::phone::{to_half_width, Phone};
use crate::ticket::parse_ticket_no;
use crate::unit::UnitAddress;

/// How a search text is looked up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SearchQuery {
    Empty,
    TicketNo(String),
    /// A whole phone number.
    Phone(String),
    /// The last four digits of a phone ("尾号").
    PhoneSuffix(String),
    Unit(UnitAddress),
    /// Free text: names, descriptions, parts. Holds the FTS5 MATCH expression.
    Text(String),
}

/// Picks the lookup a clerk means: ticket number, phone, phone suffix, unit, or free text.
pub fn classify(q: &str) -> SearchQuery {
    let t: String = q.chars().map(to_half_width).collect::<String>().trim().to_string();
    if t.is_empty() {
        return SearchQuery::Empty;
    }
    if let Some(no) = parse_ticket_no(&t) {
        return SearchQuery::TicketNo(no);
    }
    let digits_only = t.chars().all(|c| c.is_ascii_digit());
    if digits_only && t.len() == 4 {
        return SearchQuery::PhoneSuffix(t);
    }
    if t.chars().all(|c| c.is_ascii_digit() || c == '-' || c == ' ' || c == '+') && t.chars().filter(|c| c.is_ascii_digit()).count() >= 10 {
        if let Ok(p) = Phone::parse(&t) {
            return SearchQuery::Phone(p.as_str().to_string());
        }
    }
    if let Ok(u) = t.parse::<UnitAddress>() {
        // "卫生间" does not parse as a unit; "3-2-1502" and "3号楼2单元1502" do.
        if t.chars().any(|c| c.is_ascii_digit()) {
            return SearchQuery::Unit(u);
        }
    }
    match fts_match(&t) {
        Some(m) => SearchQuery::Text(m),
        None => SearchQuery::Empty,
    }
}

/// Runs of letters and digits, lower-cased and half-width: the only characters indexed.
fn runs(text: &str) -> Vec<Vec<char>> {
    let mut out = Vec::new();
    let mut cur = Vec::new();
    for c in text.chars().map(to_half_width).flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            cur.push(c);
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// The index side: the token text stored in the FTS5 column for `text`.
pub fn index_grams(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for run in runs(text) {
        for w in run.windows(2) {
            out.push(w[0]);
            out.push(w[1]);
            out.push(' ');
        }
        if let Some(last) = run.last() {
            out.push(*last);
            out.push(' ');
        }
    }
    out
}

/// The query side: an FTS5 MATCH expression (phrases of bigrams, ANDed), or None when the
/// query has no letters or digits.
pub fn fts_match(q: &str) -> Option<String> {
    let parts: Vec<String> = runs(q)
        .into_iter()
        .map(|run| {
            if run.len() == 1 {
                format!("\"{}\"*", run[0])
            } else {
                let grams: Vec<String> = run.windows(2).map(|w| w.iter().collect()).collect();
                format!("\"{}\"", grams.join(" "))
            }
        })
        .collect();
    if parts.is_empty() {
        None
    } else {
        Some(parts.join(" AND "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_indexed_as_bigrams_plus_last_character() {
        assert_eq!(index_grams("卫生间渗漏"), "卫生 生间 间渗 渗漏 漏 ");
        assert_eq!(index_grams("王芳，3号楼"), "王芳 芳 3号 号楼 楼 ");
        assert_eq!(index_grams("<script>"), "sc cr ri ip pt t ");
    }

    #[test]
    fn two_character_queries_are_one_bigram() {
        assert_eq!(fts_match("渗漏"), Some("\"渗漏\"".into()));
        assert_eq!(fts_match("卫生间 渗漏"), Some("\"卫生 生间\" AND \"渗漏\"".into()));
        assert_eq!(fts_match("漏"), Some("\"漏\"*".into()));
        assert_eq!(fts_match("，。"), None);
    }

    #[test]
    fn quotes_in_a_query_cannot_break_the_match_expression() {
        assert_eq!(fts_match("a\"b"), Some("\"a\"* AND \"b\"*".into()));
    }

    #[test]
    fn the_search_box_picks_the_lookup() {
        assert_eq!(classify("5678"), SearchQuery::PhoneSuffix("5678".into()));
        assert_eq!(classify("138 0013 5678"), SearchQuery::Phone("13800135678".into()));
        assert_eq!(classify("BX-2026-000001"), SearchQuery::TicketNo("BX-2026-000001".into()));
        assert!(matches!(classify("3号楼2单元1502"), SearchQuery::Unit(_)));
        assert!(matches!(classify("3-2-1502"), SearchQuery::Unit(_)));
        assert_eq!(classify("王芳"), SearchQuery::Text("\"王芳\"".into()));
        assert_eq!(classify("   "), SearchQuery::Empty);
    }
}
