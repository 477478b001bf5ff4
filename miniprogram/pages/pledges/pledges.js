// My pledges: each with its status, what happens next, and the date to post by (for a
// teacher: the pledges coming to the school).
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
        // A donor's own pledges; for a teacher, the pledges coming to the school.
        const role = (wx.getStorageSync('account') || {}).role
        this.setData({ pledges: mine.pledges.map((p) => pledges.view(p, role)), error: '' })
      } catch (err) {
        this.setData({ error: api.explain(err) })
      }
    },
    open(e) {
      wx.navigateTo({ url: `/pages/pledge/pledge?id=${e.currentTarget.dataset.id}` })
    }
  }
})
