import { describe, expect, it } from 'vitest'
import { counters, refreshCounters } from '../src/counters'
import type { TodayCounters } from '../src/bindings/TodayCounters'

const sample = (due: number): TodayCounters => ({ ...(counters.value ?? {}), due_today: due } as TodayCounters)

/** A desk that answers when told to, counting the questions. */
function slowDesk() {
  const waiting: ((c: TodayCounters) => void)[] = []
  let asked = 0
  return {
    ask: () => {
      asked++
      return new Promise<TodayCounters>((done) => waiting.push(done))
    },
    answer: (c: TodayCounters) => waiting.shift()?.(c),
    get asked() {
      return asked
    },
  }
}

describe('the navigation counters', () => {
  it('ask the desk once, and once more at most, however many page changes ask meanwhile', async () => {
    const desk = slowDesk()
    const all = Array.from({ length: 800 }, () => refreshCounters(undefined, desk.ask))
    expect(desk.asked).toBe(1)
    desk.answer(sample(3))
    await Promise.resolve()
    await new Promise((r) => setTimeout(r, 0))
    // The page changes after the first question get one more answer: the newest state.
    expect(desk.asked).toBe(2)
    desk.answer(sample(4))
    await Promise.all(all)
    expect(desk.asked).toBe(2)
    expect(counters.value?.due_today).toBe(4)
  })

  it('do not let an answer asked for earlier hide the counters 今日待办 brought since', async () => {
    const desk = slowDesk()
    const asking = refreshCounters(undefined, desk.ask)
    await refreshCounters(sample(9))
    expect(counters.value?.due_today).toBe(9)
    desk.answer(sample(1))
    await asking
    expect(counters.value?.due_today).toBe(9)
  })

  it('ask again later, once the last question was answered', async () => {
    const desk = slowDesk()
    const first = refreshCounters(undefined, desk.ask)
    desk.answer(sample(5))
    await first
    const second = refreshCounters(undefined, desk.ask)
    expect(desk.asked).toBe(2)
    desk.answer(sample(6))
    await second
    expect(counters.value?.due_today).toBe(6)
  })
})
