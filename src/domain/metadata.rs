//! The metadata lifecycle's rules: what a lookup can find, and when to ask again.

use super::books::BookDetails;

/// What a metadata lookup found, in the domain's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LookupOutcome {
    /// The source knows the book: these are its details.
    Found(Box<BookDetails>),
    /// The source does not know this ISBN.
    NotFound,
    /// The lookup failed; the reason is for people (and the book's record).
    Failed(String),
}

/// When to try again after a failure: 1 minute, then 4x longer each time, at most a day.
pub fn retry_after_failure(attempts_before: u32) -> chrono::Duration {
    let minutes = 4i64.saturating_pow(attempts_before.min(8)).min(24 * 60);
    chrono::Duration::minutes(minutes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_back_off_to_at_most_a_day() {
        assert_eq!(retry_after_failure(0), chrono::Duration::minutes(1));
        assert_eq!(retry_after_failure(1), chrono::Duration::minutes(4));
        assert_eq!(retry_after_failure(2), chrono::Duration::minutes(16));
        assert_eq!(retry_after_failure(30), chrono::Duration::minutes(24 * 60));
    }
}
