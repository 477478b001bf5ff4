// A stand-in for WeChat's client APIs (wx.*) and for bookbridge's API behind wx.request. The
// API answers every request from the OpenAPI document: the path and method must be in it,
// every query parameter and body field must be one it declares, and the answer is the
// document's own example for the operation's first 2xx status, unless a test sets another.
// A request the document does not have answers 404 and is kept in `unknown`, which every
// test checks is empty.
const fs = require('fs')
const path = require('path')
const config = require('../../config')

const documentPath =
  process.env.OPENAPI_DOCUMENT || path.resolve(__dirname, '../../../target/openapi.json')
if (!fs.existsSync(documentPath)) {
  throw new Error(
    `no OpenAPI document at ${documentPath}: run \`cargo run -- openapi > target/openapi.json\``
  )
}
const doc = JSON.parse(fs.readFileSync(documentPath, 'utf8'))

const operations = []
for (const [template, item] of Object.entries(doc.paths)) {
  for (const [method, op] of Object.entries(item)) {
    const regex = new RegExp('^' + template.replace(/\{[^}]+\}/g, '[^/]+') + '$')
    operations.push({ method: method.toUpperCase(), template, regex, op })
  }
}

/** The operation a method and path name, or undefined. */
function operation(method, pathname) {
  const literal = operations.find((o) => o.method === method && o.template === pathname)
  return literal || operations.find((o) => o.method === method && o.regex.test(pathname))
}

function resolve(schema) {
  let s = schema || {}
  while (s.$ref) s = doc.components.schemas[s.$ref.replace('#/components/schemas/', '')]
  return s
}

/** The example answer of an operation: its first 2xx status and that status's example. */
function example(op) {
  const status = Object.keys(op.responses).find((s) => s.startsWith('2'))
  const content = op.responses[status].content || {}
  const json = content['application/json'] || {}
  return { status: Number(status), body: json.example === undefined ? null : JSON.parse(JSON.stringify(json.example)) }
}

function install(options = {}) {
  const storage = new Map()
  const server = {
    calls: [],
    unknown: [],
    answers: new Map(),
    navigations: [],
    subscribeAsked: [],
    subscribeAnswer: (ids) => Object.fromEntries(ids.map((id) => [id, 'accept'])),
    scanResult: null,
    language: options.language || 'zh_CN',
    loginCode: 'donor.1',
    storage,
    /** Answers `method template` with `status` and `body` (a function gets the call). */
    answer(method, template, status, body) {
      this.answers.set(`${method} ${template}`, { status, body })
    },
    /** The calls of `method template`. */
    called(method, template) {
      return this.calls.filter((c) => c.method === method && c.template === template)
    }
  }

  const fake = {
    request({ url, method = 'GET', data, header, success, fail }) {
      if (!url.startsWith(config.apiBase)) {
        server.unknown.push({ method, url, why: 'not the API' })
        return fail && fail({ errMsg: 'request:fail' })
      }
      const parsed = new URL(url.slice(config.apiBase.length), 'http://api.invalid')
      const pathname = decodeURIComponent(parsed.pathname)
      const found = operation(method, pathname)
      const query = Object.fromEntries(parsed.searchParams.entries())
      const call = { method, path: pathname, query, body: data, header: header || {} }
      if (!found) {
        server.unknown.push(Object.assign({ why: 'no such path in the OpenAPI document' }, call))
        return success({ statusCode: 404, data: { error: { code: 'not_found', message: 'no such path' } } })
      }
      call.template = found.template
      const declared = (found.op.parameters || []).filter((p) => p.in === 'query').map((p) => p.name)
      for (const key of Object.keys(query)) {
        if (!declared.includes(key)) server.unknown.push(Object.assign({ why: `query parameter ${key} is not declared` }, call))
      }
      if (data !== undefined && found.op.requestBody) {
        const schema = resolve(found.op.requestBody.content['application/json'].schema)
        for (const key of Object.keys(data)) {
          if (!schema.properties || !(key in schema.properties)) {
            server.unknown.push(Object.assign({ why: `body field ${key} is not in the schema` }, call))
          }
        }
      } else if (data !== undefined && method !== 'GET') {
        server.unknown.push(Object.assign({ why: 'a body the operation does not take' }, call))
      }
      server.calls.push(call)
      const set = server.answers.get(`${method} ${found.template}`)
      const answer = set ? { status: set.status, body: typeof set.body === 'function' ? set.body(call) : set.body } : example(found.op)
      // Like WeChat: the callback comes later, never inside wx.request.
      setTimeout(() => success({ statusCode: answer.status, data: answer.body, header: {} }), 0)
    },
    login({ success }) {
      setTimeout(() => success({ code: server.loginCode }), 0)
    },
    getStorageSync: (key) => (storage.has(key) ? storage.get(key) : ''),
    setStorageSync: (key, value) => storage.set(key, value),
    removeStorageSync: (key) => storage.delete(key),
    getSystemInfoSync: () => ({ language: server.language }),
    navigateTo: ({ url }) => server.navigations.push(url),
    redirectTo: ({ url }) => server.navigations.push(url),
    scanCode({ success, fail }) {
      if (server.scanResult === null) return fail && fail({ errMsg: 'scanCode:fail cancel' })
      success({ result: server.scanResult, scanType: 'EAN_13' })
    },
    requestSubscribeMessage({ tmplIds, success }) {
      server.subscribeAsked.push(tmplIds)
      success(Object.assign({ errMsg: 'requestSubscribeMessage:ok' }, server.subscribeAnswer(tmplIds)))
    },
    setNavigationBarTitle: () => {},
    setTabBarItem: () => {},
    stopPullDownRefresh: () => {},
    showToast: () => {}
  }
  global.wx = Object.assign(global.wx || {}, fake)
  return server
}

/** Lets every pending answer arrive. */
function settle() {
  return new Promise((done) => setTimeout(done, 5))
}

module.exports = { install, settle, doc, operation, example }
