//! A donor's box on a 360 px phone in Chinese: she scans five books into the box (a
//! keyboard-wedge scanner types each ISBN and Enter), sees the plan, confirms it, enters the
//! tracking number of the parcel she posted; the teacher confirms the whole parcel.
//!
//! Needs Chromium and chromedriver, as the other browser tests; without them the test skips
//! on a developer machine and fails under `CI=true`.

use bookbridge::domain::ids::{ParcelId, SchoolId};
use bookbridge::domain::isbn::Isbn;
use bookbridge::domain::pledge_status::PledgeStatus;
use bookbridge::domain::quantity::Quantity;
use fantoccini::Client;

use crate::browser::{
    chromedriver_or_skip, close_after, open_phone, serve, Steps, CHARLOTTE, LITTLE_PRINCE, PASSWORD,
};
use crate::helpers::{TestEnv, GOODNIGHT_MOON};

/// The walk; answers the parcel's number as the confirmation page showed it.
async fn walk(browser: &Client, base: &str) -> Result<i64, String> {
    let steps = Steps {
        browser,
        base: base.to_owned(),
    };
    steps.goto("/prefs?lang=zh&back=/").await?;
    steps.text_in("header").await?;
    steps.sign_in("donor@example.org", PASSWORD).await?;
    steps.text_in("header form[action='/signout']").await?;

    // Five scans: two Goodnight Moon, two 小王子, one 夏洛的网.
    steps.goto("/my/box").await?;
    steps.until_text("一箱书").await?;
    for isbn in [
        GOODNIGHT_MOON,
        LITTLE_PRINCE,
        GOODNIGHT_MOON,
        CHARLOTTE,
        LITTLE_PRINCE,
    ] {
        steps
            .type_into("textarea[name=isbns]", &format!("{isbn}\n"))
            .await?;
    }
    steps
        .click("main form[action='/my/box'] button[type=submit]")
        .await?;
    // One school wants all five: one parcel, though another school wants the Moon too.
    steps.until_text("5 本书，分 1 个包裹").await?;
    let plan = steps.text_in("main").await?;
    if !plan.contains("Baiyun Village Primary") || plan.contains("Hetao Primary") {
        return Err(format!("the plan is not one parcel to Baiyun: {plan}"));
    }
    steps
        .click("main form[action$='/confirm'] button[type=submit]")
        .await?;
    steps.until_text("您的包裹").await?;
    let confirmed = steps.text_in("main").await?;
    if !confirmed.contains("2 River Road") {
        return Err(format!("the parcel's address is not shown: {confirmed}"));
    }
    let action = steps
        .attributes("main form[action^='/my/parcels/']", "action")
        .await?;
    let parcel: i64 = action
        .first()
        .and_then(|a| a.trim_start_matches("/my/parcels/").split('/').next())
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| format!("no tracking form: {action:?}"))?;
    steps
        .type_into("main input[name=carrier]", "中国邮政")
        .await?;
    steps
        .type_into("main input[name=tracking_number]", "EMS88CN")
        .await?;
    steps
        .click("main form[action^='/my/parcels/'] button[type=submit]")
        .await?;
    steps
        .until_text(&format!("包裹编号 {parcel} 已在路上"))
        .await?;
    steps.sign_out().await?;

    // The teacher sees one parcel of five books and confirms it in two taps.
    steps.sign_in("teacher@example.org", PASSWORD).await?;
    steps.text_in("header form[action='/signout']").await?;
    steps.goto("/my/school?task=in_transit").await?;
    let card = steps.text_in(".arriving").await?;
    if !card.contains(&format!("包裹编号 {parcel}")) || !card.contains("5 本") {
        return Err(format!("the parcel's card: {card}"));
    }
    steps.click(".arriving details.whole summary").await?;
    steps
        .click(".arriving details.whole button[type=submit]")
        .await?;
    steps.until_text("已确认收到").await?;
    Ok(parcel)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_donor_scans_a_box_on_a_phone_and_the_school_confirms_its_parcel() {
    let Some(driver_path) = chromedriver_or_skip() else {
        return;
    };
    let (_driver, browser) = open_phone(driver_path).await;
    let env = TestEnv::new().await;
    let (port, service, school) = serve(&env).await;
    let store = service.store();
    for (isbn, copies) in [(LITTLE_PRINCE, 2), (CHARLOTTE, 1)] {
        store
            .add_wish(
                SchoolId(school),
                &Isbn::parse(isbn).unwrap(),
                Quantity::new(copies).unwrap(),
                None,
                chrono::Utc::now(),
            )
            .await
            .unwrap();
    }
    let outcome = walk(&browser, &format!("http://127.0.0.1:{port}")).await;
    let parcel = outcome.as_ref().ok().copied();
    close_after(&browser, &outcome.map(drop), "browser-boxes-failure.png").await;
    let parcel = parcel.expect("a box on a phone in Chinese");

    let pledges = store.parcel(ParcelId(parcel)).await.unwrap();
    let copies: u32 = pledges.iter().map(|p| p.quantity).sum();
    assert_eq!(copies, 5);
    assert!(pledges.iter().all(|p| p.status == PledgeStatus::Delivered
        && p.tracking_number.as_deref() == Some("EMS88CN")
        && p.school_id == SchoolId(school)));
    let shelf = store.shelf(SchoolId(school)).await.unwrap();
    assert!(
        shelf.iter().any(|b| b.isbn.as_str() == LITTLE_PRINCE),
        "delivered books are on the shelf: {shelf:?}"
    );
}
