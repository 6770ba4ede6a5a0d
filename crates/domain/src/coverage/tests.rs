//! The coverage rules as tables: each row is one case a clerk could meet.

use super::*;
use crate::ticket::Category;
use chrono::NaiveDate;
use PartClass::*;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
}

fn od(s: &str) -> Option<NaiveDate> {
    if s == "-" {
        None
    } else {
        Some(d(s))
    }
}

fn input(part: PartClass, completion: &str, delivery: &str, reported: &str) -> CoverageInput {
    CoverageInput {
        part,
        completion_acceptance: od(completion),
        delivery: od(delivery),
        reported_on: d(reported),
        builder_deposit_available: true,
        builder_performs: None,
    }
}

fn has_line(v: &CoverageVerdict, needle: &str) -> bool {
    v.explanation.iter().any(|l| l.contains(needle))
}

// ---- the legal defaults ----

#[test]
fn statutory_minimums_per_part() {
    use Period::*;
    let table = [
        (Structure, DesignLife, DesignLife),
        (RoofWaterproofing, Years(5), Years(3)),
        (WetRoomLeak, Years(5), Years(1)),
        (WallFloorPipeLeak, Years(2), Years(1)),
        (PlasterFalling, Years(2), Years(1)),
        (FloorHollowCrack, Years(2), Years(1)),
        (DoorWindow, Years(2), Years(1)),
        (PipeBlockage, Years(2), Months(2)),
        (HeatingCooling, Seasons(2), Seasons(1)),
        (SanitaryWare, Years(2), Years(1)),
        (LampsSwitches, Years(2), Months(6)),
        (ElectricalPlumbingInstall, Years(2), AsAgreed),
        (Decoration, Years(2), AsAgreed),
        (Other, AsAgreed, AsAgreed),
    ];
    assert_eq!(table.len(), PartClass::ALL.len());
    for (part, builder, owner) in table {
        assert_eq!((part.builder_minimum(), part.owner_minimum()), (builder, owner), "{part:?}");
        let law = part.statutory();
        assert!(law.builder_clause.starts_with("第四十条"), "{part:?}");
        assert!(law.owner_clause.starts_with("第五条"), "{part:?}");
    }
}

#[test]
fn default_settings_are_the_legal_minimums_and_pass_the_check() {
    let s = CoverageSettings::default();
    for part in PartClass::ALL.iter().copied() {
        assert_eq!(s.builder_period(part), part.builder_minimum());
        assert_eq!(s.owner_minimum(part), part.owner_minimum());
    }
    assert_eq!(s.heating, HeatingSeason { start_month: 11, start_day: 15, end_month: 3, end_day: 15 });
    assert_eq!(s.design_life_years, 50);
    assert_eq!(s.check(), Ok(()));
    // A project whose maps lost a part still gets that part's legal minimum.
    let empty = CoverageSettings { builder_periods: Default::default(), owner_minimums: Default::default(), ..s.clone() };
    for part in PartClass::ALL.iter().copied() {
        let i = input(part, "2023-06-30", "2024-01-10", "2024-05-01");
        assert_eq!(verdict(&i, &empty), verdict(&i, &s), "{part:?}");
    }
}

#[test]
fn part_labels_and_codes_round_trip() {
    for p in PartClass::ALL.iter().copied() {
        assert_eq!(PartClass::parse(p.code()), Some(p));
        assert_eq!(PartClass::parse(p.label()), Some(p));
    }
    assert_eq!(PartClass::parse("屋面防水"), Some(RoofWaterproofing));
    assert_eq!(PartClass::parse("阳台"), None);
}

// ---- end dates per part for two batches ----

/// Completion 2023-06-30, delivery 2024-01-10: a short gap, the builder's remainder dominates.
#[test]
fn ends_per_part_short_gap_batch() {
    let table = [
        (Structure, "2073-06-30", "2074-01-10"),
        (RoofWaterproofing, "2028-06-30", "2028-06-30"),
        (WetRoomLeak, "2028-06-30", "2028-06-30"),
        (WallFloorPipeLeak, "2025-06-30", "2025-06-30"),
        (PlasterFalling, "2025-06-30", "2025-06-30"),
        (FloorHollowCrack, "2025-06-30", "2025-06-30"),
        (DoorWindow, "2025-06-30", "2025-06-30"),
        (PipeBlockage, "2025-06-30", "2025-06-30"),
        // Seasons 2023-24 and 2024-25 from completion; 2023-24 (65 of 121 days left) for the owner.
        (HeatingCooling, "2025-03-15", "2025-03-15"),
        (SanitaryWare, "2025-06-30", "2025-06-30"),
        (LampsSwitches, "2025-06-30", "2025-06-30"),
        (ElectricalPlumbingInstall, "2025-06-30", "2025-06-30"),
        (Decoration, "2025-06-30", "2025-06-30"),
        (Other, "-", "-"),
    ];
    assert_eq!(table.len(), PartClass::ALL.len());
    let s = CoverageSettings::default();
    for (part, builder, owner) in table {
        let v = verdict(&input(part, "2023-06-30", "2024-01-10", "2024-05-01"), &s);
        assert_eq!((v.builder_end, v.owner_end), (od(builder), od(owner)), "{part:?}: {:#?}", v.explanation);
    }
}

/// Completion 2020-06-30, delivery 2024-01-10: a long gap, the 1998 minimums dominate.
#[test]
fn ends_per_part_long_gap_batch() {
    let table = [
        (Structure, "2070-06-30", "2074-01-10"),
        (RoofWaterproofing, "2025-06-30", "2027-01-10"),
        (WetRoomLeak, "2025-06-30", "2025-06-30"),
        (WallFloorPipeLeak, "2022-06-30", "2025-01-10"),
        (PlasterFalling, "2022-06-30", "2025-01-10"),
        (FloorHollowCrack, "2022-06-30", "2025-01-10"),
        (DoorWindow, "2022-06-30", "2025-01-10"),
        (PipeBlockage, "2022-06-30", "2024-03-10"),
        (HeatingCooling, "2022-03-15", "2024-03-15"),
        (SanitaryWare, "2022-06-30", "2025-01-10"),
        (LampsSwitches, "2022-06-30", "2024-07-10"),
        // Builder's warranty over before delivery and no 1998 minimum: the guarantee must say.
        (ElectricalPlumbingInstall, "2022-06-30", "-"),
        (Decoration, "2022-06-30", "-"),
        (Other, "-", "-"),
    ];
    assert_eq!(table.len(), PartClass::ALL.len());
    let s = CoverageSettings::default();
    for (part, builder, owner) in table {
        let v = verdict(&input(part, "2020-06-30", "2024-01-10", "2024-02-01"), &s);
        assert_eq!((v.builder_end, v.owner_end), (od(builder), od(owner)), "{part:?}: {:#?}", v.explanation);
    }
    let v = verdict(&input(Decoration, "2020-06-30", "2024-01-10", "2024-02-01"), &s);
    assert_eq!((v.payer, v.missing.as_slice()), (Payer::Unknown, &[MissingInfo::OwnerPeriod][..]));
    assert!(has_line(&v, "施工单位保修期已于交付前（2022-06-30）届满"), "{:#?}", v.explanation);
}

// ---- who pays, around both ends ----

#[test]
fn payer_the_day_before_on_and_after_each_end() {
    let s = CoverageSettings::default();
    // Roof, long gap: builder to 2025-06-30, owner to 2027-01-10.
    let table = [
        ("2024-01-10", Payer::BuilderFree, true),
        ("2025-06-29", Payer::BuilderFree, true),
        ("2025-06-30", Payer::BuilderFree, true),
        ("2025-07-01", Payer::Developer, true),
        ("2027-01-09", Payer::Developer, true),
        ("2027-01-10", Payer::Developer, true),
        ("2027-01-11", Payer::OwnerPaid, false),
    ];
    for (reported, payer, inside) in table {
        let v = verdict(&input(RoofWaterproofing, "2020-06-30", "2024-01-10", reported), &s);
        assert_eq!((v.payer, v.in_owner_warranty), (payer, inside), "{reported}: {:#?}", v.explanation);
        assert!(v.missing.is_empty());
    }
    // Lamps, short gap: both ends 2025-06-30 — no developer window at all.
    for (reported, payer) in [("2025-06-30", Payer::BuilderFree), ("2025-07-01", Payer::OwnerPaid)] {
        let v = verdict(&input(LampsSwitches, "2023-06-30", "2024-01-10", reported), &s);
        assert_eq!(v.payer, payer, "{reported}");
    }
}

#[test]
fn the_explanation_names_rules_and_dates() {
    let s = CoverageSettings::default();
    let v = verdict(&input(RoofWaterproofing, "2020-06-30", "2024-01-10", "2025-07-01"), &s);
    assert_eq!(
        v.explanation,
        vec![
            "屋面防水：施工单位保修 5 年（《建设工程质量管理条例》第四十条），自竣工验收 2020-06-30 起至 2025-06-30 止",
            "屋面防水：对业主保修不少于 3 年（《商品住宅实行住宅质量保证书和住宅使用说明书制度的规定》第五条），自交付 2024-01-10 起至 2027-01-10 止",
            "按《商品房销售管理办法》第三十三条，施工单位保修期的剩余部分短于最低期限：对业主保修至 2027-01-10 止",
            "报修日 2025-07-01 已过施工单位保修期（至 2025-06-30 止），仍在对业主保修期内（至 2027-01-10 止）：由开发商承担（《保修服务操作指引》3.1）",
        ]
    );
    let out = verdict(&input(RoofWaterproofing, "2020-06-30", "2024-01-10", "2027-01-11"), &s);
    assert!(has_line(&out, "业主自费，可由物业公司提供有偿服务（《保修服务操作指引》4.4.1）"));
    let short = verdict(&input(RoofWaterproofing, "2023-06-30", "2024-01-10", "2024-05-01"), &s);
    assert!(has_line(&short, "对业主的保修期不短于施工单位保修期的剩余部分：对业主保修至 2028-06-30 止"));
}

#[test]
fn a_builder_that_does_not_perform() {
    let s = CoverageSettings::default();
    let mut i = input(WetRoomLeak, "2023-06-30", "2024-01-10", "2024-05-01");
    let table = [
        (None, true, Payer::BuilderFree, "费用从其保修金中扣除"),
        (None, false, Payer::BuilderFree, "没有可扣的保修金"),
        (Some(true), true, Payer::BuilderFree, "由施工单位免费维修"),
        (Some(false), true, Payer::HiredFirmFromDeposit, "《建设工程质量保证金管理办法》第九条；《保修金使用管理工作流程》4.2"),
        (Some(false), false, Payer::Developer, "没有可扣的保修金：委托维修费用由开发商先行承担"),
    ];
    for (performs, deposit, payer, line) in table {
        i.builder_performs = performs;
        i.builder_deposit_available = deposit;
        let v = verdict(&i, &s);
        assert_eq!(v.payer, payer, "{performs:?} {deposit}");
        assert!(has_line(&v, line), "{performs:?} {deposit}: {:#?}", v.explanation);
    }
    // After the builder's end its performance no longer matters.
    i.reported_on = d("2028-07-01");
    assert_eq!(verdict(&i, &s).payer, Payer::OwnerPaid);
}

// ---- missing dates ----

#[test]
fn missing_dates_are_named_with_the_batch_field() {
    let s = CoverageSettings::default();
    // (completion, delivery, reported, payer, in owner warranty, missing)
    type Row = (&'static str, &'static str, &'static str, Payer, bool, &'static [MissingInfo]);
    let table: [Row; 6] = [
        ("-", "2024-01-10", "2024-05-01", Payer::Unknown, true, &[MissingInfo::CompletionAcceptance]),
        ("-", "2024-01-10", "2027-01-11", Payer::Unknown, false, &[MissingInfo::CompletionAcceptance]),
        // Inside the builder's known warranty the builder pays even without a delivery date.
        ("2023-06-30", "-", "2028-06-30", Payer::BuilderFree, true, &[MissingInfo::Delivery]),
        ("2023-06-30", "-", "2028-07-01", Payer::Unknown, false, &[MissingInfo::Delivery]),
        ("-", "-", "2024-05-01", Payer::Unknown, false, &[MissingInfo::CompletionAcceptance, MissingInfo::Delivery]),
        ("2023-06-30", "2024-01-10", "2024-05-01", Payer::BuilderFree, true, &[]),
    ];
    for (c, dl, r, payer, inside, missing) in table {
        let v = verdict(&input(RoofWaterproofing, c, dl, r), &s);
        assert_eq!((v.payer, v.in_owner_warranty, v.missing.as_slice()), (payer, inside, missing), "{c} {dl} {r}: {:#?}", v.explanation);
        if c == "-" {
            assert!(has_line(&v, "请在交付批次中填写「竣工验收日期」"));
            assert_eq!(v.owner_end, None);
        }
        if dl == "-" {
            assert!(has_line(&v, "请在交付批次中填写「交付日期」"));
        }
        if payer == Payer::Unknown {
            assert!(v.explanation.last().is_some_and(|l| l.contains("无法确定费用承担方，请先补填交付批次「")), "{:#?}", v.explanation);
        }
    }
    let v = verdict(&input(RoofWaterproofing, "-", "2024-01-10", "2024-05-01"), &s);
    assert!(has_line(&v, "对业主至少保修至 2027-01-10 止"));
    assert_eq!(MissingInfo::CompletionAcceptance.field(), "completion_accepted_on");
    assert_eq!(MissingInfo::Delivery.field(), "delivered_on");
}

// ---- period arithmetic ----

#[test]
fn years_and_months_end_on_the_corresponding_day() {
    let h = HeatingSeason::default();
    let table = [
        ("2023-06-30", Period::Years(5), "2028-06-30"),
        ("2024-02-29", Period::Years(5), "2029-02-28"),
        ("2024-02-29", Period::Years(4), "2028-02-29"),
        ("2024-02-29", Period::Months(12), "2025-02-28"),
        ("2024-01-31", Period::Months(1), "2024-02-29"),
        ("2024-08-31", Period::Months(6), "2025-02-28"),
        ("2024-01-10", Period::Months(2), "2024-03-10"),
        ("2024-01-10", Period::Years(0), "2024-01-10"),
    ];
    for (start, p, end) in table {
        assert_eq!(end_date(d(start), p, &h, 50), Some(d(end)), "{start} + {p:?}");
    }
    assert_eq!(end_date(d("2024-01-10"), Period::AsAgreed, &h, 50), None);
    assert_eq!(end_date(d("2024-01-10"), Period::Years(u32::MAX), &h, 50), None);
}

#[test]
fn a_feb_29_completion_ends_on_feb_28() {
    let v = verdict(&input(RoofWaterproofing, "2024-02-29", "2024-06-01", "2029-02-28"), &CoverageSettings::default());
    assert_eq!(v.builder_end, Some(d("2029-02-28")));
    assert_eq!(v.payer, Payer::BuilderFree);
    assert!(has_line(&v, "自竣工验收 2024-02-29 起至 2029-02-28 止"));
    let next = verdict(&input(RoofWaterproofing, "2024-02-29", "2024-06-01", "2029-03-01"), &CoverageSettings::default());
    assert_eq!(next.payer, Payer::OwnerPaid);
}

#[test]
fn heating_seasons_count_a_running_season_only_if_half_remains() {
    let beijing = HeatingSeason::default();
    let table = [
        // Delivered five days into the 2025-26 season: it counts.
        ("2025-11-20", 1, "2026-03-15"),
        ("2025-11-20", 2, "2027-03-15"),
        // Delivered the day after a season: the next one is the first.
        ("2026-03-16", 1, "2027-03-15"),
        ("2026-03-16", 2, "2028-03-15"),
        // 2025-11-15 … 2026-03-15 is 120 days; from 01-14, 60 remain (half): counts.
        ("2026-01-14", 1, "2026-03-15"),
        ("2026-01-15", 1, "2027-03-15"),
        ("2026-03-15", 1, "2027-03-15"),
        ("2025-11-15", 1, "2026-03-15"),
        ("2025-11-14", 1, "2026-03-15"),
        ("2025-06-30", 2, "2027-03-15"),
        ("2025-06-30", 0, "2025-06-30"),
    ];
    for (start, n, end) in table {
        assert_eq!(end_date(d(start), Period::Seasons(n), &beijing, 50), Some(d(end)), "{start} + {n} seasons");
    }
    // A season inside one year (a cooling calendar) and a day the month lacks.
    let summer = HeatingSeason { start_month: 6, start_day: 1, end_month: 9, end_day: 30 };
    assert_eq!(end_date(d("2025-07-01"), Period::Seasons(1), &summer, 50), Some(d("2025-09-30")));
    assert_eq!(end_date(d("2025-09-01"), Period::Seasons(1), &summer, 50), Some(d("2026-09-30")));
    let feb = HeatingSeason { start_month: 12, start_day: 1, end_month: 2, end_day: 29 };
    assert_eq!(end_date(d("2025-12-01"), Period::Seasons(1), &feb, 50), Some(d("2026-02-28")));
    assert_eq!(end_date(d("2027-12-01"), Period::Seasons(1), &feb, 50), Some(d("2028-02-29")));
}

#[test]
fn an_invalid_heating_calendar_is_refused_and_reported() {
    let mut s = CoverageSettings::default();
    s.heating.start_month = 13;
    assert_eq!(end_date(d("2025-11-20"), Period::Seasons(1), &s.heating, 50), None);
    assert_eq!(s.check().map_err(|e| e.field), Err(Some("heating")));
    let v = verdict(&input(HeatingCooling, "2023-06-30", "2024-01-10", "2024-05-01"), &s);
    assert_eq!((v.payer, v.missing.as_slice()), (Payer::Unknown, &[MissingInfo::HeatingCalendar][..]));
    assert!(has_line(&v, "采暖期日历无效（13月15日至3月15日）"));
    // Parts counted in years do not care.
    assert_eq!(verdict(&input(RoofWaterproofing, "2023-06-30", "2024-01-10", "2024-05-01"), &s).payer, Payer::BuilderFree);
}

#[test]
fn heating_verdict_for_a_delivery_inside_and_after_a_season() {
    let s = CoverageSettings::default();
    // Completion long before: only the owner's season matters.
    let table = [("2025-11-20", "2026-03-15"), ("2026-03-16", "2027-03-15")];
    for (delivery, owner_end) in table {
        let v = verdict(&input(HeatingCooling, "2019-06-30", delivery, "2026-03-16"), &s);
        assert_eq!(v.builder_end, Some(d("2021-03-15")));
        assert_eq!(v.owner_end, Some(d(owner_end)), "{delivery}");
        assert!(has_line(&v, "对业主保修不少于 1 个采暖期"));
    }
}

#[test]
fn design_life_follows_the_project_setting() {
    let h = HeatingSeason::default();
    assert_eq!(end_date(d("2023-06-30"), Period::DesignLife, &h, 50), Some(d("2073-06-30")));
    let s = CoverageSettings { design_life_years: 70, ..CoverageSettings::default() };
    let v = verdict(&input(Structure, "2023-06-30", "2024-01-10", "2090-01-01"), &s);
    assert_eq!((v.builder_end, v.owner_end, v.payer), (Some(d("2093-06-30")), Some(d("2094-01-10")), Payer::BuilderFree));
    assert!(has_line(&v, "施工单位保修 设计合理使用年限（70 年）（《建设工程质量管理条例》第四十条）"));
    let zero = CoverageSettings { design_life_years: 0, ..CoverageSettings::default() };
    assert_eq!(zero.check().map_err(|e| e.field), Err(Some("design_life_years")));
}

// ---- project settings against the legal minimums ----

#[test]
fn as_agreed_falls_back_to_the_legal_minimum_and_says_so() {
    let mut s = CoverageSettings::default();
    s.owner_minimums.insert(RoofWaterproofing, Period::AsAgreed);
    s.builder_periods.insert(RoofWaterproofing, Period::AsAgreed);
    let v = verdict(&input(RoofWaterproofing, "2020-06-30", "2024-01-10", "2025-07-01"), &s);
    assert_eq!((v.builder_end, v.owner_end), (Some(d("2025-06-30")), Some(d("2027-01-10"))));
    assert!(
        has_line(&v, "对业主保修不少于 3 年（项目保修设置未填写住宅质量保证书期限，按《商品住宅实行住宅质量保证书和住宅使用说明书制度的规定》第五条最低期限）"),
        "{:#?}",
        v.explanation
    );
    assert!(has_line(&v, "施工单位保修 5 年（项目保修设置未填写施工合同期限，按《建设工程质量管理条例》第四十条最低期限）"));
    assert_eq!(s.check(), Ok(()));
}

#[test]
fn an_unset_builder_period_leaves_the_owner_minimum() {
    // 「其他」: the law sets no number; the project promised owners 1 year, the contract is not entered.
    let mut s = CoverageSettings::default();
    s.owner_minimums.insert(Other, Period::Years(1));
    let table = [("2025-01-10", Payer::Developer, true), ("2025-01-11", Payer::Unknown, false)];
    for (reported, payer, inside) in table {
        let v = verdict(&input(Other, "2023-06-30", "2024-01-10", reported), &s);
        assert_eq!((v.builder_end, v.owner_end), (None, Some(d("2025-01-10"))));
        assert_eq!((v.payer, v.in_owner_warranty, v.missing.as_slice()), (payer, inside, &[MissingInfo::BuilderPeriod][..]), "{reported}");
        assert!(has_line(&v, "施工单位保修期未定，对业主的保修期按最低期限计：至 2025-01-10 止"));
        assert!(has_line(&v, "其他：施工单位保修期由施工合同约定（《建设工程质量管理条例》第四十条），项目保修设置中尚未填写"));
    }
    // Nothing entered at all.
    let v = verdict(&input(Other, "2023-06-30", "2024-01-10", "2024-05-01"), &CoverageSettings::default());
    assert_eq!((v.payer, v.missing.as_slice()), (Payer::Unknown, &[MissingInfo::BuilderPeriod, MissingInfo::OwnerPeriod][..]));
}

#[test]
fn a_longer_contract_is_used_a_shorter_one_is_not() {
    let mut s = CoverageSettings::default();
    s.builder_periods.insert(RoofWaterproofing, Period::Years(8));
    let v = verdict(&input(RoofWaterproofing, "2023-06-30", "2024-01-10", "2030-01-01"), &s);
    assert_eq!((v.builder_end, v.owner_end, v.payer), (Some(d("2031-06-30")), Some(d("2031-06-30")), Payer::BuilderFree));
    assert!(has_line(&v, "8 年（施工合同约定，不低于《建设工程质量管理条例》第四十条规定的最低 5 年）"));
    assert_eq!(s.check(), Ok(()));

    s.builder_periods.insert(RoofWaterproofing, Period::Years(3));
    let v = verdict(&input(RoofWaterproofing, "2023-06-30", "2024-01-10", "2028-06-30"), &s);
    assert_eq!((v.builder_end, v.payer), (Some(d("2028-06-30")), Payer::BuilderFree));
    assert!(has_line(&v, "项目保修设置中的 3 年低于最低期限，不予采用"), "{:#?}", v.explanation);
    let e = s.check().expect_err("3 years < 5");
    assert_eq!(e.field, Some("builder_periods"));
    assert_eq!(e.message, "「屋面防水」的施工合同保修期 3 年低于《建设工程质量管理条例》第四十条规定的最低 5 年");

    let mut s = CoverageSettings::default();
    s.owner_minimums.insert(LampsSwitches, Period::Months(3));
    assert_eq!(s.check().map_err(|e| e.field), Err(Some("owner_minimums")));
    s.owner_minimums.insert(LampsSwitches, Period::Months(0));
    assert_eq!(s.check().map_err(|e| e.message), Err("「灯具、电器开关」的对业主保修期不能为 0".to_string()));
    s.owner_minimums.insert(LampsSwitches, Period::Years(1));
    assert_eq!(s.check(), Ok(()));
}

// ---- classification ----

#[test]
fn classify_real_intake_strings() {
    use Category as C;
    let table = [
        (C::Leak, "卫生间", "卫生间地面渗水", WetRoomLeak),
        (C::DoorWindow, "主卧", "主卧窗户关不严", DoorWindow),
        (C::Hollow, "客厅", "客厅地面空鼓", FloorHollowCrack),
        (C::WaterElectric, "厨房", "厨房下水堵塞", PipeBlockage),
        (C::Hvac, "", "地暖不热", HeatingCooling),
        (C::Finish, "次卧", "次卧吊顶抹灰脱落", PlasterFalling),
        (C::Leak, "", "屋顶漏水", RoofWaterproofing),
        (C::Leak, "外墙", "外墙渗水", WetRoomLeak),
        (C::WaterElectric, "", "开关面板松动", LampsSwitches),
        (C::Crack, "", "承重墙裂缝", Structure),
        (C::Other, "顶层", "下雨后顶层天花板往下滴水", RoofWaterproofing),
        (C::Leak, "卫生间", "卫生间管根渗漏，楼下顶棚有水渍", WetRoomLeak),
        (C::Leak, "厨房", "厨房水管接头漏水", WallFloorPipeLeak),
        (C::Leak, "次卧", "次卧飘窗窗台渗水", WetRoomLeak),
        (C::Leak, "客厅", "空调孔下雨渗水", WetRoomLeak),
        (C::Leak, "", "暖气片接口漏水", HeatingCooling),
        (C::Leak, "卫生间", "马桶底座漏水", SanitaryWare),
        (C::Other, "卫生间", "马桶冲水堵了", PipeBlockage),
        (C::WaterElectric, "卫生间", "洗手盆龙头松动", SanitaryWare),
        (C::WaterElectric, "门厅", "门厅灯不亮", LampsSwitches),
        (C::WaterElectric, "", "厨房插座没电", LampsSwitches),
        (C::WaterElectric, "", "客厅电路经常跳闸", ElectricalPlumbingInstall),
        (C::DoorWindow, "入户门", "入户门锁芯损坏", DoorWindow),
        (C::DoorWindow, "阳台", "阳台推拉门把手脱落", DoorWindow),
        (C::Finish, "门厅", "门厅墙皮脱落", PlasterFalling),
        (C::Hollow, "次卧", "次卧墙面空鼓", PlasterFalling),
        (C::Crack, "客厅", "客厅地砖开裂", FloorHollowCrack),
        (C::Crack, "主卧", "主卧墙面有细小裂纹", PlasterFalling),
        (C::Crack, "", "楼板裂缝，楼下能看到", Structure),
        (C::Finish, "地面", "阳台地面大面积起砂", FloorHollowCrack),
        (C::Finish, "厨房", "橱柜门板变形", Decoration),
        (C::Crack, "卫生间", "柱盆开裂", SanitaryWare),
        (C::Finish, "客厅", "客厅地面局部沉降", FloorHollowCrack),
        (C::Finish, "客厅", "乳胶漆发黄", Decoration),
        (C::Hvac, "", "空调不制冷", HeatingCooling),
        (C::WaterElectric, "", "漏电保护器跳闸", ElectricalPlumbingInstall),
        (C::Other, "", "外墙封堵不严，下雨漏水", WetRoomLeak),
        (C::Crack, "", "有裂缝", Other),
        (C::Other, "", "其他问题", Other),
        (C::Leak, "", "地下室墙面渗水", WetRoomLeak),
        (C::Hollow, "", "空鼓", FloorHollowCrack),
    ];
    for (category, part, description, expected) in table {
        assert_eq!(classify_part(category, part, description), expected, "{part} / {description}");
    }
}
