// Chinese first, English when the phone reads English or the person chose it; both complete.
const { install } = require('./support/wechat')
const i18n = require('../utils/i18n')

test('every text is in both languages and names the same placeholders', () => {
  const zh = i18n.texts.zh
  const en = i18n.texts.en
  expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort())
  for (const key of Object.keys(zh)) {
    const names = (s) => (s.match(/\{\w+\}/g) || []).sort()
    expect([key, names(en[key])]).toEqual([key, names(zh[key])])
  }
})

test('Chinese unless the phone reads English or the person chose a language', () => {
  const server = install({ language: 'zh_CN' })
  expect(i18n.lang()).toBe('zh')
  server.language = 'en-US'
  expect(i18n.lang()).toBe('en')
  server.language = 'ja'
  expect(i18n.lang()).toBe('zh')
  server.storage.set('lang', 'en')
  expect(i18n.lang()).toBe('en')
  expect(i18n.date('2026-12-10T20:00:00Z')).toBe('11 Dec 2026')
})
