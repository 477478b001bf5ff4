//! Children's wishes: a teacher writes them down (with the guardian's consent), donors
//! claim them one copy at a time, the school records the child's thanks; the child's details
//! are removed on withdrawal and when their time is up.

use std::collections::HashMap;

use super::pledge_queue::{Answer, Wanted};
use super::{Bookbridge, Happened};
use crate::domain::audit::{AuditAction, AuditEntry};
use crate::domain::child_wishes::{
    may_see_child, ChildName, ChildWish, ClassCounts, Grade, PhotoKind, PledgedWish, WishCard,
    WishEvent, WishStatus,
};
use crate::domain::error::{DomainError, DomainResult, Invalid};
use crate::domain::ids::{BookListId, ChildWishId, SchoolId};
use crate::domain::isbn::Isbn;
use crate::domain::model::{Actor, Pledge};
use crate::domain::role::Role;
use crate::photos::PhotoError;
use crate::store::{NewChildWish, WishFilter};

/// What a teacher writes on a wish card, checked.
#[derive(Debug, Clone)]
pub struct WishCardInput {
    /// The child's given name or nickname.
    pub child_name: ChildName,
    /// The child's grade.
    pub grade: Grade,
    /// The chosen book.
    pub isbn: Isbn,
    /// The child's sentence.
    pub sentence: String,
    /// Whether the teacher ticked that the guardian agreed.
    pub guardian_consent: bool,
    /// The curated list it was chosen from, if any (the book must be on it).
    pub booklist: Option<BookListId>,
    /// A photo of the handwritten card, as uploaded (re-encoded before it is kept).
    pub photo: Option<Vec<u8>>,
}

/// A class's shared page: the school, its counts and its open wishes.
#[derive(Debug, Clone)]
pub struct ClassPage {
    /// The school's public name.
    pub school_name: String,
    /// Its province.
    pub province: String,
    /// Its county.
    pub county: String,
    /// The grade.
    pub grade: Grade,
    /// How its wishes stand.
    pub counts: ClassCounts,
    /// Its wishes still waiting for a donor, those waiting longest first.
    pub open: Vec<WishCard>,
}

/// Most wishes one claim request may take.
pub const MAX_CLAIM: usize = 20;

impl Bookbridge {
    /// A teacher writes a child's wish down for a verified school: published at once when
    /// the guardian's consent is ticked, else kept for the school until it is.
    pub async fn add_child_wish(
        &self,
        actor: &Actor,
        school: SchoolId,
        input: WishCardInput,
    ) -> DomainResult<WishCard> {
        let found = self.managed_school(actor, school).await?;
        if actor.role == Role::School && !actor.is_active() {
            return Err(DomainError::AccountPending);
        }
        if actor.role != Role::School {
            return Err(DomainError::Forbidden(
                "only the school's own approved account writes children's wishes",
            ));
        }
        if !found.verified {
            return Err(DomainError::SchoolNotVerified);
        }
        if let Some(list) = input.booklist {
            let books = self.booklist(list).await?.books;
            if !books.iter().any(|b| b.isbn == input.isbn) {
                return Err(DomainError::Invalid(Invalid::new(
                    "isbn",
                    "this book is not on the chosen book list",
                )));
            }
        }
        let photo = match input.photo {
            Some(upload) => Some(self.keep_photo(upload).await?),
            None => None,
        };
        let entry = AuditEntry::by(
            actor,
            AuditAction::ChildWishChanged,
            format!("school:{school}"),
        );
        let created = self
            .store
            .create_child_wish(
                &NewChildWish {
                    school,
                    isbn: &input.isbn,
                    grade: input.grade,
                    booklist: input.booklist,
                    child_name: &input.child_name,
                    sentence: &input.sentence,
                    consent_by: input.guardian_consent.then_some(actor.account),
                    created_by: actor.account,
                    photo: photo
                        .as_ref()
                        .map(|(name, bytes)| (name.as_str(), bytes.as_slice())),
                },
                &entry,
                self.now(),
            )
            .await;
        let id = match created {
            Ok(id) => id,
            Err(err) => return Err(err.into()),
        };
        self.happened(Happened::BookAdded);
        self.wish_card(Some(actor), id).await
    }

    /// Records that the guardian agreed, which publishes the wish (the school's account).
    pub async fn consent_child_wish(
        &self,
        actor: &Actor,
        id: ChildWishId,
    ) -> DomainResult<WishCard> {
        let wish = self.kept_wish(actor, id).await?;
        wish.status.after(WishEvent::Consent)?;
        let entry = AuditEntry::by(actor, AuditAction::ChildWishChanged, format!("wish:{id}"))
            .detail("guardian's consent recorded");
        if !self
            .store
            .consent_child_wish(id, actor.account, &entry, self.now())
            .await?
        {
            return Err(DomainError::Conflict(
                "the wish changed meanwhile; please try again",
            ));
        }
        self.wish_card(Some(actor), id).await
    }

    /// One wish, as `actor` (none: the public) may see it; hidden (404) from those who may
    /// not see it at all: anything not published, except to its school and admins.
    pub async fn wish_card(
        &self,
        actor: Option<&Actor>,
        id: ChildWishId,
    ) -> DomainResult<WishCard> {
        let wish = self.visible_wish(actor, id).await?;
        Ok(WishCard::for_actor(actor, &wish))
    }

    /// Published wishes still waiting for a donor at verified schools (the public list).
    pub async fn open_wishes(&self, mut filter: WishFilter) -> DomainResult<Vec<WishCard>> {
        filter.province = super::schools::one_spelling(filter.province.as_deref())?;
        filter.statuses = vec![WishStatus::Open];
        filter.verified_only = true;
        let wishes = self.store.child_wishes(&filter).await?;
        Ok(wishes
            .iter()
            .map(|w| WishCard::for_actor(None, w))
            .collect())
    }

    /// A school's own wishes, every status but withdrawn (its account, admins).
    pub async fn school_wishes(
        &self,
        actor: &Actor,
        school: SchoolId,
        grade: Option<Grade>,
    ) -> DomainResult<Vec<WishCard>> {
        self.managed_school(actor, school).await?;
        let wishes = self
            .store
            .child_wishes(&WishFilter {
                statuses: WishStatus::ALL
                    .into_iter()
                    .filter(|s| *s != WishStatus::Withdrawn)
                    .collect(),
                school: Some(school),
                grade,
                limit: 1_000,
                ..Default::default()
            })
            .await?;
        Ok(wishes
            .iter()
            .map(|w| WishCard::for_actor(Some(actor), w))
            .collect())
    }

    /// A class's shared page (a verified school's grade with any published wish).
    pub async fn class_page(&self, school: SchoolId, grade: Grade) -> DomainResult<ClassPage> {
        let found = self.verified_school(school).await?;
        let counts = self
            .store
            .class_counts(school)
            .await?
            .into_iter()
            .find(|(g, _)| *g == grade)
            .map(|(_, c)| c)
            .unwrap_or_default();
        let open = self
            .open_wishes(WishFilter {
                school: Some(school),
                grade: Some(grade),
                oldest_first: true,
                limit: 200,
                ..Default::default()
            })
            .await?;
        Ok(ClassPage {
            school_name: found.name,
            province: found.province,
            county: found.county,
            grade,
            counts,
            open,
        })
    }

    /// Every class of a verified school with its counts: the grades with any published
    /// wish (public).
    pub async fn classes(&self, school: SchoolId) -> DomainResult<Vec<(Grade, ClassCounts)>> {
        self.verified_school(school).await?;
        let mut classes = self.store.class_counts(school).await?;
        classes.retain(|(_, counts)| counts.wishes > 0);
        Ok(classes)
    }

    /// Only verified schools' wishes are public; any other is "not found".
    async fn verified_school(
        &self,
        school: SchoolId,
    ) -> DomainResult<crate::domain::model::School> {
        self.store
            .school(school)
            .await?
            .filter(|s| s.verified)
            .ok_or_else(|| DomainError::not_found("school", school))
    }

    /// A donor claims wishes: each a pledge of one copy to that child's school. All or
    /// nothing is not promised across wishes: each is its own claim, in order, and the first
    /// that is taken stops the rest (`wish_taken`), keeping those already made.
    pub async fn claim_child_wishes(
        &self,
        actor: &Actor,
        ids: &[ChildWishId],
        editions: &[(ChildWishId, Isbn)],
    ) -> DomainResult<Vec<Pledge>> {
        if actor.role != Role::Donor || !actor.is_active() {
            return Err(DomainError::Forbidden(
                "only donor accounts can claim wishes",
            ));
        }
        if ids.is_empty() || ids.len() > MAX_CLAIM {
            return Err(DomainError::Invalid(Invalid::new(
                "wishes",
                format!("claim from 1 to {MAX_CLAIM} wishes at a time"),
            )));
        }
        // A claim of the wished editions joins the batch writer; another edition's is checked
        // against the wish's work first, one by one.
        if self.policies.group_commit && editions.is_empty() {
            match self
                .pledge_queued(actor.account, Wanted::Wishes(ids.to_vec()))
                .await
            {
                Answer::Made(made) => {
                    let made = made.into_iter().map(|p| self.dated(p)).collect();
                    return self.with_wishes(Some(actor), made).await;
                }
                Answer::Refused(refusal) => return Err(refusal),
                Answer::OneByOne => {}
            }
        }
        let mut made = Vec::with_capacity(ids.len());
        for id in ids {
            let wish = self.visible_wish(Some(actor), *id).await?;
            if wish.status != WishStatus::Open {
                return Err(DomainError::WishTaken);
            }
            // The donor's copy may be another edition of the wished book's work.
            let sent = match editions.iter().find(|(w, _)| w == id) {
                Some((_, isbn)) if *isbn != wish.isbn => {
                    if !self.store.same_work(isbn, &wish.isbn).await? {
                        return Err(Invalid::new(
                            "editions",
                            format!("{isbn} is not an edition of the wished book {}", wish.isbn),
                        )
                        .into());
                    }
                    isbn.clone()
                }
                _ => wish.isbn.clone(),
            };
            let now = self.now();
            let dates = (now, self.policies.ship.first_date(now));
            match self
                .store
                .claim_child_wish(actor.account, &wish, &sent, dates)
                .await?
            {
                Some(pledge) => made.push(pledge),
                None => return Err(DomainError::WishTaken),
            }
        }
        self.happened(Happened::CatalogueChanged);
        self.happened(Happened::NoticesRecorded);
        let made = made.into_iter().map(|p| self.dated(p)).collect();
        self.with_wishes(Some(actor), made).await
    }

    /// The school records the child's thanks once the book arrived; the donor is told.
    pub async fn thank_for_wish(
        &self,
        actor: &Actor,
        id: ChildWishId,
        thanks: &str,
    ) -> DomainResult<WishCard> {
        let wish = self.kept_wish(actor, id).await?;
        if wish.status != WishStatus::Delivered || wish.details_removed_at.is_some() {
            return Err(DomainError::WishRefused(
                "thanks can be recorded once the book has arrived, while the wish keeps its details"
                    .into(),
            ));
        }
        let pledge =
            self.store.pledge_for_wish(&wish).await?.ok_or_else(|| {
                DomainError::Internal(format!("delivered wish {id} has no pledge"))
            })?;
        let entry = AuditEntry::by(actor, AuditAction::ChildWishChanged, format!("wish:{id}"))
            .detail("thanks recorded");
        if !self
            .store
            .thank_for_wish(&wish, &pledge, thanks, &entry, self.now())
            .await?
        {
            return Err(DomainError::Conflict(
                "the wish changed meanwhile; please try again",
            ));
        }
        self.happened(Happened::NoticesRecorded);
        self.wish_card(Some(actor), id).await
    }

    /// The teacher withdraws a wish at any time: the child's details and photos are erased.
    /// A wish whose book arrived keeps counting as answered; one under way still brings the
    /// donor's book to the school.
    pub async fn withdraw_child_wish(
        &self,
        actor: &Actor,
        id: ChildWishId,
    ) -> DomainResult<WishCard> {
        let wish = self.kept_wish(actor, id).await?;
        let to = match wish.status {
            WishStatus::Delivered if wish.details_removed_at.is_none() => WishStatus::Delivered,
            status => status.after(WishEvent::Withdraw)?,
        };
        let entry = AuditEntry::by(actor, AuditAction::ChildWishChanged, format!("wish:{id}"))
            .detail("withdrawn: the child's details erased");
        if !self
            .store
            .withdraw_child_wish(&wish, to, &entry, self.now())
            .await?
        {
            return Err(DomainError::Conflict(
                "the wish changed meanwhile; please try again",
            ));
        }
        self.wish_card(Some(actor), id).await
    }

    /// Keeps a photo of a wish card (before it is answered) or of the thanks card (once
    /// delivered), re-encoded without its EXIF. The school's account.
    pub async fn set_wish_photo(
        &self,
        actor: &Actor,
        id: ChildWishId,
        kind: PhotoKind,
        upload: Vec<u8>,
    ) -> DomainResult<WishCard> {
        if !actor.is_active() {
            return Err(DomainError::AccountPending);
        }
        self.kept_wish(actor, id).await?;
        let (name, bytes) = self.keep_photo(upload).await?;
        if !self
            .store
            .set_wish_photo(id, kind, (&name, &bytes), self.now())
            .await?
        {
            {
                return Err(DomainError::WishRefused(
                    match kind {
                        PhotoKind::Card => {
                            "a photo of the wish card can be added until a donor answers it"
                        }
                        PhotoKind::Thanks => {
                            "a photo of the thanks card can be added once the book has arrived"
                        }
                    }
                    .into(),
                ));
            }
        }
        self.wish_card(Some(actor), id).await
    }

    /// A wish's photo, for those who may see the child (none: the public).
    pub async fn wish_photo(
        &self,
        actor: Option<&Actor>,
        id: ChildWishId,
        kind: PhotoKind,
    ) -> DomainResult<Vec<u8>> {
        let wish = self.visible_wish(actor, id).await?;
        let name = match kind {
            PhotoKind::Card => wish.photo.as_ref(),
            PhotoKind::Thanks => wish.thanks_photo.as_ref(),
        }
        .filter(|_| may_see_child(actor, &wish))
        .ok_or_else(|| DomainError::not_found("photo of wish", id))?;
        self.store
            .photo(name)
            .await?
            .ok_or_else(|| DomainError::not_found("photo of wish", id))
    }

    /// Removes the child's details of delivered wishes whose time is up; returns how many.
    pub async fn remove_expired_child_details(&self) -> DomainResult<u64> {
        let now = self.now();
        let Some(cut) = self.policies.child_details.delivered_by(now) else {
            return Ok(0);
        };
        let mut removed = 0;
        loop {
            let n = self.store.remove_child_details(cut, now, 500).await?;
            removed += n;
            if n < 500 {
                return Ok(removed);
            }
        }
    }

    /// Fills in each pledge's wish as `actor` may see it (one query however many).
    pub(super) async fn with_wishes(
        &self,
        actor: Option<&Actor>,
        mut pledges: Vec<Pledge>,
    ) -> DomainResult<Vec<Pledge>> {
        let ids: Vec<ChildWishId> = pledges.iter().filter_map(|p| p.child_wish_id).collect();
        if ids.is_empty() {
            return Ok(pledges);
        }
        let wishes: HashMap<ChildWishId, ChildWish> = self
            .store
            .child_wishes_by_id(&ids)
            .await?
            .into_iter()
            .map(|w| (w.id, w))
            .collect();
        for pledge in &mut pledges {
            if let Some(wish) = pledge.child_wish_id.and_then(|id| wishes.get(&id)) {
                // The child is shown to this pledge's donor only while the pledge is the
                // one answering the wish (`wish.donor`), as `may_see_child` decides.
                pledge.wish = Some(PledgedWish::for_actor(actor, wish));
            }
        }
        Ok(pledges)
    }

    /// Re-encodes an upload (off the async workers): its name and the bytes to keep.
    async fn keep_photo(&self, upload: Vec<u8>) -> DomainResult<(String, Vec<u8>)> {
        let photos = self.photos.clone();
        // One decode per core at a time; the others wait here, holding only their bytes.
        let _turn = photos.turn().await;
        super::blocking(move || photos.prepare(&upload))
            .await?
            .map_err(|err| match err {
                PhotoError::Unreadable => {
                    DomainError::Invalid(Invalid::new("photo", err.to_string()))
                }
                PhotoError::OverLimit(refusal) => DomainError::OverLimit {
                    field: "photo",
                    refusal,
                },
            })
    }

    /// Moves photos an older version kept as files in `dir` into the database, then
    /// removes those files, and the folder once empty (the `photo_dir` setting is retired).
    /// Run at start; idempotent, so a server that stops halfway finishes on its next start.
    /// Returns how many were taken in.
    pub async fn take_in_photo_folder(&self, dir: &std::path::Path) -> DomainResult<u64> {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return Ok(0);
        };
        let mut taken = 0;
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !crate::photos::is_photo_name(&name) {
                continue;
            }
            let path = entry.path();
            let bytes = std::fs::read(&path).map_err(|e| DomainError::Internal(e.to_string()))?;
            // A file no wish in this database names is left where it is.
            if self.store.take_in_photo(&name, &bytes, self.now()).await? {
                taken += 1;
                std::fs::remove_file(&path).map_err(|e| DomainError::Internal(e.to_string()))?;
            }
        }
        // Only when nothing else is left in it.
        if let Err(err) = std::fs::remove_dir(dir) {
            log::info!("the old photo folder {} stays: {err}", dir.display());
        }
        Ok(taken)
    }

    /// A wish `actor` may know exists: published (open, claimed or delivered) at a verified
    /// school for everyone; any status for its school's account and admins.
    async fn visible_wish(
        &self,
        actor: Option<&Actor>,
        id: ChildWishId,
    ) -> DomainResult<ChildWish> {
        let wish = self
            .store
            .child_wish(id)
            .await?
            .ok_or_else(|| DomainError::not_found("wish", id))?;
        let keeper = actor.is_some_and(|a| {
            a.is_admin() || (a.role == Role::School && a.account == wish.school_owner)
        });
        if keeper || wish.is_published() {
            Ok(wish)
        } else {
            Err(DomainError::not_found("wish", id))
        }
    }

    /// A wish its school's own account (or an admin) acts on.
    async fn kept_wish(&self, actor: &Actor, id: ChildWishId) -> DomainResult<ChildWish> {
        let wish = self.visible_wish(Some(actor), id).await?;
        let own =
            actor.role == Role::School && actor.account == wish.school_owner && actor.is_active();
        if !(own || actor.is_admin()) {
            return Err(DomainError::Forbidden(
                "only the child's school looks after its wish",
            ));
        }
        Ok(wish)
    }
}
