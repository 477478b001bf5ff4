// The children's wish wall: each open wish (a first name, a grade, the book and the child's
// own sentence), answered by one donor with a tap. Of one school when opened from its page.
const api = require('../../utils/api')
const i18n = require('../../utils/i18n')

Component({
  data: { t: {}, school: null, wishes: [], error: '', done: '' },
  methods: {
    onLoad(options) {
      this.setData({ t: i18n.all(), school: options && options.school ? Number(options.school) : null })
      return this.load()
    },
    async load() {
      try {
        const found = this.data.school
          ? await api.get(`/schools/${this.data.school}/wishes`)
          : await api.get('/wishes', { limit: 50 })
        const wishes = found.wishes
          .filter((wish) => wish.status === 'open')
          .map((wish) => Object.assign({}, wish, { grade_text: i18n.t('wish_grade', { grade: wish.grade }) }))
        this.setData({ wishes })
      } catch (err) {
        this.setData({ error: api.explain(err) })
      }
    },
    async claim(e) {
      const id = Number(e.currentTarget.dataset.id)
      this.setData({ error: '', done: '' })
      try {
        await api.post(`/wishes/${id}/claim`)
        this.setData({ done: i18n.t('claimed'), wishes: this.data.wishes.filter((w) => w.id !== id) })
      } catch (err) {
        this.setData({ error: api.explain(err) })
        if (err.code === 'wish_taken') await this.load()
      }
    },
    onPullDownRefresh() {
      return this.load().then(() => wx.stopPullDownRefresh())
    }
  }
})
