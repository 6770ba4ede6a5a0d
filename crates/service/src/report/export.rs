//! Writing the daily report: PDF, workbook or an e-mail draft with both attached, and a copy under `reports/`.

use super::document::to_doc;
use super::*;
use crate::desk::{Desk, Session};
use crate::job::Progress;
use chrono::NaiveDateTime;
use desk_documents::eml::{self, Attachment, Draft};
use desk_documents::f03::{self};
use desk_domain::audit::AuditAction;
use desk_domain::time::{desk_tz, fmt_local};
use desk_store::audit;
use std::path::Path;

pub(super) fn local_naive(t: DateTime<Utc>) -> NaiveDateTime {
    t.with_timezone(&desk_tz()).naive_local()
}

impl Desk {
    /// Writes the daily report of `date` to `out` as PDF, Excel (.xlsx) or an e-mail draft
    /// (.eml, with the PDF and the workbook attached and the recipients filled in), chosen by
    /// the file's extension. A copy is kept under `reports/` in the data folder.
    pub fn export_daily_report(&self, date: NaiveDate, out: &Path) -> DeskResult<ReportExport> {
        self.export_daily_report_by(None, date, out)
    }

    /// [`Desk::export_daily_report`], on the audit log with who exported it (`None`: the
    /// machine's operator at the command line) and to where.
    pub fn export_daily_report_by(&self, s: Option<&Session>, date: NaiveDate, out: &Path) -> DeskResult<ReportExport> {
        self.export_daily_report_with(s, date, out, &Progress::none())
    }

    /// [`Desk::export_daily_report_by`] in two steps reported to `p` (gather, write); a cancel
    /// before the files are written leaves none.
    pub fn export_daily_report_with(&self, s: Option<&Session>, date: NaiveDate, out: &Path, p: &Progress) -> DeskResult<ReportExport> {
        let x = self.export_report_file(date, out, p)?;
        let now = self.now();
        let detail = format!("导出 {date} 的工作日报 F03（{}）到「{}」", x.format, x.path);
        self.store.with_tx(|tx| audit::append(tx, now, s.map(|s| s.staff_id), AuditAction::ExportF03, "report", 0, &detail))?;
        Ok(x)
    }

    fn export_report_file(&self, date: NaiveDate, out: &Path, p: &Progress) -> DeskResult<ReportExport> {
        let ext = out.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).unwrap_or_default();
        if !matches!(ext.as_str(), "pdf" | "xlsx" | "eml") {
            return Err(DeskError::invalid("out", format!("日报只能导出为 .pdf、.xlsx 或 .eml 文件（收到「{}」）", out.display())));
        }
        p.step(0, 2, "汇总当日数据");
        let r = self.daily_report(date)?;
        p.check()?;
        p.step(1, 2, "生成日报文件");
        let doc = to_doc(&r);
        let dir = self.data_dir.join("reports");
        std::fs::create_dir_all(&dir).map_err(|e| DeskError::storage(format!("无法创建日报文件夹：{e}")))?;
        let stem = format!("F03-{}", date.format("%Y-%m-%d"));
        let created = local_naive(r.generated_at);
        let pdf = |dir: &Path| -> DeskResult<Vec<u8>> {
            let bytes = f03::render_pdf(&doc, created).map_err(|e| DeskError::storage(format!("生成日报 PDF 失败：{e}")))?;
            write_file(&dir.join(format!("{stem}.pdf")), &bytes)?;
            Ok(bytes)
        };
        let xlsx = |dir: &Path| -> DeskResult<Vec<u8>> {
            let p = dir.join(format!("{stem}.xlsx"));
            f03::write_xlsx(&p, &doc).map_err(|e| DeskError::storage(format!("生成日报 Excel 失败：{e}")))?;
            std::fs::read(&p).map_err(|e| DeskError::storage(format!("无法读取「{}」：{e}", p.display())))
        };
        let (bytes, recipients) = match ext.as_str() {
            "pdf" => (pdf(&dir)?, 0),
            "xlsx" => (xlsx(&dir)?, 0),
            _ => {
                let name = format!("保修中心工作日报{stem}");
                // The PDF and the workbook do not depend on each other: made side by side (two
                // cores on an office PC), the mail of a day with thousands of open tickets waits
                // for the longer of the two, not for both.
                let (pdf_bytes, xlsx_bytes) = std::thread::scope(|s| {
                    let p = s.spawn(|| pdf(&dir));
                    let x = xlsx(&dir);
                    (p.join().unwrap_or_else(|_| Err(DeskError::storage("生成日报 PDF 时程序出错"))), x)
                });
                let draft = Draft {
                    to: r.recipients.to.clone(),
                    cc: r.recipients.cc.clone(),
                    subject: subject(&r),
                    date: r.generated_at.with_timezone(&desk_tz()),
                    body: mail_body(&r),
                    attachments: vec![
                        Attachment { filename: format!("{name}.pdf"), content_type: eml::PDF.into(), bytes: pdf_bytes? },
                        Attachment { filename: format!("{name}.xlsx"), content_type: eml::XLSX.into(), bytes: xlsx_bytes? },
                    ],
                };
                let bytes = eml::compose(&draft).into_bytes();
                write_file(&dir.join(format!("{stem}.eml")), &bytes)?;
                (bytes, (draft.to.len() + draft.cc.len()) as u32)
            }
        };
        let saved = dir.join(format!("{stem}.{ext}"));
        let same = out.canonicalize().ok().zip(saved.canonicalize().ok()).is_some_and(|(a, b)| a == b);
        if !same {
            write_file(out, &bytes)?;
        }
        Ok(ReportExport { path: out.display().to_string(), saved: saved.display().to_string(), format: ext, bytes: bytes.len() as u32, recipients })
    }
}

fn write_file(p: &Path, bytes: &[u8]) -> DeskResult<()> {
    std::fs::write(p, bytes).map_err(|e| DeskError::storage(format!("无法写入「{}」（可能正被其他程序打开，或没有写入权限）：{e}", p.display())))
}

fn weekday(d: NaiveDate) -> &'static str {
    use chrono::Datelike;
    ["一", "二", "三", "四", "五", "六", "日"][d.weekday().num_days_from_monday() as usize]
}

fn subject(r: &DailyReport) -> String {
    format!("{}保修中心工作日报（{}）{}", r.project, f03::FORM_NO, r.date.format("%Y-%m-%d"))
}

/// The lines of the day's figures, shared by the PDF's summary and the e-mail's body.
pub(super) fn figure_lines(f: &DailyFigures) -> Vec<(String, String)> {
    vec![
        ("新增报修".into(), format!("{} 张", f.new_reports)),
        ("完工验收".into(), format!("{} 张", f.completions)),
        ("通知业主".into(), format!("{} 次（已告知 {}，未联系上 {}）", f.notices, f.notices_reached, f.notices_unreached)),
        (
            "维修回访".into(),
            format!(
                "{} 次（满意 {}，基本满意 {}，不满意 {}，未联系上 {}）",
                f.return_visits, f.visits_satisfied, f.visits_basic, f.visits_dissatisfied, f.visits_unreached
            ),
        ),
        ("非保修范围事项".into(), format!("{} 项", f.out_of_scope)),
        ("上报项目总经理".into(), format!("未确认 {} 项（当日新上报 {} 项）", f.escalations_open, f.escalations_raised)),
        ("在办报修单".into(), format!("{} 张（已超时 {}，暂停计时 {}）", f.open_tickets, f.overdue_tickets, f.on_hold)),
    ]
}

fn mail_body(r: &DailyReport) -> String {
    let mut b = String::new();
    b.push_str("各位领导、同事：\n\n");
    b.push_str(&format!("{}保修中心 {}（星期{}）工作日报如下，详见附件 PDF 与 Excel：\n\n", r.project, r.date.format("%Y-%m-%d"), weekday(r.date)));
    for (i, (l, v)) in figure_lines(&r.figures).into_iter().enumerate() {
        b.push_str(&format!("{}、{l}：{v}\n", ["一", "二", "三", "四", "五", "六", "七"].get(i).copied().unwrap_or("")));
    }
    let open: Vec<&ReportEscalation> = r.escalations.iter().filter(|e| e.open).collect();
    if !open.is_empty() {
        b.push_str("\n待项目总经理确认的上报事项：\n");
        for e in open {
            b.push_str(&format!("· {}（{}）{}：{}\n", e.kind_label, e.section, e.ticket_no.as_deref().or(e.unit.as_deref()).unwrap_or(""), e.detail));
        }
    }
    let late: Vec<&ProgressRow> = r.progress.iter().filter(|p| p.late_by_minutes > 0).take(20).collect();
    if !late.is_empty() {
        b.push_str("\n已超时的报修单（前 20 张）：\n");
        for p in late {
            b.push_str(&format!("· {} {} {} {}：{}\n", p.no, p.unit, p.part, p.status.label(), p.duties.first().map(String::as_str).unwrap_or("")));
        }
    }
    b.push_str(&format!("\n（本邮件由保修中心工作台于 {} 生成，业主电话已打码。）\n", fmt_local(r.generated_at)));
    b
}
