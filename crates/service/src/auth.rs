//! Sign-in with a PIN (argon2 hashes; lockout after repeated wrong PINs) and role checks.

use crate::desk::{Desk, Session};
use crate::error::{DeskError, DeskResult};
use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use desk_domain::audit::AuditAction;
use desk_domain::records::StaffMember;
use desk_domain::staff::{validate_pin, Role};
use desk_store::staff;

/// Wrong PINs in a row before the account is locked, and for how long.
pub const MAX_FAILED_PINS: i64 = 5;
pub const LOCKOUT_SECONDS: i64 = 15 * 60;

pub fn hash_pin(pin: &str) -> DeskResult<String> {
    validate_pin(pin)?;
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default().hash_password(pin.as_bytes(), &salt).map(|h| h.to_string()).map_err(|e| DeskError::storage(format!("PIN 加密失败：{e}")))
}

fn pin_matches(pin: &str, stored: &str) -> bool {
    PasswordHash::new(stored).map(|h| Argon2::default().verify_password(pin.as_bytes(), &h).is_ok()).unwrap_or(false)
}

impl Desk {
    /// The people who can sign in (the sign-in screen's list).
    pub fn sign_in_choices(&self) -> DeskResult<Vec<StaffMember>> {
        Ok(staff::list(&self.store.reader()?.db(), false)?)
    }

    /// Checks the PIN; five wrong PINs in a row lock the account for 15 minutes.
    pub fn sign_in(&self, staff_id: i64, pin: &str) -> DeskResult<Session> {
        self.verify_pin(staff_id, pin, "登录")
    }

    /// Checks a person's PIN for `purpose` (登录, or a countersignature such as 代为验收), with the
    /// same lockout as signing in; the check is written to the audit log.
    pub fn verify_pin(&self, staff_id: i64, pin: &str, purpose: &str) -> DeskResult<Session> {
        let at = self.now();
        let now = at.timestamp();
        self.store.with_tx(|tx| {
            let member = staff::get(tx, staff_id)?;
            if !member.active {
                return Err(DeskError::denied(format!("「{}」已停用，不能登录", member.name)));
            }
            let cred = staff::credentials(tx, staff_id)?;
            if let Some(until) = cred.locked_until.filter(|u| *u > now) {
                let minutes = (until - now + 59) / 60;
                return Err(DeskError::denied(format!("PIN 连续输错 {MAX_FAILED_PINS} 次，账号已锁定，请 {minutes} 分钟后再试")));
            }
            if !pin_matches(pin, &cred.pin_hash) {
                let failed = cred.failed_pins + 1;
                let locked = (failed >= MAX_FAILED_PINS).then_some(now + LOCKOUT_SECONDS);
                staff::record_pin_result(tx, staff_id, if locked.is_some() { 0 } else { failed }, locked)?;
                desk_store::audit::append(tx, at, Some(staff_id), AuditAction::SignInFailed, "staff", staff_id, &format!("PIN 错误（{purpose}）"))?;
                let left = MAX_FAILED_PINS - failed;
                let msg = if locked.is_some() {
                    format!("{} 的 PIN 不正确。已连续输错 {MAX_FAILED_PINS} 次，账号锁定 15 分钟", member.name)
                } else if purpose == "登录" {
                    format!("PIN 不正确，还可再试 {left} 次")
                } else {
                    format!("{} 的 PIN 不正确，还可再试 {left} 次", member.name)
                };
                // The failure count must be kept even though the sign-in is refused: commit it.
                return Ok(Err(DeskError { field: Some("pin".into()), ..DeskError::denied(msg) }));
            }
            staff::record_pin_result(tx, staff_id, 0, None)?;
            desk_store::audit::append(tx, at, Some(staff_id), AuditAction::SignIn, "staff", staff_id, &format!("验证 PIN：{purpose}"))?;
            Ok(Ok(Session { staff_id, name: member.name, role: member.role }))
        })?
    }

    /// A session for a named user without a PIN: for the CLI (whoever runs it owns the data
    /// folder already) and for the demo's automatic sign-in.
    pub fn session_for(&self, name: Option<&str>) -> DeskResult<Session> {
        let reader = self.store.reader()?;
        let c = &reader.db();
        let member = match name {
            Some(n) => staff::find_by_name(c, n)?.ok_or_else(|| DeskError::invalid("by", format!("没有名为「{n}」的员工")))?,
            None => staff::list(c, false)?
                .into_iter()
                .find(|m| m.role == Role::FrontDesk)
                .ok_or_else(|| DeskError::new(crate::error::ErrorKind::NotFound, "还没有前台客服账号，请先建立员工资料（或运行 wdesk demo）"))?,
        };
        Ok(Session { staff_id: member.id, name: member.name, role: member.role })
    }
}

/// Refuses unless the session has one of the roles.
pub fn require_role(s: &Session, roles: &[Role], what: &str) -> DeskResult<()> {
    if roles.contains(&s.role) {
        Ok(())
    } else {
        let names: Vec<&str> = roles.iter().map(|r| r.label()).collect();
        Err(DeskError::denied(format!("只有{}可以{what}（当前登录：{}，{}）", names.join("或"), s.name, s.role.label())))
    }
}

impl Desk {
    /// First start on an empty database: the first account is the director's (who then adds the
    /// others). Refused once any account exists.
    pub fn create_first_director(&self, name: &str, pin: &str) -> DeskResult<Session> {
        let name = desk_domain::ticket::validate_text("name", "姓名", name, 20, true)?;
        let hash = hash_pin(pin)?;
        let at = self.now();
        self.store.with_tx(|tx| {
            if !staff::list(tx, true)?.is_empty() {
                return Err(DeskError::denied("已有员工账号，请由保修主任在「员工账号」中添加"));
            }
            let id = staff::insert(tx, &name, Role::Director, &hash, "")?;
            desk_store::audit::append(tx, at, Some(id), AuditAction::CreateFirstDirector, "staff", id, &format!("首次启动，建立保修主任账号「{name}」"))?;
            Ok(Session { staff_id: id, name: name.clone(), role: Role::Director })
        })
    }
}
