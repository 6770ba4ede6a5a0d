// Chinese labels for the repair-process records (codes as in the Rust enums).
import type { FollowUpKind } from '../../../bindings/FollowUpKind'
import type { Satisfaction } from '../../../bindings/Satisfaction'
import type { AcceptanceKind } from '../../../bindings/AcceptanceKind'
import type { FollowUp } from '../../../bindings/FollowUp'

export const followUpKindLabel: Record<FollowUpKind, string> = {
  SiteVisit: '管家现场巡视', Feedback: '向业主反馈进度', Recheck: '管家复检', CompletionNotice: '完工通知', ReturnVisit: '维修回访',
}
export const satisfactionLabel: Record<Satisfaction, string> = { Satisfied: '满意', Basic: '基本满意', Dissatisfied: '不满意' }
export const acceptanceKindLabel: Record<AcceptanceKind, string> = {
  OwnerOnScreen: '业主现场签字', OwnerOnPaper: '业主纸质签字（扫描件）', Proxy: '保修主任与客服主管助理代为验收',
}

/** Arrivals within ±15 minutes of the appointment count as on time (§5.1.3.3). */
export const ARRIVAL_TOLERANCE_MIN = 15
/** After this many failed completion notices the ticket may be closed by two people (§5.1.4.2). */
export const MAX_FAILED_NOTICES = 5

export function deviationText(d: number): string {
  if (Math.abs(d) <= ARRIVAL_TOLERANCE_MIN) return '准时'
  return d > 0 ? `迟到 ${d} 分钟` : `早到 ${-d} 分钟`
}

/** The 结果 column of a follow-up, with its tag colour. */
export function followUpResult(f: FollowUp): { text: string; type: 'success' | 'warning' | 'danger' | 'info' } {
  switch (f.kind) {
    case 'Recheck':
      return f.ok ? { text: '合格', type: 'success' } : { text: '不合格', type: 'danger' }
    case 'SiteVisit':
      return { text: '已巡视', type: 'info' }
    case 'ReturnVisit':
      if (!f.ok) return { text: '未联系上', type: 'danger' }
      if (f.satisfaction) {
        const type = f.satisfaction === 'Dissatisfied' ? 'danger' : f.satisfaction === 'Basic' ? 'warning' : 'success'
        return { text: satisfactionLabel[f.satisfaction], type }
      }
      return { text: '已联系上', type: 'success' }
    default:
      return f.ok ? { text: '已联系上', type: 'success' } : { text: '未联系上', type: 'danger' }
  }
}
