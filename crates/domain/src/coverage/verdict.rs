//! The coverage verdict of one ticket: the two warranty ends, who pays, and why in Chinese.

use super::parts::PartClass;
use super::periods::{end_date, Period};
use super::{CoverageSettings, FLOW_4_2, GUIDE_3_1, GUIDE_4_4_1, RULE_1998, RULE_CONSTRUCTION, RULE_DEPOSIT_9, RULE_SALES_33};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// What the verdict needs to know about one ticket. The dates come from the unit's batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct CoverageInput {
    pub part: PartClass,
    /// 竣工验收合格之日 (the batch's `completion_accepted_on`).
    pub completion_acceptance: Option<NaiveDate>,
    /// 交付之日 (the unit's or batch's `delivered_on`).
    pub delivery: Option<NaiveDate>,
    /// The day the owner reported the defect (local date).
    pub reported_on: NaiveDate,
    /// The builder has a deposit ledger with a balance left.
    pub builder_deposit_available: bool,
    /// Whether the builder does the repair; `None` = not yet known.
    pub builder_performs: Option<bool>,
}

/// Who pays for the repair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub enum Payer {
    /// 施工单位免费维修.
    BuilderFree,
    /// 委托维修，从施工单位保修金扣除 (fund flow 4.2).
    HiredFirmFromDeposit,
    /// 开发商承担 (《保修服务操作指引》3.1).
    Developer,
    /// 业主自费（物业有偿服务 §4.4.1）.
    OwnerPaid,
    /// Cannot tell yet: [`CoverageVerdict::missing`] says what to fill in.
    Unknown,
}

impl Payer {
    pub fn label(self) -> &'static str {
        match self {
            Payer::BuilderFree => "施工单位免费维修",
            Payer::HiredFirmFromDeposit => "委托维修，从施工单位保修金扣除",
            Payer::Developer => "开发商承担",
            Payer::OwnerPaid => "业主自费（物业有偿服务）",
            Payer::Unknown => "待定",
        }
    }
}

/// A fact the verdict lacked, and where the clerk fills it in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub enum MissingInfo {
    /// 交付批次「竣工验收日期」.
    CompletionAcceptance,
    /// 交付批次「交付日期」.
    Delivery,
    /// 项目保修设置：施工合同保修期 of this part.
    BuilderPeriod,
    /// 项目保修设置：对业主保修期 of this part.
    OwnerPeriod,
    /// 项目保修设置：采暖期日历.
    HeatingCalendar,
}

impl MissingInfo {
    pub fn label(self) -> &'static str {
        match self {
            MissingInfo::CompletionAcceptance => "竣工验收日期",
            MissingInfo::Delivery => "交付日期",
            MissingInfo::BuilderPeriod => "施工合同保修期",
            MissingInfo::OwnerPeriod => "对业主保修期",
            MissingInfo::HeatingCalendar => "采暖期日历",
        }
    }

    /// The field to fill: a batch field or a coverage-settings field.
    pub fn field(self) -> &'static str {
        match self {
            MissingInfo::CompletionAcceptance => "completion_accepted_on",
            MissingInfo::Delivery => "delivered_on",
            MissingInfo::BuilderPeriod => "builder_periods",
            MissingInfo::OwnerPeriod => "owner_minimums",
            MissingInfo::HeatingCalendar => "heating",
        }
    }

    /// Where the clerk finds the field, in Chinese.
    pub fn place(self) -> &'static str {
        match self {
            MissingInfo::CompletionAcceptance | MissingInfo::Delivery => "交付批次",
            MissingInfo::BuilderPeriod | MissingInfo::OwnerPeriod | MissingInfo::HeatingCalendar => "项目保修设置",
        }
    }
}

/// The answer for one ticket. End dates are the last covered day ("至 X 日止").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct CoverageVerdict {
    pub part: PartClass,
    /// Last day of the builder's warranty to the developer.
    pub builder_end: Option<NaiveDate>,
    /// Last day of the developer's warranty to the owner.
    pub owner_end: Option<NaiveDate>,
    pub payer: Payer,
    /// The report falls within the owner's warranty (also when only a lower bound of its end is
    /// known and the report is before it); `false` when it cannot be told.
    pub in_owner_warranty: bool,
    /// Chinese lines naming the rules and the dates, in reading order.
    pub explanation: Vec<String>,
    /// What to fill in for a fuller answer (empty when nothing is missing).
    pub missing: Vec<MissingInfo>,
}

/// Which warranty a period belongs to.
#[derive(Clone, Copy)]
enum Side {
    Builder,
    Owner,
}

impl Side {
    fn rule(self) -> &'static str {
        match self {
            Side::Builder => RULE_CONSTRUCTION,
            Side::Owner => RULE_1998,
        }
    }
    fn agreement(self) -> &'static str {
        match self {
            Side::Builder => "施工合同",
            Side::Owner => "住宅质量保证书",
        }
    }
}

/// One side's period after the project setting met the legal minimum.
enum Term {
    /// The end date, and the period with its source (`5 年（…第四十条）`).
    Known(NaiveDate, String),
    /// Neither the rule nor the project gives a number.
    Unset(String),
    /// A season period on an invalid heating calendar.
    BadCalendar,
}

/// Picks the longer of the project's setting and the legal minimum, by their end dates: a
/// contract clause below the minimum is void, so it is never used.
fn resolve(start: NaiveDate, side: Side, set: Period, min: Period, s: &CoverageSettings) -> Term {
    let dl = s.design_life_years;
    let end = |p: Period| end_date(start, p, &s.heating, dl);
    let (rule, agreement) = (side.rule(), side.agreement());
    let known = |e: Option<NaiveDate>, text: String| match e {
        Some(e) => Term::Known(e, text),
        None => Term::BadCalendar,
    };
    match (set, min) {
        (Period::AsAgreed, Period::AsAgreed) => Term::Unset(format!("由{agreement}约定（{rule}），项目保修设置中尚未填写")),
        (p, Period::AsAgreed) => known(end(p), format!("{}（{agreement}约定；{rule}规定由双方约定）", p.text(dl))),
        (Period::AsAgreed, m) => known(end(m), format!("{}（项目保修设置未填写{agreement}期限，按{rule}最低期限）", m.text(dl))),
        (p, m) if p == m => known(end(m), format!("{}（{rule}）", m.text(dl))),
        (p, m) => match (end(p), end(m)) {
            (Some(pe), Some(me)) if pe >= me => Term::Known(pe, format!("{}（{agreement}约定，不低于{rule}规定的最低 {}）", p.text(dl), m.text(dl))),
            (Some(_), Some(me)) => Term::Known(me, format!("{}（{rule}最低期限；项目保修设置中的 {}低于最低期限，不予采用）", m.text(dl), p.text(dl))),
            _ => Term::BadCalendar,
        },
    }
}

/// Collects the explanation and the missing facts without duplicates.
struct Notes {
    lines: Vec<String>,
    missing: Vec<MissingInfo>,
}

impl Notes {
    fn say(&mut self, line: String) {
        self.lines.push(line);
    }
    fn lack(&mut self, m: MissingInfo) {
        if !self.missing.contains(&m) {
            self.missing.push(m);
        }
    }
    fn bad_calendar(&mut self, label: &str, s: &CoverageSettings) {
        let h = &s.heating;
        self.say(format!(
            "{label}：采暖期日历无效（{}月{}日至{}月{}日），无法计算采暖期，请在项目保修设置中改正",
            h.start_month, h.start_day, h.end_month, h.end_day
        ));
        self.lack(MissingInfo::HeatingCalendar);
    }
}

/// The coverage verdict of one ticket.
///
/// * builder_end = completion acceptance + the contract period (never below 第四十条);
/// * owner_end = the later of builder_end and delivery + the owner minimum (第三十三条);
/// * reported on or before builder_end → the builder (free, or a hired firm paid from its
///   deposit when it does not perform); on or before owner_end → the developer; later → the owner.
///
/// A missing date or period gives [`Payer::Unknown`] only when it matters: a report inside the
/// builder's known warranty is the builder's even if the delivery date is missing.
pub fn verdict(input: &CoverageInput, s: &CoverageSettings) -> CoverageVerdict {
    let part = input.part;
    let label = part.label();
    let law = part.statutory();
    let r = input.reported_on;
    let mut n = Notes { lines: Vec::new(), missing: Vec::new() };

    // The builder's warranty to the developer.
    let mut builder_unset = false;
    let builder_end = match input.completion_acceptance {
        None => {
            n.say(format!("{label}：缺少竣工验收日期，无法计算施工单位保修期，请在交付批次中填写「竣工验收日期」"));
            n.lack(MissingInfo::CompletionAcceptance);
            None
        }
        Some(c) => match resolve(c, Side::Builder, s.builder_period(part), law.builder, s) {
            Term::Known(be, text) => {
                n.say(format!("{label}：施工单位保修 {text}，自竣工验收 {c} 起至 {be} 止"));
                Some(be)
            }
            Term::Unset(text) => {
                n.say(format!("{label}：施工单位保修期{text}"));
                n.lack(MissingInfo::BuilderPeriod);
                builder_unset = true;
                None
            }
            Term::BadCalendar => {
                n.bad_calendar(label, s);
                None
            }
        },
    };

    // The developer's warranty to the owner: its own minimum first, then 第三十三条.
    let owner_minimum_end = match input.delivery {
        None => {
            n.say(format!("{label}：缺少交付日期，无法计算对业主的保修期，请在交付批次中填写「交付日期」"));
            n.lack(MissingInfo::Delivery);
            None
        }
        Some(d) => match resolve(d, Side::Owner, s.owner_minimum(part), law.owner, s) {
            Term::Known(me, text) => {
                n.say(format!("{label}：对业主保修不少于 {text}，自交付 {d} 起至 {me} 止"));
                Some(me)
            }
            Term::Unset(text) => {
                n.say(format!("{label}：对业主的保修期{text}"));
                None
            }
            Term::BadCalendar => {
                n.bad_calendar(label, s);
                None
            }
        },
    };
    let owner_end = match (input.delivery, builder_end, owner_minimum_end) {
        (None, _, _) => None,
        (Some(_), Some(be), Some(me)) => {
            if be > me {
                n.say(format!("按{RULE_SALES_33}，对业主的保修期不短于施工单位保修期的剩余部分：对业主保修至 {be} 止"));
            } else {
                n.say(format!("按{RULE_SALES_33}，施工单位保修期的剩余部分短于最低期限：对业主保修至 {me} 止"));
            }
            Some(be.max(me))
        }
        (Some(d), Some(be), None) if be >= d && !n.missing.contains(&MissingInfo::HeatingCalendar) => {
            n.say(format!("按{RULE_SALES_33}，对业主的保修期不短于施工单位保修期的剩余部分：对业主保修至 {be} 止"));
            Some(be)
        }
        (Some(_), Some(be), None) => {
            if !n.missing.contains(&MissingInfo::HeatingCalendar) {
                n.say(format!("施工单位保修期已于交付前（{be}）届满，对业主的保修期须按住宅质量保证书约定，请在项目保修设置中填写"));
                n.lack(MissingInfo::OwnerPeriod);
            }
            None
        }
        (Some(_), None, Some(me)) if input.completion_acceptance.is_some() => {
            n.say(format!("施工单位保修期未定，对业主的保修期按最低期限计：至 {me} 止"));
            Some(me)
        }
        (Some(_), None, Some(me)) => {
            n.say(format!("对业主至少保修至 {me} 止；补填竣工验收日期后，按{RULE_SALES_33}取施工单位剩余保修期与最低期限中较长者"));
            None
        }
        (Some(_), None, None) => {
            if builder_unset {
                n.lack(MissingInfo::OwnerPeriod);
            }
            None
        }
    };

    // owner_end ≥ builder_end and ≥ the owner minimum whatever is missing: a lower bound.
    let floor = [builder_end, owner_minimum_end].into_iter().flatten().max();
    let in_owner_warranty = match owner_end {
        Some(oe) => r <= oe,
        None => floor.is_some_and(|f| r <= f),
    };

    let payer = match builder_end {
        Some(be) if r <= be => builder_pays(input, be, &mut n),
        Some(be) => match owner_end {
            Some(oe) if r <= oe => {
                n.say(format!("报修日 {r} 已过施工单位保修期（至 {be} 止），仍在对业主保修期内（至 {oe} 止）：由开发商承担（{GUIDE_3_1}）"));
                Payer::Developer
            }
            Some(oe) => owner_pays(r, oe, &mut n),
            None if in_owner_warranty => {
                n.say(format!("报修日 {r} 已过施工单位保修期（至 {be} 止），仍在对业主保修期内：由开发商承担（{GUIDE_3_1}）"));
                Payer::Developer
            }
            None => unknown(r, &mut n),
        },
        None if builder_unset => match owner_end {
            Some(oe) if r <= oe => {
                n.say(format!(
                    "报修日 {r} 在对业主保修期内（至 {oe} 止），施工单位对此部位的保修期未填写：暂由开发商承担（{GUIDE_3_1}）；如施工合同有约定，请在项目保修设置中填写"
                ));
                Payer::Developer
            }
            _ => unknown(r, &mut n),
        },
        None => unknown(r, &mut n),
    };

    CoverageVerdict { part, builder_end, owner_end, payer, in_owner_warranty, explanation: n.lines, missing: n.missing }
}

/// Inside the builder's warranty.
fn builder_pays(input: &CoverageInput, be: NaiveDate, n: &mut Notes) -> Payer {
    let r = input.reported_on;
    match (input.builder_performs, input.builder_deposit_available) {
        (Some(false), true) => {
            n.say(format!(
                "报修日 {r} 在施工单位保修期内（至 {be} 止），但施工单位不履行保修：委托其他单位维修，费用从施工单位保修金中扣除（{RULE_DEPOSIT_9}；{FLOW_4_2}）"
            ));
            Payer::HiredFirmFromDeposit
        }
        (Some(false), false) => {
            n.say(format!(
                "报修日 {r} 在施工单位保修期内（至 {be} 止），但施工单位不履行保修，且没有可扣的保修金：委托维修费用由开发商先行承担，再按合同向施工单位索赔（{RULE_DEPOSIT_9}）"
            ));
            Payer::Developer
        }
        (performs, deposit) => {
            n.say(format!("报修日 {r} 在施工单位保修期内（至 {be} 止）：由施工单位免费维修"));
            if performs.is_none() {
                n.say(if deposit {
                    format!("如施工单位不履行保修，可委托其他单位维修，费用从其保修金中扣除（{RULE_DEPOSIT_9}）")
                } else {
                    format!("如施工单位不履行保修：该单位没有可扣的保修金，委托维修费用将由开发商先行承担（{RULE_DEPOSIT_9}）")
                });
            }
            Payer::BuilderFree
        }
    }
}

fn owner_pays(r: NaiveDate, oe: NaiveDate, n: &mut Notes) -> Payer {
    n.say(format!("报修日 {r} 已过对业主保修期（至 {oe} 止）：业主自费，可由物业公司提供有偿服务（{GUIDE_4_4_1}）"));
    Payer::OwnerPaid
}

fn unknown(r: NaiveDate, n: &mut Notes) -> Payer {
    let what: Vec<String> = n.missing.iter().map(|m| format!("{}「{}」", m.place(), m.label())).collect();
    if what.is_empty() {
        n.say(format!("报修日 {r}：无法确定费用承担方"));
    } else {
        n.say(format!("报修日 {r}：无法确定费用承担方，请先补填{}", what.join("、")));
    }
    Payer::Unknown
}
