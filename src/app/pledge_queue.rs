//! Group commit for pledges that name no school: in a rush, donors' pledges wait in one queue
//! and one writer takes all that are waiting into one transaction (see
//! `store::commit_pledge_batch`), planning each against what the ones before it took, so the
//! split is exactly what one-by-one pledges would make. Each donor still gets their own
//! answer. Nothing waits on purpose: the writer takes what queued while it wrote the last
//! batch, so a lone pledge is written at once and a rush is written in batches.

use std::sync::OnceLock;

use tokio::sync::{mpsc, oneshot};

use super::{Bookbridge, Happened, WeakService};
use crate::domain::ids::AccountId;
use crate::domain::isbn::Isbn;
use crate::domain::matching::NeedInTurn;
use crate::domain::model::Pledge;
use crate::domain::quantity::Quantity;
use crate::store::PlannedPledge;

/// Most pledges one transaction takes: enough that a rush of 64 clients goes in one or two,
/// few enough that one batch's statements stay short.
const MOST_PER_BATCH: usize = 128;

/// A donor's pledge waiting for the writer.
struct Ask {
    donor: AccountId,
    isbn: Isbn,
    quantity: Quantity,
    answer: oneshot::Sender<Answer>,
}

/// What the writer answers one pledge.
#[derive(Debug)]
pub(super) enum Answer {
    /// Written.
    Made(Vec<Pledge>),
    /// Fewer copies are needed than asked: this many.
    Short(u32),
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
    /// Queues a pledge for the writer and waits for its answer.
    pub(super) async fn pledge_queued(
        &self,
        donor: AccountId,
        isbn: &Isbn,
        quantity: Quantity,
    ) -> Answer {
        let queue = self.pledge_queue.0.get_or_init(|| {
            let (sender, receiver) = mpsc::unbounded_channel();
            tokio::spawn(write_batches(self.downgrade(), receiver));
            sender
        });
        let (answer, answered) = oneshot::channel();
        let ask = Ask {
            donor,
            isbn: isbn.clone(),
            quantity,
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
        let mut books: Vec<Isbn> = asks.iter().map(|a| a.isbn.clone()).collect();
        books.sort_unstable();
        books.dedup();
        let now = self.now();
        let dates = (now, self.policies.ship.first_date(now));
        let mut shortfalls: Vec<Option<u32>> = Vec::with_capacity(asks.len());
        let written = self
            .store
            .commit_pledge_batch(&books, dates, |candidates| {
                let mut need = NeedInTurn::new(candidates);
                asks.iter()
                    .map(|ask| {
                        let parts = need.plan(&ask.isbn, ask.quantity);
                        shortfalls.push(parts.as_ref().err().copied());
                        PlannedPledge {
                            donor: ask.donor,
                            isbn: ask.isbn.clone(),
                            parts: parts.unwrap_or_default(),
                        }
                    })
                    .collect()
            })
            .await;
        match written {
            Ok(Some(made)) => {
                if made.iter().any(|m| !m.is_empty()) {
                    self.happened(Happened::CatalogueChanged);
                    self.happened(Happened::NoticesRecorded);
                }
                made.into_iter()
                    .zip(shortfalls)
                    .map(|(made, short)| match short {
                        Some(outstanding) => Answer::Short(outstanding),
                        None => Answer::Made(made),
                    })
                    .collect()
            }
            Ok(None) => asks.iter().map(|_| Answer::OneByOne).collect(),
            Err(err) => {
                log::warn!("a batch of {} pledges failed: {err}", asks.len());
                asks.iter().map(|_| Answer::OneByOne).collect()
            }
        }
    }
}
