//! A draft e-mail as an `.eml` file (RFC 5322 + MIME): the desk has no mail server, so the daily
//! report is handed to the clerk's mail program as a draft with its recipients, subject, body
//! and attachments filled in. `X-Unsent: 1` makes Outlook open it as a new message to send
//! rather than as a received one.
//!
//! * Non-ASCII header text (the subject) is written as RFC 2047 encoded-words
//!   (`=?UTF-8?B?…?=`), each at most 75 characters and cut on character boundaries.
//! * Attachment names are given both ways mail programs read them: RFC 2231
//!   (`filename*0*=UTF-8''%E4…`, with continuations) and RFC 2047 in `name=` / `filename=`.
//! * The body is `text/plain; charset=UTF-8` and every part is base64 in 76-character lines, so
//!   the message is 7-bit clean. The boundary starts with `=_`, which base64 never produces.

use base64::Engine;
use chrono::{DateTime, FixedOffset};

/// A file attached to the draft.
#[derive(Debug, Clone, PartialEq)]
pub struct Attachment {
    pub filename: String,
    /// e.g. `application/pdf`.
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// The draft.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    /// Plain addresses (`name@example.cn`), already validated by the caller.
    pub to: Vec<String>,
    pub cc: Vec<String>,
    pub subject: String,
    pub date: DateTime<FixedOffset>,
    pub body: String,
    pub attachments: Vec<Attachment>,
}

/// The content type of the xlsx workbook.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
/// The content type of a PDF.
pub const PDF: &str = "application/pdf";

const CRLF: &str = "\r\n";
/// Longest encoded-word (RFC 2047 §2).
const MAX_WORD: usize = 75;
/// `=?UTF-8?B?` + `?=`.
const WORD_OVERHEAD: usize = 12;

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// RFC 2047 "B" encoding of `s` as one or more encoded-words separated by `CRLF SP` (folding
/// white space, which decoders drop between adjacent encoded-words). Each word is at most 75
/// characters and holds whole UTF-8 characters. Printable ASCII without `=?` is returned as is.
pub fn encode_word(s: &str) -> String {
    if s.bytes().all(|b| (0x20..0x7f).contains(&b)) && !s.contains("=?") {
        return s.to_string();
    }
    // 4 base64 characters per 3 bytes: the longest payload that fits a word.
    let max_bytes = (MAX_WORD - WORD_OVERHEAD) / 4 * 3;
    let mut words = Vec::new();
    let mut chunk = String::new();
    for c in s.chars() {
        if chunk.len() + c.len_utf8() > max_bytes {
            words.push(format!("=?UTF-8?B?{}?=", b64(chunk.as_bytes())));
            chunk.clear();
        }
        chunk.push(c);
    }
    if !chunk.is_empty() || words.is_empty() {
        words.push(format!("=?UTF-8?B?{}?=", b64(chunk.as_bytes())));
    }
    words.join(&format!("{CRLF} "))
}

/// RFC 2231 parameter value `name*0*=UTF-8''…; name*1*=…` with each line's value at most
/// `per_line` characters (a `%XX` triplet is never split). Returns the `;`-joined parameters,
/// folded onto their own lines.
pub fn rfc2231_param(name: &str, value: &str) -> String {
    const ATTR_EXTRA: &[u8] = b"!#$&+-.^_`|~";
    let mut pieces: Vec<String> = Vec::new();
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || ATTR_EXTRA.contains(&b) {
            pieces.push((b as char).to_string());
        } else {
            pieces.push(format!("%{b:02X}"));
        }
    }
    let per_line = 60;
    let mut segments: Vec<String> = vec![String::new()];
    for p in pieces {
        if segments.last().is_some_and(|s| s.len() + p.len() > per_line) {
            segments.push(String::new());
        }
        if let Some(s) = segments.last_mut() {
            s.push_str(&p);
        }
    }
    if segments.len() == 1 {
        return format!("{name}*=UTF-8''{}", segments[0]);
    }
    segments
        .iter()
        .enumerate()
        .map(|(i, s)| if i == 0 { format!("{name}*0*=UTF-8''{s}") } else { format!("{name}*{i}*={s}") })
        .collect::<Vec<_>>()
        .join(&format!(";{CRLF} "))
}

/// `To: a@x.cn, b@y.cn` folded so that no line passes 78 characters when it can be helped.
fn address_header(name: &str, addrs: &[String]) -> String {
    let mut out = format!("{name}:");
    let mut line_len = out.len();
    for (i, a) in addrs.iter().enumerate() {
        let sep = if i == 0 { "" } else { "," };
        if i > 0 && line_len + sep.len() + 1 + a.len() > 78 {
            out.push_str(sep);
            out.push_str(CRLF);
            out.push(' ');
            out.push_str(a);
            line_len = 1 + a.len();
        } else {
            out.push_str(sep);
            out.push(' ');
            out.push_str(a);
            line_len += sep.len() + 1 + a.len();
        }
    }
    out
}

/// Base64 in 76-character lines, each ending with CRLF.
fn b64_lines(bytes: &[u8]) -> String {
    let s = b64(bytes);
    let mut out = String::with_capacity(s.len() + s.len() / 76 * 2 + 2);
    for chunk in s.as_bytes().chunks(76) {
        // base64 output is ASCII, so every chunk is valid UTF-8.
        out.push_str(std::str::from_utf8(chunk).unwrap_or_default());
        out.push_str(CRLF);
    }
    out
}

/// FNV-1a, for a boundary that is stable for the same draft (reproducible files).
fn fnv(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in *p {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        h ^= 0xff;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The boundary of a draft (exposed for tests and for readers that want to check it).
pub fn boundary(d: &Draft) -> String {
    let date = d.date.to_rfc3339();
    let mut parts: Vec<&[u8]> = vec![d.subject.as_bytes(), date.as_bytes(), d.body.as_bytes()];
    for a in &d.attachments {
        parts.push(a.filename.as_bytes());
        parts.push(&a.bytes);
    }
    format!("=_WDesk_{:016x}", fnv(&parts))
}

/// The whole message, CRLF line ends, 7-bit.
pub fn compose(d: &Draft) -> String {
    let boundary = boundary(d);
    let mut m = String::new();
    let mut header = |line: String| {
        m.push_str(&line);
        m.push_str(CRLF);
    };
    if !d.to.is_empty() {
        header(address_header("To", &d.to));
    }
    if !d.cc.is_empty() {
        header(address_header("Cc", &d.cc));
    }
    header(format!("Subject: {}", encode_word(&d.subject)));
    header(format!("Date: {}", d.date.format("%a, %d %b %Y %H:%M:%S %z")));
    header("MIME-Version: 1.0".into());
    header("X-Unsent: 1".into());
    header("X-Mailer: Warranty Desk".into());
    header(format!("Content-Type: multipart/mixed;{CRLF} boundary=\"{boundary}\""));
    m.push_str(CRLF);
    m.push_str("This is a multi-part message in MIME format.");
    m.push_str(CRLF);

    m.push_str(&format!("--{boundary}{CRLF}"));
    m.push_str(&format!("Content-Type: text/plain; charset=UTF-8{CRLF}"));
    m.push_str(&format!("Content-Transfer-Encoding: base64{CRLF}{CRLF}"));
    let body = d.body.replace("\r\n", "\n").replace('\n', CRLF);
    m.push_str(&b64_lines(body.as_bytes()));

    for a in &d.attachments {
        let word = encode_word(&a.filename);
        m.push_str(&format!("--{boundary}{CRLF}"));
        m.push_str(&format!("Content-Type: {};{CRLF} name=\"{word}\"{CRLF}", a.content_type));
        m.push_str(&format!("Content-Transfer-Encoding: base64{CRLF}"));
        m.push_str(&format!("Content-Disposition: attachment;{CRLF} {};{CRLF} filename=\"{word}\"{CRLF}{CRLF}", rfc2231_param("filename", &a.filename)));
        m.push_str(&b64_lines(&a.bytes));
    }
    m.push_str(&format!("--{boundary}--{CRLF}"));
    m
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use chrono::TimeZone;

    /// Decodes a run of encoded-words back to text (the test's own small RFC 2047 reader).
    fn decode_words(s: &str) -> String {
        let mut bytes = Vec::new();
        for w in s.split_whitespace() {
            let inner = w.strip_prefix("=?UTF-8?B?").and_then(|x| x.strip_suffix("?=")).unwrap();
            bytes.extend(base64::engine::general_purpose::STANDARD.decode(inner).unwrap());
        }
        String::from_utf8(bytes).unwrap()
    }

    #[test]
    fn a_chinese_subject_is_one_base64_encoded_word() {
        assert_eq!(encode_word("保修中心工作日报"), "=?UTF-8?B?5L+d5L+u5Lit5b+D5bel5L2c5pel5oql?=");
        assert_eq!(encode_word("Daily report"), "Daily report", "plain ASCII stays readable");
        assert!(encode_word("a =?b").starts_with("=?UTF-8?B?"), "text that looks like an encoded-word is encoded");
    }

    #[test]
    fn a_long_subject_splits_into_words_of_at_most_75_characters_on_character_boundaries() {
        let subject = "翠湖澜庭保修中心工作日报（BJ-WX-C01-F03）2026-03-05 新增报修 12 张、完工 3 张、回访 5 户";
        let enc = encode_word(subject);
        let words: Vec<&str> = enc.split("\r\n ").collect();
        assert!(words.len() > 1);
        for w in &words {
            assert!(w.len() <= 75, "{w} is {} long", w.len());
            let inner = w.strip_prefix("=?UTF-8?B?").and_then(|x| x.strip_suffix("?=")).unwrap();
            let bytes = base64::engine::general_purpose::STANDARD.decode(inner).unwrap();
            assert!(String::from_utf8(bytes).is_ok(), "each word holds whole characters");
        }
        assert_eq!(decode_words(&enc), subject);
    }

    #[test]
    fn rfc2231_names_are_percent_encoded_and_continued() {
        assert_eq!(rfc2231_param("filename", "a b.pdf"), "filename*=UTF-8''a%20b.pdf");
        let p = rfc2231_param("filename", "保修中心工作日报F03-2026-03-05.pdf");
        assert!(p.starts_with("filename*0*=UTF-8''%E4%BF%9D"), "{p}");
        assert!(p.contains(";\r\n filename*1*="), "{p}");
        // Joined back, the segments percent-decode to the name.
        let joined: String = p.split(";\r\n ").map(|seg| seg.split_once("*=").map(|x| x.1).unwrap().trim_start_matches("UTF-8''")).collect();
        let mut bytes = Vec::new();
        let raw = joined.as_bytes();
        let mut i = 0;
        while i < raw.len() {
            if raw[i] == b'%' {
                bytes.push(u8::from_str_radix(std::str::from_utf8(&raw[i + 1..i + 3]).unwrap(), 16).unwrap());
                i += 3;
            } else {
                bytes.push(raw[i]);
                i += 1;
            }
        }
        assert_eq!(String::from_utf8(bytes).unwrap(), "保修中心工作日报F03-2026-03-05.pdf");
    }

    #[test]
    fn the_message_has_the_headers_outlook_needs_and_decodable_parts() {
        let d = Draft {
            to: (1..=6).map(|i| format!("person{i}@example.cn")).collect(),
            cc: vec!["gm@example.cn".into()],
            subject: "保修中心工作日报 2026-03-05".into(),
            date: FixedOffset::east_opt(8 * 3600).unwrap().with_ymd_and_hms(2026, 3, 5, 18, 0, 0).unwrap(),
            body: "今日新增报修 3 张。\n完工 1 张。".into(),
            attachments: vec![Attachment { filename: "日报.pdf".into(), content_type: PDF.into(), bytes: vec![0, 1, 2, 255, 254] }],
        };
        let m = compose(&d);
        assert!(m.lines().all(|l| l.len() <= 998) && m.is_ascii(), "7-bit, legal line lengths");
        assert!(!m.replace("\r\n", "").contains('\n'), "CRLF line ends only");
        let (head, _) = m.split_once("\r\n\r\n").unwrap();
        assert!(head.contains("X-Unsent: 1") && head.contains("MIME-Version: 1.0"));
        assert!(head.contains("Date: Thu, 05 Mar 2026 18:00:00 +0800"), "{head}");
        assert!(head.contains("Cc: gm@example.cn"));
        assert!(head.lines().all(|l| l.len() <= 78), "{head}");
        let unfolded = head.replace("\r\n ", " ");
        let to = unfolded.lines().find(|l| l.starts_with("To: ")).unwrap();
        assert_eq!(to.matches('@').count(), 6);
        let b = boundary(&d);
        assert_eq!(m.matches(&format!("--{b}\r\n")).count(), 2);
        assert!(m.ends_with(&format!("--{b}--\r\n")));
        assert_eq!(b, boundary(&d.clone()), "the same draft gives the same file");
    }
}
