// Find books: search by words or ISBN (typed, or scanned from the back cover), listed by
// need when nothing is typed. A page built with Component() so it is tested like one.
const api = require('../../utils/api')
const i18n = require('../../utils/i18n')

/** The ISBN in a scanned barcode (EAN-13 starting 978/979), or null. */
function isbnOf(scanned) {
  const digits = String(scanned || '').replace(/[^0-9Xx]/g, '')
  return /^97[89]\d{10}$/.test(digits) ? digits : null
}

Component({
  data: { t: {}, q: '', hits: [], count: '', error: '', loading: false },
  methods: {
    onLoad() {
      this.setData({ t: i18n.all() })
      return this.search()
    },
    onInput(e) {
      this.setData({ q: e.detail.value })
    },
    async search() {
      this.setData({ loading: true, error: '' })
      try {
        const found = await api.get('/search', { q: this.data.q.trim(), limit: 20 })
        const hits = found.hits.map((hit) =>
          Object.assign({}, hit, {
            need: hit.outstanding > 0 ? i18n.t('needed_copies', { n: hit.outstanding }) : i18n.t('not_needed')
          })
        )
        const count = hits.length
          ? i18n.t(found.total_exact === false ? 'results_more' : 'results', { n: found.total })
          : i18n.t('no_results')
        this.setData({ hits, count, loading: false })
      } catch (err) {
        this.setData({ error: api.explain(err), loading: false })
      }
    },
    scan() {
      return new Promise((resolve) => {
        wx.scanCode({
          scanType: ['barCode'],
          success: (res) => {
            const isbn = isbnOf(res.result)
            if (!isbn) {
              this.setData({ error: i18n.t('scan_not_isbn') })
              return resolve()
            }
            this.setData({ q: isbn })
            resolve(this.search().then(() => {
              if (this.data.hits.length === 1) this.open({ currentTarget: { dataset: { isbn } } })
            }))
          },
          fail: () => resolve()
        })
      })
    },
    open(e) {
      wx.navigateTo({ url: `/pages/book/book?isbn=${e.currentTarget.dataset.isbn}` })
    },
    onShareAppMessage() {
      return { title: i18n.t('app_name'), path: '/pages/index/index' }
    }
  }
})
