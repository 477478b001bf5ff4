// The person's notices, as the web's notices page shows them; a WeChat message about
// something that is not a pledge opens here.
const api = require('../../utils/api')
const i18n = require('../../utils/i18n')

Component({
  data: { t: {}, notices: [], error: '' },
  methods: {
    async onLoad() {
      this.setData({ t: i18n.all() })
      try {
        const mine = await api.mine('/me/notices')
        const notices = mine.notices.map((n) => Object.assign({}, n, { when: i18n.date(n.created_at) }))
        this.setData({ notices })
      } catch (err) {
        this.setData({ error: api.explain(err) })
      }
    },
    open(e) {
      const pledge = e.currentTarget.dataset.pledge
      if (pledge) wx.navigateTo({ url: `/pages/pledge/pledge?id=${pledge}` })
    }
  }
})
