//! Handing a saved PDF to the printer the way the PC does it.
//!
//! Windows: the shell's `print` verb (`Start-Process -Verb Print`) sends the PDF to the PDF
//! program's print path, so the clerk gets the printer dialog (Adobe Reader, Foxit, SumatraPDF)
//! in one click. Edge, the default PDF program on a bare Windows 10/11, registers no `print`
//! verb; then the PDF is opened instead and the clerk presses Ctrl+P. Our PDFs carry their real
//! page size (A5 landscape or A4), so "实际大小 / Actual size" prints a slip at A5 with no
//! "fit to page" shrinkage; the print dialog in the UI says so.
//!
//! Other systems: the PDF is opened with the default program.

use std::path::Path;

/// How the PDF reached the user: straight to the print path, or opened for Ctrl+P.
pub enum Handed {
    PrintVerb,
    Opened,
}

/// Tries the print verb first (Windows only); falls back to `open`.
pub fn print_or_open(path: &Path, open: impl FnOnce(&Path) -> Result<(), String>) -> Result<Handed, String> {
    if print_verb(path).is_ok() {
        return Ok(Handed::PrintVerb);
    }
    open(path).map(|()| Handed::Opened)
}

#[cfg(windows)]
fn print_verb(path: &Path) -> Result<(), String> {
    use std::os::windows::process::CommandExt;
    // CREATE_NO_WINDOW: no console flashes up in front of the clerk.
    const CREATE_NO_WINDOW: u32 = 0x0800_0000;
    // The path is passed as a separate PowerShell argument ($args[0]), never spliced into the
    // script text, so quotes or spaces in a Chinese folder name cannot change the command.
    let status = std::process::Command::new("powershell.exe")
        .args(["-NoProfile", "-NonInteractive", "-Command", "Start-Process -FilePath $args[0] -Verb Print -ErrorAction Stop"])
        .arg(path)
        .creation_flags(CREATE_NO_WINDOW)
        .status()
        .map_err(|e| e.to_string())?;
    if status.success() {
        Ok(())
    } else {
        Err("该 PDF 程序不支持直接打印".into())
    }
}

#[cfg(not(windows))]
fn print_verb(_path: &Path) -> Result<(), String> {
    Err("print verb is a Windows shell feature".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_a_print_verb_the_pdf_is_opened_instead() {
        let mut opened = None;
        let r = print_or_open(Path::new("/tmp/x.pdf"), |p| {
            opened = Some(p.to_path_buf());
            Ok(())
        });
        assert!(matches!(r, Ok(Handed::Opened)));
        assert_eq!(opened.as_deref(), Some(Path::new("/tmp/x.pdf")));
    }

    #[test]
    fn a_failure_to_open_reaches_the_user() {
        let r = print_or_open(Path::new("/tmp/x.pdf"), |_| Err("没有 PDF 程序".into()));
        assert_eq!(r.err().as_deref(), Some("没有 PDF 程序"));
    }
}
