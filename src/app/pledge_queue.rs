//! Group commit: in a rush, donors' pledges (naming no school, naming one, or claiming
//! children's wishes) wait in one queue and one writer takes all that are waiting into one
//! transaction (see `store::commit_pledge_batch`), planning each against what the ones before
//! it took, so the split is exactly what one-by-one pledges would make and a wish has exactly
//! one winner. Each donor still gets their own answer, and a refusal (the need gone, the wish
//! taken) is that request's alone. Nothing waits on purpose: the writer takes what queued
//! while it wrote the last batch, so a lone pledge is written at once and a rush is written in
//! batches.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use tokio::sync::{mpsc, oneshot};

use super::{Bookbridge, Happened, WeakService};
use crate::domain::child_wishes::ChildWish;
use crate::domain::error::DomainError;
use crate::domain::ids::{AccountId, ChildWishId, SchoolId};
use crate::domain::isbn::Isbn;
use crate::domain::matching::{Allocation, NeedInTurn};
use crate::domain::model::Pledge;
use crate::domain::quantity::Quantity;
use crate::store::{BatchAsked, BatchState, PlannedPledge};

/// Most pledges one transaction takes: enough that a rush of 64 clients goes in one or two,
/// few enough that one batch's statements stay short.
const MOST_PER_BATCH: usize = 128;

/// What a queued request asks for.
#[derive(Debug)]
pub(super) enum Wanted {
    /// Copies of a book: to the neediest schools, or to one named school's items.
    Copies {
        isbn: Isbn,
        quantity: Quantity,
        school: Option<SchoolId>,
    },
    /// Children's wishes, claimed in order, each a pledge of one copy of the wished edition;
    /// the first that cannot be claimed stops the rest, keeping those before it.
    Wishes(Vec<ChildWishId>),
}

/// A donor's request waiting for the writer.
struct Ask {
    donor: AccountId,
    wanted: Wanted,
    answer: oneshot::Sender<Answer>,
}

/// What the writer answers one request.
#[derive(Debug)]
pub(super) enum Answer {
    /// Written.
    Made(Vec<Pledge>),
    /// Refused, as the one-by-one path would refuse it (with the wishes before a taken one
    /// written).
    Refused(DomainError),
    /// Not written; pledge the one-by-one way (another process moved the need, the database
    /// failed, or the queue is gone).
    OneByOne,
}

/// The queue's sending end, started with the first pledge (inside the runtime), and how
/// many pledges wait in it for their answer.
#[derive(Debug, Default)]
pub(super) struct PledgeQueue(
    OnceLock<mpsc::UnboundedSender<Ask>>,
    std::sync::atomic::AtomicU64,
);

impl Bookbridge {
    /// Queues a request for the writer and waits for its answer.
    pub(super) async fn pledge_queued(&self, donor: AccountId, wanted: Wanted) -> Answer {
        let queue = self.pledge_queue.0.get_or_init(|| {
            let (sender, receiver) = mpsc::unbounded_channel();
            tokio::spawn(write_batches(self.downgrade(), receiver));
            sender
        });
        let (answer, answered) = oneshot::channel();
        let ask = Ask {
            donor,
            wanted,
            answer,
        };
        if queue.send(ask).is_err() {
            return Answer::OneByOne;
        }
        let waiting = &self.pledge_queue.1;
        waiting.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let answer = answered.await.unwrap_or(Answer::OneByOne);
        waiting.fetch_sub(1, std::sync::atomic::Ordering::Relaxed);
        answer
    }

    /// Pledges queued for the batch writer and not yet answered.
    pub fn pledges_waiting(&self) -> u64 {
        self.pledge_queue
            .1
            .load(std::sync::atomic::Ordering::Relaxed)
    }
}

/// The writer: takes every waiting pledge, writes them together, answers each; until the
/// service is gone.
async fn write_batches(service: WeakService, mut queue: mpsc::UnboundedReceiver<Ask>) {
    let mut batch = Vec::with_capacity(MOST_PER_BATCH);
    while queue.recv_many(&mut batch, MOST_PER_BATCH).await > 0 {
        let Some(service) = service.upgrade() else {
            return;
        };
        let asks = std::mem::take(&mut batch);
        let answers = service.write_batch(&asks).await;
        for (ask, answer) in asks.into_iter().zip(answers) {
            // A donor who left still has their pledge, as after any answer lost on the way.
            let _ = ask.answer.send(answer);
        }
    }
}

impl Bookbridge {
    async fn write_batch(&self, asks: &[Ask]) -> Vec<Answer> {
        let now = self.now();
        let dates = (now, self.policies.ship.first_date(now));
        let mut plans = BatchPlans::new(asks.len());
        let written = self
            .store
            .commit_pledge_batch(&asked(asks), dates, |state| plans.plan(asks, state))
            .await;
        match written {
            Ok(Some(made)) => {
                if made.iter().any(|m| !m.is_empty()) {
                    self.happened(Happened::CatalogueChanged);
                    self.happened(Happened::NoticesRecorded);
                }
                plans.answers(made)
            }
            Ok(None) => asks.iter().map(|_| Answer::OneByOne).collect(),
            Err(err) => {
                log::warn!("a batch of {} pledges failed: {err}", asks.len());
                asks.iter().map(|_| Answer::OneByOne).collect()
            }
        }
    }
}

/// The books, named schools and wishes a batch reads before it plans.
fn asked(asks: &[Ask]) -> BatchAsked {
    let mut asked = BatchAsked::default();
    for ask in asks {
        match &ask.wanted {
            Wanted::Copies { isbn, school, .. } => {
                asked.books.push(isbn.clone());
                asked.schools.extend(*school);
            }
            Wanted::Wishes(ids) => asked.wishes.extend(ids),
        }
    }
    asked.books.sort_unstable();
    asked.books.dedup();
    asked.schools.sort_unstable();
    asked.schools.dedup();
    asked.wishes.sort_unstable();
    asked.wishes.dedup();
    asked
}

/// Each request's planned pledges (how many, in order) and its refusal.
struct BatchPlans {
    pledges: Vec<usize>,
    refusals: Vec<Option<DomainError>>,
}

impl BatchPlans {
    fn new(asks: usize) -> Self {
        BatchPlans {
            pledges: vec![0; asks],
            refusals: std::iter::repeat_with(|| None).take(asks).collect(),
        }
    }

    /// Plans every request in queue order against what the ones before it took.
    fn plan(&mut self, asks: &[Ask], state: BatchState) -> Vec<PlannedPledge> {
        let mut need = NeedInTurn::new(state.candidates);
        let wishes: HashMap<ChildWishId, ChildWish> =
            state.wishes.into_iter().map(|w| (w.id, w)).collect();
        let mut claimed: HashSet<ChildWishId> = HashSet::new();
        let mut planned = Vec::with_capacity(asks.len());
        for (i, ask) in asks.iter().enumerate() {
            let refused = match &ask.wanted {
                Wanted::Copies {
                    isbn,
                    quantity,
                    school,
                } => {
                    let named = school.map(|id| match state.schools.get(&id) {
                        None => Err(DomainError::not_found("school", id)),
                        Some(false) => Err(DomainError::SchoolNotVerified),
                        Some(true) => Ok(()),
                    });
                    match named.unwrap_or(Ok(())).and_then(|()| {
                        need.plan(isbn, *quantity, *school)
                            .map_err(|outstanding| DomainError::InsufficientNeed { outstanding })
                    }) {
                        Ok(parts) => {
                            planned.push(PlannedPledge {
                                donor: ask.donor,
                                isbn: isbn.clone(),
                                parts,
                                wish: None,
                            });
                            self.pledges[i] = 1;
                            None
                        }
                        Err(refusal) => Some(refusal),
                    }
                }
                Wanted::Wishes(ids) => ids.iter().find_map(|id| {
                    let Some(wish) = wishes.get(id).filter(|w| w.is_published()) else {
                        return Some(DomainError::not_found("wish", *id));
                    };
                    if !wish.is_claimable() || !claimed.insert(*id) {
                        return Some(DomainError::WishTaken);
                    }
                    need.committed(wish.school_id, 1);
                    planned.push(PlannedPledge {
                        donor: ask.donor,
                        isbn: wish.isbn.clone(),
                        parts: vec![Allocation {
                            item: wish.wishlist_item_id,
                            school: wish.school_id,
                            quantity: Quantity::ONE,
                        }],
                        wish: Some(*id),
                    });
                    self.pledges[i] += 1;
                    None
                }),
            };
            self.refusals[i] = refused;
        }
        planned
    }

    /// Each request's answer from the written pledges (one list per planned pledge).
    fn answers(self, made: Vec<Vec<Pledge>>) -> Vec<Answer> {
        let mut made = made.into_iter();
        self.pledges
            .into_iter()
            .zip(self.refusals)
            .map(|(count, refused)| {
                let pledges: Vec<Pledge> = made.by_ref().take(count).flatten().collect();
                match refused {
                    Some(refusal) => Answer::Refused(refusal),
                    None => Answer::Made(pledges),
                }
            })
            .collect()
    }
}
