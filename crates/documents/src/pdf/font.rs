//! The one font of every PDF form: Noto Sans SC Regular (SIL OFL 1.1, see
//! `assets/fonts/README.md`), a file shipped beside the program ([`font_file`]), read and parsed
//! on the first print and kept for the next ones ([`font`]) — and let go once printing has
//! stopped for a while ([`release_unused`]): printpdf keeps a copy of the 10.6 MB file and of its
//! glyph table beside its parse — 20 MB of the app process's heap (issue 16, the working day).
//! Widths come from the font's own `hmtx` advances, so the layout code measures exactly what the
//! printer will draw. printpdf has no fallback font: a character the font lacks prints as an
//! empty box, which is why tick boxes are drawn as lines.
//!
//! Why a file and not `include_bytes!` (as until issue 16): embedded, the TTF was 10.6 MB of the
//! program's own pages, and once a print had read them they stayed mapped into the app process
//! for the rest of the day — after the parse was let go, 10 MB of every desk's memory did
//! nothing. Read from a file, the bytes are a buffer dropped as soon as printpdf has its copy.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use printpdf::ParsedFont;

use super::PdfError;

/// The TTF's name, 10.6 MB; only the glyphs a document uses end up in its PDF (subset on save).
pub const FONT_FILE_NAME: &str = "NotoSansSC-Regular.ttf";

/// The font in the source tree this program was built from. Only looked at outside Windows: the
/// Windows programs are run installed, with the font beside them — a build machine's path there
/// would only hide a missing font (the Wine scenario checks the installed one is what prints).
#[cfg(not(windows))]
const SOURCE_FONT: Option<&str> = Some(concat!(env!("CARGO_MANIFEST_DIR"), "/../../assets/fonts/NotoSansSC-Regular.ttf"));
#[cfg(windows)]
const SOURCE_FONT: Option<&str> = None;

/// Where the form font is read from: `fonts\\NotoSansSC-Regular.ttf` in the program's folder,
/// where the installer puts it; otherwise (not on Windows) the source tree the program was built
/// from — which is where a program run from its build folder finds it (the tests, `cargo run`,
/// the Linux builds under `target/`). When neither exists, the answer is the first, which the
/// error names.
pub fn font_file() -> PathBuf {
    let beside = std::env::current_exe().ok().and_then(|exe| exe.parent().map(|dir| dir.join("fonts").join(FONT_FILE_NAME)));
    match (beside, SOURCE_FONT) {
        (Some(path), _) if path.is_file() => path,
        (_, Some(source)) if Path::new(source).is_file() => PathBuf::from(source),
        (Some(path), _) => path,
        (None, _) => PathBuf::from("fonts").join(FONT_FILE_NAME),
    }
}

/// The parsed font with the numbers the layout needs.
pub struct Font {
    /// printpdf's parsed face (cloned into each document; the source bytes are shared).
    pub parsed: ParsedFont,
    units_per_em: f32,
    notdef_advance: f32,
    /// Ascender in em (positive), used to place a baseline inside a box.
    pub ascender: f32,
    /// Descender in em (positive magnitude).
    pub descender: f32,
    /// Advances of Basic Multilingual Plane characters already measured (f32 bits + 1; 0 =
    /// not yet). The font's cmap lookup is a scan, and a long report measures millions of
    /// characters, almost all from a few thousand.
    advances: Box<[AtomicU32]>,
    /// Glyph ids of BMP characters already looked up (gid + 1; 0 = not yet), for the same
    /// reason: printpdf looks every character of a text up in the cmap twice on save (the
    /// used glyphs, then the encoding) — for a 400-page F03 that scan was most of its time — so
    /// text is handed to it as glyph ids ([`Font::glyphs`]).
    gids: Box<[AtomicU32]>,
}

/// The parsed font while it is kept, and when a document last asked for it.
static FONT: Mutex<Option<(Arc<Font>, Instant)>> = Mutex::new(None);

fn kept() -> MutexGuard<'static, Option<(Arc<Font>, Instant)>> {
    // A panic while the lock was held cannot leave a half-made font: the slot holds a whole
    // parsed font or nothing.
    FONT.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The process-wide parsed font: read and parsed on first use (12–19 ms), then shared until
/// [`release_unused`] lets it go.
pub fn font() -> Result<Arc<Font>, PdfError> {
    let mut slot = kept();
    let font = match slot.take() {
        Some((font, _)) => font,
        None => Arc::new(parse(&font_file())?),
    };
    *slot = Some((Arc::clone(&font), Instant::now()));
    Ok(font)
}

/// Lets go of the parsed font if no document has asked for it during the `idle` before `now`
/// (documents being made keep their own handle). Answers whether it was let go. The next print
/// parses it again.
pub fn release_unused(idle: Duration, now: Instant) -> bool {
    let mut slot = kept();
    let unused = slot.as_ref().is_some_and(|(_, last)| now.saturating_duration_since(*last) >= idle);
    if unused {
        *slot = None;
    }
    unused
}

/// Reads and parses the font file at `path`. The file's bytes go as soon as printpdf has made its
/// own copy of them.
fn parse(path: &Path) -> Result<Font, PdfError> {
    let bytes = std::fs::read(path)
        .map_err(|e| PdfError::Font(format!("找不到打印用的字体文件 {}（{e}）：请重新安装保修中心工作台，安装会把它放回原处", path.display())))?;
    let parsed = ParsedFont::from_bytes(&bytes, 0, &mut Vec::new())
        .ok_or_else(|| PdfError::Font(format!("字体文件 {} 已损坏，无法解析。请重新安装保修中心工作台", path.display())))?;
    drop(bytes);
    let m = &parsed.pdf_font_metrics;
    let upem = if m.units_per_em == 0 { 1000.0 } else { f32::from(m.units_per_em) };
    let ascender = f32::from(m.ascender) / upem;
    let descender = f32::from(m.descender).abs() / upem;
    let notdef_advance = f32::from(parsed.get_horizontal_advance(0)) / upem;
    let advances = (0..0x1_0000).map(|_| AtomicU32::new(0)).collect();
    let gids = (0..0x1_0000).map(|_| AtomicU32::new(0)).collect();
    Ok(Font { parsed, units_per_em: upem, notdef_advance, ascender, descender, advances, gids })
}

impl Font {
    /// Advance width of `c` in em (font size 1). A character the font lacks measures as the
    /// `.notdef` box that will be printed in its place.
    pub fn advance_em(&self, c: char) -> f32 {
        let slot = self.advances.get(c as usize);
        if let Some(v) = slot.map(|s| s.load(Ordering::Relaxed)).filter(|v| *v != 0) {
            return f32::from_bits(v - 1);
        }
        let a = self.lookup_advance(c);
        if let Some(s) = slot {
            // Advances are non-negative, so their bits are below u32::MAX and + 1 cannot wrap.
            s.store(a.to_bits().saturating_add(1), Ordering::Relaxed);
        }
        a
    }

    fn lookup_advance(&self, c: char) -> f32 {
        match self.parsed.lookup_glyph_index(c as u32) {
            Some(gid) => f32::from(self.parsed.get_horizontal_advance(gid)) / self.units_per_em,
            None => self.notdef_advance,
        }
    }

    /// The glyph id of `c` (0, the `.notdef` box, when the font lacks it — what printpdf itself
    /// prints for such a character).
    pub fn gid(&self, c: char) -> u16 {
        let slot = self.gids.get(c as usize);
        if let Some(v) = slot.map(|s| s.load(Ordering::Relaxed)).filter(|v| *v != 0) {
            return (v - 1) as u16;
        }
        let g = self.parsed.lookup_glyph_index(c as u32).unwrap_or(0);
        if let Some(s) = slot {
            s.store(u32::from(g) + 1, Ordering::Relaxed);
        }
        g
    }

    /// `s` as printpdf glyphs: the id, and the character for the PDF's ToUnicode map (so the
    /// text can still be searched, copied and read by `pdftotext`).
    pub fn glyphs(&self, s: &str) -> Vec<printpdf::Codepoint> {
        s.chars().map(|c| printpdf::Codepoint::with_cid(self.gid(c), 0.0, c.to_string())).collect()
    }

    /// Width of `s` in points at `size` pt.
    pub fn width_pt(&self, s: &str, size: f32) -> f32 {
        s.chars().map(|c| self.advance_em(c)).sum::<f32>() * size
    }

    /// Whether the font has a glyph for `c` (otherwise it would print as an empty box).
    pub fn has_glyph(&self, c: char) -> bool {
        self.parsed.lookup_glyph_index(c as u32).is_some_and(|g| g != 0)
    }
}

/// Measure function for [`super::layout`]: advance of a character in em, from the real font.
pub fn measure() -> Result<impl Fn(char) -> f32, PdfError> {
    let f = font()?;
    Ok(move |c: char| f.advance_em(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    // Other tests print at the same time and share the kept font: each assertion below holds
    // whatever they do meanwhile (they can only parse it again or mark it used).
    #[test]
    fn the_font_is_kept_between_prints_and_let_go_once_printing_has_stopped() {
        let first = font().expect("the form font parses");
        assert!(!release_unused(Duration::from_secs(3600), Instant::now()), "a font used just now is kept");

        let later = Instant::now() + Duration::from_secs(601);
        assert!(release_unused(Duration::from_secs(600), later), "ten idle minutes let it go");
        let again = font().expect("parsed again on the next print");
        assert!(!Arc::ptr_eq(&first, &again), "the next print parses a fresh copy");
        // The fresh copy measures as the first did: what prints does not change.
        assert_eq!(first.advance_em('保'), again.advance_em('保'));
        assert!(again.has_glyph('修'));
    }

    #[test]
    fn a_missing_or_broken_font_file_is_named_in_the_message() {
        let dir = tempfile::tempdir().expect("temp dir");
        let missing = dir.path().join("fonts").join(FONT_FILE_NAME);
        let err = parse(&missing).err().expect("no file, no font").to_string();
        assert!(err.contains("找不到打印用的字体文件") && err.contains(FONT_FILE_NAME), "{err}");

        let broken = dir.path().join(FONT_FILE_NAME);
        std::fs::write(&broken, b"not a font at all").expect("write");
        let err = parse(&broken).err().expect("garbage is no font").to_string();
        assert!(err.contains("已损坏") && err.contains(FONT_FILE_NAME), "{err}");
    }

    #[cfg(not(windows))]
    #[test]
    fn a_program_run_from_its_build_folder_finds_the_font_of_its_source_tree() {
        // The test binary lives in target/*/deps, with no fonts folder beside it.
        let path = font_file();
        assert!(path.is_file(), "{}", path.display());
        assert_eq!(path.file_name().and_then(|n| n.to_str()), Some(FONT_FILE_NAME));
    }
}
