//! Bulk imports and CSV exports through the API.

use rocket::http::{ContentType, Status};
use serde_json::json;

use crate::helpers::{spawn_app, spawn_app_with, GOODNIGHT_MOON, MATILDA};

const CATALOGUE: &str = "\u{feff}isbn,title,authors,year,language,age_band\r\n\
    9780141301068,Matilda,Roald Dahl,1988,eng,primary\r\n\
    not-an-isbn,Broken,Nobody,2000,eng,\r\n\
    0-06-077585-8,\"Goodnight Moon, board book\",Margaret Wise Brown,1947.0,en-US,early\r\n\
    9780241003008,The Very Hungry Caterpillar,Eric Carle,long ago,eng,\r\n\
    9780141301068,Matilda (second printing),Roald Dahl,1988,eng,primary\r\n";

#[rocket::async_test]
async fn an_admin_imports_a_catalogue_with_a_report_per_line() {
    let app = spawn_app().await;
    let admin = app.user("admin").await;
    let (status, report) = app
        .post_file(
            "/api/v1/books/import",
            Some(&admin.token),
            CATALOGUE.as_bytes(),
            ContentType::CSV,
        )
        .await;
    assert_eq!(status, Status::Ok, "{report}");
    assert_eq!(report["imported"], 2, "{report}");
    assert_eq!(report["rejected_total"], 2);
    let lines: Vec<i64> = report["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["line"].as_i64().unwrap())
        .collect();
    assert_eq!(lines, [3, 5]);
    assert!(report["rejected"][1]["reason"]
        .as_str()
        .unwrap()
        .contains("year"));

    let (_, matilda) = app.get(&format!("/api/v1/books/{MATILDA}"), None).await;
    assert_eq!(
        matilda["title"], "Matilda (second printing)",
        "the later row wins"
    );
    assert_eq!(matilda["age_band"], "primary");
    let (_, moon) = app
        .get(&format!("/api/v1/books/{GOODNIGHT_MOON}"), None)
        .await;
    assert_eq!(moon["title"], "Goodnight Moon, board book");
    assert_eq!(moon["publication_year"], 1947);
    app.settle_index().await;
    assert_eq!(app.search("q=matilda").await["hits"][0]["isbn"], MATILDA);

    // Importing the same file again changes nothing.
    let (_, again) = app
        .post_file(
            "/api/v1/books/import",
            Some(&admin.token),
            CATALOGUE.as_bytes(),
            ContentType::CSV,
        )
        .await;
    assert_eq!(again["imported"], 2);
    let (_, moon_again) = app
        .get(&format!("/api/v1/books/{GOODNIGHT_MOON}"), None)
        .await;
    assert_eq!(moon_again["title"], moon["title"]);
    app.settle_index().await;
    assert_eq!(app.search("limit=100").await["total"], 2);
}

#[rocket::async_test]
async fn json_lines_import_and_hand_edits_survive_it() {
    let app = spawn_app().await;
    let admin = app.user("admin").await;
    let lines = b"{\"isbn\": \"9780141301068\", \"title\": \"Matilda\", \"authors\": [\"Roald Dahl\"]}\n{\"isbn\": \"9780060775858\", \"title\": \"Goodnight Moon\"}\n";
    let (_, report) = app
        .post_file(
            "/api/v1/books/import",
            Some(&admin.token),
            lines,
            ContentType::new("application", "x-ndjson"),
        )
        .await;
    assert_eq!(report["imported"], 2);

    let (status, _) = app
        .patch(
            &format!("/api/v1/books/{MATILDA}"),
            Some(&admin.token),
            json!({"title": "Matilda (hand edit)"}),
        )
        .await;
    assert_eq!(status, Status::Ok);
    let (_, report) = app
        .post_file(
            "/api/v1/books/import",
            Some(&admin.token),
            lines,
            ContentType::new("application", "x-ndjson"),
        )
        .await;
    assert_eq!(report["imported"], 1, "the hand-edited book is not written");
    let (_, matilda) = app.get(&format!("/api/v1/books/{MATILDA}"), None).await;
    assert_eq!(matilda["title"], "Matilda (hand edit)");
}

#[rocket::async_test]
async fn imported_rows_without_a_title_are_fetched_later() {
    let app = spawn_app().await;
    let admin = app.user("admin").await;
    let file = b"isbn,title\n9780141301068,\n9780060775858,Goodnight Moon\n";
    let (_, report) = app
        .post_file(
            "/api/v1/books/import",
            Some(&admin.token),
            file,
            ContentType::CSV,
        )
        .await;
    assert_eq!(report["imported"], 2);
    let (_, bare) = app.get(&format!("/api/v1/books/{MATILDA}"), None).await;
    // The test configuration's Open Library is unreachable: the fetch was due and failed.
    assert!(
        ["pending", "failed"].contains(&bare["metadata"]["status"].as_str().unwrap()),
        "{bare}"
    );
    let (_, named) = app
        .get(&format!("/api/v1/books/{GOODNIGHT_MOON}"), None)
        .await;
    assert_eq!(named["metadata"]["status"], "complete");
}

#[rocket::async_test]
async fn only_admins_import_catalogues_and_files_have_a_size_limit() {
    let app = spawn_app_with(|f| f.merge(("limits.file", "1 KiB"))).await;
    for role in ["donor", "volunteer", "school"] {
        let user = app.user(role).await;
        let (status, _) = app
            .post_file(
                "/api/v1/books/import",
                Some(&user.token),
                CATALOGUE.as_bytes(),
                ContentType::CSV,
            )
            .await;
        assert_eq!(status, Status::Forbidden, "{role}");
    }
    let admin = app.user("admin").await;
    let big = format!("isbn,title\n{}", "9780141301068,Matilda\n".repeat(100));
    let (status, body) = app
        .post_file(
            "/api/v1/books/import",
            Some(&admin.token),
            big.as_bytes(),
            ContentType::CSV,
        )
        .await;
    assert_eq!(status, Status::PayloadTooLarge);
    assert_eq!(body["error"]["code"], "body_too_large");
    let (status, body) = app
        .post_file(
            "/api/v1/books/import",
            Some(&admin.token),
            b"title,author\nx,y\n",
            ContentType::CSV,
        )
        .await;
    assert_eq!(status, Status::UnprocessableEntity);
    assert_eq!(body["error"]["field"], "file");
}

#[rocket::async_test]
async fn a_school_imports_its_wish_list_and_duplicates_add_up() {
    let app = spawn_app().await;
    let (owner, school) = app.school(40).await;
    let file = "\u{feff}isbn,quantity,note\r\n9780141301068,2\r\n978-0-14-130106-8,3,grade 4\r\n12345,1\r\n9780060775858,abc\r\n9780060775858,4\r\n";
    let path = format!("/api/v1/schools/{school}/wishlist/import");
    let (status, report) = app
        .post_file(&path, Some(&owner.token), file.as_bytes(), ContentType::CSV)
        .await;
    assert_eq!(status, Status::Ok, "{report}");
    assert_eq!(report["imported"], 2);
    let lines: Vec<i64> = report["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["line"].as_i64().unwrap())
        .collect();
    assert_eq!(lines, [4, 5]);

    let (_, list) = app
        .get(&format!("/api/v1/schools/{school}/wishlist"), None)
        .await;
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(
        (
            items[0]["isbn"].as_str(),
            items[0]["requested"].as_i64(),
            items[0]["note"].as_str()
        ),
        (Some(MATILDA), Some(5), Some("grade 4"))
    );
    assert_eq!(items[1]["requested"], 4);

    // Importing again adds to the open items, as asking again does.
    app.post_file(
        &path,
        Some(&owner.token),
        b"9780060775858,1\n",
        ContentType::CSV,
    )
    .await;
    let (_, list) = app
        .get(&format!("/api/v1/schools/{school}/wishlist"), None)
        .await;
    assert_eq!(list["items"][1]["requested"], 5);

    let (other, _) = app.school(10).await;
    assert_eq!(
        app.post_file(&path, Some(&other.token), file.as_bytes(), ContentType::CSV)
            .await
            .0,
        Status::Forbidden
    );
    assert_eq!(
        app.post_file(
            "/api/v1/schools/999/wishlist/import",
            Some(&owner.token),
            file.as_bytes(),
            ContentType::CSV
        )
        .await
        .0,
        Status::NotFound
    );
}

#[rocket::async_test]
async fn exports_are_csv_for_spreadsheets() {
    let app = spawn_app().await;
    let (owner, school) = app.school(40).await;
    app.wish(&owner, school, MATILDA, 3).await;
    let donor = app.user("donor").await;
    app.pledge(&donor, school, MATILDA, 1).await;

    let (status, content_type, text) = app
        .get_text(&format!("/api/v1/schools/{school}/wishlist.csv"), None)
        .await;
    assert_eq!(status, Status::Ok);
    assert!(content_type.unwrap().starts_with("text/csv"));
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("isbn,title,requested,pledged,shipped,delivered,outstanding,note,status")
    );
    assert_eq!(lines.next(), Some("9780141301068,,3,1,0,0,2,,open"));

    let volunteer = app.user("volunteer").await;
    let (status, _, sheet) = app
        .get_text("/api/v1/pledges.csv", Some(&volunteer.token))
        .await;
    assert_eq!(status, Status::Ok);
    assert!(sheet.starts_with(
        "pledge_id,created_at,status,isbn,title,quantity,school_id,school_name,address"
    ));
    assert!(sheet.contains("1 School Road"));
    assert_eq!(sheet.lines().count(), 2);
    let (_, _, none) = app
        .get_text(
            "/api/v1/pledges.csv?status=delivered",
            Some(&volunteer.token),
        )
        .await;
    assert_eq!(none.lines().count(), 1);
    assert_eq!(
        app.get_text("/api/v1/pledges.csv", Some(&donor.token))
            .await
            .0,
        Status::Forbidden
    );
    assert_eq!(
        app.get_text("/api/v1/pledges.csv", None).await.0,
        Status::Unauthorized
    );
    assert_eq!(
        app.get_text("/api/v1/schools/999/wishlist.csv", None)
            .await
            .0,
        Status::NotFound
    );
}

#[rocket::async_test]
async fn an_empty_file_is_refused_not_imported_as_nothing() {
    let app = crate::helpers::spawn_app().await;
    let (owner, school) = app.school(30).await;
    let admin = app.user("admin").await;
    for (path, token) in [
        (
            format!("/api/v1/schools/{school}/wishlist/import"),
            &owner.token,
        ),
        ("/api/v1/books/import".to_owned(), &admin.token),
    ] {
        let (status, body) = app
            .post_file(&path, Some(token), b"  \n", rocket::http::ContentType::CSV)
            .await;
        assert_eq!(
            status,
            rocket::http::Status::UnprocessableEntity,
            "{path}: {body}"
        );
        assert_eq!(body["error"]["field"], "file", "{path}");
    }
}

#[rocket::async_test]
async fn a_book_list_saved_by_excel_in_china_gbk_is_imported() {
    let app = crate::helpers::spawn_app().await;
    let (owner, school) = app.school(30).await;
    let (gbk, _, _) = encoding_rs::GBK.encode("isbn,quantity,note\r\n9787020031566,4,四年级\r\n");
    let (status, report) = app
        .post_file(
            &format!("/api/v1/schools/{school}/wishlist/import"),
            Some(&owner.token),
            &gbk,
            rocket::http::ContentType::CSV,
        )
        .await;
    assert_eq!(status, rocket::http::Status::Ok, "{report}");
    assert_eq!(report["imported"], 1, "{report}");
    let (_, list) = app
        .get(&format!("/api/v1/schools/{school}/wishlist"), None)
        .await;
    assert_eq!(list["items"][0]["note"], "四年级");
    assert_eq!(list["items"][0]["requested"], 4);
}

#[rocket::async_test]
async fn a_wish_list_file_can_set_the_counts_instead_of_adding_to_them() {
    let app = spawn_app().await;
    let (owner, school) = app.school(40).await;
    let path = format!("/api/v1/schools/{school}/wishlist/import");
    let file = b"isbn,quantity\n9780060775858,3\n9780141301068,1\n";
    let (status, first) = app
        .post_file(
            &format!("{path}?mode=set"),
            Some(&owner.token),
            file,
            ContentType::CSV,
        )
        .await;
    assert_eq!(status, Status::Ok, "{first}");
    assert_eq!(
        (first["added"].as_u64(), first["changed"].as_u64()),
        (Some(2), Some(0))
    );
    let (_, again) = app
        .post_file(
            &format!("{path}?mode=set"),
            Some(&owner.token),
            file,
            ContentType::CSV,
        )
        .await;
    assert_eq!(
        again["unchanged"], 2,
        "the same file twice changes nothing: {again}"
    );
    let (_, list) = app
        .get(&format!("/api/v1/schools/{school}/wishlist"), None)
        .await;
    assert_eq!(list["items"][0]["requested"], 3);

    // Never below what donors promised: that row is refused, the others go in.
    let donor = app.user("donor").await;
    app.pledge(&donor, school, "9780060775858", 2).await;
    let (_, lower) = app
        .post_file(
            &format!("{path}?mode=set"),
            Some(&owner.token),
            b"9780060775858,1\n9780141301068,5\n",
            ContentType::CSV,
        )
        .await;
    assert_eq!(lower["rejected"][0]["code"], "below_committed", "{lower}");
    assert_eq!(lower["changed"], 1);
    let (_, list) = app
        .get(&format!("/api/v1/schools/{school}/wishlist"), None)
        .await;
    assert_eq!(
        (
            list["items"][0]["requested"].as_i64(),
            list["items"][1]["requested"].as_i64()
        ),
        (Some(3), Some(5))
    );

    // Without a mode the file adds, as before; an unknown mode is refused.
    let (_, added) = app
        .post_file(
            &path,
            Some(&owner.token),
            b"9780141301068,1\n",
            ContentType::CSV,
        )
        .await;
    assert_eq!(added["changed"], 1, "{added}");
    let (status, body) = app
        .post_file(
            &format!("{path}?mode=replace"),
            Some(&owner.token),
            file,
            ContentType::CSV,
        )
        .await;
    assert_eq!(status, Status::UnprocessableEntity);
    assert_eq!(body["error"]["field"], "mode", "{body}");
}
