// The mini program's words, Chinese first, with English for people whose phone reads
// English (or who chose it on the "me" page). Every key has both languages: a test checks.

const texts = {
  zh: {
    app_name: '书桥',
    search_placeholder: '书名、作者或 ISBN',
    search: '搜索',
    scan: '扫码查书',
    scan_not_isbn: '这不是图书条形码（ISBN），请扫描书背面的条形码',
    results: '共 {n} 本',
    results_more: '超过 {n} 本',
    no_results: '没有找到这本书',
    needed_copies: '还需要 {n} 本',
    not_needed: '目前没有学校需要',
    by: '作者：{who}',
    pledge: '我来捐',
    quantity: '数量',
    which_school: '捐给哪所学校',
    any_school: '最需要的学校',
    pledged_ok: '认捐成功！',
    subscribe_ask: '书寄出和送达时，我们用微信通知您',
    school_students: '{n} 名学生',
    school_needs: '还需要 {n} 本书',
    school_wishes: '孩子们的心愿',
    share_title: '一起给{school}捐书',
    wish_wall: '心愿墙',
    wish_grade: '{grade} 年级',
    claim: '满足这个心愿',
    claimed: '谢谢您！请在“我的认捐”里查看寄书地址',
    no_wishes: '现在没有等待的心愿',
    my_pledges: '我的认捐',
    no_pledges: '您还没有认捐',
    post_by: '请在 {date} 前寄出',
    ship_to: '寄到',
    tracking_enter: '填写快递单号',
    carrier: '快递公司',
    tracking_number: '快递单号',
    tracking_save: '我已寄出',
    tracking_needed: '请填写快递单号',
    tracking_is: '快递单号：{number}',
    extend: '需要更多时间（可延期一次）',
    extended: '已延期',
    notices: '通知',
    no_notices: '暂时没有通知',
    me: '我的',
    language: '语言',
    messages: '微信消息',
    messages_left: '还可以收到 {n} 条',
    messages_allow: '允许微信通知',
    status_pledged: '待寄出',
    status_shipped: '运输中',
    status_delivered: '已送达',
    status_cancelled: '已取消',
    status_expired: '已过期',
    status_lost: '已丢失',
    status_returned: '已退回',
    next_pledged: '请把书寄到下面的地址，并填写快递单号。',
    next_shipped: '书在路上。学校确认收到后，我们会告诉您。',
    next_delivered: '学校已经收到书。谢谢您！',
    next_cancelled: '这份认捐已取消。',
    next_expired: '没有按时寄出，认捐已过期；学校的书单重新需要这本书。',
    next_lost: '包裹丢失了。志愿者会和您联系。',
    next_returned: '包裹被退回了。志愿者会和您联系。',
    kind_pledge_shipped: '书已寄出',
    kind_pledge_delivered: '书已送达',
    loading: '加载中…',
    retry: '重试',
    err_insufficient_need: '这本书已经不需要这么多了：还需要 {n} 本',
    err_wish_taken: '另一位捐书人刚刚满足了这个心愿',
    err_school_not_verified: '这所学校还在核实中，暂时不能接收捐书',
    err_too_many_attempts: '操作太频繁，请稍后再试',
    err_wechat_unavailable: '微信暂时没有响应，请稍后再试',
    err_network: '网络不好，请稍后再试',
    err_other: '出了点问题，请稍后再试',
    link_title: '已有书桥账号（老师、志愿者）？',
    link_hint: '用邮箱和密码登录一次，以后就可以用微信直接登录。',
    email: '邮箱',
    password: '密码',
    link: '关联账号',
    linked: '已关联，以后用微信登录即可',
    err_invalid_credentials: '邮箱或密码不对',
    err_wechat_bound_elsewhere: '这个微信已经关联了另一个账号',
    err_account_has_wechat: '这个账号已经关联了另一个微信',
    confirm_arrival: '书已收到',
    next_school_pledged: '捐书人会把书寄来；寄出后我们会告诉您。',
    next_school_shipped: '书在路上。收到后请点“书已收到”。'
  },
  en: {
    app_name: 'bookbridge',
    search_placeholder: 'Title, author or ISBN',
    search: 'Search',
    scan: 'Scan a book',
    scan_not_isbn: 'That is not a book barcode (ISBN): scan the barcode on the back cover',
    results: '{n} books',
    results_more: 'More than {n} books',
    no_results: 'No book found',
    needed_copies: '{n} copies still needed',
    not_needed: 'No school needs it just now',
    by: 'By {who}',
    pledge: 'I will give this',
    quantity: 'Copies',
    which_school: 'Which school',
    any_school: 'The school that needs it most',
    pledged_ok: 'Thank you for your pledge!',
    subscribe_ask: 'We tell you in WeChat when the books are posted and arrive',
    school_students: '{n} pupils',
    school_needs: '{n} books still needed',
    school_wishes: 'The children\'s wishes',
    share_title: 'Give books to {school} with me',
    wish_wall: 'Wish wall',
    wish_grade: 'Grade {grade}',
    claim: 'Answer this wish',
    claimed: 'Thank you! The address to post to is in "My pledges"',
    no_wishes: 'No wishes are waiting just now',
    my_pledges: 'My pledges',
    no_pledges: 'You have not pledged yet',
    post_by: 'Please post by {date}',
    ship_to: 'Post to',
    tracking_enter: 'Enter the tracking number',
    carrier: 'Carrier',
    tracking_number: 'Tracking number',
    tracking_save: 'I have posted it',
    tracking_needed: 'Please enter the tracking number',
    tracking_is: 'Tracking number: {number}',
    extend: 'I need more time (once)',
    extended: 'Given more time',
    notices: 'Notices',
    no_notices: 'No notices yet',
    me: 'Me',
    language: 'Language',
    messages: 'WeChat messages',
    messages_left: '{n} more allowed',
    messages_allow: 'Allow WeChat messages',
    status_pledged: 'To post',
    status_shipped: 'On its way',
    status_delivered: 'Delivered',
    status_cancelled: 'Cancelled',
    status_expired: 'Expired',
    status_lost: 'Lost',
    status_returned: 'Returned',
    next_pledged: 'Post the books to the address below, then enter the tracking number.',
    next_shipped: 'The books are on their way. We will tell you when the school confirms they arrived.',
    next_delivered: 'The school has the books. Thank you!',
    next_cancelled: 'This pledge was cancelled.',
    next_expired: 'It was not posted in time, so the school\'s list asks for the book again.',
    next_lost: 'The parcel was lost. A volunteer will contact you.',
    next_returned: 'The parcel came back. A volunteer will contact you.',
    kind_pledge_shipped: 'Books posted',
    kind_pledge_delivered: 'Books delivered',
    loading: 'Loading…',
    retry: 'Try again',
    err_insufficient_need: 'Not that many are needed any more: {n} still needed',
    err_wish_taken: 'Another donor has just answered this wish',
    err_school_not_verified: 'This school is still being checked and cannot receive books yet',
    err_too_many_attempts: 'Too many tries; please wait a moment',
    err_wechat_unavailable: 'WeChat does not answer just now; please try again later',
    err_network: 'The connection is poor; please try again',
    err_other: 'Something went wrong; please try again',
    link_title: 'Already have a bookbridge account (teacher, volunteer)?',
    link_hint: 'Sign in once with your email and password; from then on WeChat signs you in.',
    email: 'Email',
    password: 'Password',
    link: 'Link my account',
    linked: 'Linked: WeChat signs you in from now on',
    err_invalid_credentials: 'The email or password is wrong',
    err_wechat_bound_elsewhere: 'This WeChat is already linked to another account',
    err_account_has_wechat: 'This account is already linked to another WeChat',
    confirm_arrival: 'The books arrived',
    next_school_pledged: 'A donor will post these books; we will tell you when they are on their way.',
    next_school_shipped: 'The books are on their way. When they arrive, tap "The books arrived".'
  }
}

/** The language to show: the one chosen on the "me" page, else the phone's; Chinese first. */
function lang() {
  const chosen = wx.getStorageSync('lang')
  if (chosen === 'zh' || chosen === 'en') return chosen
  let system = ''
  try {
    system = (wx.getSystemInfoSync().language || '').toLowerCase()
  } catch (e) {
    system = ''
  }
  return system.startsWith('en') ? 'en' : 'zh'
}

/** The text of `key` in the current language, with `{name}` filled from `vars`. */
function t(key, vars) {
  const words = texts[lang()][key] || texts.zh[key] || key
  return words.replace(/\{(\w+)\}/g, (_, name) => (vars && name in vars ? String(vars[name]) : ''))
}

/** Every text of the current language at once, for a page's `data`. */
function all() {
  return Object.assign({}, texts[lang()])
}

/** A date as the reader writes it: 2026年12月11日 or 11 Dec 2026 (China time). */
function date(iso) {
  if (!iso) return ''
  const china = new Date(new Date(iso).getTime() + 8 * 3600 * 1000)
  const y = china.getUTCFullYear()
  const m = china.getUTCMonth() + 1
  const d = china.getUTCDate()
  if (lang() === 'zh') return `${y}年${m}月${d}日`
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
  return `${d} ${months[m - 1]} ${y}`
}

module.exports = { texts, lang, t, all, date }
