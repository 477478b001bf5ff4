//! Loads the demo data in `seed/` on first start: real books, five invented rural schools
//! with wish lists, and demo accounts.

use std::collections::HashSet;
use std::path::Path;

use anyhow::Context;
use serde::Deserialize;

use crate::app::Bookbridge;
use crate::domain::accounts::Registration;
use crate::domain::audit::{AuditAction, AuditEntry};
use crate::domain::booklists::NewBookList;
use crate::domain::books::{BookDetails, BookFields, NewBook};
use crate::domain::child_wishes::{ChildName, Grade};
use crate::domain::error::DomainError;
use crate::domain::ids::AccountId;
use crate::domain::ids::BookListId;
use crate::domain::isbn::Isbn;
use crate::domain::quantity::Quantity;
use crate::domain::role::Role;
use crate::domain::schools::NewSchool;
use crate::store::NewChildWish;

/// The `app_state` key that says the demo data is in.
const SEEDED: &str = "demo_seeded";

#[derive(Deserialize)]
struct Demo {
    password: String,
    accounts: Vec<DemoAccount>,
    schools: Vec<DemoSchool>,
    /// Curated lists children choose their wishes from.
    #[serde(default)]
    booklists: Vec<DemoBookList>,
    /// Editions of one work (the catalogue's own keys: Open Library lacks these Chinese
    /// editions), so a donor's other printing fills a school's wish.
    #[serde(default)]
    works: Vec<DemoWork>,
}

#[derive(Deserialize)]
struct DemoWork {
    key: String,
    isbns: Vec<String>,
}

#[derive(Deserialize)]
struct DemoBookList {
    name: String,
    age_band: Option<String>,
    #[serde(default)]
    grades: Vec<i64>,
    books: Vec<DemoListBook>,
}

#[derive(Deserialize)]
struct DemoListBook {
    isbn: String,
    reason: Option<String>,
}

/// An invented child's wish (a given name only, as the form asks).
#[derive(Deserialize)]
struct DemoChildWish {
    child_name: String,
    grade: i64,
    isbn: String,
    sentence: String,
}

#[derive(Deserialize)]
struct DemoAccount {
    #[serde(default)]
    role: Option<String>,
    /// A volunteer who also vets accounts and schools.
    #[serde(default)]
    coordinator: bool,
    name: String,
    email: String,
}

#[derive(Deserialize)]
struct DemoSchool {
    account: DemoAccount,
    name: String,
    province: String,
    county: String,
    address: String,
    contact_phone: String,
    student_count: i64,
    /// A demo identification code (99…: no real school has it).
    school_code: String,
    wishlist: Vec<DemoWish>,
    /// A class of wish cards from the first curated list (consent recorded).
    #[serde(default)]
    child_wishes: Vec<DemoChildWish>,
}

#[derive(Deserialize)]
struct DemoWish {
    isbn: String,
    quantity: i64,
    note: Option<String>,
}

/// Seeds the demo data unless it was seeded before. Safe to re-run after a crash part way:
/// books and accounts that exist are kept, not duplicated.
pub async fn seed_once(service: &Bookbridge, dir: &Path) -> anyhow::Result<()> {
    let store = service.store();
    if store.flag(SEEDED).await?.is_some() {
        return Ok(());
    }
    if !dir.is_dir() {
        anyhow::bail!(
            "the demo data folder `{}` is not here: run from the repository's folder, point \
             ROCKET_SEED_DIR at it, or set ROCKET_SEED_DEMO=false",
            dir.display()
        );
    }
    let demo: Demo = serde_json::from_slice(
        &std::fs::read(dir.join("demo.json")).context("reading seed/demo.json")?,
    )
    .context("parsing seed/demo.json")?;
    let mut books = read_goodbooks(&dir.join("goodbooks_books.csv"))?;
    let bands = read_age_bands(&dir.join("age_bands.csv"))?;
    for book in &mut books {
        if let Some(band) = bands.get(book.isbn.as_str()) {
            book.details.age_band = Some(band.clone());
        }
    }
    books.extend(read_chinese(&dir.join("chinese_children_books.csv"))?);
    let mut work_of = std::collections::HashMap::new();
    for work in &demo.works {
        let key = crate::domain::books::work_key(&work.key)
            .map_err(|e| anyhow::anyhow!("demo work {}: {e}", work.key))?;
        for isbn in &work.isbns {
            work_of.insert(Isbn::parse(isbn)?, key.clone());
        }
    }
    for book in &mut books {
        if let Some(key) = work_of.remove(&book.isbn) {
            book.details.work = Some(key);
        }
    }
    if let Some(missing) = work_of.keys().next() {
        anyhow::bail!("demo work names {missing}, which the seed's catalogue lacks");
    }
    let added = store.insert_books(&books, service.now()).await?;
    log::info!("seeded {added} books");
    // The demo's volunteers and schools are vetted already, so the demo works end to end.
    let mut curator = None;
    for account in &demo.accounts {
        let role = account.role.as_deref().unwrap_or("donor");
        if let Some(id) = ensure_account(service, role, account, &demo.password).await? {
            service.approve_unchecked(id).await?;
            if account.coordinator {
                service.make_coordinator_unchecked(id).await?;
                curator = Some(id);
            }
        }
    }
    let first_list = match curator {
        Some(by) if store.booklists().await?.is_empty() => {
            seed_booklists(service, &demo.booklists, by).await?
        }
        _ => None,
    };
    for school in &demo.schools {
        let Some(owner) =
            ensure_account(service, "school", &school.account, &demo.password).await?
        else {
            continue; // Account existed from an earlier, interrupted seed: its school too.
        };
        let new = NewSchool::new(
            &school.name,
            &school.province,
            &school.county,
            &school.address,
            &school.contact_phone,
            school.student_count,
        )
        .map_err(|e| anyhow::anyhow!("demo school {}: {e}", school.name))?;
        service.approve_unchecked(owner).await?;
        let created = store.insert_school(owner, &new, service.now()).await?;
        service
            .verify_school_unchecked(created.id, &school.school_code)
            .await?;
        for wish in &school.wishlist {
            let isbn = Isbn::parse(&wish.isbn)?;
            let quantity = Quantity::new(wish.quantity)?;
            store
                .add_wish(
                    created.id,
                    &isbn,
                    quantity,
                    wish.note.as_deref(),
                    service.now(),
                )
                .await?;
        }
        for wish in &school.child_wishes {
            seed_child_wish(service, created.id, owner, first_list, wish).await?;
        }
    }
    store.set_flag(SEEDED, &service.now().to_rfc3339()).await?;
    Ok(())
}

/// Makes the demo's curated lists (by the demo coordinator); the first list's id.
async fn seed_booklists(
    service: &Bookbridge,
    lists: &[DemoBookList],
    by: AccountId,
) -> anyhow::Result<Option<BookListId>> {
    let mut first = None;
    for list in lists {
        let new = NewBookList::parse(&list.name, list.age_band.as_deref(), &list.grades)
            .map_err(|e| anyhow::anyhow!("demo book list {}: {e}", list.name))?;
        let entry = AuditEntry::by_operator(AuditAction::BookListChanged, "booklist");
        let id = service
            .store()
            .create_booklist(&new, by, &entry, service.now())
            .await?;
        for book in &list.books {
            let isbn = Isbn::parse(&book.isbn)?;
            let reason = crate::domain::booklists::reason(book.reason.as_deref())
                .map_err(|e| anyhow::anyhow!("demo book list {}: {e}", list.name))?;
            service
                .store()
                .add_to_booklist(id, &isbn, reason.as_deref(), &entry, service.now())
                .await?;
        }
        first.get_or_insert(id);
    }
    Ok(first)
}

/// A demo wish card, with the guardian's consent recorded by the school's own account.
async fn seed_child_wish(
    service: &Bookbridge,
    school: crate::domain::ids::SchoolId,
    owner: AccountId,
    list: Option<BookListId>,
    wish: &DemoChildWish,
) -> anyhow::Result<()> {
    let fail =
        |e: crate::domain::error::Invalid| anyhow::anyhow!("demo wish {}: {e}", wish.child_name);
    let name = ChildName::parse(&wish.child_name).map_err(fail)?;
    let sentence =
        crate::domain::child_wishes::sentence("sentence", &wish.sentence).map_err(fail)?;
    let isbn = Isbn::parse(&wish.isbn)?;
    let entry = AuditEntry::by_operator(AuditAction::ChildWishChanged, format!("school:{school}"));
    service
        .store()
        .create_child_wish(
            &NewChildWish {
                school,
                isbn: &isbn,
                grade: Grade::new(wish.grade).map_err(fail)?,
                booklist: list,
                child_name: &name,
                sentence: &sentence,
                consent_by: Some(owner),
                created_by: owner,
                photo: None,
            },
            &entry,
            service.now(),
        )
        .await?;
    Ok(())
}

/// Creates a demo account; `None` when it already exists.
async fn ensure_account(
    service: &Bookbridge,
    role: &str,
    account: &DemoAccount,
    password: &str,
) -> anyhow::Result<Option<AccountId>> {
    let role: Role = role.parse()?;
    let registration = Registration::with_role(role, &account.name, &account.email, password)
        .map_err(|e| anyhow::anyhow!("demo account {}: {e}", account.email))?;
    match service.register(registration).await {
        Ok(created) => Ok(Some(created.id)),
        Err(DomainError::EmailTaken) => Ok(None),
        Err(err) => Err(err.into()),
    }
}

#[derive(Deserialize)]
struct GoodbooksRow {
    isbn13: String,
    title: String,
    authors: String,
    original_publication_year: Option<f64>,
    language_code: String,
}

/// The goodbooks-10k records (ISBN-13 column already checked upstream; checked again here).
pub fn read_goodbooks(path: &Path) -> anyhow::Result<Vec<NewBook>> {
    let mut reader =
        csv::Reader::from_path(path).with_context(|| format!("opening {}", path.display()))?;
    let mut seen = HashSet::new();
    let mut books = Vec::new();
    for row in reader.deserialize::<GoodbooksRow>() {
        let row = row?;
        let Ok(isbn) = Isbn::parse(&row.isbn13) else {
            continue;
        };
        if !seen.insert(isbn.clone()) {
            continue;
        }
        // Seed rows pass the same book-field checks as imports and hand edits.
        let details = BookDetails::parse(&BookFields {
            title: non_empty(row.title),
            authors: non_empty(row.authors),
            // Years are stored as floats upstream ("1997.0"), some negative (antiquity).
            publication_year: row.original_publication_year.map(|y| y.to_string()),
            language: non_empty(row.language_code),
            ..BookFields::default()
        })
        .map_err(|e| anyhow::anyhow!("seed book {isbn}: {e}"))?;
        books.push(NewBook::with_details(isbn, details));
    }
    Ok(books)
}

#[derive(Deserialize)]
struct ChineseRow {
    isbn13: String,
    title: String,
    author: String,
    translator: String,
    publisher: String,
    douban_tags: String,
}

/// The Chinese children's books (facts only).
pub fn read_chinese(path: &Path) -> anyhow::Result<Vec<NewBook>> {
    let mut reader =
        csv::Reader::from_path(path).with_context(|| format!("opening {}", path.display()))?;
    let mut seen = HashSet::new();
    let mut books = Vec::new();
    for row in reader.deserialize::<ChineseRow>() {
        let row = row?;
        let Ok(isbn) = Isbn::parse(&row.isbn13) else {
            continue;
        };
        if !seen.insert(isbn.clone()) {
            continue;
        }
        let authors = match (row.author.trim(), row.translator.trim()) {
            ("", "") => None,
            (a, "") => Some(a.to_owned()),
            ("", t) => Some(format!("{t} (译)")),
            (a, t) => Some(format!("{a}, {t} (译)")),
        };
        let details = BookDetails::parse(&BookFields {
            title: non_empty(row.title),
            authors,
            language: Some("zh".to_owned()),
            publisher: non_empty(row.publisher),
            subjects: non_empty(row.douban_tags.replace(';', "; ")),
            // Every record carries Douban's 儿童文学 (children's literature) or 童话 (fairy
            // tale) tag: books for primary-school readers.
            age_band: Some("primary".to_owned()),
            ..BookFields::default()
        })
        .map_err(|e| anyhow::anyhow!("seed book {isbn}: {e}"))?;
        books.push(NewBook::with_details(isbn, details));
    }
    Ok(books)
}

#[derive(Deserialize)]
struct AgeBandRow {
    isbn13: String,
    age_band: String,
}

/// Hand-curated age bands for well-known books, keyed by ISBN-13.
pub fn read_age_bands(path: &Path) -> anyhow::Result<std::collections::HashMap<String, String>> {
    let mut reader =
        csv::Reader::from_path(path).with_context(|| format!("opening {}", path.display()))?;
    let mut bands = std::collections::HashMap::new();
    for row in reader.deserialize::<AgeBandRow>() {
        let row = row?;
        let isbn = Isbn::parse(&row.isbn13)?;
        let band = crate::domain::search::AgeBand::parse(&row.age_band).ok_or_else(|| {
            anyhow::anyhow!("unknown age band {} in {}", row.age_band, path.display())
        })?;
        bands.insert(isbn.as_str().to_owned(), band.as_str().to_owned());
    }
    Ok(bands)
}

fn non_empty(s: String) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_owned())
}
