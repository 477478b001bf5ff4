// Asking the person to allow WeChat messages about their pledges: the templates come from
// GET /me/wechat; each template the person accepts in wx.requestSubscribeMessage allows one
// message, recorded with POST /me/wechat/subscriptions. WeChat only shows the question from
// a tap, so a page loads the templates first and asks in its tap handler, before any await.

const api = require('./api')

/** The template ids to ask for (at most three: WeChat's limit per question). */
async function templates() {
  const standing = await api.mine('/me/wechat')
  return standing.subscriptions.map((s) => s.template_id).slice(0, 3)
}

/** Shows WeChat's question for `ids` (call it straight from a tap); records what was accepted. */
function ask(ids) {
  if (!ids || !ids.length) return Promise.resolve(null)
  return new Promise((resolve) => {
    wx.requestSubscribeMessage({
      tmplIds: ids,
      success: (res) => resolve(ids.filter((id) => res[id] === 'accept')),
      fail: () => resolve([])
    })
  }).then((accepted) =>
    accepted.length ? api.post('/me/wechat/subscriptions', { template_ids: accepted }) : null
  )
}

module.exports = { templates, ask }
