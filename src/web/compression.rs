//! Compressed answers for slow village connections: brotli or gzip, as the client asks
//! (`Accept-Encoding`, with q-values), for pages, JSON and CSV alike.

use async_compression::tokio::bufread::{BrotliEncoder, GzipEncoder};
use async_compression::Level;
use rocket::fairing::{Fairing, Info, Kind};
use rocket::http::{Header, Method, Status};
use rocket::tokio::io::BufReader;
use rocket::{Request, Response};

/// Bodies smaller than this go as they are: the framing would outweigh the saving.
const SMALLEST: usize = 256;
/// Brotli's default (11) is for files compressed once; 4 is nginx's choice for live answers:
/// nearly as small, many times faster.
const BROTLI_QUALITY: i32 = 4;

/// A content coding this server can send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coding {
    /// `br`
    Brotli,
    /// `gzip`
    Gzip,
}

/// The coding to answer with for an `Accept-Encoding` header: brotli when acceptable, else
/// gzip, else none. `q=0` refuses a coding; `*` stands for any coding not named.
pub fn negotiate(accept: &str) -> Option<Coding> {
    let mut br = None;
    let mut gzip = None;
    let mut any = None;
    for part in accept.split(',') {
        let mut pieces = part.split(';');
        let name = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = pieces
            .filter_map(|p| p.trim().strip_prefix("q=").or(p.trim().strip_prefix("Q=")))
            .find_map(|v| v.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        let allowed = q > 0.0;
        match name.as_str() {
            "br" => br = Some(allowed),
            "gzip" | "x-gzip" => gzip = Some(allowed),
            "*" => any = Some(allowed),
            _ => {}
        }
    }
    if br.or(any) == Some(true) {
        Some(Coding::Brotli)
    } else if gzip.or(any) == Some(true) {
        Some(Coding::Gzip)
    } else {
        None
    }
}

/// Whether a media type is text that compresses (HTML, JSON, CSV, SVG, …).
fn compressible(response: &Response<'_>) -> bool {
    let Some(kind) = response.content_type() else {
        return false;
    };
    kind.top() == "text"
        || kind.sub() == "json"
        || kind.sub().as_str().ends_with("+json")
        || kind.sub() == "xml"
        || kind.sub().as_str().ends_with("+xml")
        || kind.sub() == "javascript"
}

/// Compresses every answer a client can take compressed.
pub struct Compression;

#[rocket::async_trait]
impl Fairing for Compression {
    fn info(&self) -> Info {
        Info {
            name: "compression",
            kind: Kind::Response,
        }
    }

    async fn on_response<'r>(&self, request: &'r Request<'_>, response: &mut Response<'r>) {
        if !compressible(response) {
            return;
        }
        // Caches must keep the compressed and plain answers apart.
        response.adjoin_header(Header::new("Vary", "Accept-Encoding"));
        let no_body = matches!(response.status(), Status::NoContent | Status::NotModified)
            || request.method() == Method::Head;
        let small = response.body().preset_size().is_some_and(|n| n < SMALLEST);
        if no_body || small || response.headers().contains("Content-Encoding") {
            return;
        }
        let Some(coding) = request
            .headers()
            .get("Accept-Encoding")
            .map(negotiate)
            .reduce(|a, b| a.or(b))
            .flatten()
        else {
            return;
        };
        let body = BufReader::new(response.body_mut().take());
        match coding {
            Coding::Brotli => {
                let encoder = BrotliEncoder::with_quality(body, Level::Precise(BROTLI_QUALITY));
                response.set_streamed_body(encoder);
                response.set_header(Header::new("Content-Encoding", "br"));
            }
            Coding::Gzip => {
                response.set_streamed_body(GzipEncoder::with_quality(body, Level::Default));
                response.set_header(Header::new("Content-Encoding", "gzip"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brotli_first_then_gzip_then_nothing() {
        assert_eq!(negotiate("gzip, deflate, br"), Some(Coding::Brotli));
        assert_eq!(negotiate("gzip, deflate"), Some(Coding::Gzip));
        assert_eq!(negotiate("deflate"), None);
        assert_eq!(negotiate(""), None);
        assert_eq!(negotiate("identity"), None);
    }

    #[test]
    fn q_zero_refuses_and_star_stands_for_the_rest() {
        assert_eq!(negotiate("br;q=0, gzip;q=0.5"), Some(Coding::Gzip));
        assert_eq!(negotiate("br; q=0.0, gzip;q=0"), None);
        assert_eq!(negotiate("*"), Some(Coding::Brotli));
        assert_eq!(negotiate("br;q=0, *"), Some(Coding::Gzip));
        assert_eq!(negotiate("*;q=0"), None);
        assert_eq!(negotiate("GZIP"), Some(Coding::Gzip));
    }
}
