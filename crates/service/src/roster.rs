//! Owner roster import (业主花名册): one row per owner of a unit, from .xlsx/.xls. Preview
//! first (what would be created, every rejected cell with sheet/row/column), then one
//! transaction that writes all of it or nothing.

use crate::desk::{Desk, Session};
use crate::error::{DeskError, DeskResult, ErrorKind};
use crate::fund::workbook::{format_column_map, parse_column_map_for, ColumnMatch, FieldOption, NoHeader};
use crate::job::Progress;
use chrono::NaiveDate;
use desk_documents::excel_in::Confidence;
use desk_documents::excel_in::{self, CellError, CellValue, ColumnSpec, ImportedTable, Limits, TableSpec};
use desk_domain::audit::AuditAction;
use desk_domain::unit::UnitAddress;
use desk_store::settings;
use desk_store::{audit, master, Db};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::Path;

const COLUMNS: &[ColumnSpec] = &[
    ColumnSpec { key: "batch", label: "批次", synonyms: &["期", "期数", "分期", "交付批次", "批次名称"], required: true },
    ColumnSpec { key: "delivered_on", label: "交付日期", synonyms: &["交房日期", "入伙日期", "交付时间"], required: false },
    ColumnSpec { key: "accepted_on", label: "竣工验收日期", synonyms: &["竣工日期", "竣工验收时间", "竣工备案日期"], required: false },
    ColumnSpec { key: "building", label: "楼栋", synonyms: &["楼号", "栋号", "楼栋号", "楼座"], required: false },
    ColumnSpec { key: "entrance", label: "单元", synonyms: &["单元号"], required: false },
    ColumnSpec { key: "room", label: "房号", synonyms: &["房间号", "室号", "房屋编号", "房屋"], required: true },
    ColumnSpec { key: "owner", label: "业主姓名", synonyms: &["业主", "姓名", "客户姓名", "业主名称"], required: true },
    ColumnSpec { key: "phones", label: "联系电话", synonyms: &["电话", "手机", "手机号", "手机号码", "联系方式"], required: false },
    ColumnSpec { key: "area", label: "建筑面积", synonyms: &["面积", "建筑面积㎡", "建筑面积(平方米)"], required: false },
];

pub const ROSTER: TableSpec = TableSpec { name: "业主花名册", columns: COLUMNS, meaning: Some(roster_meaning), any_of: &[], values: None };

/// A roster header cell by its words when no known spelling matched (`所属期次`, `业主（产权人）`,
/// `移动电话`): the words people use for each column.
fn roster_meaning(n: &str) -> Option<&'static str> {
    let any = |ws: &[&str]| ws.iter().any(|w| n.contains(w));
    if any(&["竣工", "验收"]) {
        Some("accepted_on")
    } else if any(&["交付", "交房", "入伙"]) {
        Some("delivered_on")
    } else if any(&["批次", "期次", "分期"]) {
        Some("batch")
    } else if any(&["电话", "手机", "联系"]) {
        Some("phones")
    } else if any(&["面积"]) {
        Some("area")
    } else if any(&["业主", "姓名", "产权人", "购房人", "客户"]) {
        Some("owner")
    } else if any(&["单元"]) {
        Some("entrance")
    } else if any(&["楼", "栋", "幢"]) {
        Some("building")
    } else if any(&["房号", "房间", "室", "户号"]) {
        Some("room")
    } else {
        None
    }
}

/// The roster's fields, for the mapping step's choices.
pub fn roster_fields() -> Vec<FieldOption> {
    COLUMNS.iter().map(|c| FieldOption { key: c.key.to_string(), label: c.label.to_string() }).collect()
}

/// What the desk looks for in a roster's header row, said when it finds none.
const LOOKED_FOR: &str = "没有找到业主花名册的表头：表头一行须有「批次」「房号」「业主姓名」（也认「期数」「房间号」「姓名」等写法），可有楼栋、单元、联系电话、交付日期、竣工验收日期、建筑面积。可以在下面指出表头所在的行，再逐列选择对应的字段";

/// The setting holding the mapping confirmed for a roster header shape.
fn mapping_key(shape: &str) -> String {
    format!("roster_column_map:{shape}")
}

/// One owner row as it will be written.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct RosterRow {
    pub row: u32,
    pub batch: String,
    pub unit: String,
    pub owner: String,
    pub phones: Vec<String>,
    /// 新建 / 已有房屋 / 更新电话
    pub action: String,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct RosterPreview {
    pub file_name: String,
    pub sheet: String,
    pub header_row: u32,
    pub rows: u32,
    pub new_batches: Vec<String>,
    pub new_units: u32,
    pub new_owners: u32,
    pub updated_owners: u32,
    /// Every rejected cell; when any, nothing can be written.
    pub errors: Vec<CellError>,
    /// The first rows, for the preview table.
    pub sample: Vec<RosterRow>,
    /// When the same file (by content) was imported before.
    pub already_imported_at: Option<String>,
    pub written: bool,
    /// 字段对应: each column of the header with samples and the field it serves.
    pub columns: Vec<ColumnMatch>,
    pub fields: Vec<FieldOption>,
    /// A required column matched by its words only: the page opens the mapping step.
    pub needs_mapping: bool,
    /// The mapping in effect (`表头=2,C=room`), given now or remembered; empty when none.
    pub mapping: String,
    pub mapping_remembered: bool,
    /// No header was found: what was looked for and the first rows; nothing can be imported.
    pub no_header: Option<NoHeader>,
}

struct Parsed {
    row: u32,
    batch: String,
    delivered_on: Option<NaiveDate>,
    accepted_on: Option<NaiveDate>,
    address: UnitAddress,
    owner: String,
    phones: Vec<String>,
    area: Option<f64>,
}

fn optional<T>(v: &CellValue, f: impl Fn(&CellValue) -> Result<T, String>) -> Result<Option<T>, String> {
    if v.is_empty() {
        Ok(None)
    } else {
        f(v).map(Some)
    }
}

fn parse_rows(t: &ImportedTable, errors: &mut Vec<CellError>) -> Vec<Parsed> {
    let ix = |k: &str| ROSTER.index_of(k).unwrap_or(usize::MAX);
    let mut out = Vec::new();
    for r in &t.rows {
        let mut bad = false;
        let mut take = |i: usize, res: Result<String, String>| -> String {
            res.unwrap_or_else(|m| {
                errors.push(t.cell_error(r.row, i, m));
                bad = true;
                String::new()
            })
        };
        let batch = take(ix("batch"), excel_in::parse_text(r.cell(ix("batch"))));
        let owner = take(ix("owner"), excel_in::parse_text(r.cell(ix("owner"))));
        let room = take(ix("room"), excel_in::parse_text(r.cell(ix("room"))));
        let building = optional(r.cell(ix("building")), excel_in::parse_text).unwrap_or(None);
        let entrance = optional(r.cell(ix("entrance")), excel_in::parse_text).unwrap_or(None);
        let phones = match optional(r.cell(ix("phones")), excel_in::parse_phone_list) {
            Ok(p) => p.unwrap_or_default(),
            Err(m) => {
                errors.push(t.cell_error(r.row, ix("phones"), m));
                bad = true;
                Vec::new()
            }
        };
        let mut date = |key: &str| match optional(r.cell(ix(key)), excel_in::parse_date) {
            Ok(d) => d,
            Err(m) => {
                errors.push(t.cell_error(r.row, ix(key), m));
                bad = true;
                None
            }
        };
        let delivered_on = date("delivered_on");
        let accepted_on = date("accepted_on");
        let area = match r.cell(ix("area")) {
            CellValue::Number(x) if *x > 0.0 && *x < 10_000.0 => Some(*x),
            CellValue::Int(x) if *x > 0 && *x < 10_000 => Some(*x as f64),
            CellValue::Empty => None,
            CellValue::Text(s) if s.trim().is_empty() => None,
            CellValue::Text(s) => match s.trim().trim_end_matches(['㎡', 'm', '²']).trim().parse::<f64>() {
                Ok(x) if x > 0.0 && x < 10_000.0 => Some(x),
                _ => {
                    errors.push(t.cell_error(r.row, ix("area"), format!("建筑面积「{s}」不是 0 到 10000 之间的数字")));
                    bad = true;
                    None
                }
            },
            other => {
                errors.push(t.cell_error(r.row, ix("area"), format!("建筑面积「{other:?}」不是数字")));
                bad = true;
                None
            }
        };
        let full = match (building, entrance) {
            (Some(b), Some(e)) => format!("{b}-{e}-{room}"),
            _ => room.clone(),
        };
        let address = match full.parse::<UnitAddress>() {
            Ok(a) => Some(a),
            Err(e) if !room.is_empty() => {
                errors.push(t.cell_error(r.row, ix("room"), e.message));
                None
            }
            Err(_) => None,
        };
        if owner.chars().count() > 40 {
            errors.push(t.cell_error(r.row, ix("owner"), "业主姓名过长（最多 40 字）"));
            continue;
        }
        if let (false, Some(address)) = (bad, address) {
            out.push(Parsed { row: r.row, batch, delivered_on, accepted_on, address, owner, phones, area });
        }
    }
    out
}

/// The roster's table read with the user's mapping; empty when no header was found.
fn read_roster(path: &Path, overrides: &[(u32, Option<String>)]) -> DeskResult<Vec<ImportedTable>> {
    let mut found = excel_in::read_tables_with(path, &[&ROSTER], &Limits::default(), overrides).map_err(|e| DeskError::invalid("path", e.to_string()))?;
    Ok(found.pop().unwrap_or_default())
}

/// A header's shape (column letters and normalised words): what a confirmed mapping is kept by.
fn shape_of(t: &ImportedTable) -> String {
    let shape: Vec<String> = t.source_columns.iter().map(|c| format!("{}:{}", c.letter, excel_in::header::normalize_header(&c.header))).collect();
    format!("{:x}", Sha256::digest(shape.join("|").as_bytes()))
}

/// The header's columns as the mapping step shows them.
fn columns_of(t: &ImportedTable) -> Vec<ColumnMatch> {
    t.source_columns
        .iter()
        .map(|c| ColumnMatch {
            sheet: t.sheet.clone(),
            column: c.letter.clone(),
            header: c.header.clone(),
            samples: c.samples.clone(),
            field: c.key.unwrap_or_default().to_string(),
            field_label: c.key.and_then(|k| COLUMNS.iter().find(|x| x.key == k)).map(|x| x.label.to_string()).unwrap_or_default(),
            confidence: c.confidence,
        })
        .collect()
}

fn file_hash(path: &Path) -> DeskResult<String> {
    let bytes = std::fs::read(path).map_err(|e| DeskError::invalid("path", format!("无法读取文件「{}」：{e}", path.display())))?;
    Ok(format!("{:x}", Sha256::digest(&bytes)))
}

impl Desk {
    pub fn preview_roster(&self, path: &Path) -> DeskResult<RosterPreview> {
        self.roster(None, path, None, &Progress::none())
    }

    /// [`Desk::preview_roster`] reporting the rows checked to `p`; may be cancelled.
    pub fn preview_roster_with(&self, path: &Path, p: &Progress) -> DeskResult<RosterPreview> {
        self.roster(None, path, None, p)
    }

    /// Writes the roster in one transaction; refuses (writing nothing) when any cell is rejected.
    pub fn commit_roster(&self, s: &Session, path: &Path) -> DeskResult<RosterPreview> {
        self.commit_roster_with(s, path, &Progress::none())
    }

    /// [`Desk::commit_roster`] reporting the rows written to `p`; a cancel before the commit
    /// rolls the transaction back.
    pub fn commit_roster_with(&self, s: &Session, path: &Path, progress: &Progress) -> DeskResult<RosterPreview> {
        self.commit_roster_mapped_with(s, path, None, progress)
    }

    /// [`Desk::preview_roster`] with the user's column mapping (`表头=2,C=room,D=owner`, keys or
    /// Chinese labels); `None` uses the one remembered for this header shape, if any.
    pub fn preview_roster_mapped(&self, path: &Path, map: Option<&str>) -> DeskResult<RosterPreview> {
        self.roster(None, path, map, &Progress::none())
    }

    /// [`Desk::preview_roster_mapped`] reporting the rows checked to `p`; may be cancelled.
    pub fn preview_roster_mapped_with(&self, path: &Path, map: Option<&str>, p: &Progress) -> DeskResult<RosterPreview> {
        self.roster(None, path, map, p)
    }

    /// [`Desk::commit_roster`] with the user's column mapping; a mapping given is remembered for
    /// files with the same header shape.
    pub fn commit_roster_mapped(&self, s: &Session, path: &Path, map: Option<&str>) -> DeskResult<RosterPreview> {
        self.commit_roster_mapped_with(s, path, map, &Progress::none())
    }

    /// [`Desk::commit_roster_mapped`] reporting the rows written to `p`.
    pub fn commit_roster_mapped_with(&self, s: &Session, path: &Path, map: Option<&str>, progress: &Progress) -> DeskResult<RosterPreview> {
        // Creates batches (with the dates that decide warranty periods) and owners in bulk.
        crate::auth::require_role(s, &[desk_domain::staff::Role::Director], "导入房屋业主名册")?;
        self.roster(Some(s), path, map, progress)
    }

    fn roster(&self, actor: Option<&Session>, path: &Path, map: Option<&str>, progress: &Progress) -> DeskResult<RosterPreview> {
        let project = self.active_project()?;
        let given = map.map(|m| parse_column_map_for(m, COLUMNS)).transpose()?;
        let mut overrides = given.clone().unwrap_or_default();
        progress.step(0, 0, "正在读取文件");
        let mut tables = read_roster(path, &overrides)?;
        let mut remembered = false;
        if let (None, Some(t)) = (&given, tables.first()) {
            let saved = self.store.read(|tx| Ok::<_, DeskError>(settings::get(tx, &mapping_key(&shape_of(t)))?))?;
            if let Some(o) = saved.filter(|m| !m.is_empty()).and_then(|m| parse_column_map_for(&m, COLUMNS).ok()) {
                overrides = o;
                tables = read_roster(path, &overrides)?;
                remembered = true;
            }
        }
        let hash = file_hash(path)?;
        let file_name = path.file_name().map(|f| f.to_string_lossy().to_string()).unwrap_or_default();
        let Some(t) = tables.first() else {
            if actor.is_some() {
                return Err(DeskError::invalid("path", format!("未导入任何数据。{LOOKED_FOR}")));
            }
            let rows = excel_in::top_rows(path, &Limits::default(), 12).map_err(|e| DeskError::invalid("path", e.to_string()))?;
            return Ok(RosterPreview {
                file_name,
                sheet: String::new(),
                header_row: 0,
                rows: 0,
                new_batches: Vec::new(),
                new_units: 0,
                new_owners: 0,
                updated_owners: 0,
                errors: Vec::new(),
                sample: Vec::new(),
                already_imported_at: None,
                written: false,
                columns: Vec::new(),
                fields: roster_fields(),
                needs_mapping: true,
                mapping: format_column_map(&overrides),
                mapping_remembered: false,
                no_header: Some(NoHeader { looked_for: LOOKED_FOR.to_string(), rows }),
            });
        };
        let mut errors = Vec::new();
        let rows = parse_rows(t, &mut errors);
        let file_name = path.file_name().map(|f| f.to_string_lossy().to_string()).unwrap_or_default();
        let now = self.now();
        let commit = actor.is_some() && errors.is_empty();
        if actor.is_some() && !errors.is_empty() {
            return Err(DeskError::new(ErrorKind::Invalid, format!("花名册有 {} 处错误，未导入任何数据。第一处：{}", errors.len(), errors[0])));
        }
        progress.check()?;
        let label = if commit { "正在写入" } else { "正在核对" };
        let total = rows.len() as u64;
        let run = |tx: &Db| -> DeskResult<RosterPreview> {
            let already = desk_store::imports::find(tx, "roster", &hash)?;
            let mut p = RosterPreview {
                file_name: file_name.clone(),
                sheet: t.sheet.clone(),
                header_row: t.header_row,
                rows: rows.len() as u32,
                new_batches: Vec::new(),
                new_units: 0,
                new_owners: 0,
                updated_owners: 0,
                errors: errors.clone(),
                sample: Vec::new(),
                already_imported_at: already.map(desk_domain::time::fmt_local),
                written: false,
                columns: columns_of(t),
                fields: roster_fields(),
                needs_mapping: t
                    .source_columns
                    .iter()
                    .any(|c| c.confidence == Confidence::Meaning && c.key.is_some_and(|k| COLUMNS.iter().any(|x| x.key == k && x.required))),
                mapping: format_column_map(&overrides),
                mapping_remembered: remembered,
                no_header: None,
            };
            let mut batch_ids: BTreeMap<String, i64> = BTreeMap::new();
            let mut new_units: BTreeMap<String, i64> = BTreeMap::new();
            for (i, r) in rows.iter().enumerate() {
                if i % 500 == 0 {
                    progress.check()?;
                    progress.step(i as u64, total, label);
                }
                let batch_id = match batch_ids.get(&r.batch) {
                    Some(id) => *id,
                    None => {
                        let id = match master::find_batch(tx, project.id, &r.batch)? {
                            Some(id) => id,
                            None => {
                                p.new_batches.push(r.batch.clone());
                                if commit {
                                    master::insert_batch(tx, project.id, &r.batch, r.delivered_on, r.accepted_on)?
                                } else {
                                    -(p.new_batches.len() as i64)
                                }
                            }
                        };
                        batch_ids.insert(r.batch.clone(), id);
                        id
                    }
                };
                let key = r.address.to_string();
                let existing = match new_units.get(&key) {
                    Some(id) => Some(*id),
                    None => master::find_unit(tx, project.id, &r.address)?,
                };
                let (unit_id, mut action) = match existing {
                    Some(id) => (id, "已有房屋".to_string()),
                    None => {
                        p.new_units += 1;
                        let id = if commit { master::insert_unit(tx, project.id, batch_id, &r.address, r.area)? } else { -i64::from(p.new_units) };
                        new_units.insert(key.clone(), id);
                        (id, "新建房屋".to_string())
                    }
                };
                let owners = if unit_id > 0 { master::owners_of_unit(tx, unit_id)? } else { Vec::new() };
                match owners.iter().find(|o| o.name == r.owner) {
                    Some(o) => {
                        let mut phones = o.phones.clone();
                        let before = phones.len();
                        phones.extend(r.phones.iter().filter(|x| !o.phones.contains(x)).cloned());
                        if phones.len() > before {
                            p.updated_owners += 1;
                            action = "补充电话".into();
                            if commit {
                                master::update_owner(tx, o.id, &o.name, &phones, &o.note)?
                            }
                        } else {
                            action = "无变化".into();
                        }
                    }
                    None => {
                        p.new_owners += 1;
                        if commit {
                            master::insert_owner(tx, unit_id, &r.owner, &r.phones, "")?;
                        }
                    }
                }
                if p.sample.len() < 500 {
                    p.sample.push(RosterRow { row: r.row, batch: r.batch.clone(), unit: key, owner: r.owner.clone(), phones: r.phones.clone(), action });
                }
            }
            if let Some(s) = actor {
                if let Some(g) = &given {
                    settings::set(tx, &mapping_key(&shape_of(t)), &format_column_map(g))?;
                }
                desk_store::imports::record(tx, "roster", &hash, &file_name, rows.len() as i64, now, s.staff_id)?;
                audit::append(
                    tx,
                    now,
                    Some(s.staff_id),
                    AuditAction::ImportRoster,
                    "project",
                    project.id,
                    &format!("导入花名册「{file_name}」：{} 行，新建房屋 {}，新增业主 {}", rows.len(), p.new_units, p.new_owners),
                )?;
                p.written = true;
            }
            // The last moment a cancel still rolls everything back.
            progress.check()?;
            progress.step(total, total, label);
            Ok(p)
        };
        // A preview writes nothing: it reads beside the writer instead of waiting for it.
        if commit {
            self.store.with_tx(run)
        } else {
            self.store.read(run)
        }
    }
}
