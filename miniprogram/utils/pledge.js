// A pledge as its donor reads it: the status's name, what happens next, the date to post by.

const i18n = require('./i18n')

/** A pledge as `role` (the donor's own, or the receiving school's) reads it. */
function view(pledge, role) {
  const school = role === 'school'
  const schoolStep = school && (pledge.status === 'pledged' || pledge.status === 'shipped')
  return Object.assign({}, pledge, {
    status_text: i18n.t(`status_${pledge.status}`),
    next_step: i18n.t(schoolStep ? `next_school_${pledge.status}` : `next_${pledge.status}`),
    post_by: pledge.status === 'pledged' && pledge.ship_by ? i18n.t('post_by', { date: i18n.date(pledge.ship_by) }) : '',
    tracking_text: pledge.tracking_number ? i18n.t('tracking_is', { number: pledge.tracking_number }) : '',
    // The donor enters the tracking number of a parcel not yet posted...
    can_post: !school && pledge.status === 'pledged' && Boolean(pledge.parcel_id),
    can_extend: !school && pledge.status === 'pledged' && !pledge.extended,
    // ...and the school confirms the parcel once it arrived.
    can_confirm: school && pledge.status === 'shipped' && Boolean(pledge.parcel_id)
  })
}

module.exports = { view }
