// Where the mini program finds bookbridge's API. Point it at the charity's deployment (its
// domain must also be listed as a "request" domain in the mini program's settings on
// mp.weixin.qq.com). See README.md.
module.exports = {
  apiBase: 'https://bookbridge.example.org/api/v1'
}
