// The mini program's tests: jest with miniprogram-simulate, installed by .ci/run into
// target/ci-npm (or wherever MINIPROGRAM_NODE_MODULES points). The API is answered from the
// OpenAPI document's examples (OPENAPI_DOCUMENT, default target/openapi.json, written by
// `bookbridge openapi`).
const path = require('path')

const modules =
  process.env.MINIPROGRAM_NODE_MODULES || path.resolve(__dirname, '../target/ci-npm/node_modules')

module.exports = {
  rootDir: __dirname,
  roots: ['<rootDir>/test'],
  testEnvironment: path.join(modules, 'jest-environment-jsdom'),
  moduleDirectories: ['node_modules', modules]
}
