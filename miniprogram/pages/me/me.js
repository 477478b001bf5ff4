// Me: who is signed in, the language (Chinese or English), the WeChat messages allowed, and
// for a teacher or volunteer who registered on the web, linking that account to WeChat.
const api = require('../../utils/api')
const i18n = require('../../utils/i18n')
const subscribe = require('../../utils/subscribe')

Component({
  data: { t: {}, account: null, lang: 'zh', subscriptions: [], templates: [], email: '', password: '', linkable: false, done: '', error: '' },
  methods: {
    async onShow() {
      this.setData({ t: i18n.all(), lang: i18n.lang() })
      try {
        const [account, standing] = await Promise.all([api.mine('/me'), api.mine('/me/wechat')])
        this.show(standing)
        // An account the mini program made (no mailbox) may be a teacher's second one.
        this.setData({ account, linkable: /@wechat\.invalid$/.test(account.email || '') })
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
    onEmail(e) {
      this.setData({ email: e.detail.value })
    },
    onPassword(e) {
      this.setData({ password: e.detail.value })
    },
    async link() {
      this.setData({ error: '', done: '' })
      try {
        const account = await api.link(this.data.email.trim(), this.data.password)
        this.setData({ account, linkable: false, password: '', done: i18n.t('linked') })
      } catch (err) {
        this.setData({ error: api.explain(err), password: '' })
      }
    },
    notices() {
      wx.navigateTo({ url: '/pages/notices/notices' })
    }
  }
})
