//! Warranty coverage (保修期与费用承担): is a defect still under warranty, and who pays?
//!
//! Two warranties overlap (《保修服务操作指引》3.1, PRODUCT.md §5):
//! * the builder's to the developer, from completion acceptance (竣工验收) for the contract's
//!   period, never shorter than 《建设工程质量管理条例》第四十条;
//! * the developer's to the owner, from the unit's delivery (交付), never shorter than what remains
//!   of the builder's and never shorter than the 1998 minimums (《商品房销售管理办法》第三十三条).
//!
//! While the builder is liable it repairs free, or a hired firm repairs and is paid from the
//! builder's deposit; after that, until the owner's warranty ends, the developer pays; after
//! that the owner pays (物业有偿服务, §4.4.1). [`verdict()`] says which, with Chinese lines naming the
//! rules and the dates.
//!
//! All end dates are inclusive ("至 X 日止"); see [`periods`] for the counting convention.
//! The periods are defaults taken from the regulations ([`PartClass::statutory`]); each project
//! edits its own in [`CoverageSettings`], and a setting below the legal minimum is never used.

mod classify;
pub mod liable;
mod parts;
pub mod periods;
mod verdict;

#[cfg(test)]
mod tests;

pub use classify::classify_part;
pub use liable::{commission_exception, deposit_available, LiableDeposit};
pub use parts::{PartClass, Statutory};
pub use periods::{end_date, HeatingSeason, Period};
pub use verdict::{verdict, CoverageInput, CoverageVerdict, MissingInfo, Payer};

use crate::DomainError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Builder → developer minimums.
pub const RULE_CONSTRUCTION: &str = "《建设工程质量管理条例》第四十条";
/// Developer → owner minimums.
pub const RULE_1998: &str = "《商品住宅实行住宅质量保证书和住宅使用说明书制度的规定》第五条";
/// Owner's period ≥ the remainder of the builder's and ≥ the 1998 minimums.
pub const RULE_SALES_33: &str = "《商品房销售管理办法》第三十三条";
/// A builder that does not repair: others repair, paid from its deposit.
pub const RULE_DEPOSIT_9: &str = "《建设工程质量保证金管理办法》第九条";
/// The seed: the gap between completion acceptance and delivery is the developer's.
pub const GUIDE_3_1: &str = "《保修服务操作指引》3.1";
/// The seed: out-of-warranty work is the property company's paid service.
pub const GUIDE_4_4_1: &str = "《保修服务操作指引》4.4.1";
/// The seed's fund flow: hired repair when the builder does not perform.
pub const FLOW_4_2: &str = "《保修金使用管理工作流程》4.2";

/// 设计使用年限 of ordinary buildings: 50 years (《建筑结构可靠性设计统一标准》GB 50068 and
/// 《民用建筑设计统一标准》GB 50352: 普通房屋和构筑物). A project whose design documents say
/// otherwise changes it.
pub const DEFAULT_DESIGN_LIFE_YEARS: u32 = 50;

/// The warranty periods of one project (or one builder contract), editable in the app.
///
/// A part missing from a map uses its legal minimum. `Default` is the legal minimums of
/// [`PartClass::statutory`], Beijing's heating calendar and a 50-year design life.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
#[serde(default)]
pub struct CoverageSettings {
    /// The builder contract's periods (≥ 《建设工程质量管理条例》第四十条), from completion acceptance.
    pub builder_periods: BTreeMap<PartClass, Period>,
    /// The periods promised to owners in the 住宅质量保证书 (≥ the 1998 规定 第五条), from delivery.
    pub owner_minimums: BTreeMap<PartClass, Period>,
    /// The local heating calendar for [`Period::Seasons`].
    pub heating: HeatingSeason,
    /// The design's reasonable service life for [`Period::DesignLife`].
    pub design_life_years: u32,
}

impl Default for CoverageSettings {
    fn default() -> Self {
        CoverageSettings {
            builder_periods: PartClass::ALL.iter().map(|p| (*p, p.builder_minimum())).collect(),
            owner_minimums: PartClass::ALL.iter().map(|p| (*p, p.owner_minimum())).collect(),
            heating: HeatingSeason::default(),
            design_life_years: DEFAULT_DESIGN_LIFE_YEARS,
        }
    }
}

impl CoverageSettings {
    /// The builder contract's period of a part (its legal minimum when not set).
    pub fn builder_period(&self, part: PartClass) -> Period {
        self.builder_periods.get(&part).copied().unwrap_or_else(|| part.builder_minimum())
    }

    /// The period promised to owners for a part (its legal minimum when not set).
    pub fn owner_minimum(&self, part: PartClass) -> Period {
        self.owner_minimums.get(&part).copied().unwrap_or_else(|| part.owner_minimum())
    }

    /// Checks settings before they are saved: a real heating calendar, a design life, no zero
    /// period, and no period below its legal minimum where the two can be compared without a
    /// date (years/months with years/months, seasons with seasons). [`verdict()`] enforces the
    /// minimums anyway; this is so the settings screen does not show a number that is not used.
    pub fn check(&self) -> Result<(), DomainError> {
        self.heating.check()?;
        if self.design_life_years == 0 {
            return Err(DomainError::field("design_life_years", "请填写设计合理使用年限（年）"));
        }
        for part in PartClass::ALL.iter().copied() {
            let law = part.statutory();
            let sides = [
                ("builder_periods", "施工合同保修期", self.builder_period(part), law.builder, RULE_CONSTRUCTION),
                ("owner_minimums", "对业主保修期", self.owner_minimum(part), law.owner, RULE_1998),
            ];
            for (field, what, set, min, rule) in sides {
                if matches!(set, Period::Years(0) | Period::Months(0) | Period::Seasons(0)) {
                    return Err(DomainError::field(field, format!("「{}」的{what}不能为 0", part.label())));
                }
                if self.shorter(set, min) {
                    let dl = self.design_life_years;
                    return Err(DomainError::field(field, format!("「{}」的{what} {}低于{rule}规定的最低 {}", part.label(), set.text(dl), min.text(dl))));
                }
            }
        }
        Ok(())
    }

    /// `set` is certainly shorter than `min` (comparable kinds only).
    fn shorter(&self, set: Period, min: Period) -> bool {
        let dl = self.design_life_years;
        match (set, min) {
            (Period::Seasons(a), Period::Seasons(b)) => a < b,
            _ => matches!((set.months(dl), min.months(dl)), (Some(a), Some(b)) if a < b),
        }
    }
}
