// Each page against the API's own examples: what a person sees, what they tap, which calls
// go out (and that each is in the OpenAPI document).
const { install, settle } = require('./support/wechat')
const { open, text } = require('./support/pages')

let server
beforeEach(() => {
  server = install()
  server.storage.set('token', 'signed-in-token')
})
afterEach(() => {
  expect(server.unknown).toEqual([])
})

describe('find books', () => {
  test('lists books by need, in Chinese first', async () => {
    const page = await open('index')
    expect(server.called('GET', '/search')).toHaveLength(1)
    expect(text(page)).toContain('Goodnight Moon')
    expect(text(page)).toContain('还需要 3 本')
    expect(text(page)).toContain('共 1 本')
  })

  test('says "more than" when the count is bounded', async () => {
    const page = await open('index')
    server.answer('GET', '/search', 200, { hits: [{ isbn: '9780060775858', title: 'Goodnight Moon', outstanding: 0 }], total: 10000, total_exact: false, facets: {} })
    await page.instance.search()
    expect(text(page)).toContain('超过 10000 本')
  })

  test('a scanned ISBN is searched and its book opened', async () => {
    const page = await open('index')
    server.scanResult = '9780060775858'
    await page.instance.scan()
    await settle()
    const searches = server.called('GET', '/search')
    expect(searches[searches.length - 1].query.q).toBe('9780060775858')
    expect(server.navigations).toEqual(['/pages/book/book?isbn=9780060775858'])
  })

  test('a barcode that is not an ISBN is explained, not searched', async () => {
    const page = await open('index')
    server.scanResult = '6901234567892'
    await page.instance.scan()
    expect(server.called('GET', '/search')).toHaveLength(1)
    expect(text(page)).toContain('这不是图书条形码')
  })
})

describe('pledging a book', () => {
  test('asks WeChat for messages in the tap, pledges, records what was accepted, opens the pledge', async () => {
    server.subscribeAnswer = (ids) => ({ [ids[0]]: 'accept', [ids[1]]: 'reject' })
    const page = await open('book', { isbn: '9780060775858', school_id: '1' })
    expect(text(page)).toContain('Baiyun Village Primary')
    page.querySelector('#more').dispatchEvent('tap')
    await settle()
    await page.instance.pledge()
    await settle()
    expect(server.subscribeAsked).toEqual([['T-shipped-8xQ2', 'T-delivered-3kP9']])
    expect(server.called('POST', '/pledges')[0].body).toEqual({ isbn: '9780060775858', quantity: 2, school_id: 1 })
    expect(server.called('POST', '/me/wechat/subscriptions')[0].body).toEqual({ template_ids: ['T-shipped-8xQ2'] })
    expect(server.navigations).toEqual(['/pages/pledge/pledge?id=31'])
  })

  test('a refused pledge says why in the reader\'s language and opens nothing', async () => {
    server.answer('POST', '/pledges', 409, { error: { code: 'insufficient_need', message: 'only 1 copies are still needed', outstanding: 1 } })
    server.subscribeAnswer = () => ({})
    const page = await open('book', { isbn: '9780060775858' })
    await page.instance.pledge()
    await settle()
    expect(text(page)).toContain('还需要 1 本')
    expect(server.navigations).toEqual([])
    expect(server.called('POST', '/me/wechat/subscriptions')).toHaveLength(0)
  })
})

describe('a school opened from a shared card', () => {
  test('shows what it needs, shares its own page, and never shows its address or phone', async () => {
    const page = await open('school', { id: '1' })
    expect(text(page)).toContain('Baiyun Village Primary')
    expect(text(page)).toContain('还需要 3 本')
    expect(text(page)).not.toContain('2 River Road')
    expect(text(page)).not.toContain('0879-555-0199')
    expect(page.instance.onShareAppMessage()).toEqual({
      title: '一起给Baiyun Village Primary捐书',
      path: '/pages/school/school?id=1'
    })
    page.querySelector('.item').dispatchEvent('tap')
    await settle()
    expect(server.navigations).toEqual(['/pages/book/book?isbn=9780060775858&school_id=1'])
  })
})

describe('the wish wall', () => {
  test('a donor answers a child\'s wish with one tap', async () => {
    const page = await open('wishes', {})
    expect(text(page)).toContain('我想知道桑桑的草房子是什么样子的')
    expect(text(page)).toContain('3 年级')
    page.querySelector('.claim').dispatchEvent('tap')
    await settle()
    await settle()
    expect(server.called('POST', '/wishes/{id}/claim')[0].path).toBe('/wishes/14/claim')
    expect(text(page)).toContain('谢谢您')
    expect(page.querySelector('.claim')).toBeUndefined()
  })

  test('a wish someone else took first is explained and the wall read again', async () => {
    server.answer('POST', '/wishes/{id}/claim', 409, { error: { code: 'wish_taken', message: 'taken' } })
    const page = await open('wishes', { school: '1' })
    expect(server.called('GET', '/schools/{school}/wishes')).toHaveLength(1)
    await page.instance.claim({ currentTarget: { dataset: { id: 14 } } })
    await settle()
    expect(text(page)).toContain('另一位捐书人刚刚满足了这个心愿')
    expect(server.called('GET', '/schools/{school}/wishes')).toHaveLength(2)
  })
})

describe('my pledges', () => {
  const waiting = {
    id: 31, isbn: '9780060775858', quantity: 1, status: 'pledged', school_id: 1, donor_id: 7,
    parcel_id: 31, extended: false, ship_by: '2026-12-11T02:00:00Z', created_at: '2026-11-20T02:00:00Z',
    updated_at: '2026-11-20T02:00:00Z', carrier: null, tracking_number: null, wishlist_item_id: 12,
    ship_to: { name: 'Baiyun Village Primary', address: '2 River Road, Baiyun', contact_phone: '0879-555-0199', school_id: 1 }
  }

  test('each says what happens next and the date to post by', async () => {
    server.answer('GET', '/pledges', 200, { pledges: [waiting, Object.assign({}, waiting, { id: 32, status: 'shipped', tracking_number: 'EMS1' })] })
    const page = await open('pledges', {}, 'onShow')
    const cards = page.querySelectorAll('.pledge')
    expect(cards).toHaveLength(2)
    expect(text(page)).toContain('请把书寄到下面的地址')
    expect(text(page)).toContain('请在 2026年12月11日 前寄出')
    expect(text(page)).toContain('书在路上')
    expect(page.querySelectorAll('.post-by')).toHaveLength(1)
  })

  test('a waiting pledge shows where to post and takes the tracking number', async () => {
    server.answer('GET', '/pledges/{id}', 200, waiting)
    const page = await open('pledge', { id: '31' })
    expect(text(page)).toContain('2 River Road, Baiyun')
    expect(text(page)).toContain('请在 2026年12月11日 前寄出')
    await page.instance.posted()
    expect(text(page)).toContain('请填写快递单号')
    expect(server.called('POST', '/parcels/{id}/shipped')).toHaveLength(0)
    page.instance.onTracking({ detail: { value: ' EMS123456789CN ' } })
    page.instance.onCarrier({ detail: { value: '中国邮政' } })
    server.answer('GET', '/pledges/{id}', 200, Object.assign({}, waiting, { status: 'shipped', tracking_number: 'EMS123456789CN' }))
    await page.instance.posted()
    await settle()
    const posted = server.called('POST', '/parcels/{id}/shipped')
    expect(posted[0].path).toBe('/parcels/31/shipped')
    expect(posted[0].body).toEqual({ tracking_number: 'EMS123456789CN', carrier: '中国邮政' })
    expect(text(page)).toContain('快递单号：EMS123456789CN')
    expect(page.querySelector('#tracking-form')).toBeUndefined()
    expect(page.querySelector('#ship-to')).toBeUndefined()
  })
})

describe('a teacher in the mini program', () => {
  const coming = {
    id: 31, isbn: '9780060775858', quantity: 1, status: 'shipped', school_id: 1, donor_id: 7,
    parcel_id: 31, extended: false, ship_by: '2026-12-11T02:00:00Z', created_at: '2026-11-20T02:00:00Z',
    updated_at: '2026-11-22T06:30:00Z', carrier: 'China Post', tracking_number: 'EMS1', wishlist_item_id: 12
  }

  test('links the account made on the web, then WeChat signs in to it', async () => {
    server.answer('GET', '/me', 200, { id: 7, name: 'Li Na', email: 'wechat.5d2a@wechat.invalid', role: 'donor' })
    const page = await open('me', {}, 'onShow')
    expect(page.querySelector('#link')).toBeDefined()
    page.instance.onEmail({ detail: { value: ' teacher@example.org ' } })
    page.instance.onPassword({ detail: { value: 'long password' } })
    server.loginCode = 'teacher.1'
    server.answer('GET', '/me', 200, { id: 9, name: 'Wang Fang', email: 'teacher@example.org', role: 'school' })
    await page.instance.link()
    await settle()
    expect(server.called('POST', '/sessions')[0].body).toEqual({ email: 'teacher@example.org', password: 'long password' })
    const bind = server.called('POST', '/me/wechat')[0]
    expect(bind.body).toEqual({ code: 'teacher.1' })
    expect(bind.header.Authorization).toBe('Bearer 3f1c9a…')
    expect(server.storage.get('account').role).toBe('school')
    expect(text(page)).toContain('已关联')
    expect(page.querySelector('#link')).toBeUndefined()
  })

  test('a wrong password is said plainly and the password field emptied', async () => {
    server.answer('GET', '/me', 200, { id: 7, name: 'x', email: 'wechat.5d2a@wechat.invalid', role: 'donor' })
    server.answer('POST', '/sessions', 401, { error: { code: 'invalid_credentials', message: 'wrong' } })
    const page = await open('me', {}, 'onShow')
    page.instance.onPassword({ detail: { value: 'wrong' } })
    await page.instance.link()
    expect(text(page)).toContain('邮箱或密码不对')
    expect(page.instance.data.password).toBe('')
    expect(server.called('POST', '/me/wechat')).toHaveLength(0)
  })

  test('confirms a parcel that arrived, and sees no donor steps', async () => {
    server.storage.set('account', { id: 9, role: 'school' })
    server.answer('GET', '/pledges/{id}', 200, coming)
    const page = await open('pledge', { id: '31' })
    expect(text(page)).toContain('收到后请点“书已收到”')
    expect(page.querySelector('#tracking-form')).toBeUndefined()
    server.answer('GET', '/pledges/{id}', 200, Object.assign({}, coming, { status: 'delivered' }))
    page.querySelector('#arrived').dispatchEvent('tap')
    await settle()
    await settle()
    expect(server.called('POST', '/parcels/{id}/delivered')[0].path).toBe('/parcels/31/delivered')
    expect(text(page)).toContain('学校已经收到书')
    expect(page.querySelector('#arrived')).toBeUndefined()
  })
})

describe('notices and me', () => {
  test('notices read in the person\'s language and open their pledge', async () => {
    const page = await open('notices')
    expect(text(page)).toContain('您捐的书已经寄出')
    page.querySelector('.notice').dispatchEvent('tap')
    await settle()
    expect(server.navigations).toEqual(['/pages/pledge/pledge?id=31'])
  })

  test('the language can be switched to English and is saved on the account', async () => {
    const page = await open('me', {}, 'onShow')
    expect(text(page)).toContain('微信消息')
    expect(text(page)).toContain('还可以收到 1 条')
    page.querySelector('#en').dispatchEvent('tap')
    await settle()
    expect(server.called('PATCH', '/me')[0].body).toEqual({ language: 'en' })
    expect(text(page)).toContain('WeChat messages')
  })
})
