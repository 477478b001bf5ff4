// Me: who is signed in, the language (Chinese or English), and the WeChat messages allowed.
const api = require('../../utils/api')
const i18n = require('../../utils/i18n')
const subscribe = require('../../utils/subscribe')

Component({
  data: { t: {}, account: null, lang: 'zh', subscriptions: [], templates: [], error: '' },
  methods: {
    async onShow() {
      this.setData({ t: i18n.all(), lang: i18n.lang() })
      try {
        const [account, standing] = await Promise.all([api.mine('/me'), api.mine('/me/wechat')])
        this.show(standing)
        this.setData({ account })
      } catch (err) {
        this.setData({ error: api.explain(err) })
      }
    },
    show(standing) {
      const subscriptions = standing.subscriptions.map((s) =>
        Object.assign({}, s, { name: i18n.t(`kind_${s.kind}`), left: i18n.t('messages_left', { n: s.credits }) })
      )
      this.setData({ subscriptions, templates: standing.subscriptions.map((s) => s.template_id).slice(0, 3) })
    },
    async choose(e) {
      const lang = e.currentTarget.dataset.lang
      wx.setStorageSync('lang', lang)
      this.setData({ t: i18n.all(), lang })
      try {
        await api.patch('/me', { language: lang })
      } catch (err) {
        this.setData({ error: api.explain(err) })
      }
    },
    async allow() {
      try {
        const standing = await subscribe.ask(this.data.templates)
        if (standing) this.show(standing)
      } catch (err) {
        this.setData({ error: api.explain(err) })
      }
    },
    notices() {
      wx.navigateTo({ url: '/pages/notices/notices' })
    }
  }
})
