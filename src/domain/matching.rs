//! The matching rule: which schools receive a pledge that names no school.
//!
//! Copies go one at a time to the school that has been helped least so far, measured as
//! copies committed to it (across its whole wish list, including this pledge's earlier
//! copies) per student; ties go to the oldest open request (lowest wish-list item id).
//! Committing copies raises a school's ratio, so a large pledge spreads across schools
//! instead of filling the first one. Every input is a number or an id, so the same state
//! always yields the same split.

use super::ids::{SchoolId, WishlistItemId};
use super::isbn::Isbn;
use super::quantity::Quantity;

/// An open wish-list item that could receive copies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// The item.
    pub item: WishlistItemId,
    /// Its school.
    pub school: SchoolId,
    /// Copies it still needs.
    pub outstanding: u32,
    /// Copies committed to the school across all its items.
    pub school_committed: u64,
    /// The school's students (at least 1).
    pub student_count: u32,
}

/// Copies of a pledge assigned to one item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Allocation {
    /// The item receiving copies.
    pub item: WishlistItemId,
    /// Its school.
    pub school: SchoolId,
    /// How many copies.
    pub quantity: Quantity,
}

/// Splits `quantity` over `candidates` by the rule above, or says how many copies are
/// outstanding in total when that is fewer than asked.
pub fn allocate(candidates: &[Candidate], quantity: Quantity) -> Result<Vec<Allocation>, u32> {
    let total: u64 = candidates.iter().map(|c| u64::from(c.outstanding)).sum();
    if total < u64::from(quantity.get()) {
        return Err(u32::try_from(total).unwrap_or(u32::MAX));
    }
    let mut school_committed: std::collections::HashMap<SchoolId, u64> = candidates
        .iter()
        .map(|c| (c.school, c.school_committed))
        .collect();
    let mut remaining: Vec<u32> = candidates.iter().map(|c| c.outstanding).collect();
    let mut given = vec![0u32; candidates.len()];

    for _ in 0..quantity.get() {
        let pick = (0..candidates.len())
            .filter(|&i| remaining[i] > 0)
            .min_by(|&a, &b| {
                let (ca, cb) = (&candidates[a], &candidates[b]);
                // committed_a / students_a vs committed_b / students_b, without division.
                let lhs =
                    u128::from(school_committed[&ca.school]) * u128::from(cb.student_count.max(1));
                let rhs =
                    u128::from(school_committed[&cb.school]) * u128::from(ca.student_count.max(1));
                lhs.cmp(&rhs).then(ca.item.cmp(&cb.item))
            });
        let Some(i) = pick else { break };
        remaining[i] -= 1;
        given[i] += 1;
        *school_committed.entry(candidates[i].school).or_default() += 1;
    }

    let mut allocations: Vec<Allocation> = candidates
        .iter()
        .zip(given)
        .filter_map(|(c, n)| {
            Quantity::new(i64::from(n)).ok().map(|quantity| Allocation {
                item: c.item,
                school: c.school,
                quantity,
            })
        })
        .collect();
    allocations.sort_by_key(|a| a.item);
    Ok(allocations)
}

/// The open need for several books as one writer sees it while it plans a queue of pledges:
/// each pledge is planned by [`allocate`] against what the pledges before it left, so a batch
/// of pledges written together splits the need exactly as the same pledges one after the
/// other would.
#[derive(Debug, Clone, Default)]
pub struct NeedInTurn {
    by_book: std::collections::HashMap<Isbn, Vec<Candidate>>,
}

impl NeedInTurn {
    /// The candidates for each book, as read (in item order).
    pub fn new(candidates: impl IntoIterator<Item = (Isbn, Candidate)>) -> Self {
        let mut by_book: std::collections::HashMap<Isbn, Vec<Candidate>> =
            std::collections::HashMap::new();
        for (isbn, candidate) in candidates {
            by_book.entry(isbn).or_default().push(candidate);
        }
        NeedInTurn { by_book }
    }

    /// Plans the next pledge of `quantity` copies of `book` (to `school`'s items alone when it
    /// names one) and takes its copies from the need, raising its schools' committed copies
    /// for every book; or, as [`allocate`] does, says how many copies are outstanding when that
    /// is fewer than asked (taking nothing).
    pub fn plan(
        &mut self,
        book: &Isbn,
        quantity: Quantity,
        school: Option<SchoolId>,
    ) -> Result<Vec<Allocation>, u32> {
        let all = self
            .by_book
            .get(book)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let plan = match school {
            None => allocate(all, quantity)?,
            Some(named) => {
                let at_school: Vec<Candidate> =
                    all.iter().filter(|c| c.school == named).cloned().collect();
                allocate(&at_school, quantity)?
            }
        };
        for part in &plan {
            let copies = part.quantity.get();
            for candidate in self.by_book.values_mut().flatten() {
                if candidate.item == part.item {
                    candidate.outstanding -= copies;
                }
            }
            self.committed(part.school, copies);
        }
        Ok(plan)
    }

    /// Counts `copies` committed to `school` outside the need planned here (a child's wish
    /// claimed in the same batch), so the pledges after it weigh the school as helped more.
    pub fn committed(&mut self, school: SchoolId, copies: u32) {
        for candidate in self.by_book.values_mut().flatten() {
            if candidate.school == school {
                candidate.school_committed += u64::from(copies);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate(
        item: i64,
        school: i64,
        outstanding: u32,
        committed: u64,
        students: u32,
    ) -> Candidate {
        Candidate {
            item: WishlistItemId(item),
            school: SchoolId(school),
            outstanding,
            school_committed: committed,
            student_count: students,
        }
    }

    fn q(n: i64) -> Quantity {
        Quantity::new(n).unwrap()
    }

    #[test]
    fn least_helped_school_per_student_comes_first() {
        // School 1: 10 copies for 100 students (0.1); school 2: 1 copy for 5 students (0.2).
        let cands = [candidate(1, 2, 5, 1, 5), candidate(2, 1, 5, 10, 100)];
        let got = allocate(&cands, q(1)).unwrap();
        assert_eq!(
            got,
            vec![Allocation {
                item: WishlistItemId(2),
                school: SchoolId(1),
                quantity: q(1)
            }]
        );
    }

    #[test]
    fn ties_go_to_the_oldest_request() {
        let cands = [candidate(7, 1, 3, 0, 50), candidate(3, 2, 3, 0, 50)];
        let got = allocate(&cands, q(1)).unwrap();
        assert_eq!(got[0].item, WishlistItemId(3));
    }

    #[test]
    fn a_large_pledge_is_spread_and_never_exceeds_need() {
        let cands = [candidate(1, 1, 4, 0, 10), candidate(2, 2, 10, 0, 10)];
        let got = allocate(&cands, q(6)).unwrap();
        let per_item: Vec<(i64, u32)> = got.iter().map(|a| (a.item.0, a.quantity.get())).collect();
        assert_eq!(per_item, vec![(1, 3), (2, 3)]);

        let got = allocate(&cands, q(12)).unwrap();
        let per_item: Vec<(i64, u32)> = got.iter().map(|a| (a.item.0, a.quantity.get())).collect();
        assert_eq!(per_item, vec![(1, 4), (2, 8)]);
    }

    #[test]
    fn asking_for_more_than_outstanding_reports_the_total() {
        let cands = [candidate(1, 1, 2, 0, 10), candidate(2, 2, 1, 0, 10)];
        assert_eq!(allocate(&cands, q(4)), Err(3));
        assert_eq!(allocate(&[], q(1)), Err(0));
    }

    #[test]
    fn the_same_state_always_gives_the_same_split() {
        let cands = [
            candidate(5, 3, 7, 2, 30),
            candidate(2, 1, 7, 9, 60),
            candidate(9, 2, 7, 0, 8),
        ];
        assert_eq!(allocate(&cands, q(10)), allocate(&cands, q(10)));
    }

    fn book(n: u8) -> Isbn {
        Isbn::parse(["9787020002207", "9780140328721"][usize::from(n)]).unwrap()
    }

    #[test]
    fn pledges_planned_in_turn_split_as_one_after_the_other() {
        let cands = [candidate(1, 1, 3, 0, 10), candidate(2, 2, 3, 4, 10)];
        let mut need = NeedInTurn::new(cands.iter().map(|c| (book(0), c.clone())));
        // One at a time against the state the last one left, by hand:
        let first = allocate(&cands, q(2)).unwrap();
        assert_eq!(need.plan(&book(0), q(2), None).unwrap(), first);
        let after = [candidate(1, 1, 1, 2, 10), candidate(2, 2, 3, 4, 10)];
        assert_eq!(
            need.plan(&book(0), q(3), None).unwrap(),
            allocate(&after, q(3)).unwrap()
        );
        // One copy is left; asking for two takes nothing and says so.
        assert_eq!(need.plan(&book(0), q(2), None), Err(1));
        assert_eq!(need.plan(&book(0), q(1), None).unwrap().len(), 1);
        assert_eq!(need.plan(&book(0), q(1), None), Err(0));
        assert_eq!(need.plan(&book(1), q(1), None), Err(0));
    }

    #[test]
    fn copies_of_one_book_weigh_on_the_same_schools_other_books() {
        // School 1 is least helped for both books; once it takes two copies of book 0 it
        // has 2 per 10 students, so book 1's copy goes to school 2 (1 per 10).
        let need = [
            (book(0), candidate(1, 1, 5, 0, 10)),
            (book(1), candidate(2, 1, 5, 0, 10)),
            (book(1), candidate(3, 2, 5, 1, 10)),
        ];
        let mut need = NeedInTurn::new(need);
        assert_eq!(
            need.plan(&book(0), q(2), None).unwrap()[0].school,
            SchoolId(1)
        );
        assert_eq!(
            need.plan(&book(1), q(1), None).unwrap()[0].school,
            SchoolId(2)
        );
    }

    #[test]
    fn a_pledge_naming_a_school_takes_only_its_items_and_weighs_on_the_rest() {
        // The pledge names school 2: its item alone gives, and school 2 (1 per 10 students
        // before, the least helped) counts as helped more for the next unnamed pledge.
        let need = [
            (book(0), candidate(1, 1, 5, 2, 10)),
            (book(0), candidate(2, 2, 2, 1, 10)),
            (book(1), candidate(3, 1, 5, 2, 10)),
            (book(1), candidate(4, 2, 5, 1, 10)),
        ];
        let mut need = NeedInTurn::new(need);
        let named = need.plan(&book(0), q(2), Some(SchoolId(2))).unwrap();
        assert_eq!(named.len(), 1);
        assert_eq!(
            (named[0].item, named[0].quantity),
            (WishlistItemId(2), q(2))
        );
        // School 2 has nothing more of book 0, however much school 1 has.
        assert_eq!(need.plan(&book(0), q(1), Some(SchoolId(2))), Err(0));
        // 3 per 10 at school 2 now against 2 at school 1.
        assert_eq!(
            need.plan(&book(1), q(1), None).unwrap()[0].school,
            SchoolId(1)
        );
        // A school nobody asked about has no need.
        assert_eq!(need.plan(&book(1), q(1), Some(SchoolId(9))), Err(0));
    }

    #[test]
    fn a_claimed_wish_counts_against_its_school() {
        let need = [
            (book(0), candidate(1, 1, 5, 0, 10)),
            (book(0), candidate(2, 2, 5, 1, 10)),
        ];
        let mut need = NeedInTurn::new(need);
        need.committed(SchoolId(1), 2);
        assert_eq!(
            need.plan(&book(0), q(1), None).unwrap()[0].school,
            SchoolId(2)
        );
    }
}
