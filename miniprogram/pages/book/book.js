// One book and the pledge of it: how many copies, to which school (the one the donor came
// from, or the school that needs it most), and, in the same tap, WeChat's question whether
// to send messages when the books are posted and arrive.
const api = require('../../utils/api')
const i18n = require('../../utils/i18n')
const subscribe = require('../../utils/subscribe')

Component({
  data: { t: {}, isbn: '', book: null, needs: [], schoolId: null, quantity: 1, error: '', done: '', templates: [] },
  methods: {
    async onLoad(options) {
      const schoolId = options.school_id ? Number(options.school_id) : null
      this.setData({ t: i18n.all(), isbn: options.isbn, schoolId })
      try {
        const book = await api.get(`/books/${options.isbn}`)
        const needs = (book.needs || []).map((need) =>
          Object.assign({}, need, { need: i18n.t('needed_copies', { n: need.outstanding }) })
        )
        this.setData({ book, needs })
      } catch (err) {
        this.setData({ error: api.explain(err) })
      }
      try {
        this.setData({ templates: await subscribe.templates() })
      } catch (err) {
        // Without WeChat messages the pledge still works; notices stay on the notices page.
        this.setData({ templates: [] })
      }
    },
    chooseSchool(e) {
      this.setData({ schoolId: Number(e.currentTarget.dataset.school) || null })
    },
    more() {
      this.setData({ quantity: Math.min(this.data.quantity + 1, 50) })
    },
    fewer() {
      this.setData({ quantity: Math.max(this.data.quantity - 1, 1) })
    },
    pledge() {
      // WeChat's question first, straight from the tap; the pledge does not wait for it.
      const asked = subscribe.ask(this.data.templates).catch(() => null)
      const body = { isbn: this.data.isbn, quantity: this.data.quantity }
      if (this.data.schoolId) body.school_id = this.data.schoolId
      this.setData({ error: '' })
      const pledged = api.post('/pledges', body).then(
        (made) => {
          this.setData({ done: i18n.t('pledged_ok') })
          const first = made.pledges[0]
          if (first) wx.redirectTo({ url: `/pages/pledge/pledge?id=${first.id}` })
          return made
        },
        (err) => this.setData({ error: api.explain(err) })
      )
      return Promise.all([asked, pledged])
    }
  }
})
