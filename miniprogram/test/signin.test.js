// Signing in with WeChat: the first request that needs an account signs in with wx.login's
// code, keeps the token and sends it; a token the server no longer knows signs in again once.
const { install } = require('./support/wechat')
const api = require('../utils/api')

let server
beforeEach(() => {
  server = install()
})
afterEach(() => {
  expect(server.unknown).toEqual([])
})

test('the first signed-in request signs in with the wx.login code', async () => {
  server.loginCode = 'code-from-wx-login'
  await api.mine('/pledges')
  const signIn = server.called('POST', '/wechat/sessions')
  expect(signIn).toHaveLength(1)
  expect(signIn[0].body).toEqual({ code: 'code-from-wx-login', language: 'zh' })
  expect(server.storage.get('token')).toBe('3f1c9a…')
  expect(server.called('GET', '/pledges')[0].header.Authorization).toBe('Bearer 3f1c9a…')
  await api.mine('/pledges')
  expect(server.called('POST', '/wechat/sessions')).toHaveLength(1)
})

test('a token the server no longer knows signs in again, once', async () => {
  server.storage.set('token', 'old')
  // The stale token's request is answered 401; the one after signing in again, as usual.
  server.answer('GET', '/me', 200, { id: 7 })
  const original = global.wx.request
  global.wx.request = (req) =>
    original(Object.assign({}, req, {
      success: (res) => {
        const stale = req.header.Authorization === 'Bearer old'
        req.success(stale ? { statusCode: 401, data: { error: { code: 'unauthenticated' } } } : res)
      }
    }))
  const me = await api.mine('/me')
  expect(me).toEqual({ id: 7 })
  expect(server.called('POST', '/wechat/sessions')).toHaveLength(1)
  expect(server.called('GET', '/me').map((c) => c.header.Authorization)).toEqual(['Bearer old', 'Bearer 3f1c9a…'])
  expect(server.storage.get('token')).toBe('3f1c9a…')
})

test('WeChat being down is said plainly', async () => {
  server.answer('POST', '/wechat/sessions', 503, { error: { code: 'wechat_unavailable', message: 'down' } })
  await expect(api.mine('/pledges')).rejects.toMatchObject({ code: 'wechat_unavailable' })
  expect(api.explain({ code: 'wechat_unavailable' })).toBe('微信暂时没有响应，请稍后再试')
})
