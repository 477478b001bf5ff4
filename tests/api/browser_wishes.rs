//! Children choose, in a real browser: a teacher writes three wish cards from a curated
//! list (one with a photo of the card), a donor claims one from the class page, a volunteer
//! ships it, the teacher confirms it and records the child's thanks, and the donor reads it.

use bookbridge::app::Bookbridge;
use bookbridge::domain::audit::{AuditAction, AuditEntry};
use bookbridge::domain::booklists::NewBookList;
use bookbridge::domain::isbn::Isbn;
use fantoccini::{Client, Locator};

use crate::browser::{
    chromedriver_or_skip, close_after, open_browser, serve, Steps, CHARLOTTE, LITTLE_PRINCE,
    PASSWORD,
};
use crate::helpers::{TestEnv, GOODNIGHT_MOON};

/// A curated list of three books, made by the (coordinator) volunteer.
pub(crate) async fn curated_list(service: &Bookbridge) -> i64 {
    let store = service.store();
    let by = store
        .credentials("volunteer@example.org")
        .await
        .unwrap()
        .unwrap()
        .account;
    let entry = AuditEntry::by_operator(AuditAction::BookListChanged, "booklist");
    let list = NewBookList::parse("Grades 3-4, 2026 spring", Some("primary"), &[3, 4]).unwrap();
    let id = store
        .create_booklist(&list, by, &entry, chrono::Utc::now())
        .await
        .unwrap();
    for (isbn, why) in [
        // Written in both languages, as the demo's lists are: each page shows its half.
        (
            LITTLE_PRINCE,
            "狐狸、玫瑰和飞行员 · A fox, a rose and a pilot",
        ),
        (CHARLOTTE, "友谊与勇气 · Friendship and courage"),
        (GOODNIGHT_MOON, "睡前的安静故事 · A calm book for bedtime"),
    ] {
        store
            .add_to_booklist(
                id,
                &Isbn::parse(isbn).unwrap(),
                Some(why),
                &entry,
                chrono::Utc::now(),
            )
            .await
            .unwrap();
    }
    id.get()
}

impl Steps<'_> {
    /// Chooses `value` in the select `css` finds.
    pub(crate) async fn choose(&self, css: &str, value: &str) -> Result<(), String> {
        self.retry(&format!("choosing {value} in {css}"), || async {
            self.browser
                .find(Locator::Css(css))
                .await?
                .select_by_value(value)
                .await
                .map(Some)
        })
        .await
    }
}

async fn walk(browser: &Client, base: &str, school: i64, photo: &str) -> Result<(), String> {
    let steps = Steps {
        browser,
        base: base.to_owned(),
    };
    // The teacher writes three cards, one screen each.
    steps.sign_in("teacher@example.org", PASSWORD).await?;
    steps.text_in("a[href='/my/school/wishes']").await?;
    let cards = [
        (
            LITTLE_PRINCE,
            "小明",
            "我想知道小王子的星球有多大。",
            Some(photo),
        ),
        (CHARLOTTE, "阿依", "我喜欢小猪，想看蜘蛛怎么救它。", None),
        (
            GOODNIGHT_MOON,
            "Lily",
            "I want to say goodnight to the moon too.",
            None,
        ),
    ];
    for (n, (isbn, name, sentence, picture)) in cards.iter().enumerate() {
        steps.goto("/my/school/wishes/new").await?;
        steps
            .click(&format!("input[name=isbn][value='{isbn}']"))
            .await?;
        steps.type_into("#child_name", name).await?;
        steps.choose("#grade", "3").await?;
        steps.type_into("#sentence", sentence).await?;
        if let Some(picture) = picture {
            steps.type_into("#photo", picture).await?;
        }
        steps.click("#consent").await?;
        steps.click("form.wish-card button[type=submit]").await?;
        steps
            .until_text("Saved. Add the next child's wish below.")
            .await?;
        let shown = steps.attributes(".wish.own", "data-id").await;
        // The cards are listed on the teacher's own page as they are added.
        steps.goto("/my/school/wishes").await?;
        let listed = steps.attributes(".wish.own", "data-id").await?;
        if listed.len() != n + 1 {
            return Err(format!(
                "after {} cards the page lists {listed:?} ({shown:?})",
                n + 1
            ));
        }
    }
    steps.sign_out().await?;

    // A donor opens the class page (its QR code's address) and claims 小明's wish.
    steps.sign_in("donor@example.org", PASSWORD).await?;
    steps.text_in("a[href='/my/pledges']").await?;
    steps.goto(&format!("/schools/{school}/classes/3")).await?;
    let counts = steps.until_text("3 wishes").await?;
    if !counts.contains("0 taken by a donor") {
        return Err(format!("the class page does not count: {counts}"));
    }
    let photos = steps.attributes(".wish img.photo", "src").await?;
    if photos.len() != 1 {
        return Err(format!("one card has a photo, the page shows {photos:?}"));
    }
    let card = steps.text_in(".wish:has(form) .book").await?;
    if card.is_empty() {
        return Err("no card to claim".into());
    }
    steps
        .click(".wish:has(img.photo) form button[type=submit]")
        .await?;
    let page = steps.until_text("A wish from").await?;
    if !(page.contains("小明") && page.contains("2 River Road")) {
        return Err(format!(
            "the pledge page does not show the child and where to post: {page}"
        ));
    }
    steps.goto(&format!("/schools/{school}/classes/3")).await?;
    // Taken, not yet arrived: the class page says which.
    let counts = steps.until_text("1 taken by a donor").await?;
    if !counts.contains("0 books arrived") {
        return Err(format!("a claim counted as arrived: {counts}"));
    }
    steps.sign_out().await?;

    // The volunteer scans the book and ships it.
    steps.sign_in("volunteer@example.org", PASSWORD).await?;
    steps.goto("/volunteer").await?;
    steps
        .type_into("#isbn", &format!("{LITTLE_PRINCE}\n"))
        .await?;
    steps
        .until_text(&format!("Showing ISBN {LITTLE_PRINCE}"))
        .await?;
    steps
        .type_into(".queued input[name=carrier]", "China Post")
        .await?;
    steps
        .type_into(".queued input[name=tracking_number]", "EMS7")
        .await?;
    steps.click(".queued button[type=submit]").await?;
    steps.until_text("EMS7").await?;
    steps.sign_out().await?;

    // The teacher confirms it arrived and records the child's thanks.
    steps.sign_in("teacher@example.org", PASSWORD).await?;
    steps.goto("/my/school").await?;
    steps.click(".arriving summary").await?;
    steps.click(".arriving button").await?;
    steps.until_text("Marked as arrived").await?;
    // The child's copy shows as arrived beside the book list.
    let arrived = steps
        .text_in(&format!(
            "table.wish-card-books tr[data-isbn='{LITTLE_PRINCE}'] td.delivered"
        ))
        .await?;
    if arrived != "1" {
        return Err(format!(
            "the child's copy is not counted as arrived: {arrived}"
        ));
    }
    steps.goto("/my/school/wishes").await?;
    steps
        .type_into(
            ".wish.own[data-status=delivered] textarea",
            "谢谢你！小王子的狐狸我最喜欢。",
        )
        .await?;
    steps
        .click(".wish.own[data-status=delivered] form.thanks button")
        .await?;
    steps
        .until_text("The thanks has been passed on to the donor.")
        .await?;
    steps.sign_out().await?;

    // The donor reads the thanks on their pledges.
    steps.sign_in("donor@example.org", PASSWORD).await?;
    steps.goto("/my/pledges").await?;
    let mine = steps.until_text("谢谢你！小王子的狐狸我最喜欢。").await?;
    if !mine.contains("The child's thanks") {
        return Err(format!("the thanks is not shown as the child's: {mine}"));
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_teacher_donor_and_volunteer_answer_a_childs_wish_in_chromium() {
    let Some(driver_path) = chromedriver_or_skip() else {
        return;
    };
    let (_driver, browser) = open_browser(driver_path).await;
    let env = TestEnv::new().await;
    let (port, service, school) = serve(&env).await;
    curated_list(&service).await;
    // A photo of a handwritten card, as a phone saves it (with EXIF).
    let picture = image::RgbImage::from_pixel(300, 200, image::Rgb([250, 240, 200]));
    let photo = env.dir.path().join("card.jpg");
    picture.save(&photo).expect("write the photo");

    let outcome = walk(
        &browser,
        &format!("http://127.0.0.1:{port}"),
        school,
        &photo.display().to_string(),
    )
    .await;
    close_after(&browser, &outcome, "browser-wishes-failure.png").await;
    outcome.expect("children's wishes work in a real browser");

    // The database agrees: one claim, delivered, with the thanks kept for the donor.
    let wishes = service
        .store()
        .child_wishes(&bookbridge::store::WishFilter {
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(wishes.len(), 3);
    let answered: Vec<_> = wishes.iter().filter(|w| w.donor.is_some()).collect();
    assert_eq!(answered.len(), 1);
    assert_eq!(
        answered[0].child_name.as_ref().map(|n| n.as_str()),
        Some("小明")
    );
    assert!(answered[0].photo.is_some());
    assert_eq!(
        answered[0].thanks.as_deref(),
        Some("谢谢你！小王子的狐狸我最喜欢。")
    );
}
