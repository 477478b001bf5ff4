// The mini program: signs in with WeChat on first use (utils/api.js) and names the tabs in
// the reader's language.
const i18n = require('./utils/i18n')

App({
  onLaunch() {
    if (i18n.lang() === 'en') {
      const tabs = ['Find books', 'Wish wall', 'My pledges', 'Me']
      tabs.forEach((text, index) => wx.setTabBarItem({ index, text }))
    }
  }
})
