// The repair-process records: their labels come from Rust (../../../labels re-exports the
// generated maps); the result column's words and colours are this page's own.
import type { FollowUp } from '../../../bindings/FollowUp'
import { satisfactionLabel } from '../../../labels'

export { acceptanceKindLabel, followUpKindLabel, satisfactionLabel } from '../../../labels'

// The arrival verdict (§5.1.3.3) and whether a ticket may be closed as unreachable (§5.1.4.2)
// come with the ticket from the desk (DispatchRecord.arrival, TicketDetail.unreachable_close_ready),
// judged with the project's settings: the window never re-computes a rule.

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
