// Typed calls into the desk. Every command goes through `call`, which turns a rejected
// invoke into a DeskError {kind, message, field} the pages can show.
import { invoke } from '@tauri-apps/api/core'
import type { DeskError } from './bindings/DeskError'
import type { DamagedSetting } from './bindings/DamagedSetting'
import type { Session } from './bindings/Session'
import type { StaffMember } from './bindings/StaffMember'
import type { Project } from './bindings/Project'
import type { Batch } from './bindings/Batch'
import type { UnitRecord } from './bindings/UnitRecord'
import type { Contractor } from './bindings/Contractor'
import type { ProjectInput } from './bindings/ProjectInput'
import type { BatchInput } from './bindings/BatchInput'
import type { UnitInput } from './bindings/UnitInput'
import type { ContractorInput } from './bindings/ContractorInput'
import type { StaffInput } from './bindings/StaffInput'
import type { CallerLookup } from './bindings/CallerLookup'
import type { ReportInput } from './bindings/ReportInput'
import type { TicketSummary } from './bindings/TicketSummary'
import type { TicketFilter } from './bindings/TicketFilter'
import type { TicketPage } from './bindings/TicketPage'
import type { TicketDetail } from './bindings/TicketDetail'
import type { ContactInput } from './bindings/ContactInput'
import type { Classification } from './bindings/Classification'
import type { TicketStatus } from './bindings/TicketStatus'
import type { AppStatus } from './bindings/AppStatus'
import type { RosterPreview } from './bindings/RosterPreview'
import type { ExportResult } from './bindings/ExportResult'
import type { Statistics } from './bindings/Statistics'
import type { DispatchInput } from './bindings/DispatchInput'
import type { DispatchRecord } from './bindings/DispatchRecord'
import type { FollowUpInput } from './bindings/FollowUpInput'
import type { FollowUpKind } from './bindings/FollowUpKind'
import type { FinishInput } from './bindings/FinishInput'
import type { AcceptInput } from './bindings/AcceptInput'
import type { NoticeInput } from './bindings/NoticeInput'
import type { ReturnVisitInput } from './bindings/ReturnVisitInput'
import type { PrintLayout } from './bindings/PrintLayout'
import type { PrintResult } from './bindings/PrintResult'
import type { UnitArchive } from './bindings/UnitArchive'
import type { SlipMatch } from './bindings/SlipMatch'
import type { CommissionInput } from './bindings/CommissionInput'
import type { CommissionRecord } from './bindings/CommissionRecord'
import type { PaymentRequestInput } from './bindings/PaymentRequestInput'
import type { PaymentRequestRecord } from './bindings/PaymentRequestRecord'
import type { PaymentRequestSummary } from './bindings/PaymentRequestSummary'
import type { PaymentStatus } from './bindings/PaymentStatus'
import type { ReviewInput } from './bindings/ReviewInput'
import type { PayInput } from './bindings/PayInput'
import type { Role } from './bindings/Role'
import type { LedgerSummary } from './bindings/LedgerSummary'
import type { LedgerEntryRecord } from './bindings/LedgerEntryRecord'
import type { LedgerImportPreview } from './bindings/LedgerImportPreview'
import type { LedgerEntryInput } from './bindings/LedgerEntryInput'
import type { FundDeadlines } from './bindings/FundDeadlines'
import type { ReconcilePreview } from './bindings/ReconcilePreview'
import type { BuilderAlias } from './bindings/BuilderAlias'
import type { ReconciliationRun } from './bindings/ReconciliationRun'
import type { ReconcileExport } from './bindings/ReconcileExport'
import type { BackupFile } from './bindings/BackupFile'
import type { BackupSettings } from './bindings/BackupSettings'
import type { RestorePreview } from './bindings/RestorePreview'
import type { TodayList } from './bindings/TodayList'
import type { TodayCounters } from './bindings/TodayCounters'
import type { EscalationView } from './bindings/EscalationView'
import type { EscalationKind } from './bindings/EscalationKind'
import type { Duty } from './bindings/Duty'
import type { CoverageView } from './bindings/CoverageView'
import type { PartClass } from './bindings/PartClass'
import type { LiabilityRow } from './bindings/LiabilityRow'
import type { HolidayNotice } from './bindings/HolidayNotice'
import type { WorkCalendar } from './bindings/WorkCalendar'
import type { DeadlineSettings } from './bindings/DeadlineSettings'
import type { CoverageSettings } from './bindings/CoverageSettings'
import type { Category } from './bindings/Category'
import type { DailyReport } from './bindings/DailyReport'
import type { ReportExport } from './bindings/ReportExport'
import type { ReportRecipients } from './bindings/ReportRecipients'
import type { AuditFilter } from './bindings/AuditFilter'
import type { AuditPage } from './bindings/AuditPage'
import type { AuditAction } from './bindings/AuditAction'
import type { OwnerExport } from './bindings/OwnerExport'

export function isDeskError(e: unknown): e is DeskError {
  return typeof e === 'object' && e !== null && 'message' in e && 'kind' in e
}

/** The Chinese message of any failure. */
export function messageOf(e: unknown): string {
  if (isDeskError(e)) return e.message
  if (e instanceof Error) return e.message
  return String(e)
}

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args)
  } catch (e) {
    if (isDeskError(e)) throw e
    throw { kind: 'Storage', message: `程序内部错误：${messageOf(e)}`, field: null } satisfies DeskError
  }
}

export const api = {
  appStatus: () => call<AppStatus>('app_status'),
  signInChoices: () => call<StaffMember[]>('sign_in_choices'),
  signIn: (staffId: number, pin: string) => call<Session>('sign_in', { staffId, pin }),
  signOut: () => call<void>('sign_out'),
  createFirstDirector: (name: string, pin: string) => call<Session>('create_first_director', { name, pin }),

  projects: () => call<Project[]>('projects'),
  activeProject: () => call<Project>('active_project'),
  chooseProject: (projectId: number) => call<void>('choose_project', { projectId }),
  saveProject: (input: ProjectInput) => call<number>('save_project', { input }),
  batches: (projectId: number) => call<Batch[]>('batches', { projectId }),
  saveBatch: (input: BatchInput) => call<number>('save_batch', { input }),
  buildings: (projectId: number) => call<string[]>('buildings', { projectId }),
  units: (projectId: number, building: string | null, afterId: number | null) =>
    call<UnitRecord[]>('units', { projectId, building, afterId }),
  saveUnit: (input: UnitInput) => call<number>('save_unit', { input }),
  contractors: () => call<Contractor[]>('contractors'),
  saveContractor: (input: ContractorInput) => call<number>('save_contractor', { input }),
  staffList: () => call<StaffMember[]>('staff_list'),
  saveStaff: (input: StaffInput) => call<number>('save_staff', { input }),
  previewRoster: (path: string) => call<RosterPreview>('preview_roster', { path }),
  commitRoster: (path: string) => call<RosterPreview>('commit_roster', { path }),

  lookupCaller: (query: string) => call<CallerLookup>('lookup_caller', { query }),
  openTicketsAt: (unit: string, part: string) => call<TicketSummary[]>('open_tickets_at', { unit, part }),
  recordReport: (input: ReportInput) => call<TicketSummary[]>('record_report', { input }),
  listTickets: (filter: TicketFilter) => call<TicketPage>('list_tickets', { filter }),
  exportTickets: (filter: TicketFilter, path: string, fullPhone: boolean) =>
    call<ExportResult>('export_tickets', { filter, path, fullPhone }),
  ticketDetail: (no: string) => call<TicketDetail>('ticket_detail', { no }),
  addContactAttempt: (no: string, input: ContactInput) => call<TicketDetail>('add_contact_attempt', { no, input }),
  classifyTicket: (no: string, classification: Classification) => call<TicketDetail>('classify_ticket', { no, classification }),
  assignSteward: (no: string, stewardId: number) => call<TicketDetail>('assign_steward', { no, stewardId }),
  changeStatus: (no: string, to: TicketStatus, reason: string) => call<TicketDetail>('change_status', { no, to, reason }),
  addPhotos: (no: string, kind: 'Intake' | 'Before' | 'After', files: string[]) => call<TicketDetail>('add_photos', { no, kind, files }),
  issueDispatch: (no: string, input: DispatchInput) => call<DispatchRecord>('issue_dispatch', { no, input }),
  recordArrival: (dispatch: string, at: string | null) => call<TicketDetail>('record_arrival', { dispatch, at }),
  addFollowup: (no: string, kind: FollowUpKind, input: FollowUpInput) => call<TicketDetail>('add_followup', { no, kind, input }),
  finishRepair: (no: string, input: FinishInput) => call<TicketDetail>('finish_repair', { no, input }),
  recheck: (no: string, ok: boolean, note: string) => call<TicketDetail>('recheck', { no, ok, note }),
  acceptRepair: (no: string, input: AcceptInput) => call<TicketDetail>('accept_repair', { no, input }),
  completionNotice: (no: string, input: NoticeInput) => call<TicketDetail>('completion_notice', { no, input }),
  closeUnreachable: (no: string, directorId: number, directorPin: string, csAssistantId: number, csAssistantPin: string, note: string) =>
    call<TicketDetail>('close_unreachable', { no, directorId, directorPin, csAssistantId, csAssistantPin, note }),
  returnVisit: (no: string, input: ReturnVisitInput) => call<TicketDetail>('return_visit', { no, input }),
  dissatisfiedOwners: () => call<TicketSummary[]>('dissatisfied_owners'),
  printF02: (no: string, dispatch: string | null, layout: PrintLayout, fullPhone: boolean) =>
    call<PrintResult>('print_f02', { no, dispatch, layout, fullPhone }),
  printF01: (no: string, fullPhone: boolean) => call<PrintResult>('print_f01', { no, fullPhone }),
  unitArchive: (unitId: number) => call<UnitArchive>('unit_archive', { unitId }),
  printUnitHistory: (unitId: number) => call<PrintResult>('print_unit_history', { unitId }),
  openPrint: (path: string) => call<boolean>('open_print', { path }),
  findSlipByScan: (path: string) => call<SlipMatch>('find_slip_by_scan', { path }),
  photoDataUrl: (file: string) => call<string>('photo_data_url', { file }),
  progressMessage: (no: string) => call<string>('progress_message', { no }),

  today: () => call<TodayList>('today'),
  todayCounters: () => call<TodayCounters>('today_counters'),
  ticketDuties: (no: string) => call<[Duty[], string | null]>('ticket_duties', { no }),
  holdTicket: (no: string, reason: string) => call<TicketDetail>('hold_ticket', { no, reason }),
  releaseHold: (no: string) => call<TicketDetail>('release_hold', { no }),
  escalations: (no: string | null) => call<EscalationView[]>('escalations', { no }),
  raiseEscalation: (no: string, kind: EscalationKind, detail: string) => call<EscalationView>('raise_escalation', { no, kind, detail }),
  acknowledgeEscalation: (id: number, note: string) => call<EscalationView>('acknowledge_escalation', { id, note }),
  coverageAtIntake: (unit: string, category: Category, part: string, description: string, at: string | null) =>
    call<CoverageView>('coverage_at_intake', { unit, category, part, description, at }),
  coverageOfTicket: (no: string) => call<CoverageView>('coverage_of_ticket', { no }),

  // 工作日报 F03 (§5.1.6): the date is YYYY-MM-DD; the export's format follows the extension.
  dailyReport: (date: string) => call<DailyReport>('daily_report', { date }),
  exportDailyReport: (date: string, path: string) => call<ReportExport>('export_daily_report', { date, path }),
  reportRecipients: () => call<ReportRecipients>('report_recipients'),
  setReportRecipients: (to: string[], cc: string[]) => call<ReportRecipients>('set_report_recipients', { to, cc }),
  workCalendar: () => call<WorkCalendar>('work_calendar'),
  setWorkCalendar: (calendar: WorkCalendar) => call<WorkCalendar>('set_work_calendar', { calendar }),
  previewHolidayNotice: (text: string, year: number) => call<HolidayNotice>('preview_holiday_notice', { text, year }),
  importHolidayNotice: (text: string, year: number) => call<WorkCalendar>('import_holiday_notice', { text, year }),
  calendarWarning: () => call<string | null>('calendar_warning'),
  liabilities: (projectId: number) => call<LiabilityRow[]>('liabilities', { projectId }),
  addLiability: (batchId: number, partClass: PartClass | null, ledgerId: number) => call<number>('add_liability', { batchId, partClass, ledgerId }),
  removeLiability: (id: number) => call<void>('remove_liability', { id }),
  deadlineSettings: (projectId: number) => call<DeadlineSettings>('deadline_settings', { projectId }),
  setDeadlineSettings: (projectId: number, settings: DeadlineSettings) => call<DeadlineSettings>('set_deadline_settings', { projectId, settings }),
  coverageSettings: (projectId: number) => call<CoverageSettings>('coverage_settings', { projectId }),
  setCoverageSettings: (projectId: number, settings: CoverageSettings) => call<CoverageSettings>('set_coverage_settings', { projectId, settings }),

  // 统计分析: dates are YYYY-MM-DD, the period is [from, to).
  statistics: (from: string, to: string) => call<Statistics>('statistics', { from, to }),
  commissionRepair: (input: CommissionInput) => call<CommissionRecord>('commission_repair', { input }),
  confirmCommission: (commissionId: number, note: string) => call<CommissionRecord>('confirm_commission', { commissionId, note }),
  commissionsOfTicket: (no: string) => call<CommissionRecord[]>('commissions_of_ticket', { no }),
  commissions: (projectId: number, pending: boolean) => call<CommissionRecord[]>('commissions', { projectId, pending }),
  submitPaymentRequest: (input: PaymentRequestInput) => call<PaymentRequestRecord>('submit_payment_request', { input }),
  reviewPaymentRequest: (no: string, input: ReviewInput) => call<PaymentRequestRecord>('review_payment_request', { no, input }),
  countersignPaymentRequest: (no: string, staffId: number, pin: string, opinion: string) =>
    call<PaymentRequestRecord>('countersign_payment_request', { no, staffId, pin, opinion }),
  payPaymentRequest: (no: string, input: PayInput) => call<PaymentRequestRecord>('pay_payment_request', { no, input }),
  paymentRequest: (no: string) => call<PaymentRequestRecord>('payment_request', { no }),
  paymentRequests: (projectId: number, status: PaymentStatus | null) => call<PaymentRequestSummary[]>('payment_requests', { projectId, status }),
  countersignRoles: () => call<Role[]>('countersign_roles'),
  setCountersignRoles: (roles: Role[]) => call<Role[]>('set_countersign_roles', { roles }),
  printPaymentRequest: (no: string) => call<PrintResult>('print_payment_request', { no }),
  ledgers: () => call<LedgerSummary[]>('ledgers'),
  ledgerEntries: (ledgerId: number) => call<LedgerEntryRecord[]>('ledger_entries', { ledgerId }),
  /** `map`: the user's 字段对应 (`H=credit,I=debit`); null uses the one remembered for the header shape. */
  previewLedgerImport: (path: string, map: string | null = null) => call<LedgerImportPreview>('preview_ledger_import', { path, map }),
  importLedger: (path: string, validRowsOnly: boolean, map: string | null = null) => call<LedgerImportPreview>('import_ledger', { path, validRowsOnly, map }),
  confirmLedgerBuilder: (spelling: string, contractorId: number) => call<void>('confirm_ledger_builder', { spelling, contractorId }),
  addLedgerEntry: (input: LedgerEntryInput) => call<LedgerEntryRecord>('add_ledger_entry', { input }),
  reverseEntry: (entryId: number, reason: string) => call<LedgerEntryRecord>('reverse_entry', { entryId, reason }),
  fundDeadlines: () => call<FundDeadlines>('fund_deadlines'),
  exportLedgerQuarter: (quarterText: string, path: string) => call<ExportResult>('export_ledger_quarter', { quarterText, path }),
  reconcilePreview: (path: string, quarterText: string) => call<ReconcilePreview>('reconcile_preview', { path, quarterText }),
  confirmBuilderAlias: (spelling: string, contractorId: number) => call<BuilderAlias>('confirm_builder_alias', { spelling, contractorId }),
  saveReconciliation: (path: string, quarterText: string) => call<number>('save_reconciliation', { path, quarterText }),
  reconciliations: () => call<ReconciliationRun[]>('reconciliations'),
  exportReconciliation: (path: string, quarterText: string, xlsx: string) => call<ReconcileExport>('export_reconciliation', { path, quarterText, xlsx }),
  backupNow: () => call<BackupFile>('backup_now'),
  backups: () => call<BackupFile[]>('backups'),
  backupSettings: () => call<BackupSettings>('backup_settings'),
  damagedSettings: () => call<DamagedSetting[]>('damaged_settings'),
  setBackupSettings: (dir: string, intervalHours: number) => call<BackupSettings>('set_backup_settings', { dir, intervalHours }),
  restorePreview: (file: string) => call<RestorePreview>('restore_preview', { file }),
  restoreBackup: (file: string) => call<RestorePreview>('restore_backup', { file }),
  latestGoodBackup: () => call<BackupFile | null>('latest_good_backup'),
  restoreDamaged: (file: string) => call<string>('restore_damaged', { file }),
  exportStatistics: (from: string, to: string, path: string) => call<ExportResult>('export_statistics', { from, to, path }),
  auditLog: (filter: AuditFilter) => call<AuditPage>('audit_log', { filter }),
  auditActions: () => call<AuditAction[]>('audit_actions'),
  exportOwnerData: (ownerId: number, reason: string, path: string) => call<OwnerExport>('export_owner_data', { ownerId, reason, path }),
}
