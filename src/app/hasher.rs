//! Password hashing on a fixed set of threads, each with its own argon2 working memory.
//!
//! argon2 needs ~19 MiB per hash. Hashing on the async runtime's blocking pool allocates that
//! afresh on whichever of its many threads runs the job, and the allocator keeps the freed
//! memory in each thread's arena: 1,000 wrong sign-ins at concurrency 64 grew the server past
//! 900 MB. Here a fixed number of threads (one per core by default) take jobs from one queue
//! and reuse their memory, so hashing holds at most `slots × 19 MiB` however many people sign
//! in at once; the rest wait in the queue.

use std::sync::mpsc;
use std::sync::{Arc, Mutex};

use tokio::sync::oneshot;

use crate::domain::credentials::{self, HashMemory};
use crate::domain::error::{DomainError, DomainResult};

type Job = Box<dyn FnOnce(&mut HashMemory) + Send>;

/// The hashing threads' queue.
#[derive(Debug)]
pub struct Hasher {
    queue: Mutex<Option<mpsc::Sender<Job>>>,
}

impl Hasher {
    /// Starts `slots` hashing threads. They end when the hasher is dropped.
    pub fn start(slots: usize) -> Self {
        let (queue, jobs) = mpsc::channel::<Job>();
        let jobs = Arc::new(Mutex::new(jobs));
        for n in 0..slots.max(1) {
            let jobs = jobs.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("password-hash-{n}"))
                .spawn(move || {
                    let mut memory = HashMemory::new();
                    loop {
                        // Take one job and let go of the queue before running it.
                        let job = match jobs.lock() {
                            Ok(receiver) => receiver.recv(),
                            Err(_) => return,
                        };
                        match job {
                            Ok(job) => job(&mut memory),
                            Err(_) => return, // the hasher is gone
                        }
                    }
                });
            if let Err(err) = spawned {
                log::error!("cannot start a password hashing thread: {err}");
            }
        }
        Hasher {
            queue: Mutex::new(Some(queue)),
        }
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut HashMemory) -> T + Send + 'static,
    ) -> DomainResult<T> {
        let (answer, answered) = oneshot::channel();
        let job: Job = Box::new(move |memory| {
            let _ = answer.send(work(memory));
        });
        let sent = self
            .queue
            .lock()
            .ok()
            .and_then(|queue| queue.as_ref().map(|q| q.send(job).is_ok()))
            .unwrap_or(false);
        if !sent {
            return Err(DomainError::Internal("password hashing has stopped".into()));
        }
        answered
            .await
            .map_err(|_| DomainError::Internal("a password hashing thread stopped".into()))
    }

    /// Hashes a password.
    pub async fn hash(&self, password: String) -> DomainResult<String> {
        self.run(move |memory| credentials::hash_password_in(&password, memory))
            .await?
    }

    /// Checks a password against a stored hash.
    pub async fn verify(&self, password: String, stored: String) -> DomainResult<bool> {
        self.run(move |memory| credentials::verify_password_in(&password, &stored, memory))
            .await
    }
}

impl Drop for Hasher {
    fn drop(&mut self) {
        // Closing the queue ends the threads once they finish what they hold.
        if let Ok(mut queue) = self.queue.lock() {
            queue.take();
        }
    }
}
