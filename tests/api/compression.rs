//! Answers go compressed to clients that ask, and unchanged to those that don't.

use async_compression::tokio::bufread::{BrotliDecoder, GzipDecoder};
use rocket::http::{Header, Status};
use rocket::tokio::io::AsyncReadExt;

use crate::helpers::spawn_app;

async fn fetch(
    app: &crate::helpers::TestApp,
    path: &str,
    accept: Option<&str>,
) -> (Option<String>, Option<String>, Vec<u8>) {
    let mut request = app.client.get(path.to_owned());
    if let Some(accept) = accept {
        request = request.header(Header::new("Accept-Encoding", accept.to_owned()));
    }
    let response = request.dispatch().await;
    assert_eq!(response.status(), Status::Ok, "{path}");
    let encoding = response
        .headers()
        .get_one("Content-Encoding")
        .map(str::to_owned);
    let vary = response.headers().get_one("Vary").map(str::to_owned);
    (encoding, vary, response.into_bytes().await.expect("a body"))
}

async fn unbrotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    BrotliDecoder::new(bytes)
        .read_to_end(&mut out)
        .await
        .expect("valid brotli");
    out
}

async fn ungzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    GzipDecoder::new(bytes)
        .read_to_end(&mut out)
        .await
        .expect("valid gzip");
    out
}

#[rocket::async_test]
async fn json_and_pages_are_compressed_as_the_client_asks() {
    let app = spawn_app().await;
    let path = "/api/v1/openapi.json";
    let (none, vary, plain) = fetch(&app, path, None).await;
    assert_eq!(none, None, "no Accept-Encoding, no compression");
    assert_eq!(vary.as_deref(), Some("Accept-Encoding"));

    let (br, _, compressed) = fetch(&app, path, Some("gzip, deflate, br")).await;
    assert_eq!(br.as_deref(), Some("br"));
    assert!(
        compressed.len() * 4 < plain.len(),
        "{} vs {}",
        compressed.len(),
        plain.len()
    );
    assert_eq!(unbrotli(&compressed).await, plain);

    let (gzip, _, compressed) = fetch(&app, path, Some("gzip;q=0.8, br;q=0")).await;
    assert_eq!(gzip.as_deref(), Some("gzip"));
    assert!(compressed.len() * 4 < plain.len());
    assert_eq!(ungzip(&compressed).await, plain);

    let (refused, _, body) = fetch(&app, path, Some("br;q=0, gzip;q=0")).await;
    assert_eq!(refused, None);
    assert_eq!(body, plain);

    // A page too: the search page in Chinese, brotli.
    let (br, _, page) = fetch(&app, "/", Some("br")).await;
    assert_eq!(br.as_deref(), Some("br"));
    let html = String::from_utf8(unbrotli(&page).await).expect("utf-8 page");
    assert!(
        html.starts_with("<!DOCTYPE html>"),
        "{}",
        &html[..40.min(html.len())]
    );
}

#[rocket::async_test]
async fn tiny_answers_go_as_they_are() {
    let app = spawn_app().await;
    // The health answer is JSON, but smaller than the framing pays for.
    let (encoding, _, body) = fetch(&app, "/api/v1/health", Some("br")).await;
    assert_eq!(encoding, None);
    assert!(body.len() < 256 && body.starts_with(b"{"), "{body:?}");
}
