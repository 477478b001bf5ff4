//! "What needs you now": the things waiting for this person (books to post by a date,
//! parcels to confirm, accounts to approve) and the notices they were sent, in their language.

use super::errors::PageError;
use maud::Markup;
use rocket::State;

use super::SignedIn;
use crate::app::Bookbridge;
use crate::domain::pledge_status::PledgeStatus;
use crate::domain::pledges::PledgeFilter;
use crate::domain::role::Role;
use crate::domain::vetting::AccountStatus;

mod view;

pub fn routes() -> Vec<rocket::Route> {
    rocket::routes![notices]
}

/// Items of each kind the page lists before "see all".
pub(super) const SHOWN: u64 = 20;

#[rocket::get("/notices")]
async fn notices(p: SignedIn, service: &State<Bookbridge>) -> Result<Markup, PageError> {
    let actor = p.actor;
    let waiting = match actor.role {
        Role::Donor => PledgeStatus::Pledged,
        _ => PledgeStatus::Shipped,
    };
    let todo = if actor.role == Role::Donor || actor.role == Role::School {
        service
            .pledge_lines(
                &actor,
                PledgeFilter {
                    status: Some(waiting),
                    limit: SHOWN,
                    ..Default::default()
                },
            )
            .await?
    } else {
        Vec::new()
    };
    let to_vet = if actor.is_vetter() {
        service
            .accounts(&actor, Some(AccountStatus::Pending), SHOWN, 0)
            .await?
            .len()
    } else {
        0
    };
    let told = service.notices(&actor).await?;
    Ok(view::notices(
        &p,
        view::Waiting {
            todo: &todo,
            to_vet,
            told: &told,
        },
    ))
}
