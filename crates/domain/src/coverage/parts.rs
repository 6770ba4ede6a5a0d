//! Part classes (保修部位) and the legal minimum periods of each.
//!
//! Two rules set the minimums, counted from different days:
//! * builder → developer: 《建设工程质量管理条例》第四十条 (repeated in 《房屋建筑工程质量保修办法》
//!   第七条), from completion acceptance (竣工验收合格之日);
//! * developer → owner: 《商品住宅实行住宅质量保证书和住宅使用说明书制度的规定》(1998) 第五条,
//!   from delivery (交付之日, 第六条).
//!
//! The classes are cut so that each one has a single minimum in both rules.

use super::periods::Period;
use serde::{Deserialize, Serialize};

/// 保修部位类别.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub enum PartClass {
    /// 地基基础和主体结构.
    Structure,
    /// 屋面防水.
    RoofWaterproofing,
    /// 有防水要求的卫生间、厨房、地下室等房间和外墙面的防渗漏 (外窗、空调孔四周的渗水算外墙).
    WetRoomLeak,
    /// Other leaks of the 1998 list (墙面、地面、管道渗漏) that are no waterproofing failure of a
    /// wet room or the external wall: mostly water pipes, so the builder's 2 years of 给排水管道.
    WallFloorPipeLeak,
    /// 墙面、顶棚抹灰层脱落 (also non-structural wall cracks and hollow plaster).
    PlasterFalling,
    /// 地面空鼓开裂、大面积起砂.
    FloorHollowCrack,
    /// 门窗翘裂、五金件损坏.
    DoorWindow,
    /// 管道堵塞.
    PipeBlockage,
    /// 供热、供冷系统和设备.
    HeatingCooling,
    /// 卫生洁具.
    SanitaryWare,
    /// 灯具、电器开关.
    LampsSwitches,
    /// 电气管线、给排水管道、设备安装 (not listed by the 1998 rules: owner period as agreed).
    ElectricalPlumbingInstall,
    /// 装修工程 (精装修的饰面、吊顶、橱柜 …).
    Decoration,
    /// 其他.
    Other,
}

/// The legal minimums of one part class, with the clause each comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Statutory {
    /// Builder → developer minimum, from completion acceptance.
    pub builder: Period,
    /// The clause of 《建设工程质量管理条例》第四十条 that sets it.
    pub builder_clause: &'static str,
    /// Developer → owner minimum, from delivery.
    pub owner: Period,
    /// The clause of the 1998 规定 第五条 that sets it.
    pub owner_clause: &'static str,
}

const ART40_1: &str = "第四十条第（一）项：地基基础工程和主体结构工程，为设计文件规定的该工程的合理使用年限";
const ART40_2: &str = "第四十条第（二）项：屋面防水工程、有防水要求的卫生间、房间和外墙面的防渗漏，为 5 年";
const ART40_3: &str = "第四十条第（三）项：供热与供冷系统，为 2 个采暖期、供冷期";
const ART40_4: &str = "第四十条第（四）项：电气管线、给排水管道、设备安装和装修工程，为 2 年";
const ART40_OTHER: &str = "第四十条：其他项目的保修期限由发包方与承包方约定";
const R1998_OTHER: &str = "第五条：其他部位、部件的保修期限，由房地产开发企业与用户自行约定";

impl PartClass {
    pub const ALL: &'static [PartClass] = &[
        PartClass::Structure,
        PartClass::RoofWaterproofing,
        PartClass::WetRoomLeak,
        PartClass::WallFloorPipeLeak,
        PartClass::PlasterFalling,
        PartClass::FloorHollowCrack,
        PartClass::DoorWindow,
        PartClass::PipeBlockage,
        PartClass::HeatingCooling,
        PartClass::SanitaryWare,
        PartClass::LampsSwitches,
        PartClass::ElectricalPlumbingInstall,
        PartClass::Decoration,
        PartClass::Other,
    ];

    /// The Chinese label the UI and the explanations show.
    pub fn label(self) -> &'static str {
        match self {
            PartClass::Structure => "地基基础和主体结构",
            PartClass::RoofWaterproofing => "屋面防水",
            PartClass::WetRoomLeak => "卫生间、有防水要求的房间和外墙渗漏",
            PartClass::WallFloorPipeLeak => "墙面、地面、管道渗漏",
            PartClass::PlasterFalling => "墙面、顶棚抹灰层脱落",
            PartClass::FloorHollowCrack => "地面空鼓开裂、起砂",
            PartClass::DoorWindow => "门窗翘裂、五金件损坏",
            PartClass::PipeBlockage => "管道堵塞",
            PartClass::HeatingCooling => "供热、供冷系统和设备",
            PartClass::SanitaryWare => "卫生洁具",
            PartClass::LampsSwitches => "灯具、电器开关",
            PartClass::ElectricalPlumbingInstall => "电气管线、给排水管道、设备安装",
            PartClass::Decoration => "装修工程",
            PartClass::Other => "其他",
        }
    }

    /// The stable code stored in the database and the settings JSON.
    pub fn code(self) -> &'static str {
        match self {
            PartClass::Structure => "Structure",
            PartClass::RoofWaterproofing => "RoofWaterproofing",
            PartClass::WetRoomLeak => "WetRoomLeak",
            PartClass::WallFloorPipeLeak => "WallFloorPipeLeak",
            PartClass::PlasterFalling => "PlasterFalling",
            PartClass::FloorHollowCrack => "FloorHollowCrack",
            PartClass::DoorWindow => "DoorWindow",
            PartClass::PipeBlockage => "PipeBlockage",
            PartClass::HeatingCooling => "HeatingCooling",
            PartClass::SanitaryWare => "SanitaryWare",
            PartClass::LampsSwitches => "LampsSwitches",
            PartClass::ElectricalPlumbingInstall => "ElectricalPlumbingInstall",
            PartClass::Decoration => "Decoration",
            PartClass::Other => "Other",
        }
    }

    /// Reads a stored code or a Chinese label.
    pub fn parse(s: &str) -> Option<PartClass> {
        let s = s.trim();
        Self::ALL.iter().copied().find(|x| x.code() == s || x.label() == s)
    }

    /// The legal minimums of this class. Builder: 《建设工程质量管理条例》第四十条; owner:
    /// 《商品住宅实行住宅质量保证书和住宅使用说明书制度的规定》第五条.
    pub fn statutory(self) -> Statutory {
        use Period::*;
        let (builder, builder_clause, owner, owner_clause) = match self {
            // 条例 第四十条（一）; 1998 规定 第五条 第 2 项: "地基基础和主体结构在合理使用寿命年限内承担保修".
            PartClass::Structure => (DesignLife, ART40_1, DesignLife, "第五条：地基基础和主体结构在合理使用寿命年限内承担保修"),
            // 条例 第四十条（二）5 年; 1998 规定 第五条 "屋面防水 3 年".
            PartClass::RoofWaterproofing => (Years(5), ART40_2, Years(3), "第五条：屋面防水 3 年"),
            // 条例 第四十条（二）5 年; 1998 规定 第五条 "墙面、厨房和卫生间地面、地下室、管道渗漏 1 年".
            PartClass::WetRoomLeak => (Years(5), ART40_2, Years(1), "第五条：墙面、厨房和卫生间地面、地下室、管道渗漏 1 年"),
            // 条例 第四十条（四）给排水管道 2 年; 1998 规定 第五条 "…管道渗漏 1 年".
            PartClass::WallFloorPipeLeak => (Years(2), ART40_4, Years(1), "第五条：墙面、厨房和卫生间地面、地下室、管道渗漏 1 年"),
            // 条例 第四十条（四）装修工程 2 年; 1998 规定 第五条 "墙面、顶棚抹灰层脱落 1 年".
            PartClass::PlasterFalling => (Years(2), ART40_4, Years(1), "第五条：墙面、顶棚抹灰层脱落 1 年"),
            // 条例 第四十条（四）装修工程 2 年; 1998 规定 第五条 "地面空鼓开裂、大面积起砂 1 年".
            PartClass::FloorHollowCrack => (Years(2), ART40_4, Years(1), "第五条：地面空鼓开裂、大面积起砂 1 年"),
            // 条例 第四十条（四）装修工程 2 年; 1998 规定 第五条 "门窗翘裂、五金件损坏 1 年".
            PartClass::DoorWindow => (Years(2), ART40_4, Years(1), "第五条：门窗翘裂、五金件损坏 1 年"),
            // 条例 第四十条（四）给排水管道 2 年; 1998 规定 第五条 "管道堵塞 2 个月".
            PartClass::PipeBlockage => (Years(2), ART40_4, Months(2), "第五条：管道堵塞 2 个月"),
            // 条例 第四十条（三）2 个采暖期、供冷期; 1998 规定 第五条 "供热、供冷系统和设备 1 个采暖期或供冷期".
            PartClass::HeatingCooling => (Seasons(2), ART40_3, Seasons(1), "第五条：供热、供冷系统和设备 1 个采暖期或供冷期"),
            // 条例 第四十条（四）给排水管道、设备安装 2 年; 1998 规定 第五条 "卫生洁具 1 年".
            PartClass::SanitaryWare => (Years(2), ART40_4, Years(1), "第五条：卫生洁具 1 年"),
            // 条例 第四十条（四）电气管线、设备安装 2 年; 1998 规定 第五条 "灯具、电器开关 6 个月".
            PartClass::LampsSwitches => (Years(2), ART40_4, Months(6), "第五条：灯具、电器开关 6 个月"),
            // 条例 第四十条（四）2 年; not in the 1998 list: "其他部位、部件…自行约定".
            PartClass::ElectricalPlumbingInstall => (Years(2), ART40_4, AsAgreed, R1998_OTHER),
            // 条例 第四十条（四）装修工程 2 年; not in the 1998 list.
            PartClass::Decoration => (Years(2), ART40_4, AsAgreed, R1998_OTHER),
            // 条例 第四十条 "其他项目的保修期限由发包方与承包方约定"; 1998 规定 第五条 likewise.
            PartClass::Other => (AsAgreed, ART40_OTHER, AsAgreed, R1998_OTHER),
        };
        Statutory { builder, builder_clause, owner, owner_clause }
    }

    /// Builder → developer minimum (《建设工程质量管理条例》第四十条).
    pub fn builder_minimum(self) -> Period {
        self.statutory().builder
    }

    /// Developer → owner minimum (1998 规定 第五条).
    pub fn owner_minimum(self) -> Period {
        self.statutory().owner
    }
}
