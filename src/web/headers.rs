//! Security headers on every answer, pages and API alike.

use rocket::fairing::{Fairing, Info, Kind};
use rocket::http::Header;
use rocket::{Request, Response};

use super::context::Site;

/// What a browser may do with our pages: no script at all (the pages need none), styles only
/// inline or from here, images from here or over https (book covers), no framing, forms
/// only back to us; no MIME sniffing; no referrer to other sites; HSTS over https.
pub struct SecurityHeaders;

/// The Content-Security-Policy every answer carries.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'none'; \
    style-src 'self' 'unsafe-inline'; img-src 'self' https: data:; font-src 'self'; \
    connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

#[rocket::async_trait]
impl Fairing for SecurityHeaders {
    fn info(&self) -> Info {
        Info {
            name: "security headers",
            kind: Kind::Response,
        }
    }

    async fn on_response<'r>(&self, request: &'r Request<'_>, response: &mut Response<'r>) {
        response.set_header(Header::new(
            "Content-Security-Policy",
            CONTENT_SECURITY_POLICY,
        ));
        response.set_header(Header::new("X-Content-Type-Options", "nosniff"));
        response.set_header(Header::new("Referrer-Policy", "same-origin"));
        response.set_header(Header::new("X-Frame-Options", "DENY"));
        if request.rocket().state::<Site>().is_some_and(Site::is_https) {
            response.set_header(Header::new(
                "Strict-Transport-Security",
                "max-age=31536000; includeSubDomains",
            ));
        }
    }
}
