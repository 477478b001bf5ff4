// bookbridge's JSON API over wx.request: the bearer token from a WeChat sign-in, kept in
// storage; a 401 signs in again once and repeats the request. Every call names its path as
// written in the OpenAPI document (test/contract.test.js checks each one).

const config = require('../config')
const i18n = require('./i18n')

/** An error answer: `code` is the API's stable code (`insufficient_need`...), or `network`. */
class ApiError extends Error {
  constructor(status, body) {
    const error = (body && body.error) || {}
    super(error.message || `HTTP ${status}`)
    this.status = status
    this.code = error.code || (status ? 'other' : 'network')
    this.detail = error
  }
}

function query(params) {
  const parts = Object.keys(params || {})
    .filter((k) => params[k] !== undefined && params[k] !== null && params[k] !== '')
    .map((k) => `${encodeURIComponent(k)}=${encodeURIComponent(params[k])}`)
  return parts.length ? `?${parts.join('&')}` : ''
}

function send(method, path, data, token) {
  return new Promise((resolve, reject) => {
    const header = { 'Accept-Language': i18n.lang() === 'zh' ? 'zh-CN' : 'en' }
    if (token) header.Authorization = `Bearer ${token}`
    wx.request({
      url: config.apiBase + path,
      method,
      data,
      header,
      timeout: 15000,
      success(res) {
        if (res.statusCode >= 200 && res.statusCode < 300) resolve(res.data)
        else reject(new ApiError(res.statusCode, res.data))
      },
      fail() {
        reject(new ApiError(0, null))
      }
    })
  })
}

function wxLogin() {
  return new Promise((resolve, reject) => {
    wx.login({
      success: (res) => (res.code ? resolve(res.code) : reject(new ApiError(0, null))),
      fail: () => reject(new ApiError(0, null))
    })
  })
}

/** Signs in with WeChat (wx.login, then POST /wechat/sessions) and keeps the token. */
async function signIn() {
  const code = await wxLogin()
  const session = await send('POST', '/wechat/sessions', { code, language: i18n.lang() })
  wx.setStorageSync('token', session.token)
  wx.setStorageSync('account', session.account)
  return session
}

/**
 * Links an account made on the web (a teacher's, a volunteer's) to this WeChat user: signs in
 * with its email and password once (POST /sessions), binds WeChat to it (POST /me/wechat),
 * and keeps its token; from then on a WeChat sign-in opens that account.
 */
async function link(email, password) {
  const session = await send('POST', '/sessions', { email, password })
  const code = await wxLogin()
  await send('POST', '/me/wechat', { code }, session.token)
  const account = await send('GET', '/me', undefined, session.token)
  wx.setStorageSync('token', session.token)
  wx.setStorageSync('account', account)
  return account
}

/** The kept token, signing in first when there is none. */
async function token() {
  const kept = wx.getStorageSync('token')
  if (kept) return kept
  return (await signIn()).token
}

/** A request as the signed-in person; a token the server no longer knows signs in again once. */
async function signedIn(method, path, data) {
  try {
    return await send(method, path, data, await token())
  } catch (err) {
    if (err.status !== 401 || err.code === 'wechat_code_invalid') throw err
    wx.removeStorageSync('token')
    return send(method, path, data, await token())
  }
}

/** A public read (no sign-in needed). */
function get(path, params) {
  return send('GET', path + query(params), undefined, wx.getStorageSync('token') || undefined)
}

/** A read of the signed-in person's own things. */
function mine(path, params) {
  return signedIn('GET', path + query(params))
}

/** A write; `body` only for operations that take one. */
function post(path, body) {
  return signedIn('POST', path, body)
}

function patch(path, body) {
  return signedIn('PATCH', path, body)
}

/** What to tell a person for an error, in their language. */
function explain(err) {
  const code = (err && err.code) || 'other'
  if (code === 'insufficient_need') {
    return i18n.t('err_insufficient_need', { n: err.detail.outstanding })
  }
  const known = [
    'invalid_credentials',
    'wechat_bound_elsewhere',
    'account_has_wechat',
    'wish_taken',
    'school_not_verified',
    'too_many_attempts',
    'wechat_unavailable',
    'network'
  ]
  return i18n.t(known.includes(code) ? `err_${code}` : 'err_other')
}

module.exports = { ApiError, get, mine, post, patch, signIn, link, explain }
