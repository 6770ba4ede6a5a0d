//! Text measuring, wrapping and fitting — printpdf leaves all of it to us.
//!
//! * [`wrap`] breaks text into lines that fit a width: on character boundaries for Chinese, on
//!   spaces for runs of Latin letters/digits when the word fits a line, with 禁则 (kinsoku):
//!   no line starts with closing punctuation ([`NO_LINE_START`], e.g. ，。；：、）」) and no
//!   line ends with an opening bracket ([`NO_LINE_END`]). Explicit `\n` starts a new line.
//! * [`fit`] makes text fit a box: wrap at the largest size, shrink in 0.5 pt steps down to a
//!   minimum, and if it still does not fit, keep the lines that fit and end the last one with
//!   "…". The result never exceeds the box, so text never runs over a ruled line.
//!
//! Everything here is pure: the width of a character comes from a `measure` function giving
//! its advance in em (the real font in production, see [`super::font::measure`]).

/// Characters that must not begin a line (closing punctuation, Chinese and Latin).
pub const NO_LINE_START: &[char] =
    &['，', '。', '；', '：', '、', '）', '」', '』', '】', '》', '〉', '！', '？', '”', '’', '…', '·', '％', ',', '.', ';', ':', '!', '?', ')', ']', '}', '%'];
/// Characters that must not end a line (opening brackets and quotes).
pub const NO_LINE_END: &[char] = &['（', '「', '『', '【', '《', '〈', '“', '‘', '(', '[', '{'];

/// Line height as a multiple of the font size.
pub const LINE_SPACING: f32 = 1.25;
/// Tolerance for float comparisons of widths (pt).
const EPS: f32 = 0.01;

/// Width of `s` in pt at `size` pt.
pub fn text_width(s: &str, size: f32, measure: &dyn Fn(char) -> f32) -> f32 {
    s.chars().map(measure).sum::<f32>() * size
}

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '/'
}

/// Wraps `text` into lines no wider than `width` pt at `size` pt (a single character wider than
/// the whole line is the only exception; it gets a line of its own). Empty text gives no lines.
pub fn wrap(text: &str, width: f32, size: f32, measure: &dyn Fn(char) -> f32) -> Vec<String> {
    let mut out = Vec::new();
    if text.trim().is_empty() {
        return out;
    }
    for para in text.trim_end().split('\n') {
        wrap_paragraph(para.trim_end_matches('\r'), width, size, measure, &mut out);
    }
    out
}

fn wrap_paragraph(para: &str, width: f32, size: f32, measure: &dyn Fn(char) -> f32, out: &mut Vec<String>) {
    let w_of = |c: char| measure(c) * size;
    let mut cur: Vec<char> = Vec::new();
    let mut cur_w = 0.0_f32;
    let chars: Vec<char> = para.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let w = w_of(c);
        if cur.is_empty() || cur_w + w <= width + EPS {
            if !(cur.is_empty() && c == ' ' && !out.is_empty()) {
                cur.push(c);
                cur_w += w;
            }
            i += 1;
            continue;
        }
        // `c` does not fit: choose how many characters of `cur` stay on this line.
        if c == ' ' {
            push_line(out, &cur);
            cur.clear();
            cur_w = 0.0;
            i += 1;
            continue;
        }
        let k = break_point(&cur, c);
        push_line(out, &cur[..k]);
        let rest: Vec<char> = cur[k..].iter().copied().skip_while(|&x| x == ' ').collect();
        cur_w = rest.iter().map(|&x| w_of(x)).sum();
        cur = rest;
        // Retry `c` against the carried-over characters (no advance of `i`).
    }
    if !cur.is_empty() || out.is_empty() {
        push_line(out, &cur);
    }
}

/// How many characters of `cur` to keep when `next` does not fit after them (always ≥ 1).
fn break_point(cur: &[char], next: char) -> usize {
    let n = cur.len();
    let mut k = n;
    // A Latin word (e.g. an order number) moves to the next line whole if it fits there.
    if is_word_char(next) && cur.last().is_some_and(|&c| is_word_char(c)) {
        if let Some(j) = cur.iter().rposition(|&c| !is_word_char(c)) {
            k = j + 1;
        }
    }
    let bad = |k: usize| {
        let first = if k < n { cur[k] } else { next };
        NO_LINE_START.contains(&first) || NO_LINE_END.contains(&cur[k - 1])
    };
    let start = k;
    while k > 1 && bad(k) {
        k -= 1;
    }
    if bad(k) {
        // Only a line made entirely of punctuation gets here; break where the width forces it.
        start
    } else {
        k
    }
}

fn push_line(out: &mut Vec<String>, chars: &[char]) {
    let s: String = chars.iter().collect();
    out.push(s.trim_end().to_string());
}

/// Text fitted into a box by [`fit`].
#[derive(Debug, Clone, PartialEq)]
pub struct Fitted {
    /// Font size in pt.
    pub size: f32,
    /// Distance between baselines in pt.
    pub line_height: f32,
    /// The lines, top to bottom; the last ends with "…" when text had to be cut.
    pub lines: Vec<String>,
    /// Whether text was cut.
    pub truncated: bool,
}

impl Fitted {
    /// Height of the block in pt (lines × line height).
    pub fn height(&self) -> f32 {
        self.lines.len() as f32 * self.line_height
    }
}

/// Fits `text` into a `width` × `height` pt box: the largest size from `max_size` down to
/// `min_size` (0.5 pt steps) at which the wrapped text fits; failing that, the lines that fit
/// at `min_size` with "…" at the end. If not even one line fits at `min_size`, the size drops
/// further so that exactly one line does. The block is never wider or taller than the box.
pub fn fit(text: &str, width: f32, height: f32, max_size: f32, min_size: f32, measure: &dyn Fn(char) -> f32) -> Fitted {
    let min_size = min_size.min(max_size).max(0.5);
    let mut size = max_size;
    loop {
        let lines = wrap(text, width, size, measure);
        let lh = size * LINE_SPACING;
        if lines.len() as f32 * lh <= height + EPS {
            return Fitted { size, line_height: lh, lines, truncated: false };
        }
        if size <= min_size {
            break;
        }
        size = (size - 0.5).max(min_size);
    }
    let mut size = min_size;
    let mut max_lines = ((height + EPS) / (size * LINE_SPACING)).floor() as usize;
    if max_lines == 0 {
        size = height / LINE_SPACING;
        max_lines = 1;
    }
    let mut lines = wrap(text, width, size, measure);
    lines.truncate(max_lines);
    if let Some(last) = lines.last_mut() {
        let mut chars: Vec<char> = last.chars().collect();
        loop {
            let candidate: String = chars.iter().collect::<String>() + "…";
            if chars.is_empty() || text_width(&candidate, size, measure) <= width + EPS {
                *last = candidate;
                break;
            }
            chars.pop();
        }
    }
    Fitted { size, line_height: size * LINE_SPACING, lines, truncated: true }
}
