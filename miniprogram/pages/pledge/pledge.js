// One pledge, opened from "my pledges" or from a WeChat message: what happens next, where to
// post the books (the address only reaches the donor, from the API), the date to post by,
// the tracking number once posted, and more time once. A teacher confirms the parcel arrived.
const api = require('../../utils/api')
const i18n = require('../../utils/i18n')
const pledges = require('../../utils/pledge')

Component({
  data: { t: {}, pledge: null, title: '', carrier: '', tracking: '', error: '' },
  methods: {
    async onLoad(options) {
      this.setData({ t: i18n.all(), id: Number(options.id) })
      await this.load()
    },
    async load() {
      try {
        const pledge = await api.mine(`/pledges/${this.data.id}`)
        this.setData({ pledge: pledges.view(pledge, this.role()), error: '' })
        const book = await api.get(`/books/${pledge.isbn}`)
        this.setData({ title: book.title || '' })
      } catch (err) {
        this.setData({ error: api.explain(err) })
      }
    },
    role() {
      return (wx.getStorageSync('account') || {}).role
    },
    async arrived() {
      try {
        await api.post(`/parcels/${this.data.pledge.parcel_id}/delivered`)
        await this.load()
      } catch (err) {
        this.setData({ error: api.explain(err) })
      }
    },
    onCarrier(e) {
      this.setData({ carrier: e.detail.value })
    },
    onTracking(e) {
      this.setData({ tracking: e.detail.value })
    },
    async posted() {
      const number = this.data.tracking.trim()
      if (!number) return this.setData({ error: i18n.t('tracking_needed') })
      const body = { tracking_number: number }
      if (this.data.carrier.trim()) body.carrier = this.data.carrier.trim()
      try {
        await api.post(`/parcels/${this.data.pledge.parcel_id}/shipped`, body)
        await this.load()
      } catch (err) {
        this.setData({ error: api.explain(err) })
      }
    },
    async extend() {
      try {
        const pledge = await api.post(`/pledges/${this.data.id}/extend`)
        this.setData({ pledge: pledges.view(pledge, this.role()) })
      } catch (err) {
        this.setData({ error: api.explain(err) })
      }
    }
  }
})
