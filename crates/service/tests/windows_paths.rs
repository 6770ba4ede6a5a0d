//! Windows users keep data under folders such as `D:\保修中心 数据\`: a data folder and files
//! whose paths hold Chinese characters and spaces work for the database, photos and prints.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use desk_domain::ticket::{Category, Channel};
use desk_service::intake::{DefectInput, ReportInput};
use desk_service::master::{BatchInput, OwnerInput, ProjectInput, UnitInput};
use desk_service::Desk;

#[test]
fn chinese_and_spaces_in_every_path() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("保修中心 数据").join("二〇二六 年");
    let desk = Desk::open(&data).unwrap();
    let me = desk.create_first_director("张 主任", "2468").unwrap();
    let p = desk.save_project(&me, ProjectInput { id: None, name: "翠湖 澜庭".into(), code: "CH".into(), address: String::new() }).unwrap();
    let b = desk.save_batch(&me, BatchInput { id: None, project_id: p, name: "一 期".into(), delivered_on: None, completion_accepted_on: None }).unwrap();
    desk.save_unit(
        &me,
        UnitInput {
            id: None,
            project_id: p,
            batch_id: b,
            address: "3-2-1502".into(),
            area_m2: None,
            owners: vec![OwnerInput { id: None, name: "王芳".into(), phones: vec!["13800135678".into()], note: String::new() }],
        },
    )
    .unwrap();
    let photo_dir = root.path().join("手机 照片");
    std::fs::create_dir_all(&photo_dir).unwrap();
    let photo = photo_dir.join("卫生间 渗水 1.png");
    std::fs::write(&photo, include_bytes!("../../../icons/32x32.png")).unwrap();
    let d = DefectInput {
        description: "卫生间渗水".into(),
        part: "卫生间".into(),
        category: Category::Leak,
        nature: None,
        classification: None,
        steward_id: None,
        required_by: None,
        expected_visit: String::new(),
        link_to: None,
        previous: None,
        photos: vec![photo.display().to_string()],
    };
    let r = ReportInput {
        channel: Channel::Phone,
        reported_at: None,
        unit: "3-2-1502".into(),
        owner_id: None,
        owner_name: String::new(),
        phone: "13800135678".into(),
        caller_name: String::new(),
        caller_relation: String::new(),
        defects: vec![d],
    };
    let no = desk.record_report(&me, r).unwrap().remove(0).no;
    let t = desk.ticket(&no).unwrap();
    assert!(data.join(&t.photos[0].file).exists(), "the photo was copied into the data folder");
    assert!(desk.photo_data_url(&t.photos[0].file).unwrap().starts_with("data:image/png;base64,"));
    let printed = desk.print_f01(None, &no, false).unwrap();
    assert!(std::path::Path::new(&printed.path).starts_with(&data));
    assert!(std::fs::read(&printed.path).unwrap().starts_with(b"%PDF"));
    drop(desk);
    assert_eq!(Desk::open(&data).unwrap().ticket(&no).unwrap().no, no, "reopens from the same folder");
}
