import type { PaymentStatus } from './bindings/PaymentStatus'
import type { LineKind } from './bindings/LineKind'
import type { EntryKind } from './bindings/EntryKind'
import type { PartClass } from './bindings/PartClass'
import type { DutyKind } from './bindings/DutyKind'
import type { Urgency } from './bindings/Urgency'
// The one place where codes become Chinese labels (the Rust enums hold the same labels for
// printed forms and the CLI).
import type { TicketStatus } from './bindings/TicketStatus'
import type { Channel } from './bindings/Channel'
import type { Category } from './bindings/Category'
import type { Classification } from './bindings/Classification'
import type { Role } from './bindings/Role'
import type { DefectNature } from './bindings/DefectNature'
import type { ContractorKind } from './bindings/ContractorKind'

export const statusLabel: Record<TicketStatus, string> = {
  Reported: '已报修', Contacted: '已联系', Dispatched: '已派工', InRepair: '维修中',
  AwaitingAcceptance: '待验收', Accepted: '已验收', Closed: '已关闭', Visited: '已回访',
  OutOfScope: '非保修范围', Cancelled: '已取消',
}
export const statusTag: Record<TicketStatus, 'primary' | 'success' | 'warning' | 'info' | 'danger'> = {
  Reported: 'danger', Contacted: 'warning', Dispatched: 'primary', InRepair: 'primary',
  AwaitingAcceptance: 'warning', Accepted: 'success', Closed: 'info', Visited: 'info',
  OutOfScope: 'info', Cancelled: 'info',
}
export const channelLabel: Record<Channel, string> = { Phone: '电话', Visit: '来访', Web: '网络', Relayed: '代为转告' }
export const categoryLabel: Record<Category, string> = {
  Leak: '渗漏', Crack: '开裂', Hollow: '空鼓', DoorWindow: '门窗', WaterElectric: '水电', Hvac: '暖通', Finish: '墙地面', Other: '其他',
}
export const classificationLabel: Record<Classification, string> = { Simple: '简单', General: '一般', Complex: '复杂' }
export const natureLabel: Record<DefectNature, string> = { HouseQuality: '房屋质量', OwnerDecoration: '业主装修损坏', PublicFacility: '公共设施' }
export const dutyLabel: Record<DutyKind, string> = {
  Contact: '联系业主', Dispatch: '派工', Arrival: '到场', SiteVisit: '现场巡查', Feedback: '进度反馈',
  CompletionNotice: '完工告知', UnreachableRetry: '失联重试', UnreachableClose: '失联关闭', ReturnVisit: '回访', PromisedCompletion: '按承诺完工',
}
export const urgencyLabel: Record<Urgency, string> = {
  DueSoon: '4 小时内到期', LateToday: '今天刚超时', DueToday: '今天稍后到期', LateDays: '已超时 1–7 天', LateWeeks: '超时一周以上',
}
export const urgencyTag: Record<Urgency, 'danger' | 'warning' | 'info' | 'primary'> = {
  DueSoon: 'warning', LateToday: 'danger', DueToday: 'primary', LateDays: 'info', LateWeeks: 'info',
}
export const partClassLabel: Record<PartClass, string> = {
  Structure: '地基基础和主体结构', RoofWaterproofing: '屋面防水', WetRoomLeak: '卫生间、有防水要求的房间和外墙渗漏',
  WallFloorPipeLeak: '墙面、地面、管道渗漏', PlasterFalling: '墙面、顶棚抹灰层脱落', FloorHollowCrack: '地面空鼓开裂、起砂',
  DoorWindow: '门窗翘裂、五金件损坏', PipeBlockage: '管道堵塞', HeatingCooling: '供热、供冷系统和设备', SanitaryWare: '卫生洁具',
  LampsSwitches: '灯具、电器开关', ElectricalPlumbingInstall: '电气管线、给排水管道、设备安装', Decoration: '装修工程', Other: '其他',
}
export const roleLabel: Record<Role, string> = {
  FrontDesk: '前台客服', Steward: '保修管家', Director: '保修主任', CsAssistant: '客服主管助理', Engineer: '保修工程师', ProjectGm: '项目总经理',
}
export const contractorKindLabel: Record<ContractorKind, string> = { Builder: '施工单位', Maintenance: '维保单位' }

export function options<K extends string>(labels: Record<K, string>): { value: K; label: string }[] {
  return (Object.keys(labels) as K[]).map((value) => ({ value, label: labels[value] }))
}

export const PART_SUGGESTIONS = [
  '卫生间', '厨房', '客厅', '卧室', '阳台', '外墙', '屋面', '地下室', '门窗', '入户门',
  '给排水管道', '电气线路', '开关插座', '灯具', '暖气片', '地暖', '卫生洁具', '墙面', '顶棚', '地面',
]

export const paymentStatusLabel: Record<PaymentStatus, string> = { Submitted: '待审核', Reviewed: '待会签', Countersigned: '待付款', Paid: '已付款' }
export const lineKindLabel: Record<LineKind, string> = { Material: '材料', Labour: '人工', Other: '其他' }
export const entryKindLabel: Record<EntryKind, string> = {
  Opening: '期初', Retention: '预留', Deduction: '扣款', Refund: '退还', Adjustment: '调整', Reversal: '冲销',
}
