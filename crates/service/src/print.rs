//! Printing: the dispatch slip F02, the ticket record F01 and a unit's repair history, as real
//! PDFs (desk-documents). Each print is also saved under `prints/` in the data folder, so what
//! was handed to a contractor can be found again. Phones are masked unless asked for in full.

use crate::desk::{Desk, Session};
use crate::error::{DeskError, DeskResult};
use desk_documents::pdf::{self, ContactAttempt as PdfContact, DispatchSlip, SlipLayout, TicketRecord, UnitHistory, UnitHistoryRow};
use desk_domain::audit::AuditAction;
use desk_domain::phone::mask_phone;
use desk_domain::records::{TicketDetail, UnitRecord};
use desk_domain::repair::{AcceptanceKind, FollowUpKind};
use desk_domain::time::{desk_tz, fmt_local};
use desk_store::{master, tickets};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, Deserialize, ts_rs::TS)]
#[ts(export)]
pub enum PrintLayout {
    /// One slip on A5 landscape.
    A5,
    /// Two copies on A4: 存根 and 业主联.
    A4Two,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct PrintResult {
    /// Where the copy was saved.
    pub path: String,
    pub bytes: u32,
    /// The first pages drawn as images, for the preview (the webview's PDF viewer held memory it
    /// never gave back; see `desk_documents::pdf::preview`).
    pub preview: Vec<PreviewImage>,
    /// Pages in the PDF (the preview stops at [`PREVIEW_PAGES`]).
    pub page_count: u32,
    /// Why no preview could be drawn; the PDF is saved and prints all the same.
    pub preview_error: Option<String>,
}

/// One previewed page: a PNG, base64.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct PreviewImage {
    pub png_base64: String,
    pub width: u32,
    pub height: u32,
}

/// The preview shows this many pages at most; the rest are in the PDF that prints.
pub const PREVIEW_PAGES: usize = 8;
/// Pixels across a previewed page: sharp in the 900-pixel dialog, also at 125 % display scaling.
const PREVIEW_WIDTH_PX: u32 = 1000;

/// A unit's whole history: every ticket in full (the owner's archive).
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct UnitArchive {
    pub unit: UnitRecord,
    pub tickets: Vec<TicketDetail>,
}

fn opt_time(t: Option<chrono::DateTime<chrono::Utc>>) -> String {
    t.map(fmt_local).unwrap_or_default()
}

impl Desk {
    pub(crate) fn created(&self) -> chrono::NaiveDateTime {
        self.now().with_timezone(&desk_tz()).naive_local()
    }

    pub(crate) fn save_print(&self, name: &str, bytes: Vec<u8>) -> DeskResult<PrintResult> {
        use base64::Engine;
        let dir = self.data_dir.join("prints");
        std::fs::create_dir_all(&dir).map_err(|e| DeskError::storage(format!("无法创建打印文件夹：{e}")))?;
        // Names carry unit addresses and numbers as typed; Windows refuses some characters.
        let path = dir.join(desk_domain::file_name::safe_file_name(name));
        std::fs::write(&path, &bytes).map_err(|e| DeskError::storage(format!("无法保存 PDF：{e}")))?;
        let b64 = base64::engine::general_purpose::STANDARD;
        let (preview, page_count, preview_error) = match pdf::preview::preview_pages(&bytes, PREVIEW_WIDTH_PX, PREVIEW_PAGES) {
            Ok(p) => {
                let images = p.pages.into_iter().map(|pg| PreviewImage { png_base64: b64.encode(&pg.png), width: pg.width, height: pg.height }).collect();
                (images, p.page_count, None)
            }
            Err(e) => (Vec::new(), 0, Some(e)),
        };
        Ok(PrintResult { path: path.display().to_string(), bytes: bytes.len() as u32, preview, page_count, preview_error })
    }

    /// F02 of the ticket's latest dispatch (or the named one), with the owner's signature once signed.
    /// The owner's phone is masked unless `full_phone`; that choice is audited (PIPL) with `actor`.
    pub fn print_f02(&self, actor: Option<&Session>, no: &str, dispatch: Option<&str>, layout: PrintLayout, full_phone: bool) -> DeskResult<PrintResult> {
        let t = self.ticket(no)?;
        if full_phone {
            self.audit_full_phone(actor, "F02 调度单", t.id, &t.no)?;
        }
        let d = match dispatch {
            Some(dno) => t.dispatches.iter().find(|d| d.no == dno),
            None => t.dispatches.last(),
        }
        .ok_or_else(|| DeskError::invalid("dispatch", format!("报修单 {no} 还没有调度单，请先签发")))?;
        let project = self.projects()?.into_iter().next().map(|p| p.name).unwrap_or_default();
        let unit_long = t.unit.parse::<desk_domain::unit::UnitAddress>().map(|u| u.long_form()).unwrap_or_else(|_| t.unit.clone());
        let latest = t.dispatches.last().map(|x| x.id) == Some(d.id);
        let acceptance = t.acceptance.as_ref().filter(|_| latest);
        let signature_png = match acceptance {
            Some(a) if a.kind == AcceptanceKind::OwnerOnScreen && !a.file.is_empty() => std::fs::read(self.data_dir.join(&a.file)).ok(),
            _ => None,
        };
        let slip = DispatchSlip {
            no: d.no.clone(),
            ticket_no: t.no.clone(),
            project,
            unit: unit_long,
            owner: t.owner.clone(),
            phone: if full_phone { t.phone.clone() } else { mask_phone(&t.phone) },
            contractor: d.contractor.clone(),
            site_contact: d.site_contact.clone(),
            part: t.part.clone(),
            category: t.category.label().into(),
            classification: t.classification.map(|c| c.label().to_string()).unwrap_or_default(),
            defect: t.description.clone(),
            plan: d.plan.clone(),
            materials: d.materials.clone(),
            appointment: fmt_local(d.appointment_at),
            issued_by: d.issued_by.clone(),
            issued_at: fmt_local(d.issued_at),
            steward: t.steward.clone().unwrap_or_default(),
            rework: d.rework,
            arrived_at: opt_time(d.arrived_at),
            completed_at: opt_time(d.completed_at),
            owner_opinion: acceptance
                .map(|a| match a.kind {
                    AcceptanceKind::Proxy => {
                        format!("{}（{}、{}）", a.kind.label(), a.director.clone().unwrap_or_default(), a.cs_assistant.clone().unwrap_or_default())
                    }
                    _ => a.owner_opinion.clone(),
                })
                .unwrap_or_default(),
            signed_at: acceptance.map(|a| fmt_local(a.at)).unwrap_or_default(),
            signature_png,
        };
        let layout = match layout {
            PrintLayout::A5 => SlipLayout::A5Landscape,
            PrintLayout::A4Two => SlipLayout::A4TwoCopies,
        };
        let bytes = pdf::render_f02(&slip, layout, self.created()).map_err(|e| DeskError::storage(format!("生成调度单 PDF 失败：{e}")))?;
        self.save_print(&format!("F02-{}.pdf", d.no), bytes)
    }

    /// A printout with the full phone number leaves the desk: who printed it is recorded.
    fn audit_full_phone(&self, actor: Option<&Session>, form: &str, ticket_id: i64, no: &str) -> DeskResult<()> {
        let detail = format!("打印{form}（{no}）时选择了显示完整电话号码");
        self.store
            .with_tx(|tx| desk_store::audit::append(tx, self.now(), actor.map(|s| s.staff_id), AuditAction::PrintFullPhone, "ticket", ticket_id, &detail))?;
        Ok(())
    }

    /// F01 业主报修情况记录表.
    pub fn print_f01(&self, actor: Option<&Session>, no: &str, full_phone: bool) -> DeskResult<PrintResult> {
        let t = self.ticket(no)?;
        if full_phone {
            self.audit_full_phone(actor, "F01 记录表", t.id, &t.no)?;
        }
        let project = self.projects()?.into_iter().next().map(|p| p.name).unwrap_or_default();
        let first_contact = t.contacts.iter().find(|c| c.reached).map(|c| fmt_local(c.at)).unwrap_or_default();
        let r = TicketRecord {
            ticket_no: t.no.clone(),
            project_unit: format!("{project} {}", t.unit),
            batch: t.batch_name.clone(),
            delivered_on: t.delivered_on.map(|d| d.to_string()).unwrap_or_default(),
            owner: t.owner.clone(),
            phones: if full_phone { t.phone.clone() } else { mask_phone(&t.phone) },
            reporter: if t.caller_name.is_empty() { t.owner.clone() } else { t.caller_name.clone() },
            relation: if t.caller_relation.is_empty() { "本人".into() } else { t.caller_relation.clone() },
            channel: t.channel.label().into(),
            reported_at: fmt_local(t.reported_at),
            expected_visit: t.expected_visit.clone(),
            first_contact_at: first_contact,
            warranty_status: String::new(),
            defect: t.description.clone(),
            part: t.part.clone(),
            category: t.category.label().into(),
            nature: t.nature.label().into(),
            classification: t.classification.map(|c| c.label().to_string()).unwrap_or_default(),
            due: opt_time(t.required_by),
            receptionist: t.receptionist.clone(),
            steward: t.steward.clone().unwrap_or_default(),
            contacts: t
                .contacts
                .iter()
                .map(|c| PdfContact {
                    time: fmt_local(c.at),
                    way: c.channel.label().into(),
                    reached: if c.reached { "已联系上".into() } else { "未联系上".into() },
                    note: c.note.clone(),
                })
                .collect(),
        };
        let bytes = pdf::render_f01(&r, self.created()).map_err(|e| DeskError::storage(format!("生成记录表 PDF 失败：{e}")))?;
        self.save_print(&format!("F01-{}.pdf", t.no), bytes)
    }

    /// Every ticket of a unit in full, oldest first (the owner's archive, §5.1.3.6).
    pub fn unit_archive(&self, unit_id: i64) -> DeskResult<UnitArchive> {
        let reader = self.store.reader()?;
        let c = &reader.db();
        let unit = master::get_unit(c, unit_id)?;
        let mut list = tickets::of_unit(c, unit_id, 1000)?;
        list.reverse();
        let tickets = list.iter().map(|s| crate::tickets::detail(c, s.id)).collect::<Result<Vec<_>, _>>()?;
        Ok(UnitArchive { unit, tickets })
    }

    /// The unit's repair history as a PDF (A4, continues over pages).
    pub fn print_unit_history(&self, unit_id: i64) -> DeskResult<PrintResult> {
        let a = self.unit_archive(unit_id)?;
        let project = self.projects()?.into_iter().find(|p| p.id == a.unit.project_id).map(|p| p.name).unwrap_or_default();
        let rows = a
            .tickets
            .iter()
            .map(|t| {
                let visit = t.followups.iter().rev().find(|f| f.kind == FollowUpKind::ReturnVisit && f.ok);
                UnitHistoryRow {
                    ticket_no: t.no.clone(),
                    reported_at: fmt_local(t.reported_at),
                    part: t.part.clone(),
                    defect: t.description.clone(),
                    dispatch_nos: t.dispatches.iter().map(|d| d.no.clone()).collect::<Vec<_>>().join("、"),
                    contractor: t.dispatches.last().map(|d| d.contractor.clone()).unwrap_or_default(),
                    completed_at: opt_time(t.dispatches.last().and_then(|d| d.completed_at)),
                    acceptance: t.acceptance.as_ref().map(|x| x.kind.label().to_string()).unwrap_or_default(),
                    satisfaction: visit.and_then(|v| v.satisfaction).map(|s| s.label().to_string()).unwrap_or_default(),
                    status: t.status.label().into(),
                }
            })
            .collect();
        let h = UnitHistory {
            project,
            unit: a.unit.address.clone(),
            batch: a.unit.batch_name.clone(),
            delivered_on: a.unit.delivered_on.map(|d| d.to_string()).unwrap_or_default(),
            owners: a.unit.owners.iter().map(|o| o.name.clone()).collect::<Vec<_>>().join("、"),
            rows,
        };
        let bytes = pdf::render_unit_history(&h, self.created()).map_err(|e| DeskError::storage(format!("生成维修历史 PDF 失败：{e}")))?;
        self.save_print(&format!("维修历史-{}.pdf", a.unit.address), bytes)
    }
}

/// What the QR code on a scanned paper slip points at.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct SlipMatch {
    pub dispatch_no: String,
    pub ticket_no: String,
}

impl Desk {
    /// Finds the dispatch notice whose QR code is on a scanned or photographed paper slip.
    pub fn find_slip_by_scan(&self, path: &std::path::Path) -> DeskResult<SlipMatch> {
        let codes = desk_documents::scan::read_codes(path).map_err(|e| DeskError::invalid("scan_file", e.to_string()))?;
        for code in &codes {
            if let Ok((ticket_id, d)) = desk_store::repair::dispatch_by_no(&self.store.reader()?.db(), code.trim()) {
                let t = crate::tickets::detail(&self.store.reader()?.db(), ticket_id)?;
                return Ok(SlipMatch { dispatch_no: d.no, ticket_no: t.no });
            }
        }
        Err(DeskError::invalid("scan_file", format!("图片中的二维码（{}）不是本系统的调度单", codes.join("、"))))
    }
}

/// How long printing must have stopped before the desk lets go of the parsed form font. Printing
/// comes in bursts — a batch of slips, a preview and then its print — and between them the font
/// is 20 MB of the app process (printpdf's copy of the 10.6 MB file, its glyph table, the parse)
/// for a saving of 12–19 ms a print: that is what parsing it again costs (release build, measured
/// five times on this 2-core machine). So it is kept only while a burst goes on: a preview looked
/// at for longer than this prints with a fresh parse, which nobody can feel. (It was 15 s: the
/// font was still held at the moment a scripted working day ended, issue 16.)
pub const FONT_KEPT_IDLE: std::time::Duration = std::time::Duration::from_secs(2);

/// How often the app asks [`release_idle_print_memory`]: the font goes between
/// [`FONT_KEPT_IDLE`] and this much later. A sleeping thread waking once a second costs nothing
/// measurable.
pub const FONT_RELEASE_CHECK: std::time::Duration = std::time::Duration::from_secs(1);

/// Lets go of what printing keeps between prints (the parsed form font) once nothing has been
/// printed for [`FONT_KEPT_IDLE`] before `now`. Answers whether something was let go.
pub fn release_idle_print_memory(now: std::time::Instant) -> bool {
    pdf::font::release_unused(FONT_KEPT_IDLE, now)
}
