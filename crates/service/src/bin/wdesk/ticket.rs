//! `wdesk ticket new|list|show`.

use super::*;

pub(crate) fn ticket(data_dir: &std::path::Path, cmd: TicketCommand) -> Result<(), Failure> {
    let desk = Desk::open(data_dir)?;
    match cmd {
        TicketCommand::New { unit, phone, desc, part, category, channel, owner, at, by, json } => {
            let category = match category {
                Some(c) => Category::parse(&c)
                    .ok_or_else(|| Failure::Usage(format!("未知的类别「{c}」，可用：{}", labels(Category::ALL.iter().map(|x| x.label())))))?,
                None => Category::Other,
            };
            let channel = match channel {
                Some(c) => Channel::parse(&c).ok_or_else(|| Failure::Usage(format!("未知的报修方式「{c}」，可用：电话、来访、网络、代为转告")))?,
                None => Channel::Phone,
            };
            let me = desk.session_for(by.as_deref())?;
            let input = ReportInput {
                channel,
                reported_at: at,
                unit,
                owner_id: None,
                owner_name: owner.unwrap_or_default(),
                phone,
                caller_name: if channel == Channel::Relayed { "代报人".into() } else { String::new() },
                caller_relation: String::new(),
                defects: vec![DefectInput {
                    description: desc,
                    part,
                    category,
                    nature: None,
                    classification: None,
                    steward_id: None,
                    required_by: None,
                    expected_visit: String::new(),
                    link_to: None,
                    previous: None,
                    photos: Vec::new(),
                }],
            };
            let created = desk.record_report(&me, input)?;
            let t = &created[0];
            if json {
                print_json(
                    &json!({"no": t.no, "status": t.status.code(), "status_label": t.status.label(), "unit": t.unit, "owner": t.owner, "reported_at": t.reported_at}),
                );
            } else {
                println!("已登记报修单 {}（{}，{}）", t.no, t.unit, t.status.label());
            }
        }
        TicketCommand::List { query, status, due, handed_over, limit, full_phone, json } => {
            let due = match due {
                Some(d) => Some(DueFilter::parse(&d).ok_or_else(|| Failure::Usage(format!("未知的时限筛选「{d}」，可用：overdue、today")))?),
                None => None,
            };
            let status = match status {
                Some(s) => Some(
                    TicketStatus::parse(&s)
                        .ok_or_else(|| Failure::Usage(format!("未知的状态「{s}」，可用：{}", labels(TicketStatus::ALL.iter().map(|x| x.label())))))?,
                ),
                None => None,
            };
            let f = TicketFilter { status, query, due, handed_over, limit: Some(limit), ..Default::default() };
            let page = desk.list_tickets(&f, i64::MAX)?;
            let phone = |p: &str| if full_phone { p.to_string() } else { mask_phone(p) };
            if json {
                let items: Vec<_> = page
                    .items
                    .iter()
                    .map(|t| {
                        json!({
                            "no": t.no, "unit": t.unit, "owner": t.owner, "phone": phone(&t.phone), "status": t.status.code(),
                            "status_label": t.status.label(), "category": t.category.label(), "part": t.part, "description": t.description,
                            "steward": t.steward, "reported_at": t.reported_at,
                        })
                    })
                    .collect();
                print_json(&json!({"total": page.total, "items": items}));
            } else {
                println!("共 {} 张", page.total);
                for t in &page.items {
                    println!(
                        "{}  {}  {:<10} {}  {}  {}  {}",
                        t.no,
                        fmt_local(t.reported_at),
                        t.unit,
                        t.owner,
                        phone(&t.phone),
                        t.status.label(),
                        t.description
                    );
                }
            }
        }
        TicketCommand::Show { no, json } => {
            let d = desk.ticket(&no)?;
            let cov = desk.coverage_of_ticket(&no)?;
            if json {
                // The ticket's record plus its warranty verdict: who pays, the liable builder
                // and the deposit it has left.
                let mut v = serde_json::to_value(&d).map_err(|e| Failure::Refused(DeskError::storage(e.to_string())))?;
                v["coverage"] = json!({
                    "payer": cov.verdict.payer,
                    "payer_label": cov.payer_label,
                    "part": cov.verdict.part,
                    "builder_end": cov.verdict.builder_end,
                    "owner_end": cov.verdict.owner_end,
                    "builder": cov.builder.as_ref().map(|b| json!({
                        "name": b.builder, "contract": b.contract_no, "ledger_id": b.ledger_id, "liability_end": b.liability_end,
                    })),
                    "deposit_balance_fen": cov.builder.as_ref().map(|b| b.balance_fen),
                    "deposit_available": cov.deposit_available,
                    "explanation": cov.verdict.explanation,
                });
                print_json(&v);
            } else {
                println!("{}  {}  {}", d.no, d.status.label(), fmt_local(d.reported_at));
                println!("房号：{}（{}）  业主：{}  电话：{}", d.unit, d.batch_name, d.owner, d.phone);
                println!("部位：{}  类别：{}  报修方式：{}", d.part, d.category.label(), d.channel.label());
                println!("描述：{}", d.description);
                println!("保修判定：{}", cov.payer_label);
                for line in &cov.verdict.explanation {
                    println!("  · {line}");
                }
                for e in &d.timeline {
                    println!("  {}  {}  {}", fmt_local(e.at), e.actor.as_deref().unwrap_or("系统"), e.detail);
                }
            }
        }
    }
    Ok(())
}
