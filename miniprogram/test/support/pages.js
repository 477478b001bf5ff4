// Loads a page (built with Component()) into miniprogram-simulate and runs its onLoad.
const path = require('path')
const simulate = require('miniprogram-simulate')
const { settle } = require('./wechat')

const root = path.resolve(__dirname, '../..')

async function open(page, options = {}, lifecycle = 'onLoad') {
  // The page's script runs afresh each time (miniprogram-simulate runs it with `require`).
  let id
  jest.isolateModules(() => {
    id = simulate.load(path.join(root, 'pages', page, page), { rootPath: root })
  })
  const comp = simulate.render(id)
  comp.attach(document.createElement('parent-wrapper'))
  if (comp.instance[lifecycle]) await comp.instance[lifecycle](options)
  await settle()
  return comp
}

/** The text of the page as a person reads it. */
function text(comp) {
  return comp.dom.textContent.replace(/\s+/g, ' ')
}

module.exports = { open, text, simulate, root }
