// Every API call in the mini program's code names a path and method the OpenAPI document
// has, whether or not a page test reaches it; and the stand-in refuses one it does not have.
const fs = require('fs')
const path = require('path')
const { operation, install } = require('./support/wechat')
const api = require('../utils/api')

const root = path.resolve(__dirname, '..')

function sources(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) return ['test', 'node_modules'].includes(entry.name) ? [] : sources(full)
    return entry.name.endsWith('.js') ? [full] : []
  })
}

const METHODS = { get: 'GET', mine: 'GET', post: 'POST', patch: 'PATCH' }

test('every call in the code is an operation of the OpenAPI document', () => {
  const calls = []
  for (const file of sources(root)) {
    const code = fs.readFileSync(file, 'utf8')
    for (const match of code.matchAll(/api\.(get|mine|post|patch)\(\s*(['`])([^'`]+)\2/g)) {
      calls.push({ file: path.relative(root, file), method: METHODS[match[1]], path: match[3].replace(/\$\{[^}]+\}/g, 'x') })
    }
    for (const match of code.matchAll(/send\(\s*'([A-Z]+)',\s*'([^']+)'/g)) {
      calls.push({ file: path.relative(root, file), method: match[1], path: match[2] })
    }
  }
  expect(calls.length).toBeGreaterThan(15)
  const missing = calls.filter((c) => !operation(c.method, c.path))
  expect(missing).toEqual([])
})

test('a path the document does not have is refused and noticed', async () => {
  const server = install()
  server.storage.set('token', 't')
  await expect(api.get('/schools/1/donors')).rejects.toMatchObject({ status: 404 })
  await expect(api.post('/pledges', { isbn: '9780060775858', colour: 'red' })).resolves.toBeTruthy()
  expect(server.unknown.map((u) => u.why)).toEqual([
    'no such path in the OpenAPI document',
    'body field colour is not in the schema'
  ])
})
