// My pledges: each with its status, what happens next, and the date to post by.
const api = require('../../utils/api')
const i18n = require('../../utils/i18n')
const pledges = require('../../utils/pledge')

Component({
  data: { t: {}, pledges: [], error: '' },
  methods: {
    onLoad() {
      this.setData({ t: i18n.all() })
    },
    async onShow() {
      try {
        const mine = await api.mine('/pledges', { limit: 100 })
        this.setData({ pledges: mine.pledges.map(pledges.view), error: '' })
      } catch (err) {
        this.setData({ error: api.explain(err) })
      }
    },
    open(e) {
      wx.navigateTo({ url: `/pages/pledge/pledge?id=${e.currentTarget.dataset.id}` })
    }
  }
})
