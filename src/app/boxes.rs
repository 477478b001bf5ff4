//! A donor's box of books: planned into the fewest parcels (the neediest schools first among
//! equal plans), kept until confirmed, then pledged parcel by parcel in one transaction.

use std::collections::{BTreeSet, HashMap};

use super::{Bookbridge, Happened};
use crate::domain::boxes::{
    plan, BoxProblem, BoxRequest, Opening, PlanBook, PlanParcel, PlanSchool, ProposedPlan,
    UnplacedBook, UnplacedReason, MAX_BOX_BOOKS,
};
use crate::domain::error::{DomainError, DomainResult, Invalid};
use crate::domain::ids::{BoxId, WishlistItemId};
use crate::domain::model::Actor;
use crate::domain::parcels::ParcelView;
use crate::domain::role::Role;
use crate::store::{BoxOpening, BoxPart};

impl Bookbridge {
    /// Plans a donor's box and keeps the plan; changes no need.
    pub async fn plan_box(&self, actor: &Actor, request: BoxRequest) -> DomainResult<ProposedPlan> {
        donor_only(actor)?;
        if request.isbns.is_empty() || request.isbns.len() > MAX_BOX_BOOKS {
            return Err(
                Invalid::new("isbns", format!("a box holds 1 to {MAX_BOX_BOOKS} books")).into(),
            );
        }
        let proposed = self.propose(&request).await?;
        // The plan is kept without its id (the box's row is its id).
        let (request_json, plan_json) = serde_json::to_string(&request)
            .and_then(|r| Ok((r, serde_json::to_string(&proposed)?)))
            .map_err(|e| DomainError::Internal(format!("a box did not serialise: {e}")))?;
        let id = self
            .store
            .save_box(actor.account, &request_json, &plan_json, self.now())
            .await?;
        let plan = ProposedPlan { id, ..proposed };
        Ok(plan)
    }

    /// Turns a box's plan into pledges, one parcel per school, checked against the need at
    /// this moment: if another donor took some of it, nothing is pledged and the answer is
    /// `PlanStale` with a fresh plan (kept on the same box, to confirm in turn).
    pub async fn confirm_box(&self, actor: &Actor, id: BoxId) -> DomainResult<Vec<ParcelView>> {
        donor_only(actor)?;
        let stored = self
            .store
            .stored_box(id)
            .await?
            .filter(|b| b.donor == actor.account)
            .ok_or_else(|| DomainError::not_found("box", id))?;
        if stored.confirmed {
            return Err(DomainError::Conflict("this box has been confirmed already"));
        }
        let (request, plan): (BoxRequest, ProposedPlan) = serde_json::from_str(&stored.request)
            .and_then(|r| Ok((r, serde_json::from_str(&stored.plan)?)))
            .map_err(|e| DomainError::Internal(format!("box {id} is unreadable: {e}")))?;
        let parcels: Vec<Vec<BoxPart>> = plan.parcels.iter().map(parts).collect();
        if parcels.is_empty() {
            return Err(DomainError::Conflict(
                "no school needs any book of this box right now",
            ));
        }
        let now = self.now();
        let dates = (now, self.policies.ship.first_date(now));
        match self
            .store
            .confirm_box(id, actor.account, &parcels, dates)
            .await?
        {
            Some(made) => {
                self.happened(Happened::CatalogueChanged);
                self.happened(Happened::NoticesRecorded);
                let mut views = Vec::with_capacity(made.len());
                for parcel in made {
                    if let Some(first) = parcel.first() {
                        views.push(self.parcel(actor, first.parcel_id).await?);
                    }
                }
                Ok(views)
            }
            None => {
                let fresh = ProposedPlan {
                    id,
                    ..self.propose(&request).await?
                };
                let kept = serde_json::to_string(&fresh)
                    .map_err(|e| DomainError::Internal(format!("a plan did not serialise: {e}")))?;
                self.store.replan_box(id, &kept).await?;
                Err(DomainError::PlanStale(Box::new(fresh)))
            }
        }
    }

    /// The plan for a box as the need stands now (its id left to the caller).
    async fn propose(&self, request: &BoxRequest) -> DomainResult<ProposedPlan> {
        let distinct: Vec<_> = request
            .isbns
            .iter()
            .cloned()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let known = self.books(&distinct).await?;
        let without: BTreeSet<_> = request.without.iter().copied().collect();
        // An item is read once per edition in the box that can fill it (two editions of
        // one work): the planner sees it once, reachable from each.
        let mut openings: Vec<BoxOpening> = Vec::new();
        let mut index_of: HashMap<WishlistItemId, usize> = HashMap::new();
        let mut by_isbn: HashMap<_, Vec<usize>> = HashMap::new();
        for opening in self.store.box_openings(&distinct).await? {
            if without.contains(&opening.school)
                || request
                    .province
                    .as_deref()
                    .is_some_and(|p| opening.province != p)
            {
                continue;
            }
            let at = *index_of.entry(opening.item).or_insert_with(|| {
                openings.push(opening.clone());
                openings.len() - 1
            });
            by_isbn.entry(opening.isbn).or_default().push(at);
        }
        let problem = BoxProblem {
            books: request
                .isbns
                .iter()
                .map(|isbn| by_isbn.get(isbn).cloned().unwrap_or_default())
                .collect(),
            openings: openings
                .iter()
                .map(|o| Opening {
                    item: o.item,
                    school: o.school,
                    outstanding: o.outstanding,
                })
                .collect(),
            helped: openings.iter().map(|o| (o.school, o.helped)).collect(),
        };
        let planned = plan(&problem);
        let school_of: HashMap<_, _> = openings.iter().map(|o| (o.school, o)).collect();
        let title =
            |isbn: &crate::domain::isbn::Isbn| known.get(isbn).and_then(|b| b.title.clone());
        let parcels = planned
            .parcels
            .iter()
            .filter_map(|parcel| {
                let school = school_of.get(&parcel.school)?;
                Some(PlanParcel {
                    school: PlanSchool {
                        id: school.school,
                        name: school.school_name.clone(),
                        province: school.province.clone(),
                    },
                    books: parcel
                        .books
                        .iter()
                        .map(|(book, item)| {
                            let isbn = request.isbns[*book].clone();
                            PlanBook {
                                title: title(&isbn),
                                isbn,
                                item: *item,
                            }
                        })
                        .collect(),
                })
            })
            .collect();
        let unplaced = planned
            .unplaced
            .iter()
            .map(|(book, why)| {
                let isbn = request.isbns[*book].clone();
                let reason = if known.contains_key(&isbn) {
                    UnplacedReason::from(*why)
                } else {
                    UnplacedReason::UnknownIsbn
                };
                UnplacedBook { isbn, reason }
            })
            .collect();
        Ok(ProposedPlan {
            id: BoxId(0),
            parcels,
            unplaced,
        })
    }
}

fn donor_only(actor: &Actor) -> DomainResult<()> {
    if actor.role == Role::Donor {
        Ok(())
    } else {
        Err(DomainError::Forbidden(
            "only donor accounts give boxes of books",
        ))
    }
}

/// A planned parcel's books as parts to pledge: copies of one book for one item together.
fn parts(parcel: &PlanParcel) -> Vec<BoxPart> {
    let mut parts: Vec<BoxPart> = Vec::new();
    for book in &parcel.books {
        match parts
            .iter_mut()
            .find(|p| p.item == book.item && p.isbn == book.isbn)
        {
            Some(part) => part.quantity += 1,
            None => parts.push(BoxPart {
                school: parcel.school.id,
                item: book.item,
                isbn: book.isbn.clone(),
                quantity: 1,
            }),
        }
    }
    parts
}
