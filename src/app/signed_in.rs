//! Who a token belongs to, kept on this server for a short, stated lifetime
//! (`signed_in_seconds`, 5 by default), so a rush of requests from signed-in donors costs no
//! database read each to say who is asking. Only active accounts are kept: one waiting for
//! approval (or suspended) is read at every request, so an approval made on any server counts
//! at once on all. A sign-out, "sign out everywhere", a suspension or a change of coordinator
//! takes effect at once on the server that made it (it forgets that account here) and within
//! the lifetime on the other servers; a session's own expiry is never passed.

use std::collections::HashMap;
use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};

use crate::domain::actor::Actor;
use crate::domain::ids::AccountId;

/// Most tokens kept: when full, the kept ones past their lifetime go, and if none has, all
/// go (memory stays bounded however many donors sign in).
const MOST_KEPT: usize = 20_000;

/// One token's account as read, and until when it may be used without reading again.
#[derive(Debug, Clone)]
struct Kept {
    actor: Actor,
    until: DateTime<Utc>,
}

/// Tokens' accounts, by the token's hash.
#[derive(Debug)]
pub(crate) struct SignedIn {
    lifetime: Duration,
    kept: Mutex<HashMap<String, Kept>>,
}

impl SignedIn {
    /// Keeps accounts for `seconds` (0: never kept, every request reads).
    pub(crate) fn new(seconds: u32) -> Self {
        SignedIn {
            lifetime: Duration::seconds(i64::from(seconds)),
            kept: Mutex::new(HashMap::new()),
        }
    }

    fn kept(&self) -> std::sync::MutexGuard<'_, HashMap<String, Kept>> {
        self.kept
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The account kept for `token_hash`, if it is still within its lifetime at `now`.
    pub(crate) fn get(&self, token_hash: &str, now: DateTime<Utc>) -> Option<Actor> {
        self.kept()
            .get(token_hash)
            .filter(|k| now < k.until)
            .map(|k| k.actor)
    }

    /// Keeps the account read for `token_hash` at `now`, no longer than its session lasts.
    pub(crate) fn keep(
        &self,
        token_hash: &str,
        actor: &Actor,
        session_expires: DateTime<Utc>,
        now: DateTime<Utc>,
    ) {
        if self.lifetime <= Duration::zero() || !actor.is_active() {
            return;
        }
        let until = (now + self.lifetime).min(session_expires);
        let mut kept = self.kept();
        if kept.len() >= MOST_KEPT && !kept.contains_key(token_hash) {
            kept.retain(|_, k| now < k.until);
            if kept.len() >= MOST_KEPT {
                kept.clear();
            }
        }
        kept.insert(
            token_hash.to_owned(),
            Kept {
                actor: *actor,
                until,
            },
        );
    }

    /// Forgets every token of `account`: its sessions or standing changed on this server.
    pub(crate) fn forget(&self, account: AccountId) {
        self.kept().retain(|_, k| k.actor.account != account);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ids::SessionId;
    use crate::domain::role::Role;
    use crate::domain::vetting::AccountStatus;

    fn donor(account: i64) -> Actor {
        Actor {
            account: AccountId(account),
            role: Role::Donor,
            status: AccountStatus::Active,
            coordinator: false,
            session: SessionId(account),
            client: None,
        }
    }

    #[test]
    fn an_account_is_kept_for_its_lifetime_and_never_past_its_session() {
        let now = Utc::now();
        let signed_in = SignedIn::new(5);
        signed_in.keep("a", &donor(1), now + Duration::days(30), now);
        signed_in.keep("b", &donor(2), now + Duration::seconds(2), now);
        assert!(signed_in.get("a", now + Duration::seconds(4)).is_some());
        assert!(signed_in.get("a", now + Duration::seconds(5)).is_none());
        assert!(signed_in.get("b", now + Duration::seconds(1)).is_some());
        assert!(signed_in.get("b", now + Duration::seconds(2)).is_none());
        assert!(signed_in.get("c", now).is_none());
    }

    #[test]
    fn an_account_waiting_or_suspended_is_never_kept() {
        let now = Utc::now();
        let signed_in = SignedIn::new(5);
        for (token, status) in [
            ("p", AccountStatus::Pending),
            ("s", AccountStatus::Suspended),
        ] {
            let mut actor = donor(1);
            actor.status = status;
            signed_in.keep(token, &actor, now + Duration::days(1), now);
            assert!(signed_in.get(token, now).is_none(), "{status:?}");
        }
    }

    #[test]
    fn forgetting_an_account_forgets_all_its_tokens_and_no_other() {
        let now = Utc::now();
        let signed_in = SignedIn::new(5);
        let later = now + Duration::days(1);
        signed_in.keep("a1", &donor(1), later, now);
        signed_in.keep("a2", &donor(1), later, now);
        signed_in.keep("b", &donor(2), later, now);
        signed_in.forget(AccountId(1));
        assert!(signed_in.get("a1", now).is_none());
        assert!(signed_in.get("a2", now).is_none());
        assert!(signed_in.get("b", now).is_some());
    }

    #[test]
    fn a_lifetime_of_zero_keeps_nothing_and_the_kept_stay_bounded() {
        let now = Utc::now();
        let off = SignedIn::new(0);
        off.keep("a", &donor(1), now + Duration::days(1), now);
        assert!(off.get("a", now).is_none());
        let on = SignedIn::new(5);
        for k in 0..MOST_KEPT + 10 {
            on.keep(
                &format!("t{k}"),
                &donor(k as i64),
                now + Duration::days(1),
                now,
            );
        }
        assert!(on.kept().len() <= MOST_KEPT);
        assert!(on.get(&format!("t{}", MOST_KEPT + 9), now).is_some());
    }
}
