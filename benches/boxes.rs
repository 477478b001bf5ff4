//! Book-box planner benchmark: `cargo bench --bench boxes`.
//!
//! Boxes of 10, 50 and 200 books planned over 10,000 schools whose wish lists follow the
//! catalogue's popularity (a few titles wanted almost everywhere, most by a few schools), with
//! the need already cut by what each school has on its shelf. For each size: the planner's
//! time per box (p50 and p99, in this process, the problem built from the need as the service
//! builds it) and parcels per box, beside the simplest rule as the baseline (each book to the
//! neediest school that still wants it). Seeded, so every run plans the same boxes. A
//! measurement, not a test: it asserts only that both place the same number of books or the
//! planner more.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use bookbridge::domain::boxes::{plan, BoxProblem, Helped, Opening};
use bookbridge::domain::ids::{SchoolId, WishlistItemId};

const SCHOOLS: usize = 10_000;
/// Titles (works) in the catalogue schools choose from.
const WORKS: usize = 5_000;
/// Boxes planned per size.
const BOXES: usize = 200;

/// A title by popularity: low numbers far more often (roughly Zipf).
fn popular(rng: &mut fastrand::Rng) -> usize {
    let u = rng.f64();
    ((WORKS as f64).powf(u) as usize)
        .saturating_sub(1)
        .min(WORKS - 1)
}

/// The open need: each school's items (by work), already without the titles on its shelf,
/// and how much each school has been helped.
struct Need {
    openings: Vec<Opening>,
    by_work: HashMap<usize, Vec<usize>>,
    helped: HashMap<SchoolId, Helped>,
}

fn need(rng: &mut fastrand::Rng) -> Need {
    let mut openings = Vec::new();
    let mut by_work: HashMap<usize, Vec<usize>> = HashMap::new();
    let mut helped = HashMap::new();
    let mut item = 0i64;
    for s in 0..SCHOOLS {
        let school = SchoolId(s as i64 + 1);
        let shelf: HashSet<usize> = (0..rng.usize(0..200)).map(|_| popular(rng)).collect();
        let wanted: HashSet<usize> = (0..rng.usize(10..60))
            .map(|_| popular(rng))
            .filter(|w| !shelf.contains(w))
            .collect();
        for work in wanted {
            item += 1;
            by_work.entry(work).or_default().push(openings.len());
            openings.push(Opening {
                item: WishlistItemId(item),
                school,
                outstanding: rng.u32(1..=5),
            });
        }
        helped.insert(
            school,
            Helped {
                committed: rng.u64(0..400),
                students: rng.u32(30..900),
            },
        );
    }
    Need {
        openings,
        by_work,
        helped,
    }
}

/// A donor's shelf: mostly popular titles, a few nobody asked for.
fn a_box(rng: &mut fastrand::Rng, books: usize) -> Vec<usize> {
    (0..books)
        .map(|_| {
            if rng.u8(0..20) == 0 {
                WORKS + rng.usize(0..1_000)
            } else {
                popular(rng)
            }
        })
        .collect()
}

/// The problem as the service builds it: only the openings the box's works reach.
fn problem(need: &Need, books: &[usize]) -> BoxProblem {
    let mut index: HashMap<usize, usize> = HashMap::new();
    let mut openings = Vec::new();
    let mut helped = HashMap::new();
    let fits = books
        .iter()
        .map(|work| {
            need.by_work
                .get(work)
                .map(|all| {
                    all.iter()
                        .map(|&o| {
                            *index.entry(o).or_insert_with(|| {
                                let opening = need.openings[o];
                                helped.insert(opening.school, need.helped[&opening.school]);
                                openings.push(opening);
                                openings.len() - 1
                            })
                        })
                        .collect()
                })
                .unwrap_or_default()
        })
        .collect();
    BoxProblem {
        books: fits,
        openings,
        helped,
    }
}

/// The baseline: each book in turn to the neediest school that still wants it.
fn neediest_first(problem: &BoxProblem) -> (usize, usize) {
    let mut room: Vec<u32> = problem.openings.iter().map(|o| o.outstanding).collect();
    let mut schools = HashSet::new();
    let mut placed = 0;
    for fits in &problem.books {
        let best = fits
            .iter()
            .copied()
            .filter(|&o| room[o] > 0)
            .min_by(|&a, &b| {
                let (ha, hb) = (
                    problem.helped[&problem.openings[a].school],
                    problem.helped[&problem.openings[b].school],
                );
                (u128::from(ha.committed) * u128::from(hb.students.max(1)))
                    .cmp(&(u128::from(hb.committed) * u128::from(ha.students.max(1))))
                    .then(problem.openings[a].school.cmp(&problem.openings[b].school))
            });
        if let Some(o) = best {
            room[o] -= 1;
            placed += 1;
            schools.insert(problem.openings[o].school);
        }
    }
    (schools.len(), placed)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn main() {
    let mut rng = fastrand::Rng::with_seed(26);
    let started = Instant::now();
    let need = need(&mut rng);
    println!(
        "{SCHOOLS} schools, {} open items over {WORKS} titles (built in {:.1} s)",
        need.openings.len(),
        started.elapsed().as_secs_f64()
    );
    println!();
    println!("| box | plan p50 | plan p99 | parcels per box (planner) | parcels per box (neediest first) | ratio | books placed per box |");
    println!("|---:|---:|---:|---:|---:|---:|---:|");
    for size in [10, 50, 200] {
        let mut times = Vec::with_capacity(BOXES);
        let (mut parcels, mut baseline, mut placed) = (0usize, 0usize, 0usize);
        for _ in 0..BOXES {
            let books = a_box(&mut rng, size);
            let start = Instant::now();
            let problem = problem(&need, &books);
            let planned = plan(&problem);
            times.push(start.elapsed());
            let (simple, simple_placed) = neediest_first(&problem);
            let here: usize = planned.parcels.iter().map(|p| p.books.len()).sum();
            assert!(here >= simple_placed, "the planner placed fewer books");
            parcels += planned.parcels.len();
            baseline += simple;
            placed += here;
        }
        times.sort();
        println!(
            "| {size} | {:.2} ms | {:.2} ms | {:.1} | {:.1} | {:.2}x | {:.1} |",
            percentile(&times, 0.5).as_secs_f64() * 1e3,
            percentile(&times, 0.99).as_secs_f64() * 1e3,
            parcels as f64 / BOXES as f64,
            baseline as f64 / BOXES as f64,
            parcels as f64 / baseline.max(1) as f64,
            placed as f64 / BOXES as f64,
        );
    }
}
