//! Guessing the part class of a ticket from what the clerk typed.
//!
//! A suggestion, not a verdict: the clerk sees it and can change it. The rules look for what
//! went wrong first (裂 in a load-bearing part, 渗漏, 堵塞) and where only second, because the
//! same room word (卫生间, 门厅) appears in very different defects. When nothing matches, the
//! ticket's category decides.

use super::parts::PartClass;
use crate::ticket::Category;

/// 柱子, not 柱: a 柱盆 (pedestal basin) is sanitary ware.
const STRUCTURE: &[&str] = &["承重", "结构", "梁", "柱子", "框架柱", "构造柱", "楼板", "剪力墙", "地基", "基础"];
const CRACK: &[&str] = &["裂", "沉降", "变形", "倾斜"];
const LEAK: &[&str] = &["渗", "漏水", "漏雨", "滴水", "洇", "返潮", "水渍", "冒水", "往下流水", "泡水"];
const ROOF: &[&str] = &["屋面", "屋顶", "顶层", "天沟", "女儿墙", "露台"];
const HEATING: &[&str] = &["暖气", "地暖", "供暖", "采暖", "散热器", "分集水器", "空调", "不热", "制冷", "供热"];
/// Leaks of the heating system are heating defects; 空调孔渗水 is an external-wall leak.
const HEATING_PIPES: &[&str] = &["暖气", "地暖", "供暖", "采暖", "散热器", "分集水器"];
const SANITARY: &[&str] = &["马桶", "坐便", "蹲便", "洁具", "面盆", "台盆", "洗手盆", "洗脸盆", "柱盆", "浴缸", "淋浴", "花洒", "龙头", "水箱", "小便"];
/// 管根: water creeping down a pipe through the slab is a waterproofing failure of the room.
const WET_ROOM: &[&str] = &["卫生间", "厕所", "洗手间", "浴室", "厨房", "外墙", "阳台", "地下室", "窗", "空调孔", "管根", "防水"];
const PIPE: &[&str] = &["管", "阀", "接头", "水表"];
const BLOCKAGE: &[&str] = &["堵", "不下水", "下水慢", "排水慢", "排水不畅", "不通畅"];
const DOOR_WINDOW: &[&str] = &["门", "窗", "五金", "合页", "把手", "执手", "锁", "纱窗", "玻璃", "推拉"];
const HOLLOW: &[&str] = &["空鼓", "起砂"];
const FLOOR: &[&str] = &["地面", "地坪", "地砖", "地板", "楼面"];
const WALL_CEILING: &[&str] = &["墙", "顶棚", "天花", "吊顶", "顶面"];
const PLASTER: &[&str] = &["抹灰", "掉灰", "掉皮", "墙皮", "起皮", "掉渣"];
const FALLING: &[&str] = &["脱落", "剥落"];
const ELECTRIC_PLUMBING: &[&str] =
    &["电线", "线路", "跳闸", "漏电", "没电", "断电", "配电箱", "强电", "弱电", "网线", "电话线", "对讲", "水管", "给水", "水压", "水表"];
const DECORATION: &[&str] = &["涂料", "乳胶漆", "油漆", "壁纸", "瓷砖", "墙砖", "地板", "吊顶", "橱柜", "踢脚", "石膏线", "石材", "饰面"];

fn any(text: &str, words: &[&str]) -> bool {
    words.iter().any(|w| text.contains(w))
}

/// Suggests the part class of a defect from its category, its part (部位) and its description.
pub fn classify_part(category: Category, part_text: &str, description: &str) -> PartClass {
    let text = format!("{} {}", part_text.trim(), description.trim());
    let t = text.as_str();
    // 封堵 (sealing) is no blockage; 漏电 is no water leak.
    let blocked = any(&t.replace("封堵", ""), BLOCKAGE);
    let leaking = category == Category::Leak || any(&t.replace("漏电", ""), LEAK);
    let cracked = category == Category::Crack || any(t, CRACK);

    if cracked && any(t, STRUCTURE) {
        return PartClass::Structure;
    }
    if blocked {
        return PartClass::PipeBlockage;
    }
    if leaking {
        return if any(t, ROOF) {
            PartClass::RoofWaterproofing
        } else if any(t, HEATING_PIPES) {
            PartClass::HeatingCooling
        } else if any(t, SANITARY) && !any(t, FLOOR) && !any(t, WALL_CEILING) {
            PartClass::SanitaryWare
        } else if t.contains("管根") || (any(t, WET_ROOM) && !any(t, PIPE)) {
            PartClass::WetRoomLeak
        } else {
            PartClass::WallFloorPipeLeak
        };
    }
    if any(t, HEATING) {
        return PartClass::HeatingCooling;
    }
    // Cabinets (橱柜门板) are fitted decoration, not doors.
    if t.contains('柜') {
        return PartClass::Decoration;
    }
    // 开关 of a door or window (窗户开关不灵) is the window's; 门厅灯 is a lamp.
    if t.contains('灯') || t.contains("插座") || (t.contains("开关") && !any(t, &["门", "窗"])) {
        return PartClass::LampsSwitches;
    }
    if any(t, SANITARY) {
        return PartClass::SanitaryWare;
    }
    if any(t, HOLLOW) || category == Category::Hollow {
        return if any(t, WALL_CEILING) && !any(t, FLOOR) { PartClass::PlasterFalling } else { PartClass::FloorHollowCrack };
    }
    // 把手脱落 is hardware; 门厅墙皮脱落 is plaster.
    if any(t, PLASTER) || (any(t, FALLING) && (any(t, WALL_CEILING) || !any(t, DOOR_WINDOW))) {
        return PartClass::PlasterFalling;
    }
    if cracked {
        if any(t, FLOOR) {
            return PartClass::FloorHollowCrack;
        }
        if any(t, DOOR_WINDOW) && !any(t, WALL_CEILING) {
            return PartClass::DoorWindow;
        }
        if any(t, WALL_CEILING) {
            return PartClass::PlasterFalling;
        }
    }
    if any(t, DOOR_WINDOW) {
        return PartClass::DoorWindow;
    }
    if any(t, ELECTRIC_PLUMBING) {
        return PartClass::ElectricalPlumbingInstall;
    }
    if any(t, DECORATION) {
        return PartClass::Decoration;
    }
    match category {
        Category::Leak => PartClass::WallFloorPipeLeak,
        Category::Hollow => PartClass::FloorHollowCrack,
        Category::DoorWindow => PartClass::DoorWindow,
        Category::WaterElectric => PartClass::ElectricalPlumbingInstall,
        Category::Hvac => PartClass::HeatingCooling,
        Category::Finish => PartClass::Decoration,
        // A crack with no place named could be anything from paint to a beam: let the clerk say.
        Category::Crack | Category::Other => PartClass::Other,
    }
}
