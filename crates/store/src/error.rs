//! Store errors, each with a Chinese message a clerk can act on.

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The file exists but is not an SQLite database (junk, another program's file, damaged header).
    #[error("数据文件「{0}」不是本系统的数据库（可能已损坏），请从备份恢复")]
    NotADatabase(String),
    /// Made by a newer version of the desk: opening it could damage data we do not understand.
    #[error("数据库由更新版本的保修中心工作台创建（结构版本 {found}，本程序支持到 {supported}），请升级程序后再打开")]
    TooNew { found: i64, supported: i64 },
    /// The data folder or file cannot be written.
    #[error("数据文件夹不可写入：{0}。请检查文件夹权限，或用 --data 指定其他文件夹")]
    ReadOnly(String),
    /// A row the caller named does not exist.
    #[error("{0}不存在")]
    NotFound(String),
    /// A uniqueness or rule conflict, message already in Chinese.
    #[error("{0}")]
    Conflict(String),
    /// A UNIQUE constraint: the thing named (in Chinese) is already there.
    #[error("{0}已存在")]
    Exists(String),
    /// A FOREIGN KEY constraint: the row referred to is not there (or is still referred to).
    #[error("{0}")]
    Missing(String),
    /// A CHECK constraint or one of our triggers refused the write; the rule in Chinese.
    #[error("{0}")]
    Refused(String),
    /// A stored code that is not one the program knows (see [`crate::code`]).
    #[error("{0}")]
    UnknownCode(#[from] crate::code::UnknownCode),
    /// A stored date that does not read as a date.
    #[error("{0}")]
    BadDate(#[from] crate::code::BadDate),
    #[error("{}", sqlite_message(.0))]
    Sqlite(rusqlite::Error),
}

/// Every SQLite error enters the store's error type here, so a constraint violation becomes a
/// Chinese domain error ([`crate::constraint`]) and an unknown code read in a row closure comes
/// back as itself, whatever path the error took.
impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        match e {
            rusqlite::Error::FromSqlConversionFailure(idx, ty, inner) => match inner.downcast::<crate::code::UnknownCode>() {
                Ok(u) => StoreError::UnknownCode(*u),
                Err(inner) => match inner.downcast::<crate::code::BadDate>() {
                    Ok(d) => StoreError::BadDate(*d),
                    Err(inner) => StoreError::Sqlite(rusqlite::Error::FromSqlConversionFailure(idx, ty, inner)),
                },
            },
            e => crate::constraint::classify(e),
        }
    }
}

/// SQLite's failures in words a clerk can act on: a full disk and a damaged file are named as
/// such (every use case is one transaction, so a failed one wrote nothing).
fn sqlite_message(e: &rusqlite::Error) -> String {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::DiskFull) => {
            "磁盘空间不足，本次操作未保存（没有写入任何数据）。请清理磁盘空间，或把数据文件夹移到空间足够的磁盘后重试".into()
        }
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
            "数据库正在被另一程序使用（另一个保修中心工作台窗口或 wdesk 正在写入），等待超时，本次操作未保存。请稍后重试".into()
        }
        Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase) => {
            format!("数据库文件已损坏（{e}），请从备份恢复")
        }
        _ => format!("数据库错误：{e}"),
    }
}

impl StoreError {
    /// The Chinese sentence of a rule the database itself refused (a trigger's
    /// `RAISE(ABORT, '…')`), when that is what this error is.
    pub fn refusal(&self) -> Option<&str> {
        match self {
            StoreError::Refused(m) => Some(m.as_str()),
            _ => None,
        }
    }

    pub fn not_found(what: impl Into<String>) -> Self {
        StoreError::NotFound(what.into())
    }
}
