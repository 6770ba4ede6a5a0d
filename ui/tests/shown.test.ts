import { describe, expect, it } from 'vitest'
import { ref } from 'vue'
import { useShown } from '../src/shown'

describe('useShown: a long list drawn a hundred rows at a time', () => {
  const rows = ref(Array.from({ length: 250 }, (_, i) => i))

  it('draws the first rows and says how many are left', () => {
    const s = useShown(rows)
    expect(s.shown.value).toHaveLength(100)
    expect(s.shown.value[0]).toBe(0)
    expect(s.remaining.value).toBe(150)
  })

  it('draws more on request, never past the end', () => {
    const s = useShown(rows)
    s.more()
    s.more()
    expect(s.shown.value).toHaveLength(250)
    expect(s.remaining.value).toBe(0)
  })

  it('draws the page of a row the keyboard walks to, and starts over on reset', () => {
    const s = useShown(rows)
    s.reach(100)
    expect(s.shown.value).toHaveLength(200)
    s.reach(50)
    expect(s.shown.value).toHaveLength(200)
    s.reset()
    expect(s.shown.value).toHaveLength(100)
  })

  it('follows the list it was given when that list changes', () => {
    const short = ref([1, 2, 3])
    const s = useShown(short)
    expect(s.remaining.value).toBe(0)
    short.value = Array.from({ length: 120 }, (_, i) => i)
    expect(s.shown.value).toHaveLength(100)
    expect(s.remaining.value).toBe(20)
  })
})
