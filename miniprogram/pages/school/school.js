// A school's page, opened from a card a teacher or donor shared in a chat: what it still
// needs, each book one tap from a pledge to this school, and its children's wishes. It shows
// what the public page shows (never the address or phone: those are for a donor's pledge).
const api = require('../../utils/api')
const i18n = require('../../utils/i18n')

Component({
  data: { t: {}, id: null, school: null, facts: '', items: [], error: '' },
  methods: {
    async onLoad(options) {
      const id = Number(options.id)
      this.setData({ t: i18n.all(), id })
      try {
        const [school, list] = await Promise.all([
          api.get(`/schools/${id}`),
          api.get(`/schools/${id}/wishlist`)
        ])
        const items = list.items
          .filter((item) => item.status === 'open' && item.outstanding > 0)
          .map((item) => Object.assign({}, item, { need: i18n.t('needed_copies', { n: item.outstanding }) }))
        const facts = [
          `${school.province} ${school.county}`,
          i18n.t('school_students', { n: school.student_count }),
          i18n.t('school_needs', { n: school.books_needed })
        ].join(' · ')
        // Only what a shared page may show.
        this.setData({
          school: { id: school.id, name: school.name, verified: school.verified },
          facts,
          items
        })
        wx.setNavigationBarTitle({ title: school.name })
      } catch (err) {
        this.setData({ error: api.explain(err) })
      }
    },
    give(e) {
      wx.navigateTo({ url: `/pages/book/book?isbn=${e.currentTarget.dataset.isbn}&school_id=${this.data.id}` })
    },
    wishes() {
      wx.navigateTo({ url: `/pages/wishes/wishes?school=${this.data.id}` })
    },
    onShareAppMessage() {
      const name = this.data.school ? this.data.school.name : ''
      return { title: i18n.t('share_title', { school: name }), path: `/pages/school/school?id=${this.data.id}` }
    }
  }
})
