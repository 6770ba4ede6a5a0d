//! The quarterly reconciliation (对账, node B4): the project department's movements ("theirs")
//! against the desk's ledger entries ("ours"), both already cut to the quarter.
//!
//! Pure and deterministic: the same two lists always give the same buckets, whatever hash
//! order. Each row ends in exactly one bucket — matched, amount differs, only theirs, only ours.
//! Rows are compared by builder (the contractor after the name mapping, or the normalised
//! spelling when the desk does not know it), amount (credit and debit both equal), date and
//! reference. The passes run strictest first, so a loose rule never takes a row a strict rule
//! would have paired:
//!
//! 1. [`MatchRule::Voucher`], [`MatchRule::PaymentRequest`], [`MatchRule::Ticket`]: same builder,
//!    same amounts, same reference (凭证号, then 付款申请号, then 报修单号);
//! 2. [`MatchRule::SameDate`]: same builder, same amounts, same date;
//! 3. [`MatchRule::NearDate`]: same builder, same amounts, dates at most [`NEAR_DAYS`] apart
//!    (a voucher booked on Monday for a Friday payment). Within a builder × amount group the
//!    rows of each side are taken in date order and paired greedily earliest to earliest, which
//!    pairs as many as any assignment could;
//! 4. amount differs: what is left, same builder and same reference (in the order of pass 1)
//!    but different amounts — the same booking written with two amounts.
//!
//! Within a group of equal keys rows are paired in input order (their file's row order, our
//! entry order). Every pass is a hash lookup or a sort, so 100,000 rows a side take well under
//! a second.

use chrono::NaiveDate;
use std::collections::{BTreeMap, HashMap};

/// Dates at most this many days apart still pair in the third pass.
pub const NEAR_DAYS: i64 = 3;

/// Who a row belongs to after the name mapping.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum BuilderKey {
    /// A contractor the desk knows (by its normalised name or a confirmed alias).
    Known(i64),
    /// A spelling the desk does not know yet, normalised ([`super::names::normalize`]).
    Unknown(String),
}

/// One row of either side, reduced to what matching needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub builder: BuilderKey,
    pub date: NaiveDate,
    /// 计提/收取 (贷方), fen.
    pub credit: i64,
    /// 扣款/支付/退还 (借方), fen.
    pub debit: i64,
    /// 凭证号, 付款申请号, 报修单号 as written (compared after [`reference`]).
    pub voucher: String,
    pub request_no: String,
    pub ticket_no: String,
}

/// Why two rows were paired.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MatchRule {
    Voucher,
    PaymentRequest,
    Ticket,
    SameDate,
    NearDate,
}

impl MatchRule {
    pub fn label(self) -> &'static str {
        match self {
            MatchRule::Voucher => "凭证号相同",
            MatchRule::PaymentRequest => "付款申请号相同",
            MatchRule::Ticket => "报修单号相同",
            MatchRule::SameDate => "日期、金额相同",
            MatchRule::NearDate => "金额相同、日期相差不超过3天",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            MatchRule::Voucher => "Voucher",
            MatchRule::PaymentRequest => "PaymentRequest",
            MatchRule::Ticket => "Ticket",
            MatchRule::SameDate => "SameDate",
            MatchRule::NearDate => "NearDate",
        }
    }
}

/// A pair: indexes into the `theirs` and `ours` slices given to [`reconcile`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pair {
    pub theirs: usize,
    pub ours: usize,
    pub rule: MatchRule,
}

/// Sums of one builder on both sides, fen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Totals {
    pub theirs_credit: i64,
    pub theirs_debit: i64,
    pub ours_credit: i64,
    pub ours_debit: i64,
}

impl Totals {
    /// Credit − debit of their rows.
    pub fn theirs_net(&self) -> i64 {
        self.theirs_credit.saturating_sub(self.theirs_debit)
    }
    /// Credit − debit of our entries.
    pub fn ours_net(&self) -> i64 {
        self.ours_credit.saturating_sub(self.ours_debit)
    }
}

/// The four buckets and the per-builder totals. Index lists are ascending.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Outcome {
    /// Same builder and amounts, paired by a reference or a date.
    pub matched: Vec<Pair>,
    /// Same builder and reference, different amounts (the rule says which reference).
    pub amount_differs: Vec<Pair>,
    pub only_theirs: Vec<usize>,
    pub only_ours: Vec<usize>,
    /// Every builder seen on either side (sums saturate; no real ledger gets near i64).
    pub totals: BTreeMap<BuilderKey, Totals>,
}

/// A reference as compared: half-width, no spaces, upper case (`记 -12` = `记-12`,
/// `ｆｋ-2026-0001` = `FK-2026-0001`). Empty when nothing is written.
pub fn reference(s: &str) -> String {
    s.chars().map(crate::money::to_half_width).filter(|c| !c.is_whitespace()).flat_map(char::to_uppercase).collect()
}

const REFERENCE_RULES: [MatchRule; 3] = [MatchRule::Voucher, MatchRule::PaymentRequest, MatchRule::Ticket];

fn reference_of(l: &Line, rule: MatchRule) -> String {
    match rule {
        MatchRule::Voucher => reference(&l.voucher),
        MatchRule::PaymentRequest => reference(&l.request_no),
        _ => reference(&l.ticket_no),
    }
}

/// Pairing state: which rows are taken, and the pairs so far.
struct Book {
    theirs_used: Vec<bool>,
    ours_used: Vec<bool>,
    matched: Vec<Pair>,
    differs: Vec<Pair>,
}

impl Book {
    fn take(&mut self, t: usize, o: usize, rule: MatchRule, differs: bool) {
        self.theirs_used[t] = true;
        self.ours_used[o] = true;
        let p = Pair { theirs: t, ours: o, rule };
        if differs {
            self.differs.push(p);
        } else {
            self.matched.push(p);
        }
    }
}

/// Pairs free rows of both sides with equal keys, in input order within a key.
/// `key_t` / `key_o` give a row's key by index, `None` for a row that takes no part (e.g. no
/// reference written); keys borrow from the rows, so building them allocates nothing.
fn pair_by_key<'a, K: std::hash::Hash + Eq + 'a>(
    (n_theirs, n_ours): (usize, usize),
    book: &mut Book,
    rule: MatchRule,
    differs: bool,
    key_t: impl Fn(usize) -> Option<K>,
    key_o: impl Fn(usize) -> Option<K>,
) {
    // Our free rows per key, as a queue (front = lowest index).
    let mut queues: HashMap<K, std::collections::VecDeque<usize>> = HashMap::new();
    for i in (0..n_ours).filter(|i| !book.ours_used[*i]) {
        if let Some(k) = key_o(i) {
            queues.entry(k).or_default().push_back(i);
        }
    }
    if queues.is_empty() {
        return;
    }
    for t in 0..n_theirs {
        if book.theirs_used[t] {
            continue;
        }
        let Some(k) = key_t(t) else { continue };
        if let Some(o) = queues.get_mut(&k).and_then(|q| q.pop_front()) {
            book.take(t, o, rule, differs);
        }
    }
}

/// Key of pass 1: builder, reference `k` (skipped when empty), amounts.
fn ref_amount_key<'a>(ls: &'a [Line], rs: &'a [[String; 3]], k: usize, i: usize) -> Option<(&'a BuilderKey, &'a str, i64, i64)> {
    let r = rs[i][k].as_str();
    (!r.is_empty()).then_some((&ls[i].builder, r, ls[i].credit, ls[i].debit))
}

/// Key of pass 2: builder, date, amounts.
fn date_amount_key(ls: &[Line], i: usize) -> Option<(&BuilderKey, NaiveDate, i64, i64)> {
    Some((&ls[i].builder, ls[i].date, ls[i].credit, ls[i].debit))
}

/// Key of pass 4: builder and reference `k` (skipped when empty), whatever the amounts.
fn ref_key<'a>(ls: &'a [Line], rs: &'a [[String; 3]], k: usize, i: usize) -> Option<(&'a BuilderKey, &'a str)> {
    let r = rs[i][k].as_str();
    (!r.is_empty()).then_some((&ls[i].builder, r))
}

/// Pass 3: per builder × amounts, both sides in date order, paired earliest to earliest when
/// the dates are at most [`NEAR_DAYS`] apart.
fn pair_near_dates(theirs: &[Line], ours: &[Line], book: &mut Book) {
    type Group = (Vec<(NaiveDate, usize)>, Vec<(NaiveDate, usize)>);
    let mut groups: HashMap<(&BuilderKey, i64, i64), Group> = HashMap::new();
    for (i, l) in theirs.iter().enumerate().filter(|(i, _)| !book.theirs_used[*i]) {
        groups.entry((&l.builder, l.credit, l.debit)).or_default().0.push((l.date, i));
    }
    for (i, l) in ours.iter().enumerate().filter(|(i, _)| !book.ours_used[*i]) {
        if let Some(g) = groups.get_mut(&(&l.builder, l.credit, l.debit)) {
            g.1.push((l.date, i));
        }
    }
    // Visit groups in a fixed order so the pairs come out the same on every run.
    let mut keys: Vec<_> = groups.keys().copied().filter(|k| !groups[k].1.is_empty()).collect();
    keys.sort();
    for k in keys {
        let Some((mut ts, mut os)) = groups.remove(&k) else { continue };
        ts.sort_unstable();
        os.sort_unstable();
        let (mut i, mut j) = (0, 0);
        while i < ts.len() && j < os.len() {
            let gap = (ts[i].0 - os[j].0).num_days();
            if gap.abs() <= NEAR_DAYS {
                book.take(ts[i].1, os[j].1, MatchRule::NearDate, false);
                i += 1;
                j += 1;
            } else if gap > 0 {
                j += 1; // ours is too early for this and every later row of theirs
            } else {
                i += 1;
            }
        }
    }
}

/// Reconciles their rows with ours (see the module documentation for the rules).
pub fn reconcile(theirs: &[Line], ours: &[Line]) -> Outcome {
    let mut book = Book { theirs_used: vec![false; theirs.len()], ours_used: vec![false; ours.len()], matched: Vec::new(), differs: Vec::new() };
    // References compared in their normal form, computed once per row: [voucher, request, ticket].
    let refs = |ls: &[Line]| -> Vec<[String; 3]> { ls.iter().map(|l| REFERENCE_RULES.map(|r| reference_of(l, r))).collect() };
    let (rt, ro) = (refs(theirs), refs(ours));
    let n = (theirs.len(), ours.len());
    for (k, rule) in REFERENCE_RULES.into_iter().enumerate() {
        pair_by_key(n, &mut book, rule, false, |i| ref_amount_key(theirs, &rt, k, i), |i| ref_amount_key(ours, &ro, k, i));
    }
    pair_by_key(n, &mut book, MatchRule::SameDate, false, |i| date_amount_key(theirs, i), |i| date_amount_key(ours, i));
    pair_near_dates(theirs, ours, &mut book);
    for (k, rule) in REFERENCE_RULES.into_iter().enumerate() {
        pair_by_key(n, &mut book, rule, true, |i| ref_key(theirs, &rt, k, i), |i| ref_key(ours, &ro, k, i));
    }

    let mut totals: BTreeMap<BuilderKey, Totals> = BTreeMap::new();
    for l in theirs {
        let t = totals.entry(l.builder.clone()).or_default();
        t.theirs_credit = t.theirs_credit.saturating_add(l.credit);
        t.theirs_debit = t.theirs_debit.saturating_add(l.debit);
    }
    for l in ours {
        let t = totals.entry(l.builder.clone()).or_default();
        t.ours_credit = t.ours_credit.saturating_add(l.credit);
        t.ours_debit = t.ours_debit.saturating_add(l.debit);
    }
    let Book { theirs_used, ours_used, mut matched, differs: mut amount_differs } = book;
    matched.sort_unstable_by_key(|p| p.theirs);
    amount_differs.sort_unstable_by_key(|p| p.theirs);
    Outcome {
        matched,
        amount_differs,
        only_theirs: (0..theirs.len()).filter(|i| !theirs_used[*i]).collect(),
        only_ours: (0..ours.len()).filter(|i| !ours_used[*i]).collect(),
        totals,
    }
}

/// A saved reconciliation run (对账记录), as the run list shows it; the full result is kept as
/// JSON beside it in the store.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct ReconciliationRun {
    pub id: i64,
    pub project_id: i64,
    /// `2026Q3`.
    pub quarter: String,
    pub file_name: String,
    pub sha256: String,
    pub matched: i64,
    pub only_theirs: i64,
    pub only_ours: i64,
    pub amount_differs: i64,
    /// Unix seconds (UTC).
    pub at: i64,
    /// Who saved it.
    pub actor: String,
}

/// A department spelling the desk was told means one of its contractors (B4, confirmed once).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct BuilderAlias {
    pub id: i64,
    /// As first seen in a department's file.
    pub alias: String,
    /// [`super::names::normalize`]d: the key it is found by.
    pub alias_norm: String,
    pub contractor_id: i64,
    pub contractor: String,
    pub at: i64,
    pub actor: String,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::inconsistent_digit_grouping)]
    use super::*;
    use proptest::prelude::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    fn line(b: i64, date: NaiveDate, credit: i64, debit: i64, voucher: &str) -> Line {
        Line { builder: BuilderKey::Known(b), date, credit, debit, voucher: voucher.into(), request_no: String::new(), ticket_no: String::new() }
    }

    #[test]
    fn a_reference_pairs_before_a_date_and_a_voucher_with_two_amounts_differs() {
        let theirs = vec![
            line(1, d(7, 1), 100_00, 0, "记-1"), // pairs with ours[1] by voucher, not ours[0] by date
            line(1, d(7, 5), 0, 300_00, "记-2"), // same voucher, other amount → differs
            line(1, d(7, 9), 50_00, 0, ""),      // ours[3] two days later → near date
            line(2, d(8, 1), 70_00, 0, ""),      // nothing → only theirs
        ];
        let ours =
            vec![line(1, d(7, 1), 100_00, 0, ""), line(1, d(7, 2), 100_00, 0, "记 -1"), line(1, d(7, 5), 0, 320_00, "记-2"), line(1, d(7, 11), 50_00, 0, "")];
        let o = reconcile(&theirs, &ours);
        assert_eq!(o.matched, vec![Pair { theirs: 0, ours: 1, rule: MatchRule::Voucher }, Pair { theirs: 2, ours: 3, rule: MatchRule::NearDate },]);
        assert_eq!(o.amount_differs, vec![Pair { theirs: 1, ours: 2, rule: MatchRule::Voucher }]);
        assert_eq!(o.only_theirs, vec![3]);
        assert_eq!(o.only_ours, vec![0]);
        let t1 = o.totals[&BuilderKey::Known(1)];
        assert_eq!((t1.theirs_net(), t1.ours_net()), (100_00 - 300_00 + 50_00, 200_00 - 320_00 + 50_00));
        assert_eq!(o.totals[&BuilderKey::Known(2)].ours_net(), 0);
    }

    #[test]
    fn dates_four_days_apart_do_not_pair_and_other_builders_never_do() {
        let theirs = vec![line(1, d(7, 1), 10, 0, ""), line(1, d(7, 1), 20, 0, "")];
        let ours = vec![line(1, d(7, 5), 10, 0, ""), line(2, d(7, 1), 20, 0, "")];
        let o = reconcile(&theirs, &ours);
        assert!(o.matched.is_empty());
        assert_eq!((o.only_theirs, o.only_ours), (vec![0, 1], vec![0, 1]));
    }

    #[test]
    fn references_compare_without_width_spaces_or_case() {
        assert_eq!(reference(" ｆｋ-2026 -0001 "), "FK-2026-0001");
    }

    fn arb_line() -> impl Strategy<Value = Line> {
        (0i64..4, 0u32..20, 0i64..5, 0i64..3, 0u8..4, 0u8..3).prop_map(|(b, day, credit, debit, v, t)| Line {
            builder: if b == 3 { BuilderKey::Unknown("某建设".into()) } else { BuilderKey::Known(b) },
            date: d(7, 1) + chrono::Duration::days(i64::from(day)),
            credit: credit * 100,
            debit: debit * 100,
            voucher: if v == 0 { String::new() } else { format!("记-{v}") },
            request_no: String::new(),
            ticket_no: if t == 0 { String::new() } else { format!("BX-{t}") },
        })
    }

    /// Each index of a side appears exactly once across the buckets.
    fn each_once(n: usize, used: impl Iterator<Item = usize>) -> bool {
        let mut seen = vec![0u32; n];
        for i in used {
            seen[i] += 1;
        }
        seen.iter().all(|c| *c == 1)
    }

    proptest! {
        #[test]
        fn a_set_reconciled_with_itself_matches_everything(lines in proptest::collection::vec(arb_line(), 0..60)) {
            let o = reconcile(&lines, &lines);
            prop_assert_eq!(o.matched.len(), lines.len());
            prop_assert!(o.amount_differs.is_empty() && o.only_theirs.is_empty() && o.only_ours.is_empty());
            for p in &o.matched {
                prop_assert_eq!(&lines[p.theirs].builder, &lines[p.ours].builder);
                prop_assert_eq!((lines[p.theirs].credit, lines[p.theirs].debit), (lines[p.ours].credit, lines[p.ours].debit));
            }
        }

        #[test]
        fn every_row_lands_in_exactly_one_bucket_and_totals_are_the_sums(
            theirs in proptest::collection::vec(arb_line(), 0..60),
            ours in proptest::collection::vec(arb_line(), 0..60),
        ) {
            let o = reconcile(&theirs, &ours);
            let pairs = || o.matched.iter().chain(&o.amount_differs);
            prop_assert!(each_once(theirs.len(), pairs().map(|p| p.theirs).chain(o.only_theirs.iter().copied())));
            prop_assert!(each_once(ours.len(), pairs().map(|p| p.ours).chain(o.only_ours.iter().copied())));
            for p in &o.matched {
                let (t, u) = (&theirs[p.theirs], &ours[p.ours]);
                prop_assert_eq!(&t.builder, &u.builder);
                prop_assert_eq!((t.credit, t.debit), (u.credit, u.debit));
                match p.rule {
                    MatchRule::SameDate => prop_assert_eq!(t.date, u.date),
                    MatchRule::NearDate => prop_assert!((t.date - u.date).num_days().abs() <= NEAR_DAYS),
                    rule => prop_assert_eq!(reference_of(t, rule), reference_of(u, rule)),
                }
            }
            for p in &o.amount_differs {
                let (t, u) = (&theirs[p.theirs], &ours[p.ours]);
                prop_assert_eq!(&t.builder, &u.builder);
                prop_assert!((t.credit, t.debit) != (u.credit, u.debit));
                prop_assert_eq!(reference_of(t, p.rule), reference_of(u, p.rule));
            }
            let sum = |ls: &[Line], f: fn(&Line) -> i64| ls.iter().map(f).sum::<i64>();
            let tot = |f: fn(&Totals) -> i64| o.totals.values().map(f).sum::<i64>();
            prop_assert_eq!(tot(|t| t.theirs_credit), sum(&theirs, |l| l.credit));
            prop_assert_eq!(tot(|t| t.theirs_debit), sum(&theirs, |l| l.debit));
            prop_assert_eq!(tot(|t| t.ours_credit), sum(&ours, |l| l.credit));
            prop_assert_eq!(tot(|t| t.ours_debit), sum(&ours, |l| l.debit));
            for (k, t) in &o.totals {
                let of = |ls: &[Line]| ls.iter().filter(|l| &l.builder == k).map(|l| l.credit - l.debit).sum::<i64>();
                prop_assert_eq!(t.theirs_net(), of(&theirs));
                prop_assert_eq!(t.ours_net(), of(&ours));
            }
            // Deterministic: the same input gives the same outcome.
            prop_assert_eq!(reconcile(&theirs, &ours), o);
        }
    }
}
