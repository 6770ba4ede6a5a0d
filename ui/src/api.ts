// Typed calls into the desk. Every command goes through `call`, which turns a rejected
// invoke into a DeskError {kind, message, field} the pages can show; the functions themselves
// are generated from the Rust declaration (generated/commands.ts).
import { invoke } from '@tauri-apps/api/core'
import type { DeskError } from './bindings/DeskError'
import { commands } from './generated/commands'

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

/**
 * Every command, typed from its one declaration in Rust (src-tauri/src/commands/schema.rs →
 * generated/commands.ts): names, arguments and results cannot disagree with the desk. Long
 * jobs take a job id first (see jobs.ts).
 */
export const api = commands(call)
