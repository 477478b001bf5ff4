use chrono::Utc;
use rocket::http::Status;

use bookbridge::domain::books::BookDetails;
use bookbridge::domain::isbn::Isbn;
use bookbridge::store::NewBook;

use crate::helpers::{spawn_app, MATILDA};

#[rocket::async_test]
async fn a_book_shows_what_is_known_and_who_needs_it() {
    let app = spawn_app().await;
    app.service()
        .store()
        .insert_books(
            &[NewBook::with_details(
                Isbn::parse(MATILDA).unwrap(),
                BookDetails {
                    title: Some("Matilda".into()),
                    authors: Some("Roald Dahl, Quentin Blake".into()),
                    publication_year: Some(1988),
                    language: Some("eng".into()),
                    ..BookDetails::default()
                },
            )],
            Utc::now(),
        )
        .await
        .unwrap();
    let (a, school_a) = app.school(10).await;
    let (b, school_b) = app.school(10).await;
    app.wish(&a, school_a, MATILDA, 2).await;
    app.wish(&b, school_b, MATILDA, 5).await;

    // Any written form of the ISBN finds it.
    for form in [MATILDA, "0141301066", "0-14-130106-6", "978-0-14-130106-8"] {
        let (status, book) = app.get(&format!("/api/v1/books/{form}"), None).await;
        assert_eq!(status, Status::Ok, "{form}");
        assert_eq!(book["isbn"], MATILDA);
        assert_eq!(book["isbn10"], "0141301066");
        assert_eq!(book["title"], "Matilda");
        assert_eq!(book["outstanding"], 7);
        assert_eq!(book["needs"][0]["school_id"].as_i64(), Some(school_b));
        assert_eq!(book["needs"][0]["outstanding"], 5);
    }
}

#[rocket::async_test]
async fn unknown_and_invalid_isbns() {
    let app = spawn_app().await;
    let (status, body) = app.get("/api/v1/books/9780141301068", None).await;
    assert_eq!(status, Status::NotFound);
    assert_eq!(body["error"]["code"], "not_found");
    let (status, body) = app.get("/api/v1/books/9780141301069", None).await;
    assert_eq!(status, Status::UnprocessableEntity);
    assert_eq!(body["error"]["code"], "invalid_isbn");
    assert_eq!(body["error"]["field"], "isbn");
}
