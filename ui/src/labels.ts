// Where codes become Chinese labels. The labels themselves come from Rust (the enums' label(),
// generated into ./generated/labels.ts by `cargo test -p warranty-desk`): change a wording in
// crates/domain, never here. What stays here is purely visual (tag colours, part suggestions).
import type { TicketStatus } from './bindings/TicketStatus'
import type { Urgency } from './bindings/Urgency'

export {
  ticketStatusLabel as statusLabel,
  channelLabel,
  // How the desk reached the owner (contact attempts, completion notices).
  channelContactLabel,
  categoryLabel,
  classificationLabel,
  defectNatureLabel as natureLabel,
  dutyKindLabel,
  // Tags in lists: who acts is said by the duty's note and section beside it.
  dutyKindShortLabel as dutyLabel,
  urgencyLabel,
  partClassLabel,
  roleLabel,
  contractorKindLabel,
  paymentStatusLabel,
  lineKindLabel,
  entryKindLabel,
  followUpKindLabel,
  satisfactionLabel,
  acceptanceKindLabel,
  acceptanceKindShortLabel,
  escalationKindLabel,
  escalationKindSection,
  clockModeLabel,
  periodUnitLabel,
  dueFilterLabel,
} from './generated/labels'

export const statusTag: Record<TicketStatus, 'primary' | 'success' | 'warning' | 'info' | 'danger'> = {
  Reported: 'danger', Contacted: 'warning', Dispatched: 'primary', InRepair: 'primary',
  AwaitingAcceptance: 'warning', Accepted: 'success', Closed: 'info', Visited: 'info',
  OutOfScope: 'info', Cancelled: 'info',
}
export const urgencyTag: Record<Urgency, 'danger' | 'warning' | 'info' | 'primary'> = {
  DueSoon: 'warning', LateToday: 'danger', DueToday: 'primary', LateDays: 'info', LateWeeks: 'info',
}

/** The choices of a select, in the enum's declared order (the generated maps keep it). */
export function options<K extends string>(labels: Record<K, string>): { value: K; label: string }[] {
  return (Object.keys(labels) as K[]).map((value) => ({ value, label: labels[value] }))
}

export const PART_SUGGESTIONS = [
  '卫生间', '厨房', '客厅', '卧室', '阳台', '外墙', '屋面', '地下室', '门窗', '入户门',
  '给排水管道', '电气线路', '开关插座', '灯具', '暖气片', '地暖', '卫生洁具', '墙面', '顶棚', '地面',
]
